/* SPDX-License-Identifier: MIT */
/* Judges the detector on labelled traces (synthetic or recorded): recall, false alarms, latency. */
#include "config.h"

#include "evaluate.h"

#include "corpus-label.h"
#include "trace.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB 1024.0

void
ms_eval_init (ms_eval_t *ev, FILE *log, const char *prefix)
{
  memset (ev, 0, sizeof *ev);
  ev->log = log;
  ev->prefix = prefix != NULL ? prefix : "";
  ms_eval_row (ev, "all");
}

ms_eval_row_t *
ms_eval_row (ms_eval_t *ev, const char *group)
{
  for (int i = 0; i < ev->n_rows; i++)
    if (strcmp (ev->rows[i].group, group) == 0)
      return &ev->rows[i];
  if (ev->n_rows == MS_EVAL_MAX_ROWS)
    return NULL;
  memset (&ev->rows[ev->n_rows], 0, sizeof ev->rows[0]);
  snprintf (ev->rows[ev->n_rows].group, sizeof ev->rows[0].group, "%s", group);
  return &ev->rows[ev->n_rows++];
}

static void note (ms_eval_t *ev, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
note (ms_eval_t *ev, const char *fmt, ...)
{
  va_list ap;

  if (ev->log == NULL)
    return;
  fputs (ev->prefix, ev->log);
  va_start (ap, fmt);
  vfprintf (ev->log, fmt, ap);
  va_end (ap);
  fputc ('\n', ev->log);
}

double
ms_eval_deadline (double leak_start_s, double first_seen_s, double rate_kib_s, bool gc_floor)
{
  bool fast = rate_kib_s >= MIB && !gc_floor;

  if (leak_start_s - first_seen_s >= 120.0)
    {
      if (gc_floor || !(rate_kib_s >= 256))
        return leak_start_s + 300;
      return leak_start_s + (fast ? 60 : 120);
    }
  return fmax (first_seen_s + (fast ? 180 : 360), leak_start_s + (fast ? 60 : 120));
}

/* ---- one process's verdicts ---- */

typedef struct
{
  double first_set_s; /* first LEAK set at or after the leak's start */
  double early_set_s; /* first LEAK set before it (or on a non-leak) */
  int sets;
  int spike_sets;
  double first_spike_s;
  int zombie_sets;
  double first_zombie_s;
  uint32_t last_tags;
  double first_seen_s, last_seen_s;
  bool seen;
} verdict_t;

static void
verdict_init (verdict_t *v)
{
  memset (v, 0, sizeof *v);
  v->first_set_s = NAN;
  v->early_set_s = NAN;
  v->first_spike_s = NAN;
  v->first_zombie_s = NAN;
  v->first_seen_s = NAN;
  v->last_seen_s = NAN;
}

static void
verdict_event (verdict_t *v, const ms_event_t *e, double leak_start_s)
{
  if (!e->set)
    return;
  switch (e->tag)
    {
    case MS_TAG_LEAK:
      v->sets++;
      /* A tag on the leak's own first bucket counts: its start is a sample, the bucket's 5 s. */
      if (isfinite (leak_start_s) && e->time_s >= leak_start_s)
        {
          if (isnan (v->first_set_s))
            v->first_set_s = e->time_s;
        }
      else if (isnan (v->early_set_s))
        v->early_set_s = e->time_s;
      break;
    case MS_TAG_SPIKE:
      if (v->spike_sets++ == 0)
        v->first_spike_s = e->time_s;
      break;
    case MS_TAG_ZOMBIE:
      if (v->zombie_sets++ == 0)
        v->first_zombie_s = e->time_s;
      break;
    default:
      break;
    }
}

static void
add_latency (ms_eval_row_t *row, double lat)
{
  if (row->n_lat < MS_EVAL_MAX_LAT)
    row->lat_s[row->n_lat++] = lat;
}

typedef struct
{
  bool leak, eligible, bound_applies, holds_to_end;
  double leak_start_s, deadline_s;
  bool spike, spike_forbidden;
  double spike_at_s;
  bool zombie;
  double zombie_at_s;
} truth_t;

/* Adds one process's verdicts to a row. */
static void
tally (ms_eval_row_t *row, const truth_t *t, const verdict_t *v)
{
  if (t->leak)
    {
      if (t->eligible)
        {
          row->leaks++;
          if (!isnan (v->first_set_s) && isnan (v->early_set_s))
            {
              row->found++;
              add_latency (row, v->first_set_s - t->leak_start_s);
            }
        }
      if (t->bound_applies)
        {
          row->bound_leaks++;
          if (!isnan (v->first_set_s) && isnan (v->early_set_s) && v->first_set_s <= t->deadline_s)
            row->in_bound++;
        }
      if (t->holds_to_end && t->eligible)
        {
          row->hold_expected++;
          if (v->last_tags & MS_TAG_LEAK)
            row->held++;
        }
      if (!isnan (v->early_set_s))
        row->false_leak++;
      if (v->sets > 1)
        row->flaps++;
    }
  else
    {
      row->nonleaks++;
      if (v->sets > 0)
        row->false_leak++;
    }
  if (v->spike_sets > 0)
    row->spikes_seen++;
  if (t->spike)
    {
      row->spike_expected++;
      if (v->spike_sets > 0 && v->first_spike_s >= t->spike_at_s
          && v->first_spike_s <= t->spike_at_s + 5.0)
        row->spike_found++;
    }
  if (t->spike_forbidden && v->spike_sets > 0)
    row->spike_false++;
  if (t->zombie)
    {
      row->zombie_expected++;
      if (v->zombie_sets == 1 && v->first_zombie_s == t->zombie_at_s)
        row->zombie_found++;
    }
}

/* ---- synthetic traces ---- */

typedef struct
{
  ms_detector_t *det;
  verdict_t v;
  double leak_start_s;
} synth_run_t;

static void
synth_event_cb (const ms_event_t *e, void *user)
{
  synth_run_t *r = user;

  verdict_event (&r->v, e, r->leak_start_s);
}

static void
synth_snapshot_cb (ms_snapshot_t *snap, void *user)
{
  synth_run_t *r = user;

  ms_detector_feed (r->det, snap, synth_event_cb, r);
  if (!r->v.seen)
    r->v.first_seen_s = snap->time_s;
  r->v.seen = true;
  r->v.last_seen_s = snap->time_s;
  r->v.last_tags = snap->procs[0].tags;
}

static bool
gc_pattern (ms_tg_pattern_t p)
{
  return p == MS_TG_SAWTOOTH_LEAK || p == MS_TG_STAIRCASE_LEAK || p == MS_TG_GC_LEAK
         || p == MS_TG_STAIR_DROP_LEAK;
}

/* Growth of a leak between its start and t_s, as the generator draws it. */
static double
synth_growth (const ms_tg_spec_t *s, double t_s)
{
  double on = fmax (t_s - s->start_s, 0);

  if (s->pattern == MS_TG_STAIRCASE_LEAK || s->pattern == MS_TG_STAIR_DROP_LEAK)
    return floor (on / s->period_s) * s->rate_kib_s * s->period_s;
  return s->rate_kib_s * on;
}

void
ms_eval_synthetic (ms_eval_t *ev, const ms_tg_spec_t *specs, size_t n,
                   const ms_detector_params_t *params)
{
  for (size_t i = 0; i < n; i++)
    {
      const ms_tg_spec_t *s = &specs[i];
      ms_tg_label_t lab;
      synth_run_t r;
      truth_t t = { 0 };
      ms_eval_row_t *row;

      ms_tg_label (s, &lab);
      memset (&r, 0, sizeof r);
      verdict_init (&r.v);
      r.leak_start_s = lab.leak ? lab.leak_from_s : NAN;
      r.det = ms_detector_new (params);
      if (r.det == NULL)
        {
          ev->errors++;
          continue;
        }
      ms_tg_run (s, synth_snapshot_cb, &r);
      ms_detector_free (r.det);

      t.leak = lab.leak;
      t.eligible = lab.leak_eligible;
      t.leak_start_s = lab.leak_from_s;
      if (lab.leak)
        {
          double need = fmax (16 * MIB, 0.02 * s->size_kib);

          t.deadline_s = ms_eval_deadline (lab.leak_from_s, 0, s->rate_kib_s,
                                           gc_pattern (s->pattern));
          /* A bound applies when the trace lasts that long, no hole hides the growth, and the
           * leak has grown enough by then to be told from the process's own variation. */
          t.bound_applies = lab.leak_eligible && t.deadline_s <= s->duration_s
                            && !(s->gap_len_s > 0 && s->gap_from_s < t.deadline_s
                                 && s->gap_from_s + s->gap_len_s > lab.leak_from_s)
                            && synth_growth (s, t.deadline_s) >= need;
          t.holds_to_end = true; /* every synthetic leak lasts to the end of its trace */
        }
      t.spike = lab.spike;
      t.spike_at_s = lab.spike_at_s;
      t.spike_forbidden = lab.spike_forbidden;
      t.zombie = lab.zombie;
      t.zombie_at_s = lab.zombie_at_s;

      for (int k = 0; k < 2; k++)
        {
          row = k == 0 ? &ev->rows[0] : ms_eval_row (ev, ms_tg_pattern_name (s->pattern));
          if (row == NULL)
            continue;
          row->traces++;
          tally (row, &t, &r.v);
        }

      if (lab.leak && lab.leak_eligible && (isnan (r.v.first_set_s) || !isnan (r.v.early_set_s)))
        note (ev, "missed LEAK: %s seed %llu interval %.2f size %.0f MiB rate %.0f KiB/s "
                  "from %.0f s for %.0f s (early set %.1f s)",
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, s->interval_s,
              s->size_kib / MIB, s->rate_kib_s, lab.leak_from_s, s->duration_s - lab.leak_from_s,
              r.v.early_set_s);
      else if (t.bound_applies && r.v.first_set_s > t.deadline_s)
        note (ev, "late LEAK: %s seed %llu interval %.2f size %.0f MiB rate %.0f KiB/s "
                  "from %.0f s: set %.1f s, deadline %.1f s",
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, s->interval_s,
              s->size_kib / MIB, s->rate_kib_s, lab.leak_from_s, r.v.first_set_s, t.deadline_s);
      if (lab.leak && lab.leak_eligible && !isnan (r.v.first_set_s)
          && !(r.v.last_tags & MS_TAG_LEAK))
        note (ev, "LEAK not held to the end: %s seed %llu interval %.2f size %.0f MiB rate %.0f "
                  "KiB/s from %.0f s, set %.1f s, trace ends %.0f s",
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, s->interval_s,
              s->size_kib / MIB, s->rate_kib_s, lab.leak_from_s, r.v.first_set_s, s->duration_s);
      if (lab.leak && r.v.sets > 1)
        note (ev, "LEAK set %d times: %s seed %llu interval %.2f rate %.0f KiB/s", r.v.sets,
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, s->interval_s,
              s->rate_kib_s);
      if (!lab.leak && r.v.sets > 0)
        note (ev, "false LEAK: %s seed %llu interval %.2f size %.0f MiB at %.1f s",
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, s->interval_s,
              s->size_kib / MIB, r.v.early_set_s);
      if (lab.spike_forbidden && r.v.spike_sets > 0)
        note (ev, "false SPIKE: %s seed %llu at %.1f s", ms_tg_pattern_name (s->pattern),
              (unsigned long long) s->seed, r.v.first_spike_s);
      if (lab.spike && !(r.v.first_spike_s >= lab.spike_at_s
                         && r.v.first_spike_s <= lab.spike_at_s + 5.0))
        note (ev, "missed SPIKE: %s seed %llu at %.1f s (first set %.1f s)",
              ms_tg_pattern_name (s->pattern), (unsigned long long) s->seed, lab.spike_at_s,
              r.v.first_spike_s);
    }
}

/* ---- recorded traces ---- */

typedef struct
{
  ms_detector_t *det;
  const ms_label_t *label;
  verdict_t v;           /* the labelled process */
  int others_false;      /* LEAK set on any other process */
  int others_seen;
  char other_comm[64];
  double other_at_s;
  int32_t *other_pids;   /* distinct other processes, to count them */
  size_t n_other, cap_other;
} corpus_run_t;

static void
corpus_event_cb (const ms_event_t *e, void *user)
{
  corpus_run_t *r = user;

  if (e->pid == r->label->pid && e->starttime == r->label->starttime)
    verdict_event (&r->v, e, r->label->leak ? r->label->leak_start_s : NAN);
  else if (e->tag == MS_TAG_LEAK && e->set)
    {
      if (r->others_false++ == 0)
        {
          snprintf (r->other_comm, sizeof r->other_comm, "%s", e->comm);
          r->other_at_s = e->time_s;
        }
    }
}

static int
corpus_sample_cb (ms_snapshot_t *snap, void *user)
{
  corpus_run_t *r = user;

  ms_detector_feed (r->det, snap, corpus_event_cb, r);
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];

      if (p->pid == r->label->pid && p->starttime == r->label->starttime)
        {
          if (!r->v.seen)
            r->v.first_seen_s = snap->time_s;
          r->v.seen = true;
          r->v.last_seen_s = snap->time_s;
          /* The verdict at the leak's end: the last sample before it stopped, or before the
           * process exited (a zombie holds no memory and no LEAK). */
          if (p->state != 'Z' && !(snap->time_s > r->label->leak_end_s))
            r->v.last_tags = p->tags;
        }
      else if (!p->kernel_thread)
        {
          size_t k;

          for (k = 0; k < r->n_other; k++)
            if (r->other_pids[k] == p->pid)
              break;
          if (k == r->n_other)
            {
              if (r->n_other == r->cap_other)
                {
                  size_t cap = r->cap_other ? r->cap_other * 2 : 64;
                  int32_t *grown = realloc (r->other_pids, cap * sizeof *grown);

                  if (grown == NULL)
                    return 1;
                  r->other_pids = grown;
                  r->cap_other = cap;
                }
              r->other_pids[r->n_other++] = p->pid;
            }
        }
    }
  return 0;
}

