/* SPDX-License-Identifier: MIT */
/*
 * The terminal primitives (linx/tty.h) and their verbs, on pseudo-terminals
 * the test makes: raw mode bits set and put back exactly, restore twice,
 * restore through a descriptor number reused by another file, /dev/tty
 * without a controlling terminal (ENXIO), window sizes read and set on
 * either side.  The verbs run statically registered and from the module.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linx/tty.h>

#include "linx-test.h"
#include "tty-test.h"

#ifndef TTY_MODULE
#error TTY_MODULE must name the built tty.so
#endif

static int sync_in[2], sync_out[2];

static void say(int fd) { (void)!write(fd, "x", 1); }
static void hear(int fd)
{
	char c;

	(void)!read(fd, &c, 1);
}

START_TEST(make_raw_and_restore_on_a_slave)
{
	struct test_pty t;
	struct linx_tty_saved saved;
	struct linx_error err;
	struct termios before, during, after;
	int slave, other;

	tp_open(&t);
	slave = open(t.slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(slave, 0);
	before = tp_termios(&t);
	ck_assert(!tp_is_raw(&before));
	linx_assert_ok(linx_tty_make_raw(slave, &saved, &err), &err);
	during = tp_termios(&t);
	ck_assert(tp_is_raw(&during));
	linx_assert_ok(linx_tty_restore(slave, &saved, &err), &err);
	after = tp_termios(&t);
	ck_assert(tp_termios_equal(&before, &after));
	/* Again, then restore-and-close twice. */
	linx_assert_ok(linx_tty_restore(slave, &saved, &err), &err);
	linx_assert_ok(linx_tty_make_raw(slave, &saved, &err), &err);
	linx_assert_ok(linx_tty_restore_close(slave, &saved, &err), &err);
	ck_assert_int_eq(fcntl(slave, F_GETFD), -1);
	linx_assert_ok(linx_tty_restore_close(slave, &saved, &err), &err);
	after = tp_termios(&t);
	ck_assert(tp_termios_equal(&before, &after));
	/* The number reused by another file: left alone. */
	other = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_eq(other, slave);
	linx_assert_ok(linx_tty_restore_close(other, &saved, &err), &err);
	ck_assert_int_ge(fcntl(other, F_GETFD), 0);
	close(other);
	/* Not a terminal; not a saved state. */
	ck_assert_int_eq(linx_tty_make_raw(0, NULL, &err),
			 -EINVAL);
	other = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_eq(linx_tty_make_raw(other, &saved, &err), -ENOTTY);
	ck_assert_str_eq(err.op, "tcgetattr");
	memset(&saved, 0, sizeof(saved));
	ck_assert_int_eq(linx_tty_restore(other, &saved, &err), -EINVAL);
	ck_assert_str_eq(err.param, "saved");
	close(other);
	close(t.master);
}
END_TEST

/* In the child: /dev/tty raw, tell the parent, wait, restore twice. */
static int open_raw_child(void *arg)
{
	struct linx_tty_saved saved;
	struct linx_error err;
	int fd;

	(void)arg;
	if (linx_tty_open_raw(&fd, &saved, &err) < 0)
		return 1;
	say(sync_out[1]);
	hear(sync_in[0]);
	if (linx_tty_restore_close(fd, &saved, &err) < 0 ||
	    linx_tty_restore_close(fd, &saved, &err) < 0)
		return 2;
	return 0;
}

START_TEST(open_raw_is_the_controlling_terminal)
{
	struct test_pty t;
	struct termios before, during, after;
	pid_t pid;

	tp_open(&t);
	ck_assert(pipe2(sync_in, O_CLOEXEC) == 0 &&
		  pipe2(sync_out, O_CLOEXEC) == 0);
	before = tp_termios(&t);
	pid = tp_fork_ctty(&t, open_raw_child, NULL);
	hear(sync_out[0]);
	during = tp_termios(&t);
	ck_assert(tp_is_raw(&during));
	say(sync_in[1]);
	ck_assert_int_eq(tp_wait_child(pid), 0);
	after = tp_termios(&t);
	ck_assert(tp_termios_equal(&before, &after));
}
END_TEST

