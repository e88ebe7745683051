/* SPDX-License-Identifier: MIT */
/*
 * linx/tty.h - the terminal layer: the controlling terminal in raw mode,
 * termios saved and restored, window sizes, and the attach loop that
 * connects a terminal to a PTY workload (linx/process.h) both ways.
 *
 * /dev/tty, not fd 0.  linx_tty_open_raw() opens the caller's controlling
 * terminal by its name, as vi and less do, so it reaches the terminal even
 * when stdio is redirected (or mediated, as the Erlang VM's is).  A process
 * without a controlling terminal (after setsid(2), under most CI runners)
 * gets ENXIO from open(2) - tty(4).
 *
 * Errors.  Every function returns >= 0 on success or a negative errno, and
 * fills `err` (which may be NULL) on failure.  err->op is the syscall stage
 * that failed - "open", "tcgetattr", "tcsetattr", "ioctl", "close" (the
 * spec's Linx.Tty.Error operation) - or, for the attach loop, a lifecycle
 * condition: "no_process" (ESRCH, the session has ended), "no_pty"
 * (ENOTTY, the session has no PTY), "poll", "signal" (setting up the
 * SIGWINCH relay), "pipe", or the stage the process API reported.  A
 * refused argument has op "validate" and err->param set ("fd", "rows",
 * "saved", "detach_keys", ...).
 *
 * File descriptors are plain ints and stay the caller's: the functions
 * here never close a descriptor they did not open, except
 * linx_tty_restore_close(), whose job it is.
 */
#ifndef LINX_TTY_H
#define LINX_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/process.h>

LINX_BEGIN_DECLS

/* ---- saved terminal state ------------------------------------------------ */

#define LINX_TTY_SAVED_MAGIC 0x6c747479u /* "ltty" */

/*
 * What a switch to raw mode saved: the termios to put back, and the
 * identity of the open file it was read from, so that a restore through
 * a descriptor number that has since been closed and reused for another
 * file leaves that file alone.  Treat it as opaque; the tty.open_raw verb
 * hands its bytes out verbatim and tty.restore takes them back.
 */
struct linx_tty_saved {
	uint32_t magic; /* LINX_TTY_SAVED_MAGIC when filled in */
	uint32_t reserved;
	uint64_t dev, ino, rdev; /* fstat(2) of the descriptor */
	struct termios termios;
};

/*
 * Open the controlling terminal (/dev/tty, O_RDWR | O_CLOEXEC |
 * O_NOCTTY), save its termios into *ret_saved and switch it to raw mode
 * (cfmakeraw(3), applied with TCSANOW).  On success *ret_fd is a new
 * descriptor owned by the caller: give it back to linx_tty_restore_close().
 * Errors: op "open" (ENXIO: no controlling terminal), "tcgetattr",
 * "tcsetattr"; nothing is left open or changed on failure.
 */
int linx_tty_open_raw(int *ret_fd, struct linx_tty_saved *ret_saved,
		      struct linx_error *err);

/*
 * The same on a terminal the caller already holds (fd stays the
 * caller's).  ENOTTY (op "tcgetattr") when fd is not a terminal.
 */
int linx_tty_make_raw(int fd, struct linx_tty_saved *ret_saved,
		      struct linx_error *err);

/*
 * Put `saved` back on fd (TCSADRAIN, so output already written is not
 * reinterpreted under the old settings).  Safe to repeat: a descriptor
 * that is closed (EBADF), or now names another file than the one `saved`
 * came from, is left alone and reported as success.  SIGTTOU is blocked
 * in the calling thread around the call, so a restore from a background
 * process group is not stopped by the kernel (termios(3), tty_ioctl(4)).
 * EINVAL (param "saved") for a struct that linx_tty_*_raw() did not fill.
 */
int linx_tty_restore(int fd, const struct linx_tty_saved *saved,
		     struct linx_error *err);

/*
 * linx_tty_restore(), then close(fd).  Idempotent: a second call, or one
 * on a descriptor already closed, returns 0 and touches nothing.  A
 * failing tcsetattr still closes fd (the error is reported, op
 * "tcsetattr").  EINTR from close is success (the descriptor is gone,
 * close(2)); other close errors are op "close".
 */
int linx_tty_restore_close(int fd, const struct linx_tty_saved *saved,
			   struct linx_error *err);

/* ---- window size ----------------------------------------------------------- */

/* TIOCGWINSZ on any terminal descriptor (tty_ioctl(4)).  Errors: op
 * "ioctl", ENOTTY for a descriptor that is not a terminal, EBADF. */
int linx_tty_window_size(int fd, struct linx_winsize *ret,
			 struct linx_error *err);

/* TIOCSWINSZ: the kernel sends SIGWINCH to the terminal's foreground
 * process group when the size changes.  Errors as above. */
int linx_tty_set_window_size(int fd, const struct linx_winsize *ws,
			     struct linx_error *err);

/* ---- blocking mode ------------------------------------------------------------ */

/*
 * Set or clear O_NONBLOCK on a descriptor's open file description
 * (fcntl(2) F_SETFL) and report whether it was set before in *was (may be
 * NULL).  The flag belongs to the description, so every process sharing
 * it sees the change: set it for as short a time as the caller can, and
 * put back what *was says.  Exists for a front-end that shares its
 * terminal with a runtime reading it (the Elixir binding's attach on OTP
 * 26 and later).  Errors: op "fcntl", EBADF.
 */
int linx_tty_set_nonblock(int fd, bool on, bool *was, struct linx_error *err);

/* ---- detach keys ------------------------------------------------------------ */

