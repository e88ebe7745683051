/* SPDX-License-Identifier: MIT */
/*
 * Whole input files for the commands that take a JSON document by name
 * (`linx reconcile`, `linx nft`): a path, or "-" for stdin.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

char *cli_read_file(const char *path, size_t *ret_len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO
					: open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *grown = realloc(buf, ncap);

			if (!grown) {
				errno = ENOMEM;
				goto fail;
			}
			buf = grown;
			cap = ncap;
		}
		if (fd == STDIN_FILENO)
			n = cli_read_stdin(buf + len, cap - len - 1);
		else
			n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[len] = '\0';
	*ret_len = len;
	return buf;
fail:
	if (fd != STDIN_FILENO) {
		int e = errno;

		close(fd);
		errno = e;
	}
	free(buf);
	return NULL;
}
