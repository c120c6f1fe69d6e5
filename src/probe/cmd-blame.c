/* SPDX-License-Identifier: MIT */
/* memscope-probe blame: processes ranked by footprint growth between two times of a trace. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "blame.h"
#include "json.h"
#include "probe.h"
#include "trace.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe blame [--json] TRACE --from S --to S\n"
           "\n"
           "Ranks the processes of a trace by how much their footprint (RSS + swap) grew between\n"
           "two of its times, largest growth first and shrinkers last.  Each end of the window is\n"
           "the last sample taken at or before that time.  A process that started inside the\n"
           "window counts from 0, one that exited inside counts to 0.  When the trace has machine\n"
           "rows, the growth of used memory + used swap that no process explains (kernel, tmpfs,\n"
           "page cache) is given as unattributed.  TRACE may be - for standard input.\n"
           "\n"
           "Options:\n"
           "  --from S           start of the window, in the trace's time_s (seconds)\n"
           "  --to S             end of the window, later than --from\n"
           "  --json             one JSON object per process and line: pid, starttime, comm,\n"
           "                     start_kib, end_kib, delta_kib, started_inside, exited_inside;\n"
           "                     then {\"unattributed_kib\": N} when the trace has machine rows\n"
           "  -h, --help         show this help\n");
}

typedef struct
{
  ms_blame_t *blame;
} blame_ctx_t;

static int
on_sample (ms_snapshot_t *snap, void *user)
{
  blame_ctx_t *ctx = user;

  ms_blame_feed (ctx->blame, snap);
  /* A sample past --to cannot change the result: stop reading a long trace there. */
  return ms_blame_done (ctx->blame) ? 1 : 0;
}

static void
print_json (const ms_blame_result_t *res)
{
  for (size_t i = 0; i < res->n_rows; i++)
    {
      const ms_blame_row_t *row = &res->rows[i];

      printf ("{\"pid\":%" PRId32 ",\"starttime\":%" PRIu64 ",\"comm\":", row->pid, row->starttime);
      ms_json_string (stdout, row->comm);
      printf (",\"start_kib\":%" PRId64 ",\"end_kib\":%" PRId64 ",\"delta_kib\":%" PRId64
              ",\"started_inside\":%s,\"exited_inside\":%s}\n",
              row->start_kib, row->end_kib, row->delta_kib, row->started_inside ? "true" : "false",
              row->exited_inside ? "true" : "false");
    }
  if (res->has_machine)
    printf ("{\"unattributed_kib\":%" PRId64 "}\n", res->unattributed_kib);
}

static const char *
signed_size (int64_t kib, char *buf, size_t len)
{
  char tmp[32];

  ms_probe_size (kib, tmp, sizeof tmp);
  snprintf (buf, len, "%s%s", kib > 0 ? "+" : "", tmp);
  return buf;
}

static void
print_table (const ms_blame_result_t *res, double from_s, double to_s)
{
  char a[40], b[40], c[40], d[40];
  size_t empty = 0;

  printf ("Footprint growth from %.3f s to %.3f s (samples at %.3f s and %.3f s)\n\n", from_s, to_s,
          res->from_sample_s, res->to_sample_s);
  printf ("%7s  %-16s %11s %11s %12s  %s\n", "PID", "COMM", "START", "END", "GROWTH", "NOTE");
  for (size_t i = 0; i < res->n_rows; i++)
    {
      const ms_blame_row_t *row = &res->rows[i];

      /* Kernel threads and the like hold nothing at either end: --json still lists them. */
      if (row->start_kib == 0 && row->end_kib == 0)
        {
          empty++;
          continue;
        }

      printf ("%7" PRId32 "  ", row->pid);
      ms_probe_print_name (row->comm, 16);
      printf (" %11s %11s %12s  %s%s\n", ms_probe_size (row->start_kib, a, sizeof a),
              ms_probe_size (row->end_kib, b, sizeof b), signed_size (row->delta_kib, c, sizeof c),
              row->started_inside ? "started inside" : "",
              row->exited_inside ? (row->started_inside ? ", exited inside" : "exited inside") : "");
    }
  if (res->n_rows == 0)
    printf ("(no processes at either end of the window)\n");
  if (empty > 0)
    printf ("(%zu process%s with no memory at either end not shown)\n", empty,
            empty == 1 ? "" : "es");
  if (res->has_machine)
    printf ("\nMachine (used memory + used swap): %s to %s, %s; not explained by any process "
            "(kernel, tmpfs, page cache): %s\n",
            ms_probe_size (res->machine_start_kib, a, sizeof a),
            ms_probe_size (res->machine_end_kib, b, sizeof b),
            signed_size (res->machine_end_kib - res->machine_start_kib, c, sizeof c),
            signed_size (res->unattributed_kib, d, sizeof d));
}

