/* SPDX-License-Identifier: MIT */
/* Fuzz target: the trace reader on any bytes, and every sample it accepts written and read back. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  size_t samples;
  size_t procs;
  int64_t checksum;
  ms_trace_writer_t *writer; /* NULL on the second pass */
} state_t;

static int
sample_cb (ms_snapshot_t *snap, void *user)
{
  state_t *st = user;

  st->samples++;
  st->procs += snap->n_procs;
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];

      /* Every delivered string is terminated and every size is what the contract says. */
      if (strlen (p->comm) >= sizeof p->comm || p->rss_kib < 0 || p->swap_kib < 0
          || p->footprint_kib != p->rss_kib + p->swap_kib || p->pid <= 0)
        abort ();
      st->checksum += p->footprint_kib;
    }
  if (st->writer != NULL && ms_trace_writer_sample (st->writer, snap, snap->time_s) != 0)
    abort ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  state_t first = { 0 }, second = { 0 };
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&text, &len);
  ms_trace_reader_t *r;
  int rc;

  if (out == NULL)
    return 0;
  first.writer = ms_trace_writer_new (out);
  r = ms_trace_reader_new_mem (data, size, "fuzz.csv");
  if (r == NULL || first.writer == NULL)
    abort ();
  rc = ms_trace_reader_run (r, sample_cb, &first);
  if (rc < 0 && strncmp (ms_trace_reader_error (r), "fuzz.csv:", 9) != 0)
    abort ();
  if (rc == 0 && ms_trace_reader_error (r)[0] != '\0')
    abort ();
  ms_trace_reader_free (r);
  ms_trace_writer_free (first.writer);
  fclose (out);

  /* What the writer made of the accepted samples must read back whole: times are rounded to
   * milliseconds, so samples closer than that may merge, but no process is lost. */
  r = ms_trace_reader_new_mem (text, len, "again.csv");
  if (r == NULL)
    abort ();
  if (ms_trace_reader_run (r, sample_cb, &second) != 0)
    {
      fprintf (stderr, "%s\n", ms_trace_reader_error (r));
      abort ();
    }
  if (second.procs != first.procs || second.checksum != first.checksum)
    abort ();
  ms_trace_reader_free (r);
  free (text);
  return 0;
}
