/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint protocol's vocabulary (docs/process/protocol.md): every
 * map key, request op, event name and parked-child frame type, spelled
 * once.  core/process.c (the host side) and agent/ (the agent and its
 * parked children) both include this header, so the two ends cannot
 * drift apart.  Each X(NAME, "text") entry defines `LINX_WK_NAME`,
 * `LINX_WO_NAME`, `LINX_WE_NAME` or `LINX_WT_NAME`, a string constant.
 *
 * Internal: not installed, no ABI.
 */
#ifndef LINX_CORE_WIRE_H
#define LINX_CORE_WIRE_H

/* Map keys of requests, events and child frames. */
#define LINX_WIRE_KEYS(X)                                                      \
	X(OP, "op")                                                            \
	X(ID, "id")                                                            \
	X(EV, "ev")                                                            \
	X(T, "t")                                                              \
	X(REF, "ref")                                                          \
	X(VERB, "verb")                                                        \
	X(PLAN, "plan")                                                        \
	X(ARGS, "args")                                                        \
	X(VALUE, "value")                                                      \
	X(DATA, "data")                                                        \
	X(SIGNUM, "signum")                                                    \
	X(CODE, "code")                                                        \
	X(HOST_PID, "host_pid")                                                \
	X(CHILD_PID, "child_pid")                                              \
	X(PID, "pid")                                                          \
	X(VERSION, "version")                                                  \
	X(TARGET, "target")                                                    \
	X(REASON, "reason")                                                    \
	X(ARGV, "argv")                                                        \
	X(ENV, "env")                                                          \
	X(CWD, "cwd")                                                          \
	X(NAMESPACES, "namespaces")                                            \
	X(STDIO, "stdio")                                                      \
	X(WINSIZE, "winsize")                                                  \
	X(ROWS, "rows")                                                        \
	X(COLS, "cols")                                                        \
	X(XPIXEL, "xpixel")                                                    \
	X(YPIXEL, "ypixel")                                                    \
	X(NO_NEW_PRIVS, "no_new_privs")                                        \
	X(LINGER, "linger")                                                    \
	X(AUTO_PROCEED, "auto_proceed")                                        \
	X(KILL_GRACE_MS, "kill_grace_ms")                                      \
	X(STDIN, "stdin")                                                      \
	X(STDOUT, "stdout")                                                    \
	X(STDERR, "stderr")                                                    \
	X(CONNECT_UNIX, "connect_unix")                                        \
	X(AT_EXEC, "at_exec")                                                  \
	X(ERRNO, "errno")                                                      \
	X(ERRNO_NAME, "errno_name")                                            \
	X(STAGE, "stage")                                                      \
	X(MESSAGE, "message")                                                  \
	X(PARAM, "param")                                                      \
	X(OBJECT, "object")                                                    \
	X(EXTACK, "extack")                                                    \
	X(EXTACK_OFFSET, "extack_offset")

/* Values of `stdio` and of its stdin/stdout/stderr entries. */
#define LINX_WIRE_STDIO(X)                                                     \
	X(INHERIT, "inherit")                                                  \
	X(DEVNULL, "devnull")                                                  \
	X(PTY, "pty")

/* Request ops (host -> agent). */
#define LINX_WIRE_OPS(X)                                                       \
	X(SPAWN, "spawn")                                                      \
	X(ENTER, "enter")                                                      \
	X(PROCEED, "proceed")                                                  \
	X(ABORT, "abort")                                                      \
	X(KILL, "kill")                                                        \
	X(SIGNAL, "signal")                                                    \
	X(CALL, "call")                                                        \
	X(SETUP, "setup")                                                      \
	X(PTY_WRITE, "pty_write")                                              \
	X(WINSIZE, "winsize")

/* Event names (agent -> host). */
#define LINX_WIRE_EVENTS(X)                                                    \
	X(HELLO, "hello")                                                      \
	X(SPAWNED, "spawned")                                                  \
	X(READY, "ready")                                                      \
	X(RUNNING, "running")                                                  \
	X(EXITED, "exited")                                                    \
	X(SIGNALED, "signaled")                                                \
	X(ABORTED, "aborted")                                                  \
	X(ERROR, "error")                                                      \
	X(RESULT, "result")                                                    \
	X(REJECT, "reject")                                                    \
	X(PTY_OUT, "pty_out")

/* Frame types between the agent and a parked child (key `t`). */
#define LINX_WIRE_CHILD(X)                                                     \
	X(READY, "ready")                                                      \
	X(PID, "pid")                                                          \
	X(CALL, "call")                                                        \
	X(RESULT, "result")                                                    \
	X(ERROR, "error")

#define LINX_WIRE_DEFINE_(prefix, name, text)                                  \
	static const char prefix##name[] = text;
#define LINX_WIRE_WK_(name, text) LINX_WIRE_DEFINE_(LINX_WK_, name, text)
#define LINX_WIRE_WS_(name, text) LINX_WIRE_DEFINE_(LINX_WS_, name, text)
#define LINX_WIRE_WO_(name, text) LINX_WIRE_DEFINE_(LINX_WO_, name, text)
#define LINX_WIRE_WE_(name, text) LINX_WIRE_DEFINE_(LINX_WE_, name, text)
#define LINX_WIRE_WT_(name, text) LINX_WIRE_DEFINE_(LINX_WT_, name, text)
LINX_WIRE_KEYS(LINX_WIRE_WK_)
LINX_WIRE_STDIO(LINX_WIRE_WS_)
LINX_WIRE_OPS(LINX_WIRE_WO_)
LINX_WIRE_EVENTS(LINX_WIRE_WE_)
LINX_WIRE_CHILD(LINX_WIRE_WT_)

#endif
