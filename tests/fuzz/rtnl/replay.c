/* SPDX-License-Identifier: MIT */
/*
 * Standalone driver for fuzz-rtnl-decode.c, for compilers without
 * libFuzzer: runs every file of the corpus directories given as
 * arguments, then a bounded number of deterministic mutations of each
 * (bit flips, byte stores, truncations, length-field rewrites), so a gcc
 * build exercises the decoders on malformed input too.  Exit 0 unless a
 * sanitizer or a crash says otherwise.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUTATIONS 300

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	/* xorshift64: reproducible across runs. */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void mutate_and_run(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return;
	for (int m = 0; m < MUTATIONS; m++) {
		size_t len = size;

		memcpy(buf, data, size);
		for (int k = 0; k < 1 + (int)(next() % 4) && size; k++) {
			size_t at = next() % size;

			switch (next() % 5) {
			case 0: /* flip a bit */
				buf[at] ^= (uint8_t)(1u << (next() % 8));
				break;
			case 1: /* store an interesting byte */
				buf[at] = (uint8_t[]){ 0, 1, 3, 4, 0x7f, 0x80,
						       0xff }[next() % 7];
				break;
			case 2: /* rewrite a 16-bit length (nla_len) */
				if (at + 1 < size) {
					uint16_t v = (uint16_t)(next() % 64);

					memcpy(buf + at, &v, sizeof(v));
				}
				break;
			case 3: /* truncate */
				len = at;
				break;
			default: /* shrink nlmsg_len of the first message */
				if (size >= 4) {
					uint32_t v = (uint32_t)(next() % size);

					memcpy(buf, &v, sizeof(v));
				}
				break;
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	free(buf);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (size == cap) {
			cap = cap ? cap * 2 : 65536;
			data = realloc(data, cap);
			if (!data) {
				fclose(f);
				return -1;
			}
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	mutate_and_run(data, size);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (!d) {
			if (run_file(argv[i]) < 0)
				return 1;
			files++;
			continue;
		}
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (run_file(path) < 0) {
				closedir(d);
				return 1;
			}
			files++;
		}
		closedir(d);
	}
	printf("%d inputs, %d mutations each: no crash\n", files, MUTATIONS);
	return files > 0 ? 0 : 1;
}