static int enxio_child(void *arg)
{
	struct linx_tty_saved saved;
	struct linx_error err;
	int fd = -1;

	(void)arg;
	if (setsid() < 0)
		return 10;
	if (linx_tty_open_raw(&fd, &saved, &err) != -ENXIO)
		return 11;
	if (strcmp(err.op, "open") != 0 || err.code != ENXIO || fd != -1)
		return 12;
	return 0;
}

START_TEST(no_controlling_terminal_is_enxio)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(enxio_child(NULL));
	ck_assert_int_eq(tp_wait_child(pid), 0);
}
END_TEST

START_TEST(window_sizes)
{
	struct test_pty t;
	struct linx_winsize ws, set = { 50, 132, 640, 480 };
	struct linx_error err;
	struct winsize w;
	int slave, fds[2];

	tp_open(&t);
	slave = open(t.slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	linx_assert_ok(linx_tty_window_size(slave, &ws, &err), &err);
	ck_assert(ws.rows == 24 && ws.cols == 80);
	linx_assert_ok(linx_tty_set_window_size(slave, &set, &err), &err);
	ck_assert(ioctl(t.master, TIOCGWINSZ, &w) == 0);
	ck_assert(w.ws_row == 50 && w.ws_col == 132 && w.ws_xpixel == 640 &&
		  w.ws_ypixel == 480);
	linx_assert_ok(linx_tty_window_size(t.master, &ws, &err), &err);
	ck_assert(ws.rows == 50 && ws.cols == 132);
	ck_assert(pipe2(fds, O_CLOEXEC) == 0);
	ck_assert_int_eq(linx_tty_window_size(fds[0], &ws, &err), -ENOTTY);
	ck_assert_str_eq(err.op, "ioctl");
	ck_assert_int_eq(linx_tty_set_window_size(fds[0], &set, &err),
			 -ENOTTY);
	close(fds[0]);
	ck_assert_int_eq(linx_tty_window_size(fds[0], &ws, &err), -EBADF);
	ck_assert_str_eq(err.op, "ioctl");
	close(fds[1]);
	close(slave);
	close(t.master);
}
END_TEST

/* O_NONBLOCK belongs to the open file description: a dup sees it, a
 * second open of the same terminal does not; the previous state comes
 * back each time, and a closed descriptor is EBADF. */
START_TEST(nonblock_on_the_description)
{
	struct test_pty t;
	struct linx_error err;
	int slave, dup_fd, other;
	bool was = true;

	tp_open(&t);
	slave = open(t.slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	other = open(t.slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	dup_fd = fcntl(slave, F_DUPFD_CLOEXEC, 0);
	ck_assert(slave >= 0 && other >= 0 && dup_fd >= 0);
	linx_assert_ok(linx_tty_set_nonblock(slave, true, &was, &err), &err);
	ck_assert(!was);
	ck_assert(fcntl(dup_fd, F_GETFL) & O_NONBLOCK);
	ck_assert(!(fcntl(other, F_GETFL) & O_NONBLOCK));
	linx_assert_ok(linx_tty_set_nonblock(dup_fd, true, &was, &err), &err);
	ck_assert(was);
	linx_assert_ok(linx_tty_set_nonblock(slave, false, NULL, &err), &err);
	ck_assert(!(fcntl(dup_fd, F_GETFL) & O_NONBLOCK));
	close(dup_fd);
	ck_assert_int_eq(linx_tty_set_nonblock(dup_fd, true, &was, &err),
			 -EBADF);
	ck_assert_str_eq(err.op, "fcntl");
	close(other);
	close(slave);
	close(t.master);
}
END_TEST

/* ---- the verbs ------------------------------------------------------------ */

static struct linx_registry *registry(bool module)
{
	static const struct linx_plugin *const plugins[] = { &linx_plugin_tty };
	struct linx_registry *reg;
	struct linx_error err;

	if (!module)
		return linx_test_registry(plugins, 1);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_load_file(reg, TTY_MODULE, &err), &err);
	return reg;
}

static int call(struct linx_registry *reg, const char *verb,
		struct linx_value *args, struct linx_value *ret,
		struct linx_error *err)
{
	int r;

	*ret = linx_value_nil();
	r = linx_call(reg, verb, args, ret, 0, err);
	linx_value_clear(args);
	return r;
}

static uint64_t get_u(const struct linx_value *m, const char *k)
{
	uint64_t u = 0;

	ck_assert(linx_value_get_u64(linx_map_get(m, k), &u));
	return u;
}

static void verbs_on_a_slave(struct linx_registry *reg)
{
	struct linx_value a, r;
	struct linx_error err;
	struct test_pty t;
	struct winsize w;
	int slave;

	tp_open(&t);
	slave = open(t.slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_assert_ok(call(reg, "tty.window_size", &a, &r, &err), &err);
	ck_assert(get_u(&r, "rows") == 24 && get_u(&r, "cols") == 80 &&
		  get_u(&r, "xpixel") == 0 && get_u(&r, "ypixel") == 0);
	linx_value_clear(&r);

	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_int(&a, "rows", 33);
	linx_map_put_int(&a, "cols", 99);
	linx_map_put_int(&a, "ypixel", 7);
	linx_assert_ok(call(reg, "tty.set_window_size", &a, &r, &err), &err);
	ck_assert(ioctl(t.master, TIOCGWINSZ, &w) == 0);
	ck_assert(w.ws_row == 33 && w.ws_col == 99 && w.ws_xpixel == 0 &&
		  w.ws_ypixel == 7);

	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_bool(&a, "on", true);
	linx_assert_ok(call(reg, "tty.set_nonblock", &a, &r, &err), &err);
	ck_assert(r.type == LINX_BOOL && !r.b);
	ck_assert(fcntl(slave, F_GETFL) & O_NONBLOCK);
	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_bool(&a, "on", false);
	linx_assert_ok(call(reg, "tty.set_nonblock", &a, &r, &err), &err);
	ck_assert(r.type == LINX_BOOL && r.b);
	ck_assert(!(fcntl(slave, F_GETFL) & O_NONBLOCK));

	/* Refusals name the field; nothing is truncated. */
	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_int(&a, "rows", 65536);
	linx_map_put_int(&a, "cols", 80);
	ck_assert_int_eq(call(reg, "tty.set_window_size", &a, &r, &err),
			 -ERANGE);
	ck_assert_str_eq(err.param, "rows");
	ck_assert(strstr(err.message, "bad_winsize"));
	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_int(&a, "rows", 1);
	linx_map_put_int(&a, "cols", -1);
	ck_assert_int_eq(call(reg, "tty.set_window_size", &a, &r, &err),
			 -ERANGE);
	ck_assert_str_eq(err.param, "cols");
	ck_assert(ioctl(t.master, TIOCGWINSZ, &w) == 0);
	ck_assert(w.ws_row == 33 && w.ws_col == 99);
	a = linx_value_map();
	linx_map_put_int(&a, "fd", -1);
	ck_assert_int_lt(call(reg, "tty.window_size", &a, &r, &err), 0);
	ck_assert_str_eq(err.param, "fd");
	a = linx_value_map();
	linx_map_put_uint(&a, "fd", (uint64_t)1 << 40);
	ck_assert_int_eq(call(reg, "tty.window_size", &a, &r, &err), -ERANGE);
	ck_assert_str_eq(err.param, "fd");
	a = linx_value_map();
	linx_map_put_int(&a, "fd", open("/dev/null", O_RDONLY | O_CLOEXEC));
	ck_assert_int_eq(call(reg, "tty.window_size", &a, &r, &err), -ENOTTY);
	ck_assert_str_eq(err.op, "ioctl");

	/* A blob that is not a saved state. */
	a = linx_value_map();
	linx_map_put_int(&a, "fd", slave);
	linx_map_put_bytes(&a, "saved", "abc", 3);
	ck_assert_int_eq(call(reg, "tty.restore", &a, &r, &err), -EINVAL);
	ck_assert_str_eq(err.param, "saved");

	a = linx_value_map();
	linx_map_put_cstring(&a, "keys", "ctrl-p,ctrl-q");
	linx_assert_ok(call(reg, "tty.detach_keys", &a, &r, &err), &err);
	ck_assert_int_eq(r.type, LINX_BYTES);
	ck_assert(r.len == 2 && r.bytes[0] == 16 && r.bytes[1] == 17);
	linx_value_clear(&r);
	a = linx_value_map();
	linx_map_put_cstring(&a, "keys", "ctrl-9");
	ck_assert_int_eq(call(reg, "tty.detach_keys", &a, &r, &err), -EINVAL);
	ck_assert_str_eq(err.param, "detach_keys");
	close(slave);
	close(t.master);
	linx_registry_free(reg);
}

START_TEST(verbs_static) { verbs_on_a_slave(registry(false)); }
END_TEST
START_TEST(verbs_module) { verbs_on_a_slave(registry(true)); }
END_TEST

/* open_raw, then restore twice, through the verbs, in a child whose
 * controlling terminal is the test's pty.  arg: use the module? */
static int verbs_open_child(void *arg)
{
	struct linx_registry *reg = registry(arg != NULL);
	struct linx_value a = linx_value_map(), r, fdv, blob;
	struct linx_error err;

	if (call(reg, "tty.open_raw", &a, &r, &err) < 0)
		return 1;
	if (linx_value_copy(&fdv, linx_map_get(&r, "fd")) < 0 ||
	    linx_value_copy(&blob, linx_map_get(&r, "saved")) < 0)
		return 2;
	say(sync_out[1]);
	hear(sync_in[0]);
	for (int i = 0; i < 2; i++) {
		struct linx_value b2;

		a = linx_value_map();
		linx_value_copy(&b2, &fdv);
		linx_map_put(&a, "fd", &b2);
		linx_value_copy(&b2, &blob);
		linx_map_put(&a, "saved", &b2);
		if (call(reg, "tty.restore", &a, &r, &err) < 0)
			return 3 + i;
	}
	/* Without a controlling terminal: ENXIO, op "open". */
	if (setsid() >= 0)
		return 6; /* we are a session leader: setsid must fail */
	return 0;
}

static void verbs_open_raw(bool module)
{
	struct test_pty t;
	struct termios before, during, after;
	pid_t pid;

	tp_open(&t);
	ck_assert(pipe2(sync_in, O_CLOEXEC) == 0 &&
		  pipe2(sync_out, O_CLOEXEC) == 0);
	before = tp_termios(&t);
	pid = tp_fork_ctty(&t, verbs_open_child, module ? (void *)1 : NULL);
	hear(sync_out[0]);
	during = tp_termios(&t);
	ck_assert(tp_is_raw(&during));
	say(sync_in[1]);
	ck_assert_int_eq(tp_wait_child(pid), 0);
	after = tp_termios(&t);
	ck_assert(tp_termios_equal(&before, &after));
}

START_TEST(verbs_open_raw_static) { verbs_open_raw(false); }
END_TEST
START_TEST(verbs_open_raw_module) { verbs_open_raw(true); }
END_TEST

static int verbs_enxio_child(void *arg)
{
	struct linx_registry *reg;
	struct linx_value a = linx_value_map(), r;
	struct linx_error err;

	if (setsid() < 0)
		return 10;
	reg = registry(arg != NULL);
	if (call(reg, "tty.open_raw", &a, &r, &err) != -ENXIO)
		return 11;
	return strcmp(err.op, "open") == 0 && r.type == LINX_NIL ? 0 : 12;
}

START_TEST(verbs_enxio)
{
	for (int module = 0; module < 2; module++) {
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(verbs_enxio_child(module ? (void *)1 : NULL));
		ck_assert_int_eq(tp_wait_child(pid), 0);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tty");
	TCase *tc = tcase_create("tty");

	tcase_add_test(tc, make_raw_and_restore_on_a_slave);
	tcase_add_test(tc, open_raw_is_the_controlling_terminal);
	tcase_add_test(tc, no_controlling_terminal_is_enxio);
	tcase_add_test(tc, window_sizes);
	tcase_add_test(tc, nonblock_on_the_description);
	tcase_add_test(tc, verbs_static);
	tcase_add_test(tc, verbs_module);
	tcase_add_test(tc, verbs_open_raw_static);
	tcase_add_test(tc, verbs_open_raw_module);
	tcase_add_test(tc, verbs_enxio);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
