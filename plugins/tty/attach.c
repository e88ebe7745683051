/* SPDX-License-Identifier: MIT */
/*
 * The attach loop: a terminal connected to a PTY workload both ways, the
 * docker attach of the C API (linx/tty.h).  One poll(2) over the agent's
 * channel, the input and the SIGWINCH pipe; output is PTY_OUT events.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "tty-attach.h"

#define INPUT_CHUNK 4096

struct attach {
	struct linx_agent *agent;
	struct linx_process *proc;
	uint32_t flags;
	int in, out;
	int term;	  /* the terminal whose size we follow, or -1 */
	bool opened;	  /* `in` is /dev/tty, ours to restore and close */
	bool made_raw;	  /* the caller's `in`, ours to restore */
	struct linx_tty_saved saved;
	bool following;	  /* SIGWINCH registered */
	struct tty_winch winch;
	struct tty_keys keys;
	bool in_open, out_ok;
};

void linx_tty_attach_opts_init(struct linx_tty_attach_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->input_fd = -1;
	o->output_fd = -1;
	o->detach_keys = LINX_TTY_DETACH_KEYS_DEFAULT;
	o->detach_keys_len = sizeof(LINX_TTY_DETACH_KEYS_DEFAULT) - 1;
}

/* write(2) all of it; a non-blocking output is waited for. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The workload's output queued so far, to the output.  A failing output
 * (the terminal went away) is given up; the loop still waits for the
 * end. */
static void relay_output(struct attach *a)
{
	struct linx_process_event ev;

	while (linx_process_event_next(a->proc, &ev) == 1) {
		if (ev.type == LINX_PROCESS_EV_PTY_OUT && ev.len && a->out_ok &&
		    write_all(a->out, ev.data, ev.len) < 0)
			a->out_ok = false;
		linx_process_event_clear(&ev);
	}
}

/* Our terminal's size to the workload.  Best effort: it may be ending. */
static void push_size(struct attach *a)
{
	struct linx_winsize ws;

	if (a->term >= 0 && linx_tty_window_size(a->term, &ws, NULL) == 0)
		linx_process_pty_set_winsize(a->proc, &ws, NULL);
}

static void send_input(struct attach *a, const uint8_t *buf, size_t n)
{
	if (n && linx_process_pty_write(a->proc, buf, n, NULL) < 0)
		a->in_open = false; /* ending; the loop will see it */
}

/* One read of the input.  Returns true when the detach keys completed. */
static bool take_input(struct attach *a)
{
	uint8_t buf[INPUT_CHUNK], out[INPUT_CHUNK + LINX_TTY_DETACH_KEYS_MAX];
	ssize_t n = read(a->in, buf, sizeof(buf));
	size_t o;
	bool detach;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0) {
		/* EOF (or a hung-up terminal, EIO): what was held back is
		 * input after all. */
		send_input(a, out, tty_keys_flush(&a->keys, out));
		a->in_open = false;
		return false;
	}
	detach = tty_keys_feed(&a->keys, buf, (size_t)n, out, &o);
	send_input(a, out, o);
	return detach;
}

static void set_result(struct linx_tty_attach_result *ret,
		       const struct linx_process_result *res)
{
	memset(ret, 0, sizeof(*ret));
	ret->process = *res;
	ret->value = res->value;
	switch (res->stage) {
	case LINX_PROCESS_EXITED: ret->how = LINX_TTY_ATTACH_EXITED; break;
	case LINX_PROCESS_SIGNALED: ret->how = LINX_TTY_ATTACH_SIGNALED; break;
	default: ret->how = LINX_TTY_ATTACH_FAILED; break;
	}
}

static int pump(struct attach *a, struct linx_tty_attach_result *ret,
		struct linx_error *err)
{
	struct linx_process_result res;

	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = linx_agent_fd(a->agent), .events = POLLIN },
			{ .fd = a->in_open ? a->in : -1, .events = POLLIN },
			{ .fd = a->following ? a->winch.rfd : -1,
			  .events = POLLIN },
		};
		int r;

		/* wait() reads the channel too: whatever it queued (output,
		 * and perhaps the end) is relayed now, before poll(2) - the
		 * socket it drained will not wake us for it again. */
		bool ended = linx_process_wait(a->proc, 0, &res, NULL) == 0;

		relay_output(a);
		if (ended) {
			set_result(ret, &res);
			return 0;
		}
		if (poll(pfd, 3, -1) < 0) {
			if (errno != EINTR)
				return linx_error_set(err, errno, "poll",
						      "poll: %s",
						      linx_strerror(errno));
			pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		}
		if (a->following && tty_winch_take(&a->winch))
			push_size(a);
		if (pfd[1].revents && take_input(a)) {
			memset(ret, 0, sizeof(*ret));
			ret->how = LINX_TTY_ATTACH_DETACHED;
			return 0;
		}
		if (pfd[0].revents &&
		    (r = linx_agent_dispatch(a->agent, 0, err)) < 0 &&
		    linx_process_wait(a->proc, 0, &res, NULL) < 0)
			return r; /* the agent is gone and took no result */
	}
}

