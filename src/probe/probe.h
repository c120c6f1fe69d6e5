/* SPDX-License-Identifier: MIT */
/* The subcommands of memscope-probe and the small helpers they share. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int ms_cmd_snapshot (int argc, char **argv);
int ms_cmd_record (int argc, char **argv);
int ms_cmd_replay (int argc, char **argv);
int ms_cmd_blame (int argc, char **argv);
int ms_cmd_bench (int argc, char **argv);
int ms_cmd_stream (int argc, char **argv);
int ms_cmd_serve (int argc, char **argv);

/* Parses a whole string as a finite number; false (and a message on stderr naming `what`) else. */
bool ms_probe_parse_double (const char *what, const char *text, double *out);
bool ms_probe_parse_count (const char *what, const char *text, long *out);

/* Formats a size in KiB in binary units ("512 KiB", "1.5 MiB", "3.2 GiB") into buf; returns buf. */
const char *ms_probe_size (int64_t kib, char *buf, size_t len);

/* Writes a process name for a terminal: control bytes and bytes that are not UTF-8 as \xNN, so a
 * hostile name cannot move the cursor.  With width > 0, cut or padded to that many characters so
 * the columns after it stay aligned. */
void ms_probe_print_name (const char *comm, int width);

/* Seconds on the monotonic clock and on the wall clock. */
double ms_probe_monotonic_s (void);
double ms_probe_realtime_s (void);

/* Set by ms_probe_catch_stop's handler: SIGINT or SIGTERM arrived. */
extern volatile sig_atomic_t ms_probe_stop_requested;

/* The signal dispositions a command had before ms_probe_catch_stop. */
typedef struct
{
  struct sigaction int_action, term_action, pipe_action;
} ms_probe_signals_t;

/* Clears ms_probe_stop_requested and sets it on SIGINT or SIGTERM (without SA_RESTART, so a
 * sleep or a blocking call returns at once); ignores SIGPIPE, so a closed pipe is a write error
 * to report, not a silent death.  ms_probe_restore_signals puts back what was there. */
void ms_probe_catch_stop (ms_probe_signals_t *saved);
void ms_probe_restore_signals (const ms_probe_signals_t *saved);

/* The next tick on the grid start_s + k * interval_s after tick *slot (advanced in place); a
 * tick that overran skips the slots already past.  Returns that tick's monotonic time. */
double ms_probe_next_tick (double start_s, double interval_s, long *slot);

/* Sleeps until the monotonic clock reads when_s; returns early once ms_probe_stop_requested is
 * set (the signal interrupts the sleep). */
void ms_probe_sleep_until (double when_s);

/* Prints "memscope-probe CMD: MESSAGE" to stderr. */
void ms_probe_error (const char *cmd, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
