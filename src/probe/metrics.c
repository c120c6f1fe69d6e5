/* SPDX-License-Identifier: MIT */
/* The model `serve` exports after each tick, and its two renderings (Prometheus text, OpenMetrics). */
#include "config.h"

#include "metrics.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "json.h"

void
ms_text_append (ms_text_t *t, const char *s, size_t n)
{
  if (t->failed)
    return;
  if (t->len + n + 1 > t->cap)
    {
      size_t cap = t->cap ? t->cap : 4096;
      char *grown;

      while (cap < t->len + n + 1)
        cap *= 2;
      grown = realloc (t->data, cap);
      if (grown == NULL)
        {
          t->failed = true;
          return;
        }
      t->data = grown;
      t->cap = cap;
    }
  memcpy (t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

void
ms_text_printf (ms_text_t *t, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (small, sizeof small, fmt, ap);
  va_end (ap);
  if (n < 0)
    {
      t->failed = true;
      return;
    }
  if ((size_t) n < sizeof small)
    {
      ms_text_append (t, small, (size_t) n);
      return;
    }
  {
    char *big = malloc ((size_t) n + 1);

    if (big == NULL)
      {
        t->failed = true;
        return;
      }
    va_start (ap, fmt);
    vsnprintf (big, (size_t) n + 1, fmt, ap);
    va_end (ap);
    ms_text_append (t, big, (size_t) n);
    free (big);
  }
}

void
ms_text_free (ms_text_t *t)
{
  free (t->data);
  t->data = NULL;
  t->len = t->cap = 0;
  t->failed = false;
}

void
ms_text_label_value (ms_text_t *t, const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t n = strlen (s);

  while (n > 0)
    {
      int len;

      if (*p == '\\' || *p == '"')
        {
          char esc[2] = { '\\', (char) *p };

          ms_text_append (t, esc, 2);
          p++, n--;
          continue;
        }
      if (*p == '\n')
        {
          ms_text_append (t, "\\n", 2);
          p++, n--;
          continue;
        }
      len = ms_utf8_sequence_length (p, n);
      if (len == 0)
        {
          /* U+0080..U+00FF in UTF-8: the same value as a code point, as the JSON writer does. */
          char two[2] = { (char) (0xc0 | (*p >> 6)), (char) (0x80 | (*p & 0x3f)) };

          ms_text_append (t, two, 2);
          p++, n--;
          continue;
        }
      ms_text_append (t, (const char *) p, (size_t) len);
      p += len, n -= (size_t) len;
    }
}

/* ---- building the model ---- */

typedef struct
{
  const char *key;
  const char *top_name; /* a tree's topmost process names the group */
  int32_t top_pid;
  int64_t rss_kib, swap_kib, pss_kib;
  bool pss_complete, tagged;
  uint32_t processes;
} group_acc_t;

static int
compare_proc_ptr_group (const void *a, const void *b)
{
  const ms_proc_t *pa = *(const ms_proc_t *const *) a, *pb = *(const ms_proc_t *const *) b;

  return strcmp (pa->group, pb->group);
}

static int
compare_proc_ptr_footprint (const void *a, const void *b)
{
  const ms_proc_t *pa = *(const ms_proc_t *const *) a, *pb = *(const ms_proc_t *const *) b;

  if (pa->footprint_kib != pb->footprint_kib)
    return pa->footprint_kib < pb->footprint_kib ? 1 : -1;
  return pa->pid < pb->pid ? -1 : pa->pid > pb->pid;
}

static int
compare_group_footprint (const void *a, const void *b)
{
  const group_acc_t *ga = a, *gb = b;
  int64_t fa = ga->rss_kib + ga->swap_kib, fb = gb->rss_kib + gb->swap_kib;

  if (fa != fb)
    return fa < fb ? 1 : -1;
  return strcmp (ga->key, gb->key);
}

static int
compare_group_key (const void *a, const void *b)
{
  const ms_metrics_group_t *ga = a, *gb = b;

  return strcmp (ga->key, gb->key);
}

static int
compare_metrics_pid (const void *a, const void *b)
{
  const ms_metrics_proc_t *pa = a, *pb = b;

  if (pa->pid != pb->pid)
    return pa->pid < pb->pid ? -1 : 1;
  return pa->starttime < pb->starttime ? -1 : pa->starttime > pb->starttime;
}

static int64_t
known_kib (int64_t kib)
{
  return kib > 0 ? kib : 0;
}

ms_metrics_t *
ms_metrics_build (const ms_snapshot_t *snap, const ms_detector_t *detector,
                  const ms_metrics_limits_t *limits, uint64_t samples, double tick_s)
{
  ms_metrics_t *m = calloc (1, sizeof *m);
  const ms_proc_t **order = NULL;
  group_acc_t *acc = NULL;
  size_t n = snap->n_procs, n_users = 0, n_acc = 0, kept;

  if (m == NULL)
    return NULL;
  m->time_unix = snap->time_unix;
  m->mem = snap->mem;
  m->pressure = snap->pressure;
  m->oom_kills = snap->oom_counter.count;
  m->oom_known = snap->oom_counter.valid;
  m->samples = samples;
  m->tick_s = tick_s;
  m->processes_seen = n;

  order = malloc ((n ? n : 1) * sizeof *order);
  acc = calloc (n ? n : 1, sizeof *acc);
  if (order == NULL || acc == NULL)
    goto fail;

  /* Groups: sort by key, then sum each run. */
  for (size_t i = 0; i < n; i++)
    order[n_users++] = &snap->procs[i];
  qsort (order, n_users, sizeof *order, compare_proc_ptr_group);
  for (size_t i = 0; i < n_users; i++)
    {
      const ms_proc_t *p = order[i];
      group_acc_t *g;

      if (n_acc == 0 || strcmp (acc[n_acc - 1].key, p->group) != 0)
        {
          g = &acc[n_acc++];
          g->key = p->group;
          g->top_pid = ms_group_top_pid (p->group);
          g->pss_complete = true;
        }
      g = &acc[n_acc - 1];
      if (p->pid == g->top_pid)
        g->top_name = p->name;
      g->rss_kib += known_kib (p->rss_kib);
      g->swap_kib += known_kib (p->swap_kib);
      if (p->kernel_thread)
        ; /* no memory of its own: its unknown PSS does not make the sum unknown */
      else if (p->pss_kib >= 0)
        g->pss_kib += p->pss_kib;
      else
        g->pss_complete = false;
      g->processes++;
      if (p->tags != 0)
        g->tagged = true;
    }
  m->groups_total = n_acc;
  qsort (acc, n_acc, sizeof *acc, compare_group_footprint);
  kept = 0;
  for (size_t i = 0; i < n_acc; i++)
    if (i < limits->top_groups || acc[i].tagged)
      acc[kept++] = acc[i];
  m->groups = calloc (kept ? kept : 1, sizeof *m->groups);
  if (m->groups == NULL)
    goto fail;
  for (size_t i = 0; i < kept; i++)
    {
      ms_metrics_group_t *g = &m->groups[m->n_groups];
      char label[MS_GROUP_MAX];

      ms_group_label (acc[i].key, acc[i].top_name, label, sizeof label);
      g->key = strdup (acc[i].key);
      g->label = strdup (label);
      m->n_groups++;
      if (g->key == NULL || g->label == NULL)
        goto fail;
      g->rss_kib = acc[i].rss_kib;
      g->swap_kib = acc[i].swap_kib;
      g->pss_kib = acc[i].pss_complete ? acc[i].pss_kib : MS_UNKNOWN_KIB;
      g->processes = acc[i].processes;
    }
  qsort (m->groups, m->n_groups, sizeof *m->groups, compare_group_key);

  /* Processes: every tagged one, then the largest by footprint. */
  qsort (order, n_users, sizeof *order, compare_proc_ptr_footprint);
  kept = 0;
  for (size_t i = 0; i < n_users; i++)
    if (order[i]->tags != 0 || (!order[i]->kernel_thread && kept < limits->top_procs))
      {
        if (order[i]->tags == 0)
          kept++;
        order[m->n_procs++] = order[i];
      }
  m->procs = calloc (m->n_procs ? m->n_procs : 1, sizeof *m->procs);
  if (m->procs == NULL)
    {
      m->n_procs = 0;
      goto fail;
    }
  for (size_t i = 0; i < m->n_procs; i++)
    {
      const ms_proc_t *p = order[i];
      ms_metrics_proc_t *q = &m->procs[i];
      ms_event_t leak;

      q->pid = p->pid;
      q->starttime = p->starttime;
      snprintf (q->comm, sizeof q->comm, "%s", p->comm);
      q->group = strdup (p->group);
      if (q->group == NULL)
        goto fail;
      q->rss_kib = known_kib (p->rss_kib);
      q->swap_kib = known_kib (p->swap_kib);
      q->pss_kib = p->pss_kib;
      q->tags = p->tags;
      q->leak_rate_kib_s = q->leak_duration_s = q->leak_confidence = q->leak_exhaust_s = NAN;
      if ((p->tags & MS_TAG_LEAK) && detector != NULL
          && ms_detector_leak_info (detector, p->pid, p->starttime, &leak))
        {
          q->leak_known = true;
          q->leak_rate_kib_s = leak.rate_kib_s;
          q->leak_duration_s = leak.duration_s;
          q->leak_confidence = leak.confidence;
          q->leak_exhaust_s = leak.exhaust_s;
        }
    }
  qsort (m->procs, m->n_procs, sizeof *m->procs, compare_metrics_pid);
  free (order);
  free (acc);
  return m;

fail:
  free (order);
  free (acc);
  ms_metrics_free (m);
  return NULL;
}

void
ms_metrics_free (ms_metrics_t *m)
{
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n_groups; i++)
    {
      free (m->groups[i].key);
      free (m->groups[i].label);
    }
  for (size_t i = 0; i < m->n_procs; i++)
    free (m->procs[i].group);
  free (m->groups);
  free (m->procs);
  free (m);
}

/* ---- rendering ---- */

const char *
ms_expo_content_type (ms_expo_format_t format)
{
  return format == MS_EXPO_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                       : "text/plain; version=0.0.4; charset=utf-8";
}

typedef enum
{
  GAUGE,
  COUNTER,
  INFO,
} kind_t;

/* One family's header.  `name` is the sample name (with _total or _info); OpenMetrics names the
 * family without those suffixes and gives the unit when the name ends in one. */
static void
family (ms_text_t *t, ms_expo_format_t format, const char *name, kind_t kind, const char *help)
{
  size_t len = strlen (name);
  const char *type = kind == COUNTER ? "counter" : kind == INFO ? "info" : "gauge";

  if (format == MS_EXPO_TEXT)
    {
      ms_text_printf (t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                      kind == INFO ? "gauge" : type);
      return;
    }
  if (kind == COUNTER && len > 6 && strcmp (name + len - 6, "_total") == 0)
    len -= 6;
  else if (kind == INFO && len > 5 && strcmp (name + len - 5, "_info") == 0)
    len -= 5;
  ms_text_printf (t, "# TYPE %.*s %s\n", (int) len, name, type);
  if (len > 6 && strncmp (name + len - 6, "_bytes", 6) == 0)
    ms_text_printf (t, "# UNIT %.*s bytes\n", (int) len, name);
  else if (len > 8 && strncmp (name + len - 8, "_seconds", 8) == 0)
    ms_text_printf (t, "# UNIT %.*s seconds\n", (int) len, name);
  ms_text_printf (t, "# HELP %.*s %s\n", (int) len, name, help);
}

static void
value_int (ms_text_t *t, int64_t v)
{
  ms_text_printf (t, " %" PRId64 "\n", v);
}

static void
value_double (ms_text_t *t, double v)
{
  ms_text_printf (t, " %.9g\n", v);
}

static void
group_labels (ms_text_t *t, const char *name, const ms_metrics_group_t *g)
{
  ms_text_printf (t, "%s{group=\"", name);
  ms_text_label_value (t, g->key);
  ms_text_append (t, "\",name=\"", 8);
  ms_text_label_value (t, g->label);
  ms_text_append (t, "\"}", 2);
}

static void
proc_labels (ms_text_t *t, const char *name, const ms_metrics_proc_t *p, const char *extra)
{
  ms_text_printf (t, "%s{pid=\"%" PRId32 "\",comm=\"", name, p->pid);
  ms_text_label_value (t, p->comm);
  ms_text_append (t, "\",group=\"", 9);
  ms_text_label_value (t, p->group);
  ms_text_append (t, "\"", 1);
  if (extra != NULL)
    ms_text_printf (t, ",%s", extra);
  ms_text_append (t, "}", 1);
}

static const double KIB = 1024.0;

void
ms_metrics_write (const ms_metrics_t *m, ms_expo_format_t format, ms_text_t *t)
{
  static const struct
  {
    ms_tag_t tag;
    const char *name;
  } states[] = { { MS_TAG_LEAK, "leak" }, { MS_TAG_SPIKE, "spike" }, { MS_TAG_ZOMBIE, "zombie" } };
  bool any_leak = false, any_pss = false;

  family (t, format, "memscope_build_info", INFO, "The memscope-probe that serves these metrics.");
  ms_text_printf (t, "memscope_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);

  family (t, format, "memscope_memory_total_bytes", GAUGE, "Memory the kernel manages (MemTotal).");
  ms_text_printf (t, "memscope_memory_total_bytes");
  value_int (t, m->mem.mem_total_kib * 1024);
  family (t, format, "memscope_memory_available_bytes", GAUGE,
          "Memory available to start new work without swapping (MemAvailable).");
  ms_text_printf (t, "memscope_memory_available_bytes");
  value_int (t, m->mem.mem_available_kib * 1024);
  family (t, format, "memscope_swap_total_bytes", GAUGE, "Swap space configured (SwapTotal).");
  ms_text_printf (t, "memscope_swap_total_bytes");
  value_int (t, m->mem.swap_total_kib * 1024);
  family (t, format, "memscope_swap_free_bytes", GAUGE, "Swap space unused (SwapFree).");
  ms_text_printf (t, "memscope_swap_free_bytes");
  value_int (t, m->mem.swap_free_kib * 1024);
  if (m->pressure.valid)
    {
      family (t, format, "memscope_memory_pressure_ratio", GAUGE,
              "Share of time tasks stalled waiting for memory (PSI), from 0 to 1.");
      ms_text_printf (t, "memscope_memory_pressure_ratio{kind=\"some\",window=\"10s\"}");
      value_double (t, m->pressure.some_avg10 / 100.0);
      ms_text_printf (t, "memscope_memory_pressure_ratio{kind=\"some\",window=\"60s\"}");
      value_double (t, m->pressure.some_avg60 / 100.0);
      ms_text_printf (t, "memscope_memory_pressure_ratio{kind=\"full\",window=\"10s\"}");
      value_double (t, m->pressure.full_avg10 / 100.0);
      ms_text_printf (t, "memscope_memory_pressure_ratio{kind=\"full\",window=\"60s\"}");
      value_double (t, m->pressure.full_avg60 / 100.0);
    }
  if (m->oom_known)
    {
      family (t, format, "memscope_oom_kills_total", COUNTER,
              "Processes the kernel's OOM killer ended since boot.");
      ms_text_printf (t, "memscope_oom_kills_total");
      value_int (t, (int64_t) m->oom_kills);
    }
  family (t, format, "memscope_processes", GAUGE, "Processes seen in the last sample.");
  ms_text_printf (t, "memscope_processes");
  value_int (t, (int64_t) m->processes_seen);
  family (t, format, "memscope_groups", GAUGE,
          "Groups in the last sample, exported or not.");
  ms_text_printf (t, "memscope_groups");
  value_int (t, (int64_t) m->groups_total);
  family (t, format, "memscope_last_sample_timestamp_seconds", GAUGE,
          "Wall-clock time of the last sample, in seconds since the epoch.");
  ms_text_printf (t, "memscope_last_sample_timestamp_seconds");
  ms_text_printf (t, " %.3f\n", m->time_unix);
  family (t, format, "memscope_sample_duration_seconds", GAUGE, "Time the last sample took.");
  ms_text_printf (t, "memscope_sample_duration_seconds");
  value_double (t, m->tick_s);
  family (t, format, "memscope_samples_total", COUNTER, "Samples taken since serve started.");
  ms_text_printf (t, "memscope_samples_total");
  value_int (t, (int64_t) m->samples);

  /* Groups */
  family (t, format, "memscope_group_resident_bytes", GAUGE,
          "Resident memory of a group's processes, summed (shared pages count in each).");
  for (size_t i = 0; i < m->n_groups; i++)
    {
      group_labels (t, "memscope_group_resident_bytes", &m->groups[i]);
      value_int (t, m->groups[i].rss_kib * 1024);
    }
  for (size_t i = 0; i < m->n_groups; i++)
    any_pss |= m->groups[i].pss_kib >= 0;
  if (any_pss)
    {
      family (t, format, "memscope_group_pss_bytes", GAUGE,
              "Proportional set size of a group, summed; only where every member's is known.");
      for (size_t i = 0; i < m->n_groups; i++)
        if (m->groups[i].pss_kib >= 0)
          {
            group_labels (t, "memscope_group_pss_bytes", &m->groups[i]);
            value_int (t, m->groups[i].pss_kib * 1024);
          }
    }
  family (t, format, "memscope_group_swap_bytes", GAUGE, "Swapped-out memory of a group's processes.");
  for (size_t i = 0; i < m->n_groups; i++)
    {
      group_labels (t, "memscope_group_swap_bytes", &m->groups[i]);
      value_int (t, m->groups[i].swap_kib * 1024);
    }
  family (t, format, "memscope_group_processes", GAUGE, "Processes in a group.");
  for (size_t i = 0; i < m->n_groups; i++)
    {
      group_labels (t, "memscope_group_processes", &m->groups[i]);
      value_int (t, m->groups[i].processes);
    }

  /* Processes: the tagged ones and the largest few */
  family (t, format, "memscope_process_resident_bytes", GAUGE,
          "Resident memory of a tagged process or one of the largest.");
  for (size_t i = 0; i < m->n_procs; i++)
    {
      proc_labels (t, "memscope_process_resident_bytes", &m->procs[i], NULL);
      value_int (t, m->procs[i].rss_kib * 1024);
    }
  family (t, format, "memscope_process_swap_bytes", GAUGE,
          "Swapped-out memory of a tagged process or one of the largest.");
  for (size_t i = 0; i < m->n_procs; i++)
    {
      proc_labels (t, "memscope_process_swap_bytes", &m->procs[i], NULL);
      value_int (t, m->procs[i].swap_kib * 1024);
    }
  any_pss = false;
  for (size_t i = 0; i < m->n_procs; i++)
    any_pss |= m->procs[i].pss_kib >= 0;
  if (any_pss)
    {
      family (t, format, "memscope_process_pss_bytes", GAUGE,
              "Proportional set size of a tagged process or one of the largest, where known.");
      for (size_t i = 0; i < m->n_procs; i++)
        if (m->procs[i].pss_kib >= 0)
          {
            proc_labels (t, "memscope_process_pss_bytes", &m->procs[i], NULL);
            value_int (t, m->procs[i].pss_kib * 1024);
          }
    }
  family (t, format, "memscope_process_state", GAUGE,
          "1 while the detector tags the process with this state (leak, spike, zombie), else 0.");
  for (size_t i = 0; i < m->n_procs; i++)
    for (size_t s = 0; s < sizeof states / sizeof states[0]; s++)
      {
        char extra[32];

        snprintf (extra, sizeof extra, "state=\"%s\"", states[s].name);
        proc_labels (t, "memscope_process_state", &m->procs[i], extra);
        value_int (t, (m->procs[i].tags & states[s].tag) ? 1 : 0);
      }

  for (size_t i = 0; i < m->n_procs; i++)
    any_leak |= m->procs[i].leak_known;
  if (any_leak)
    {
      family (t, format, "memscope_process_leak_rate_bytes_per_second", GAUGE,
              "Growth rate of a leaking process's memory floor.");
      for (size_t i = 0; i < m->n_procs; i++)
        if (m->procs[i].leak_known && isfinite (m->procs[i].leak_rate_kib_s))
          {
            proc_labels (t, "memscope_process_leak_rate_bytes_per_second", &m->procs[i], NULL);
            value_double (t, m->procs[i].leak_rate_kib_s * KIB);
          }
      family (t, format, "memscope_process_leak_duration_seconds", GAUGE,
              "How long the leaking process's growth has been seen.");
      for (size_t i = 0; i < m->n_procs; i++)
        if (m->procs[i].leak_known && isfinite (m->procs[i].leak_duration_s))
          {
            proc_labels (t, "memscope_process_leak_duration_seconds", &m->procs[i], NULL);
            value_double (t, m->procs[i].leak_duration_s);
          }
      family (t, format, "memscope_process_leak_confidence_ratio", GAUGE,
              "The detector's confidence in a leak, from 0.5 at its bars toward 1.");
      for (size_t i = 0; i < m->n_procs; i++)
        if (m->procs[i].leak_known && isfinite (m->procs[i].leak_confidence))
          {
            proc_labels (t, "memscope_process_leak_confidence_ratio", &m->procs[i], NULL);
            value_double (t, m->procs[i].leak_confidence);
          }
      family (t, format, "memscope_process_leak_exhaustion_seconds", GAUGE,
              "Seconds until available memory runs out if this leak goes on at its rate.");
      for (size_t i = 0; i < m->n_procs; i++)
        if (m->procs[i].leak_known && isfinite (m->procs[i].leak_exhaust_s))
          {
            proc_labels (t, "memscope_process_leak_exhaustion_seconds", &m->procs[i], NULL);
            value_double (t, m->procs[i].leak_exhaust_s);
          }
    }
  if (format == MS_EXPO_OPENMETRICS)
    ms_text_append (t, "# EOF\n", 6);
}