/* Longest detach sequence accepted, in bytes. */
#define LINX_TTY_DETACH_KEYS_MAX 16
/* Ctrl-P Ctrl-Q, docker's default. */
#define LINX_TTY_DETACH_KEYS_DEFAULT "\x10\x11"

/*
 * Parse a detach sequence as docker spells it: comma-separated keys, each
 * a single character or "ctrl-X" with X one of a-z, @, [, \, ], ^, _
 * ("ctrl-p,ctrl-q" is 16, 17; "ctrl-a,d" is 1, 'd').  The empty string
 * gives an empty sequence (detaching disabled).  Writes at most `cap`
 * bytes to `buf` and their number to *ret_len.  EINVAL (param
 * "detach_keys") naming the key that does not parse; E2BIG past `cap`.
 */
int linx_tty_detach_keys_parse(const char *text, uint8_t *buf, size_t cap,
			       size_t *ret_len, struct linx_error *err);

/* ---- attach ------------------------------------------------------------------ */

enum linx_tty_attach_flags {
	/* With a caller's input_fd that is a terminal: switch it to raw
	 * mode for the attach and restore it on the way out.  (The
	 * terminal attach opens itself is always raw.) */
	LINX_TTY_ATTACH_RAW = 1u << 0,
	/* Do not follow SIGWINCH (nor seed the size at entry). */
	LINX_TTY_ATTACH_NO_WINCH = 1u << 1,
};

struct linx_tty_attach_opts {
	/* Where keystrokes come from.  -1: open the controlling terminal
	 * raw (linx_tty_open_raw()), use it for output too, and restore and
	 * close it on the way out.  Otherwise a descriptor the caller owns
	 * (a pipe, a socket, a terminal), read until EOF. */
	int input_fd;
	/* Where the workload's output goes; -1: the input descriptor.  Must
	 * accept writes; written with write(2) (a closed pipe raises
	 * SIGPIPE as any write does). */
	int output_fd;
	uint32_t flags; /* enum linx_tty_attach_flags */
	uint32_t reserved;
	/* The detach sequence, matched byte for byte across reads; NULL or
	 * length 0 disables detaching.  At most LINX_TTY_DETACH_KEYS_MAX. */
	const void *detach_keys;
	size_t detach_keys_len;
	uint64_t reserved2[4];
};

/* Defaults: the controlling terminal, Ctrl-P Ctrl-Q, SIGWINCH followed. */
void linx_tty_attach_opts_init(struct linx_tty_attach_opts *opts);

enum linx_tty_attach_how {
	LINX_TTY_ATTACH_EXITED = 1, /* value: the exit code */
	LINX_TTY_ATTACH_SIGNALED,   /* value: the signal number */
	LINX_TTY_ATTACH_DETACHED,   /* the detach keys: the workload runs on */
	/* The session ended without an exit status: aborted at the
	 * checkpoint, a pre-exec failure (execve), or the agent died.
	 * result->process has the stage and the error. */
	LINX_TTY_ATTACH_FAILED,
};

struct linx_tty_attach_result {
	uint32_t how; /* enum linx_tty_attach_how */
	int32_t value;
	/* How the session ended (not for DETACHED). */
	struct linx_process_result process;
};

/*
 * Connect a terminal to the PTY of session `proc` (spawned with pty =
 * true, on `agent`) until the workload ends or the detach keys are typed:
 *
 *   - bytes read from the input go to linx_process_pty_write(), except a
 *     detach sequence.  A byte that could begin the sequence is held back
 *     until the next one decides: completed, the attach ends (the bytes
 *     of the sequence, and whatever followed them in the same read, are
 *     dropped); not completed, the held bytes are written ahead of the
 *     new one.  At EOF on the input the held bytes are written and
 *     reading stops (output is still relayed);
 *   - PTY_OUT events are written to the output;
 *   - with a terminal to follow (the opened /dev/tty, else input_fd or
 *     output_fd when one is a terminal): its size is pushed to the
 *     workload at entry and on every SIGWINCH.  For that, attach installs
 *     a SIGWINCH handler which passes each signal on to the handler that
 *     was there before (if any), and unblocks SIGWINCH in the calling
 *     thread; both the disposition and the thread's mask are put back on
 *     every way out.  Several attaches may run at once on different
 *     threads.
 *
 * Other sessions of the agent keep getting their events routed (attach
 * calls linx_agent_dispatch()); only this session's queue is consumed.
 * The terminal is restored on every way out, errors included.
 *
 * Returns 0 with *ret filled: EXITED, SIGNALED, FAILED (the session is
 * over; linx_process_wait() gives the same result) or DETACHED (the
 * session goes on and may be attached again).  Refusals, before anything
 * is touched: ESRCH op "no_process" for a session that has ended, ENOTTY
 * op "no_pty" for one without a PTY, EINVAL for bad options.  Other
 * errors: the terminal's ("open", "tcgetattr", ...), "signal", "poll",
 * or the agent's (ENOTCONN ... from linx_agent_dispatch()).
 */
int linx_tty_attach(struct linx_agent *agent, struct linx_process *proc,
		    const struct linx_tty_attach_opts *opts,
		    struct linx_tty_attach_result *ret,
		    struct linx_error *err);

/* ---- the plugin ---------------------------------------------------------------- */

struct linx_plugin;
/* The plugin's descriptor, for linx_registry_add_static().  Verbs:
 * tty.open_raw, tty.restore, tty.window_size, tty.set_window_size (see
 * docs/tty/README.md).  The attach loop is C API only: the loadable
 * module reaches the core through the host table, which has no process
 * calls. */
extern const struct linx_plugin linx_plugin_tty;

LINX_END_DECLS

#endif /* LINX_TTY_H */