/* Refusals before anything is touched. */
static int check(struct linx_agent *agent, struct linx_process *proc,
		 const struct linx_tty_attach_opts *o, struct linx_error *err)
{
	struct linx_process_info info;
	int r;

	if (!agent || !proc)
		return linx_error_param(err, "validate", agent ? "proc" : "agent",
					"no session");
	if (o->input_fd < -1 || o->output_fd < -1)
		return linx_error_param(err, "validate",
					o->input_fd < -1 ? "input_fd"
							 : "output_fd",
					"a descriptor, or -1");
	if (o->detach_keys_len > LINX_TTY_DETACH_KEYS_MAX && o->detach_keys)
		return linx_error_param(err, "validate", "detach_keys",
					"at most %d bytes",
					LINX_TTY_DETACH_KEYS_MAX);
	r = linx_process_info(proc, &info, err);
	if (r < 0)
		return r;
	if (linx_process_stage_terminal(info.stage))
		return linx_error_set(err, ESRCH, "no_process",
				      "the session has ended (%s)",
				      linx_process_stage_name(info.stage));
	if (!info.pty)
		return linx_error_set(err, ENOTTY, "no_pty",
				      "the session has no PTY (spawn it with "
				      "pty)");
	return 0;
}

/* The terminal side: /dev/tty opened raw, or the caller's descriptors. */
static int open_terminal(struct attach *a, const struct linx_tty_attach_opts *o,
			 struct linx_error *err)
{
	int r;

	if (o->input_fd < 0) {
		r = linx_tty_open_raw(&a->in, &a->saved, err);
		if (r < 0)
			return r;
		a->opened = true;
	} else {
		a->in = o->input_fd;
		if ((o->flags & LINX_TTY_ATTACH_RAW) && isatty(a->in)) {
			r = linx_tty_make_raw(a->in, &a->saved, err);
			if (r < 0)
				return r;
			a->made_raw = true;
		}
	}
	a->out = o->output_fd >= 0 ? o->output_fd : a->in;
	if (a->opened || isatty(a->in))
		a->term = a->in;
	else if (isatty(a->out))
		a->term = a->out;
	return 0;
}

static int close_terminal(struct attach *a, struct linx_error *err)
{
	if (a->opened)
		return linx_tty_restore_close(a->in, &a->saved, err);
	if (a->made_raw)
		return linx_tty_restore(a->in, &a->saved, err);
	return 0;
}

int linx_tty_attach(struct linx_agent *agent, struct linx_process *proc,
		    const struct linx_tty_attach_opts *opts,
		    struct linx_tty_attach_result *ret,
		    struct linx_error *err)
{
	struct linx_tty_attach_opts defaults;
	struct attach a = { .agent = agent, .proc = proc, .in = -1,
			    .out = -1, .term = -1, .in_open = true,
			    .out_ok = true };
	struct linx_error cerr;
	int r, rc;

	if (!opts) {
		linx_tty_attach_opts_init(&defaults);
		opts = &defaults;
	}
	if (!ret)
		return linx_error_param(err, "validate", "ret",
					"no place for the result");
	r = check(agent, proc, opts, err);
	if (r == 0)
		r = tty_keys_init(&a.keys, opts->detach_keys,
				  opts->detach_keys_len, err);
	if (r < 0)
		return r;
	a.flags = opts->flags;
	r = open_terminal(&a, opts, err);
	if (r < 0)
		return r;
	if (a.term >= 0 && !(a.flags & LINX_TTY_ATTACH_NO_WINCH)) {
		r = tty_winch_register(&a.winch, err);
		a.following = r == 0;
		/* Seed: the workload starts at our size (after registering,
		 * so a resize in between is not lost). */
		if (r == 0)
			push_size(&a);
	}
	if (r == 0)
		r = pump(&a, ret, err);
	if (a.following)
		tty_winch_unregister(&a.winch);
	/* The terminal is restored whatever happened; a failure to do so
	 * is reported only if nothing else was (*ret stays filled in). */
	rc = close_terminal(&a, &cerr);
	if (rc < 0 && r == 0) {
		if (err)
			*err = cerr;
		r = rc;
	}
	return r;
}
