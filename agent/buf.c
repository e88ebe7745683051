/* SPDX-License-Identifier: MIT */
/* Byte queues for the agent's non-blocking descriptors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

int outbuf_append(struct outbuf *b, const void *p, size_t n)
{
	if (b->off && b->off == b->len)
		b->off = b->len = 0;
	if (b->cap - b->len < n) {
		size_t pending = b->len - b->off, cap = b->cap ? b->cap : 4096;
		uint8_t *nd;

		/* Compact first; grow only if that is not enough. */
		if (b->off) {
			memmove(b->data, b->data + b->off, pending);
			b->off = 0;
			b->len = pending;
		}
		while (cap - b->len < n)
			cap *= 2;
		if (cap != b->cap) {
			nd = realloc(b->data, cap);
			if (!nd)
				return -ENOMEM;
			b->data = nd;
			b->cap = cap;
		}
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int outbuf_flush(struct outbuf *b, int fd)
{
	while (b->off < b->len) {
		ssize_t n = write(fd, b->data + b->off, b->len - b->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return -errno;
		b->off += (size_t)n;
	}
	b->off = b->len = 0;
	/* Give back memory a burst made us take. */
	if (b->cap > (1u << 20)) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	return 0;
}

int outbuf_write(struct outbuf *b, int fd, const void *p, size_t n)
{
	size_t done = 0;

	/* Nothing queued: write straight away and queue only what the
	 * descriptor did not take. */
	while (!outbuf_pending(b) && done < n) {
		ssize_t k = write(fd, (const uint8_t *)p + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0 || (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
			break;
		if (k < 0)
			return -errno;
		done += (size_t)k;
	}
	if (done == n)
		return 0;
	if (outbuf_append(b, (const uint8_t *)p + done, n - done) < 0)
		return -ENOMEM;
	return outbuf_flush(b, fd);
}

void outbuf_free(struct outbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

ssize_t inbuf_read(struct inbuf *b, int fd)
{
	ssize_t n;

	if (b->cap == 0) {
		/* Most reads of a fresh buffer find a small frame or EOF (a
		 * child's status pipe at execve): read onto the stack first
		 * and take heap memory only for bytes that arrived.  Each
		 * heap page touched is a copy-on-write fault while a forked
		 * child shares it. */
		uint8_t first[1024];

		do
			n = read(fd, first, sizeof(first));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return n < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno)
				     : 0;
		b->data = malloc(65536);
		if (!b->data)
			return -ENOMEM;
		b->cap = 65536;
		memcpy(b->data, first, (size_t)n);
		b->len = (size_t)n;
		return n;
	}
	if (b->cap - b->len < 16384) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		uint8_t *nd = realloc(b->data, cap);

		if (!nd)
			return -ENOMEM;
		b->data = nd;
		b->cap = cap;
	}
	do
		n = read(fd, b->data + b->len, b->cap - b->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	b->len += (size_t)n;
	return n;
}

void inbuf_consume(struct inbuf *b, size_t n)
{
	/* Nothing to drop also covers a buffer never allocated (data NULL):
	 * memmove must not see a null pointer even for zero bytes. */
	if (n == 0)
		return;
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	if (b->len == 0 && b->cap > (1u << 20)) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
}

void inbuf_free(struct inbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
