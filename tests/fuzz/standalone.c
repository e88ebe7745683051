/* SPDX-License-Identifier: MIT */
/*
 * Runs a libFuzzer target over files without libFuzzer: each argument is a
 * file or a directory of files, fed to LLVMFuzzerTestOneInput() once.  The
 * seed corpus thus runs as an ordinary test under gcc (and under ASan in a
 * sanitizer build).
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort);

			if (n < 0) {
				perror(argv[i]);
				return 1;
			}
			for (int k = 0; k < n; k++) {
				char path[PATH_MAX];

				if (names[k]->d_name[0] != '.') {
					snprintf(path, sizeof(path), "%s/%s",
						 argv[i], names[k]->d_name);
					if (run_file(path) < 0)
						return 1;
					files++;
				}
				free(names[k]);
			}
			free(names);
		} else {
			if (run_file(argv[i]) < 0)
				return 1;
			files++;
		}
	}
	printf("%d inputs ran without a failure\n", files);
	return files > 0 ? 0 : 1;
}