int
ms_cmd_blame (int argc, char **argv)
{
  static const struct option options[] = {
    { "json", no_argument, NULL, 'j' },
    { "from", required_argument, NULL, 'f' },
    { "to", required_argument, NULL, 't' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool json = false, has_from = false, has_to = false;
  double from_s = 0, to_s = 0;
  blame_ctx_t ctx = { 0 };
  ms_blame_result_t res;
  ms_blame_status_t status;
  char err[600];
  int c, rc;

  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":h", options, NULL)) != -1)
    switch (c)
      {
      case 'j': json = true; break;
      case 'f':
        if (!ms_probe_parse_double ("--from", optarg, &from_s))
          return 2;
        has_from = true;
        break;
      case 't':
        if (!ms_probe_parse_double ("--to", optarg, &to_s))
          return 2;
        has_to = true;
        break;
      case 'h': usage (stdout); return 0;
      case ':':
        ms_probe_error ("blame", "%s needs a value", argv[optind - 1]);
        return 2;
      default:
        ms_probe_error ("blame", "unknown option \"%s\"; see memscope-probe blame --help",
                        argv[optind - 1]);
        return 2;
      }
  if (optind >= argc)
    {
      ms_probe_error ("blame", "which trace? see memscope-probe blame --help");
      return 2;
    }
  if (optind + 1 < argc)
    {
      ms_probe_error ("blame", "unexpected argument \"%s\"", argv[optind + 1]);
      return 2;
    }
  if (!has_from || !has_to)
    {
      ms_probe_error ("blame", "--from and --to are both required; see memscope-probe blame --help");
      return 2;
    }
  if (from_s >= to_s)
    {
      ms_probe_error ("blame", "--from (%g) must be earlier than --to (%g)", from_s, to_s);
      return 2;
    }

  ctx.blame = ms_blame_new (from_s, to_s);
  if (ctx.blame == NULL)
    {
      ms_probe_error ("blame", "out of memory");
      return 1;
    }
  rc = ms_trace_read_path (argv[optind], on_sample, &ctx, err, sizeof err);
  if (rc < 0)
    {
      ms_probe_error ("blame", "%s", err);
      ms_blame_free (ctx.blame);
      return 1;
    }
  status = ms_blame_finish (ctx.blame, &res);
  if (status != MS_BLAME_OK)
    {
      if (status == MS_BLAME_BEFORE_TRACE)
        ms_probe_error ("blame", "%s: the window starts before the trace: its first sample is at "
                        "%.3f s", argv[optind], res.first_s);
      else if (status == MS_BLAME_EMPTY_WINDOW && res.last_s > to_s)
        ms_probe_error ("blame", "%s: no sample between --from and --to: the nearest are at "
                        "%.3f s and %.3f s", argv[optind], res.from_sample_s, res.last_s);
      else if (status == MS_BLAME_EMPTY_WINDOW)
        ms_probe_error ("blame", "%s: the window starts at or after the last sample of the trace "
                        "(%.3f s)", argv[optind], res.last_s);
      else
        ms_probe_error ("blame", "%s: %s", argv[optind], ms_blame_status_message (status));
      ms_blame_result_clear (&res);
      ms_blame_free (ctx.blame);
      return 1;
    }
  if (json)
    print_json (&res);
  else
    print_table (&res, from_s, to_s);
  ms_blame_result_clear (&res);
  ms_blame_free (ctx.blame);
  if (fflush (stdout) != 0)
    {
      ms_probe_error ("blame", "cannot write the output");
      return 1;
    }
  return 0;
}
