/* SPDX-License-Identifier: MIT */
/* Fuzz target: an events-log line parsed, and every event it accepts written and parsed back the same. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "trace.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
same (double a, double b)
{
  return (isnan (a) && isnan (b)) || fabs (a - b) <= 1e-3 * fmax (1.0, fabs (a));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_store_event_t ev, back;
  char *text = NULL;
  size_t len = 0;
  FILE *out;

  if (ms_store_parse_event ((const char *) data, size, &ev) != 0)
    return 0;
  if (strlen (ev.event.comm) >= sizeof ev.event.comm)
    abort ();
  /* OOM lines have their own writer; the tag events must round-trip through the log's writer. */
  if (ev.event.tag == MS_STORE_TAG_OOM || !isfinite (ev.event.time_s) || fabs (ev.event.time_s) > 1e12)
    return 0;
  out = open_memstream (&text, &len);
  if (out == NULL)
    return 0;
  ms_trace_event_json (out, &ev.event);
  fclose (out);
  if (ms_store_parse_event (text, len, &back) != 0)
    abort ();
  if (back.event.pid != ev.event.pid || back.event.starttime != ev.event.starttime
      || back.event.tag != ev.event.tag || back.event.set != ev.event.set
      || !same (back.event.time_s, ev.event.time_s))
    abort ();
  free (text);
  return 0;
}
