/* SPDX-License-Identifier: MIT */
/* memscope-probe snapshot: every process, sampled twice half a second apart. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "probe.h"
#include "sampler.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe snapshot [--json] [--pss]\n"
           "\n"
           "Lists every process with its memory as the kernel reports it.  The processes are\n"
           "sampled twice, 0.5 s apart, so CPU %% is measured over that half second.\n"
           "\n"
           "Options:\n"
           "  --json             one JSON object (see memscope-probe(1) for the fields)\n"
           "  --pss              read PSS, USS and swap PSS of every process (slow: it costs\n"
           "                     about a microsecond per MiB of each process's memory); without\n"
           "                     it PSS is read for a few processes only\n"
           "  --proc-root DIR    read another proc tree instead of /proc (for saved trees)\n"
           "  --passwd FILE      user names from FILE instead of /etc/passwd\n"
           "  -h, --help         show this help\n");
}

static int
compare_footprint_desc (const void *a, const void *b)
{
  const ms_proc_t *pa = a, *pb = b;

  if (pa->footprint_kib != pb->footprint_kib)
    return pa->footprint_kib < pb->footprint_kib ? 1 : -1;
  return pa->pid < pb->pid ? -1 : pa->pid > pb->pid;
}

static int
compare_pid (const void *a, const void *b)
{
  const ms_proc_t *pa = a, *pb = b;

  return pa->pid < pb->pid ? -1 : pa->pid > pb->pid;
}

static void
write_json (ms_snapshot_t *snap)
{
  FILE *out = stdout;

  qsort (snap->procs, snap->n_procs, sizeof *snap->procs, compare_pid);

  fputs ("{\"time_unix\":", out);
  ms_json_double (out, snap->time_unix, 3);
  fprintf (out,
           ",\"mem_total_kib\":%" PRId64 ",\"mem_available_kib\":%" PRId64
           ",\"swap_total_kib\":%" PRId64 ",\"swap_free_kib\":%" PRId64 ",\"pressure\":",
           snap->mem.mem_total_kib, snap->mem.mem_available_kib, snap->mem.swap_total_kib,
           snap->mem.swap_free_kib);
  if (snap->pressure.valid)
    {
      fputs ("{\"some_avg10\":", out);
      ms_json_double (out, snap->pressure.some_avg10, 2);
      fputs (",\"some_avg60\":", out);
      ms_json_double (out, snap->pressure.some_avg60, 2);
      fputs (",\"full_avg10\":", out);
      ms_json_double (out, snap->pressure.full_avg10, 2);
      fputs (",\"full_avg60\":", out);
      ms_json_double (out, snap->pressure.full_avg60, 2);
      fputc ('}', out);
    }
  else
    fputs ("null", out);
  fputs (",\"processes\":[", out);
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];
      char state[2] = { p->state, '\0' };

      fprintf (out, "%s\n{\"pid\":%d,\"starttime\":%" PRIu64 ",\"ppid\":%d,\"uid\":%u,\"user\":",
               i ? "," : "", (int) p->pid, p->starttime, (int) p->ppid, p->uid);
      ms_json_string (out, p->user);
      fputs (",\"comm\":", out);
      ms_json_string (out, p->comm);
      fputs (",\"name\":", out);
      ms_json_string (out, p->name[0] != '\0' ? p->name : p->comm);
      fputs (",\"state\":", out);
      ms_json_string (out, state);
      fprintf (out, ",\"kernel_thread\":%s,\"threads\":%d,\"group\":",
               p->kernel_thread ? "true" : "false", (int) p->threads);
      ms_json_string (out, p->group);
      fputs (",\"cmdline\":", out);
      ms_json_string (out, p->cmdline);
      fprintf (out,
               ",\"rss_kib\":%" PRId64 ",\"anon_kib\":%" PRId64 ",\"file_kib\":%" PRId64
               ",\"shmem_kib\":%" PRId64 ",\"swap_kib\":%" PRId64 ",\"hwm_kib\":%" PRId64
               ",\"pss_kib\":",
               p->rss_kib, p->anon_kib, p->file_kib, p->shmem_kib, p->swap_kib, p->hwm_kib);
      ms_json_kib (out, p->pss_kib, 1);
      fputs (",\"uss_kib\":", out);
      ms_json_kib (out, p->uss_kib, 1);
      fputs (",\"swap_pss_kib\":", out);
      ms_json_kib (out, p->swap_pss_kib, 1);
      fputs (",\"pss_age_s\":", out);
      ms_json_double (out, p->pss_age_s >= 0 ? p->pss_age_s : NAN, 2);
      fprintf (out, ",\"footprint_kib\":%" PRId64 ",\"delta_kib\":%" PRId64 ",\"cpu_pct\":",
               p->footprint_kib, p->delta_kib);
      ms_json_double (out, p->cpu_pct >= 0 ? p->cpu_pct : NAN, 1);
      fputc ('}', out);
    }
  fputs ("\n]}\n", out);
}

static void
write_table (ms_snapshot_t *snap)
{
  char rss[32], pss[32], swap[32], used[32], total[32];

  qsort (snap->procs, snap->n_procs, sizeof *snap->procs, compare_footprint_desc);
  printf ("Memory: %s used of %s", ms_probe_size (snap->mem.mem_total_kib - snap->mem.mem_available_kib, used, sizeof used),
          ms_probe_size (snap->mem.mem_total_kib, total, sizeof total));
  if (snap->mem.swap_total_kib > 0)
    printf (", swap %s used of %s",
            ms_probe_size (snap->mem.swap_total_kib - snap->mem.swap_free_kib, rss, sizeof rss),
            ms_probe_size (snap->mem.swap_total_kib, pss, sizeof pss));
  if (snap->pressure.valid)
    printf (", pressure %.2f%% (10 s)", snap->pressure.some_avg10);
  printf ("\n\n%7s %-12s %10s %10s %10s %6s  %s\n", "PID", "USER", "RSS", "PSS", "SWAP", "CPU%",
          "NAME");
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];

      printf ("%7d %-12.12s %10s %10s %10s ", (int) p->pid, p->user,
              ms_probe_size (p->rss_kib, rss, sizeof rss),
              p->pss_kib >= 0 ? ms_probe_size (p->pss_kib, pss, sizeof pss) : "-",
              ms_probe_size (p->swap_kib, swap, sizeof swap));
      if (p->cpu_pct >= 0)
        printf ("%6.1f  ", p->cpu_pct);
      else
        printf ("%6s  ", "-");
      if (p->kernel_thread)
        putchar ('[');
      ms_probe_print_name (p->comm, 0);
      if (p->kernel_thread)
        putchar (']');
      putchar ('\n');
    }
}

int
ms_cmd_snapshot (int argc, char **argv)
{
  static const struct option options[] = {
    { "json", no_argument, NULL, 'j' },
    { "pss", no_argument, NULL, 'P' },
    { "proc-root", required_argument, NULL, 'r' },
    { "passwd", required_argument, NULL, 'w' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  ms_sampler_opts_t opts;
  ms_sampler_t *sampler;
  ms_snapshot_t *snap = NULL;
  bool json = false;
  char err[512];
  int c;
  struct timespec half = { 0, 500 * 1000 * 1000 };

  ms_sampler_opts_init (&opts);
  optind = 1;
  while ((c = getopt_long (argc, argv, "h", options, NULL)) != -1)
    switch (c)
      {
      case 'j': json = true; break;
      case 'P': opts.pss_all = true; break;
      case 'r': opts.proc_root = optarg; break;
      case 'w': opts.passwd_path = optarg; break;
      case 'h': usage (stdout); return 0;
      default: usage (stderr); return 2;
      }
  if (optind < argc)
    {
      ms_probe_error ("snapshot", "unexpected argument \"%s\"", argv[optind]);
      return 2;
    }

  sampler = ms_sampler_new (&opts, err, sizeof err);
  if (sampler == NULL)
    {
      ms_probe_error ("snapshot", "%s", err);
      return 1;
    }
  /* The first pass only primes CPU counters; PSS is read on the second. */
  if (ms_sampler_tick (sampler, &snap) != 0)
    goto failed;
  nanosleep (&half, NULL);
  if (ms_sampler_tick (sampler, &snap) != 0)
    goto failed;
  if (json)
    write_json (snap);
  else
    write_table (snap);
  ms_sampler_free (sampler);
  return fflush (stdout) == 0 ? 0 : 1;

failed:
  ms_probe_error ("snapshot", "cannot list the processes in %s", opts.proc_root);
  ms_sampler_free (sampler);
  return 1;
}