/* Reads a trace, through gzip -dc when it is compressed. */
static int
read_trace (const char *path, corpus_run_t *r, char *err, size_t err_len)
{
  size_t n = strlen (path);
  int fds[2], status = 0, rc;
  pid_t child;
  FILE *in;
  ms_trace_reader_t *reader;

  if (n < 3 || strcmp (path + n - 3, ".gz") != 0)
    return ms_trace_read_path (path, corpus_sample_cb, r, err, err_len);
  if (access (path, R_OK) != 0)
    {
      snprintf (err, err_len, "%s: %s", path, strerror (errno));
      return -1;
    }
  if (pipe (fds) != 0)
    {
      snprintf (err, err_len, "%s: cannot make a pipe: %s", path, strerror (errno));
      return -1;
    }
  child = fork ();
  if (child < 0)
    {
      snprintf (err, err_len, "%s: cannot start gzip: %s", path, strerror (errno));
      close (fds[0]);
      close (fds[1]);
      return -1;
    }
  if (child == 0)
    {
      dup2 (fds[1], 1);
      close (fds[0]);
      close (fds[1]);
      execlp ("gzip", "gzip", "-dc", "--", path, (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  in = fdopen (fds[0], "r");
  if (in == NULL)
    {
      close (fds[0]);
      waitpid (child, &status, 0);
      snprintf (err, err_len, "%s: %s", path, strerror (errno));
      return -1;
    }
  reader = ms_trace_reader_new (in, path);
  rc = reader != NULL ? ms_trace_reader_run (reader, corpus_sample_cb, r) : -1;
  if (rc < 0)
    snprintf (err, err_len, "%s", reader != NULL ? ms_trace_reader_error (reader) : "out of memory");
  ms_trace_reader_free (reader);
  fclose (in);
  waitpid (child, &status, 0);
  if (rc >= 0 && !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    {
      snprintf (err, err_len, "%s: gzip -dc failed (is gzip installed, is the file whole?)", path);
      rc = -1;
    }
  return rc;
}

static int
cmp_name (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
judge_label (ms_eval_t *ev, const char *label_dir, const char *plain_dir, const char *file,
             const char *only_set, const ms_detector_params_t *params)
{
  char path[4096], err[4096 + 256], *text = NULL;
  size_t len = 0, cap = 0, got;
  FILE *f;
  ms_label_t label;
  corpus_run_t r;
  truth_t t = { 0 };
  int rc;

  snprintf (path, sizeof path, "%s/%s", label_dir, file);
  if ((f = fopen (path, "r")) == NULL)
    {
      note (ev, "cannot read %s: %s", path, strerror (errno));
      ev->errors++;
      return -1;
    }
  do
    {
      if (len == cap)
        {
          char *grown = realloc (text, cap = cap ? cap * 2 : 4096);

          if (grown == NULL || cap > (1u << 20))
            {
              free (grown != NULL ? grown : text);
              fclose (f);
              note (ev, "%s: a label is a small file", path);
              ev->errors++;
              return -1;
            }
          text = grown;
        }
      got = fread (text + len, 1, cap - len, f);
      len += got;
    }
  while (got > 0);
  fclose (f);
  rc = ms_label_parse (text, len, path, &label, err, sizeof err);
  free (text);
  if (rc < 0)
    {
      note (ev, "%s", err);
      ev->errors++;
      return -1;
    }
  if (only_set != NULL && strcmp (label.set, only_set) != 0)
    return 0;

  memset (&r, 0, sizeof r);
  verdict_init (&r.v);
  r.label = &label;
  r.det = ms_detector_new (params);
  if (r.det == NULL)
    {
      ev->errors++;
      return -1;
    }
  path[0] = '\0';
  if (plain_dir != NULL)
    {
      size_t tl = strlen (label.trace);

      snprintf (path, sizeof path, "%s/%.*s", plain_dir,
                (int) (tl > 3 && strcmp (label.trace + tl - 3, ".gz") == 0 ? tl - 3 : tl),
                label.trace);
      if (access (path, R_OK) != 0)
        path[0] = '\0';
    }
  if (path[0] == '\0')
    snprintf (path, sizeof path, "%s/%s", label_dir, label.trace);
  rc = read_trace (path, &r, err, sizeof err);
  ms_detector_free (r.det);
  free (r.other_pids);
  if (rc < 0)
    {
      note (ev, "%s", err);
      ev->errors++;
      return -1;
    }
  if (!r.v.seen)
    {
      note (ev, "%s: the labelled process %d (starttime %llu) is not in %s", file, label.pid,
            (unsigned long long) label.starttime, label.trace);
      ev->errors++;
      return -1;
    }

  t.leak = label.leak;
  t.eligible = label.leak;
  t.leak_start_s = label.leak_start_s;
  if (label.leak)
    {
      t.deadline_s = ms_eval_deadline (label.leak_start_s, r.v.first_seen_s, label.rate_kib_s,
                                       label.gc_floor);
      t.bound_applies = t.deadline_s <= r.v.last_seen_s;
      t.holds_to_end = true;
    }
  {
    char rt[48];
    ms_eval_row_t *rows[3];

    snprintf (rt, sizeof rt, "runtime %s", label.runtime);
    rows[0] = &ev->rows[0];
    rows[1] = ms_eval_row (ev, label.kind);
    rows[2] = ms_eval_row (ev, rt);
    for (int k = 0; k < 3; k++)
      if (rows[k] != NULL)
        {
          rows[k]->traces++;
          tally (rows[k], &t, &r.v);
          /* Every other process of the trace (a compiler's children, a shell) is no leak. */
          rows[k]->nonleaks += (int) r.n_other;
          rows[k]->false_leak += r.others_false;
        }
  }
  if (label.leak)
    note (ev, "%-22s %-8s %-14s leak from %5.0f s: %s%.0f s (latency %.0f s, deadline %.0f s)%s",
          label.trace, label.set, label.kind, label.leak_start_s,
          isnan (r.v.first_set_s) ? "MISSED, " : "LEAK at ", r.v.first_set_s,
          r.v.first_set_s - label.leak_start_s, t.deadline_s,
          !isnan (r.v.early_set_s) ? ", EARLY" : (r.v.last_tags & MS_TAG_LEAK) ? ", held to the end"
                                                                                : ", NOT held");
  else
    note (ev, "%-22s %-8s %-14s no leak: %s%s", label.trace, label.set, label.kind,
          r.v.sets > 0 ? "FALSE LEAK" : "no LEAK", r.others_false > 0 ? ", FALSE LEAK on another" : "");
  if (!isnan (r.v.early_set_s))
    note (ev, "  false LEAK at %.1f s", r.v.early_set_s);
  if (r.others_false > 0)
    note (ev, "  false LEAK on %s at %.1f s (%d in all)", r.other_comm, r.other_at_s,
          r.others_false);
  return 1;
}

int
ms_eval_corpus (ms_eval_t *ev, const char *label_dir, const char *plain_dir,
                const char *only_set, const ms_detector_params_t *params)
{
  DIR *dir = opendir (label_dir);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0;
  int judged = 0;

  if (dir == NULL)
    {
      note (ev, "cannot read the folder %s: %s", label_dir, strerror (errno));
      ev->errors++;
      return -1;
    }
  while ((de = readdir (dir)) != NULL)
    {
      size_t l = strlen (de->d_name);

      if (l <= 5 || strcmp (de->d_name + l - 5, ".json") != 0)
        continue;
      if (n == cap)
        {
          char **grown = realloc (names, (cap = cap ? cap * 2 : 32) * sizeof *names);

          if (grown == NULL)
            break;
          names = grown;
        }
      names[n] = strdup (de->d_name);
      if (names[n] != NULL)
        n++;
    }
  closedir (dir);
  if (n > 0)
    qsort (names, n, sizeof *names, cmp_name);
  for (size_t i = 0; i < n; i++)
    {
      if (judge_label (ev, label_dir, plain_dir, names[i], only_set, params) > 0)
        judged++;
      free (names[i]);
    }
  free (names);
  return judged;
}

/* ---- report ---- */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
ms_eval_median (const ms_eval_row_t *row)
{
  double v[MS_EVAL_MAX_LAT];
  int n = row->n_lat;

  if (n == 0)
    return NAN;
  memcpy (v, row->lat_s, (size_t) n * sizeof *v);
  qsort (v, (size_t) n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double
ms_eval_max_latency (const ms_eval_row_t *row)
{
  double m = NAN;

  for (int i = 0; i < row->n_lat; i++)
    if (isnan (m) || row->lat_s[i] > m)
      m = row->lat_s[i];
  return m;
}

static void
print_row (FILE *out, const ms_eval_row_t *r)
{
  char recall[16] = "-", lat[32] = "-";

  if (r->leaks > 0)
    snprintf (recall, sizeof recall, "%.3f", (double) r->found / r->leaks);
  if (r->n_lat > 0)
    snprintf (lat, sizeof lat, "%.0f / %.0f", ms_eval_median (r), ms_eval_max_latency (r));
  fprintf (out, "%-20s %6d %5d/%-5d %6s %5d/%-5d %5d/%-5d %11s %8d %7d %5d/%-4d %5d %7d %4d/%-4d\n",
           r->group, r->traces, r->found, r->leaks, recall, r->in_bound, r->bound_leaks, r->held,
           r->hold_expected, lat, r->nonleaks, r->false_leak, r->spike_found, r->spike_expected,
           r->spike_false, r->spikes_seen, r->zombie_found, r->zombie_expected);
}

void
ms_eval_print (const ms_eval_t *ev, FILE *out, const char *title)
{
  fprintf (out, "%s\n", title);
  fprintf (out, "%-20s %6s %11s %6s %11s %11s %11s %8s %7s %10s %5s %7s %9s\n", "group", "traces",
           "leaks found", "recall", "in bound", "held", "latency s", "no-leaks", "false",
           "spike", "false", "spikes", "zombie");
  fprintf (out, "%-20s %6s %11s %6s %11s %11s %11s %8s %7s %10s %5s %7s %9s\n", "", "", "", "",
           "", "to end", "median/max", "", "LEAK", "found", "SPIKE", "seen", "found");
  for (int i = 1; i < ev->n_rows; i++)
    print_row (out, &ev->rows[i]);
  print_row (out, &ev->rows[0]);
}
