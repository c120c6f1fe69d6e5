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
           "Usage: memscope-probe blame [--json] [--aggregate] TRACE --from S --to S\n"
           "\n"
           "Ranks the processes of a trace by how much their footprint (RSS + swap) grew between\n"
           "two of its times, largest growth first and shrinkers last.  Each end of the window is\n"
           "the last sample taken at or before that time.  A process that started inside the\n"
           "window counts from 0, one that exited inside counts to 0; one that did both is no\n"
           "part of the change and is listed with the largest footprint it had (peak).  When the\n"
           "trace has machine rows, the growth of used memory + used swap that no process\n"
           "explains (kernel, tmpfs, page cache) is given as unattributed.  Each row's share is of\n"
           "the gross change: all growth, all shrink and the unattributed part taken as sizes,\n"
           "signed as the row's change; the sizes of the shares add up to 100 %%.  TRACE may be -\n"
           "for standard input.\n"
           "\n"
           "Options:\n"
           "  --from S           start of the window, in the trace's time_s (seconds)\n"
           "  --to S             end of the window, later than --from\n"
           "  --aggregate        one row for the processes of one program that started inside the\n"
           "                     window, one for those that exited inside and one for those that\n"
           "                     did both, where there are at least two (a script's short-lived\n"
           "                     sleeps, say)\n"
           "  --json             one JSON object per process and line: pid, starttime, comm,\n"
           "                     start_kib, end_kib, delta_kib, started_inside, exited_inside,\n"
           "                     share, share_pct, peak_kib (the largest footprint of a process\n"
           "                     that started and exited inside, else 0); with --aggregate also\n"
           "                     count, and a merged row has processes (their pid and starttime) instead of pid and\n"
           "                     starttime; then {\"unattributed_kib\": N, ...} with the machine's\n"
           "                     change and its parts when the trace has machine rows\n"
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
print_json (const ms_blame_result_t *res, bool aggregate)
{
  for (size_t i = 0; i < res->n_rows; i++)
    {
      const ms_blame_row_t *row = &res->rows[i];

      if (row->count > 1)
        {
          printf ("{\"count\":%" PRIu32 ",\"processes\":[", row->count);
          for (size_t k = row->first_member; k < row->first_member + row->count; k++)
            printf ("%s{\"pid\":%" PRId32 ",\"starttime\":%" PRIu64 "}",
                    k > row->first_member ? "," : "", res->members[k].pid,
                    res->members[k].starttime);
          printf ("],\"comm\":");
        }
      else
        {
          printf ("{\"pid\":%" PRId32 ",\"starttime\":%" PRIu64 ",\"comm\":", row->pid,
                  row->starttime);
        }
      ms_json_string (stdout, row->comm);
      printf (",\"start_kib\":%" PRId64 ",\"end_kib\":%" PRId64 ",\"delta_kib\":%" PRId64
              ",\"started_inside\":%s,\"exited_inside\":%s,\"share\":%.6f,\"share_pct\":%d",
              row->start_kib, row->end_kib, row->delta_kib, row->started_inside ? "true" : "false",
              row->exited_inside ? "true" : "false", row->share, row->share_pct);
      printf (",\"peak_kib\":%" PRId64, row->peak_kib);
      if (aggregate && row->count == 1)
        printf (",\"count\":1");
      printf ("}\n");
    }
  if (res->has_machine)
    printf ("{\"unattributed_kib\":%" PRId64 ",\"unattributed_share\":%.6f,"
            "\"unattributed_share_pct\":%d,\"machine_start_kib\":%" PRId64
            ",\"machine_end_kib\":%" PRId64 ",\"machine_delta_kib\":%" PRId64
            ",\"grew_kib\":%" PRId64 ",\"shrank_kib\":%" PRId64 ",\"gross_kib\":%" PRId64 "}\n",
            res->unattributed_kib, res->unattributed_share, res->unattributed_share_pct,
            res->machine_start_kib, res->machine_end_kib,
            res->machine_end_kib - res->machine_start_kib, res->grew_kib, res->shrank_kib,
            res->gross_kib);
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
  printf ("%7s  %-16s %11s %11s %12s %6s  %s\n", "PID", "COMM", "START", "END", "GROWTH", "SHARE",
          "NOTE");
  for (size_t i = 0; i < res->n_rows; i++)
    {
      const ms_blame_row_t *row = &res->rows[i];

      /* Kernel threads and the like hold nothing at either end: --json still lists them. */
      if (row->start_kib == 0 && row->end_kib == 0 && row->peak_kib == 0)
        {
          empty += row->count;
          continue;
        }

      if (row->count > 1)
        printf ("%7s  ", "-");
      else
        printf ("%7" PRId32 "  ", row->pid);
      ms_probe_print_name (row->comm, 16);
      printf (" %11s %11s %12s %5d%%  ", ms_probe_size (row->start_kib, a, sizeof a),
              ms_probe_size (row->end_kib, b, sizeof b), signed_size (row->delta_kib, c, sizeof c),
              row->share_pct);
      if (row->count > 1)
        printf ("%" PRIu32 " processes, ", row->count);
      printf ("%s%s", row->started_inside ? "started inside" : "",
              row->exited_inside ? (row->started_inside ? ", exited inside" : "exited inside") : "");
      if (row->started_inside && row->exited_inside)
        printf (", peak %s", ms_probe_size (row->peak_kib, a, sizeof a));
      printf ("\n");
    }
  if (res->n_rows == 0)
    printf ("(no processes at either end of the window)\n");
  if (empty > 0)
    printf ("(%zu process%s with no memory at either end not shown)\n", empty,
            empty == 1 ? "" : "es");
  printf ("\nProcesses grew by %s and shrank or exited by %s",
          signed_size (res->grew_kib, a, sizeof a), signed_size (res->shrank_kib, b, sizeof b));
  if (res->has_machine)
    printf ("\nMachine (used memory + used swap): %s to %s, %s; not explained by any process "
            "(kernel, tmpfs, page cache): %s (%d%%)",
            ms_probe_size (res->machine_start_kib, a, sizeof a),
            ms_probe_size (res->machine_end_kib, b, sizeof b),
            signed_size (res->machine_end_kib - res->machine_start_kib, c, sizeof c),
            signed_size (res->unattributed_kib, d, sizeof d), res->unattributed_share_pct);
  printf ("\nSHARE is of the gross change, %s (growth, shrink and the unattributed part as "
          "sizes)\n", ms_probe_size (res->gross_kib, a, sizeof a));
}

int
ms_cmd_blame (int argc, char **argv)
{
  static const struct option options[] = {
    { "json", no_argument, NULL, 'j' },
    { "aggregate", no_argument, NULL, 'a' },
    { "from", required_argument, NULL, 'f' },
    { "to", required_argument, NULL, 't' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool json = false, aggregate = false, has_from = false, has_to = false;
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
      case 'a': aggregate = true; break;
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
  if (aggregate && ms_blame_aggregate (&res) != MS_BLAME_OK)
    {
      ms_probe_error ("blame", "out of memory");
      ms_blame_result_clear (&res);
      ms_blame_free (ctx.blame);
      return 1;
    }
  if (json)
    print_json (&res, aggregate);
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
