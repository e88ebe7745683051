/* SPDX-License-Identifier: MIT */
/*
 * The controlling terminal in raw mode, termios saved and put back, and
 * window sizes: termios(3), tty(4), tty_ioctl(4).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tty-internal.h"

static int syscall_fail(struct linx_error *err, int code, const char *op,
			const char *what)
{
	return linx_error_set(err, code, op, "%s: %s", what,
			      linx_strerror(code));
}

int linx_tty_make_raw(int fd, struct linx_tty_saved *ret_saved,
		      struct linx_error *err)
{
	struct linx_tty_saved s = { .magic = LINX_TTY_SAVED_MAGIC };
	struct termios raw;
	struct stat st;

	if (!ret_saved)
		return linx_error_param(err, "validate", "saved",
					"no place to save the terminal state");
	if (fd < 0)
		return linx_error_param(err, "validate", "fd",
					"%d is not a descriptor", fd);
	if (tcgetattr(fd, &s.termios) < 0)
		return syscall_fail(err, errno, "tcgetattr", "tcgetattr");
	if (fstat(fd, &st) < 0)
		return syscall_fail(err, errno, "tcgetattr", "fstat");
	s.dev = st.st_dev;
	s.ino = st.st_ino;
	s.rdev = st.st_rdev;
	raw = s.termios;
	cfmakeraw(&raw);
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return syscall_fail(err, errno, "tcsetattr", "tcsetattr");
	*ret_saved = s;
	return 0;
}

int linx_tty_open_raw(int *ret_fd, struct linx_tty_saved *ret_saved,
		      struct linx_error *err)
{
	int fd, r;

	if (!ret_fd || !ret_saved)
		return linx_error_param(err, "validate", ret_fd ? "saved" : "fd",
					"no place for the result");
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = errno;
		return linx_error_set_object(err, r, "open", "/dev/tty",
					     "open /dev/tty: %s%s",
					     linx_strerror(r),
					     r == ENXIO ? " (no controlling "
							  "terminal)"
							: "");
	}
	r = linx_tty_make_raw(fd, ret_saved, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* Is fd still the file `s` was saved from?  A closed descriptor, or one
 * reused for something else, is not. */
static bool same_file(int fd, const struct linx_tty_saved *s)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (uint64_t)st.st_dev == s->dev &&
	       (uint64_t)st.st_ino == s->ino &&
	       (uint64_t)st.st_rdev == s->rdev;
}

static int check_saved(int fd, const struct linx_tty_saved *saved,
		       struct linx_error *err)
{
	if (!saved || saved->magic != LINX_TTY_SAVED_MAGIC)
		return linx_error_param(err, "validate", "saved",
					"not a terminal state saved by "
					"linx_tty_open_raw/make_raw");
	if (fd < 0)
		return linx_error_param(err, "validate", "fd",
					"%d is not a descriptor", fd);
	return 0;
}

/* tcsetattr with SIGTTOU blocked: from a background process group the
 * kernel would otherwise stop us instead of restoring (tty_ioctl(4)). */
static int put_back(int fd, const struct termios *t)
{
	sigset_t ttou, old;
	int r, e;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	do
		r = tcsetattr(fd, TCSADRAIN, t);
	while (r < 0 && errno == EINTR);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r < 0 ? -e : 0;
}

int linx_tty_restore(int fd, const struct linx_tty_saved *saved,
		     struct linx_error *err)
{
	int r = check_saved(fd, saved, err);

	if (r < 0)
		return r;
	if (!same_file(fd, saved))
		return 0; /* closed, or no longer ours to touch */
	r = put_back(fd, &saved->termios);
	if (r < 0 && r != -EBADF)
		return syscall_fail(err, -r, "tcsetattr", "tcsetattr");
	return 0;
}

int linx_tty_restore_close(int fd, const struct linx_tty_saved *saved,
			   struct linx_error *err)
{
	int r = check_saved(fd, saved, err), rc;

	if (r < 0)
		return r;
	if (!same_file(fd, saved))
		return 0;
	r = put_back(fd, &saved->termios);
	rc = close(fd) < 0 ? errno : 0;
	if (r < 0 && r != -EBADF)
		return syscall_fail(err, -r, "tcsetattr", "tcsetattr");
	if (rc && rc != EBADF && rc != EINTR)
		return syscall_fail(err, rc, "close", "close");
	return 0;
}

int linx_tty_window_size(int fd, struct linx_winsize *ret,
			 struct linx_error *err)
{
	struct winsize w;

	if (!ret)
		return linx_error_param(err, "validate", "ret",
					"no place for the result");
	if (ioctl(fd, TIOCGWINSZ, &w) < 0)
		return syscall_fail(err, errno, "ioctl", "TIOCGWINSZ");
	*ret = (struct linx_winsize){ w.ws_row, w.ws_col, w.ws_xpixel,
				      w.ws_ypixel };
	return 0;
}

int linx_tty_set_nonblock(int fd, bool on, bool *was, struct linx_error *err)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return syscall_fail(err, errno, "fcntl", "F_GETFL");
	if (was)
		*was = fl & O_NONBLOCK;
	if (!!(fl & O_NONBLOCK) == on)
		return 0;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return syscall_fail(err, errno, "fcntl", "F_SETFL");
	return 0;
}

int linx_tty_set_window_size(int fd, const struct linx_winsize *ws,
			     struct linx_error *err)
{
	struct winsize w;

	if (!ws)
		return linx_error_param(err, "validate", "ws", "no size");
	w = (struct winsize){ ws->rows, ws->cols, ws->xpixel, ws->ypixel };
	if (ioctl(fd, TIOCSWINSZ, &w) < 0)
		return syscall_fail(err, errno, "ioctl", "TIOCSWINSZ");
	return 0;
}
