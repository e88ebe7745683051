/* SPDX-License-Identifier: MIT */
#include "proc-test.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct linx_agent *pt_agent(void)
{
	struct linx_agent *a = NULL;
	struct linx_error err;

	linx_assert_ok(linx_agent_start(&a, NULL, &err), &err);
	return a;
}

struct linx_process *pt_spawn_opts(struct linx_agent *a,
				   struct linx_spawn_options *o)
{
	struct linx_process *p = NULL;
	struct linx_error err;

	linx_assert_ok(linx_process_spawn(a, o, &p, &err), &err);
	return p;
}

struct linx_process *pt_spawn(struct linx_agent *a, uint32_t ns,
			      const char *const *argv)
{
	struct linx_spawn_options o = { .argv = argv, .namespaces = ns };

	return pt_spawn_opts(a, &o);
}

void pt_wait_stage(struct linx_process *p, unsigned stage)
{
	struct linx_error err;
	int r = linx_process_wait_stage(p, stage, EV_TIMEOUT_MS, &err);

	if (r < 0) {
		char buf[1024];

		linx_error_format(&err, buf, sizeof(buf));
		ck_abort_msg("waiting for %s: %s",
			     linx_process_stage_name(stage), buf);
	}
	if ((unsigned)r != stage) {
		struct linx_process_info info;
		char buf[1024] = "";

		linx_process_info(p, &info, NULL);
		if (info.has_result)
			linx_error_format(&info.result.error, buf, sizeof(buf));
		ck_abort_msg("wanted stage %s, reached %s (%s)",
			     linx_process_stage_name(stage),
			     linx_process_stage_name((unsigned)r), buf);
	}
}

void pt_next_event(struct linx_process *p, struct linx_process_event *ev)
{
	struct linx_process_info info;
	struct linx_error err;
	time_t end = time(NULL) + EV_TIMEOUT_MS / 1000;

	linx_process_info(p, &info, NULL);
	while (!linx_process_event_next(p, ev)) {
		ck_assert_msg(time(NULL) < end, "no event within the bound");
		/* The agent pointer is private; dispatch through a wait on
		 * a stage we never reach before the terminal one. */
		if (linx_process_wait_stage(p, LINX_PROCESS_EXITED, 100, &err) <
			    0 &&
		    err.code != ETIMEDOUT)
			ck_abort_msg("dispatch failed: %s", err.message);
	}
}

void pt_expect(struct linx_process *p, unsigned type)
{
	struct linx_process_event ev;

	pt_next_event(p, &ev);
	ck_assert_msg(ev.type == type, "expected event %u, got %u (%s: %s)",
		      type, ev.type, ev.error.op, ev.error.message);
	linx_process_event_clear(&ev);
}

struct linx_process_result pt_result(struct linx_process *p)
{
	struct linx_process_result res;
	struct linx_error err;

	linx_assert_ok(linx_process_wait(p, EV_TIMEOUT_MS, &res, &err), &err);
	return res;
}

char *pt_pty_until(struct linx_process *p, const char *needle)
{
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	time_t end = time(NULL) + EV_TIMEOUT_MS / 1000;

	ck_assert(out);
	out[0] = '\0';
	while (!strstr(out, needle)) {
		struct linx_process_event ev;
		struct linx_error err;

		if (!linx_process_event_next(p, &ev)) {
			struct linx_process_info info;

			linx_process_info(p, &info, NULL);
			if (linx_process_stage_terminal(info.stage))
				break;
			ck_assert_msg(time(NULL) < end,
				      "no \"%s\" in PTY output \"%s\"", needle,
				      out);
			linx_process_wait_stage(p, LINX_PROCESS_EXITED, 100,
						&err);
			continue;
		}
		if (ev.type == LINX_PROCESS_EV_PTY_OUT) {
			while (cap - len <= ev.len) {
				cap *= 2;
				out = realloc(out, cap);
				ck_assert(out);
			}
			memcpy(out + len, ev.data, ev.len);
			len += ev.len;
			out[len] = '\0';
		}
		linx_process_event_clear(&ev);
	}
	return out;
}

bool pt_pid_gone(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	char state = 0;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f)) {
		char *rp = strrchr(buf, ')');

		if (rp && rp[1] == ' ')
			state = rp[2];
	}
	fclose(f);
	return state == 'Z' || state == 'X';
}

bool pt_wait_gone(pid_t pid)
{
	for (int i = 0; i < 2000; i++) {
		if (pt_pid_gone(pid))
			return true;
		usleep(10000);
	}
	return false;
}

unsigned long pt_ns_ino(pid_t pid, const char *kind)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kind);
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

int pt_count_fds_of(pid_t pid)
{
	char path[64];
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2;
}

bool pt_wait_asleep(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (int i = 0; i < EV_TIMEOUT_MS / 10; i++) {
		FILE *f = fopen(path, "re");
		long now = -2;
		int got = f ? fscanf(f, "%ld", &now) : 0;

		if (f)
			fclose(f);
		if (!f)
			return false; /* gone */
		if (got == 1 &&
		    (now == SYS_clock_nanosleep || now == SYS_nanosleep))
			return true;
		usleep(10000);
	}
	return false;
}

const char *pt_describe_fds(pid_t pid, char *buf, size_t len)
{
	char path[320], target[256];
	struct dirent *de;
	size_t at = 0;
	DIR *d;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return buf;
	while ((de = readdir(d)) && at < len) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
			 de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		at += (size_t)snprintf(buf + at, len - at, "%s%s->%s",
				       at ? " " : "", de->d_name, target);
	}
	closedir(d);
	return buf;
}

int pt_count_children(pid_t pid)
{
	char path[96], buf[8192];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		for (char *t = strtok(buf, " \n"); t; t = strtok(NULL, " \n"))
			n++;
	fclose(f);
	return n;
}
