/* SPDX-License-Identifier: MIT */
/* Recordings: a trace writer fed with live snapshots, and a streamed, cancellable trace loader. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "detector.h"
#include "memscope-explain.h"
#include "memscope-recording-private.h"
#include "trace.h"

#define PROGRESS_INTERVAL_US (100 * 1000)
#define FINE_SPAN_S 3600.0   /* the machine series keeps every sample of the last hour ... */
#define COARSE_RES_S 60.0    /* ... and the busiest one per minute before it */

/* ============================================================================================ */
/* MemscopeRecording                                                                            */
/* ============================================================================================ */

struct _MemscopeRecording
{
  GObject parent_instance;

  char *path;
  char *error;
  guint64 error_line;
  guint n_samples;
  double first_s, last_s;

  MemscopeSnapshot *snapshot;
  GArray *points; /* MemscopeTimelinePoint: per-minute points, then every point of the last hour */
  guint n_coarse; /* how many of `points` are per-minute */
  GArray *events; /* ms_event_t */
  ms_detector_t *detector;
};

G_DEFINE_FINAL_TYPE (MemscopeRecording, memscope_recording, G_TYPE_OBJECT)

static void
memscope_recording_finalize (GObject *object)
{
  MemscopeRecording *self = (MemscopeRecording *) object;

  g_free (self->path);
  g_free (self->error);
  g_clear_pointer (&self->snapshot, memscope_snapshot_unref);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->detector, ms_detector_free);

  G_OBJECT_CLASS (memscope_recording_parent_class)->finalize (object);
}

static void
memscope_recording_class_init (MemscopeRecordingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = memscope_recording_finalize;
}

static void
memscope_recording_init (MemscopeRecording *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (MemscopeTimelinePoint));
  self->events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
}

/* --- Loading -------------------------------------------------------------------------------- */

/* What is kept of one process across the samples: its values at first sight (identity, names)
 * and the few numbers that change, updated in place. */
typedef struct
{
  ms_proc_t proc;
  gint64 first_footprint_kib;
  double first_s;
} ProcEntry;

typedef struct
{
  gint32 pid;
  guint64 starttime;
} ProcKey;

typedef struct
{
  /* set up on the main thread */
  char *path;
  MemscopeProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;

  /* the worker's */
  FILE *file;
  gint64 file_size;
  gint64 last_progress_us;
  GCancellable *cancellable;
  MemscopeRecording *recording;
  GArray *procs;          /* ProcEntry */
  GHashTable *index;      /* ProcKey * (inside procs' storage is unstable: keys are separate) */
  GArray *hints;          /* guint: entry of the process at the same position last sample */
  gboolean cancelled;
} LoadJob;

typedef struct
{
  MemscopeProgressFunc progress;
  gpointer data;
  double fraction;
} ProgressUpdate;

static guint
key_hash (gconstpointer p)
{
  const ProcKey *k = p;

  return (guint) k->pid * 2654435761u ^ (guint) (k->starttime * 40503u);
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const ProcKey *x = a, *y = b;

  return x->pid == y->pid && x->starttime == y->starttime;
}

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->path);
  if (job->file != NULL)
    fclose (job->file);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->recording);
  g_clear_pointer (&job->procs, g_array_unref);
  g_clear_pointer (&job->index, g_hash_table_unref);
  g_clear_pointer (&job->hints, g_array_unref);
  g_free (job);
}

static gboolean
progress_cb (gpointer data)
{
  ProgressUpdate *update = data;

  update->progress (update->fraction, update->data);
  return G_SOURCE_REMOVE;
}

static void
event_cb (const ms_event_t *event,
          void             *user)
{
  LoadJob *job = user;

  g_array_append_val (job->recording->events, *event);
}

static guint
lookup_entry (LoadJob         *job,
              const ms_proc_t *p,
              double           t)
{
  ProcKey key = { p->pid, p->starttime };
  gpointer value;
  ProcEntry entry = { 0 };
  ProcKey *stored;

  if (g_hash_table_lookup_extended (job->index, &key, NULL, &value))
    return GPOINTER_TO_UINT (value);
  entry.proc = *p;
  entry.first_footprint_kib = p->footprint_kib;
  entry.first_s = t;
  g_array_append_val (job->procs, entry);
  stored = g_new (ProcKey, 1);
  *stored = key;
  g_hash_table_insert (job->index, stored, GUINT_TO_POINTER (job->procs->len - 1));
  return job->procs->len - 1;
}

static gint64
point_total (const MemscopeTimelinePoint *p)
{
  return p->used_kib + MAX (p->cache_kib, 0) + p->swap_kib;
}

/* Long recordings stay bounded: points older than an hour before the newest are folded into
 * per-minute buckets that keep their busiest point (a day is about 5,000 points, not 86,400). */
static void
age_points (MemscopeRecording *rec,
            double             now)
{
  guint first_fine = rec->n_coarse, moved = 0;

  /* Fold a minute at a time, so the array's front moves rarely. */
  if (first_fine >= rec->points->len
      || g_array_index (rec->points, MemscopeTimelinePoint, first_fine).time_s
           >= now - FINE_SPAN_S - COARSE_RES_S)
    return;
  while (first_fine + moved < rec->points->len
         && g_array_index (rec->points, MemscopeTimelinePoint, first_fine + moved).time_s
              < now - FINE_SPAN_S)
    {
      MemscopeTimelinePoint p = g_array_index (rec->points, MemscopeTimelinePoint,
                                               first_fine + moved);
      MemscopeTimelinePoint *tail = rec->n_coarse > 0
        ? &g_array_index (rec->points, MemscopeTimelinePoint, rec->n_coarse - 1) : NULL;

      if (tail != NULL && floor (tail->time_s / COARSE_RES_S) == floor (p.time_s / COARSE_RES_S))
        {
          if (point_total (&p) > point_total (tail))
            *tail = p;
        }
      else
        {
          g_array_index (rec->points, MemscopeTimelinePoint, rec->n_coarse) = p;
          rec->n_coarse++;
        }
      moved++;
    }
  /* The slots between the coarse points and the remaining fine ones are free now. */
  if (first_fine + moved > rec->n_coarse)
    g_array_remove_range (rec->points, rec->n_coarse, first_fine + moved - rec->n_coarse);
}

static int
load_sample_cb (ms_snapshot_t *snap,
                void          *user)
{
  LoadJob *job = user;
  MemscopeRecording *rec = job->recording;
  MemscopeTimelinePoint point;
  double t = snap->time_s;

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      job->cancelled = TRUE;
      return 1;
    }

  if (rec->n_samples == 0)
    rec->first_s = t;
  rec->last_s = t;
  rec->n_samples++;

  memscope_timeline_point_from_snapshot (&point, snap, t);
  g_array_append_val (rec->points, point);
  age_points (rec, t);

  ms_detector_feed (rec->detector, snap, event_cb, job);

  /* Processes usually come in the same order every sample: try last sample's entry at the same
   * position before the hash table. */
  if (job->hints->len < snap->n_procs)
    g_array_set_size (job->hints, snap->n_procs);
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];
      guint hint = g_array_index (job->hints, guint, i);
      ProcEntry *e = hint < job->procs->len ? &g_array_index (job->procs, ProcEntry, hint) : NULL;
      guint at;

      if (e != NULL && e->proc.pid == p->pid && e->proc.starttime == p->starttime)
        at = hint;
      else
        {
          at = lookup_entry (job, p, t);
          g_array_index (job->hints, guint, i) = at;
          e = &g_array_index (job->procs, ProcEntry, at);
        }
      e->proc.ppid = p->ppid;
      e->proc.state = p->state;
      e->proc.rss_kib = p->rss_kib;
      e->proc.anon_kib = p->anon_kib;
      e->proc.file_kib = p->file_kib;
      e->proc.shmem_kib = p->shmem_kib;
      e->proc.swap_kib = p->swap_kib;
      e->proc.hwm_kib = MAX (e->proc.hwm_kib, p->rss_kib);
      e->proc.pss_kib = p->pss_kib;
      e->proc.footprint_kib = p->footprint_kib;
      e->proc.cpu_pct = p->cpu_pct;
      e->proc.first_seen_s = t; /* reused as "last seen" until the end */
    }

  if (job->progress != NULL && job->file_size > 0)
    {
      gint64 now = g_get_monotonic_time ();

      if (now - job->last_progress_us >= PROGRESS_INTERVAL_US)
        {
          ProgressUpdate *update = g_new (ProgressUpdate, 1);
          long pos = ftell (job->file);

          job->last_progress_us = now;
          update->progress = job->progress;
          update->data = job->progress_data;
          update->fraction = CLAMP ((double) pos / (double) job->file_size, 0.0, 1.0);
          GSource *source = g_idle_source_new ();

          /* A source, never g_main_context_invoke(): that may run progress_cb on this thread. */
          g_source_set_priority (source, G_PRIORITY_DEFAULT);
          g_source_set_callback (source, progress_cb, update, g_free);
          g_source_attach (source, job->context);
          g_source_unref (source);
        }
    }
  return 0;
}

/* The process list at the end: every process seen, with its last values and the detector's
 * verdict.  Processes gone before the end keep their last values, marked as exited (state X). */
static void
build_snapshot (LoadJob *job)
{
  MemscopeRecording *rec = job->recording;
  ms_snapshot_t base = { 0 };
  g_autofree ms_proc_t *procs = g_new0 (ms_proc_t, MAX (job->procs->len, 1));

  for (guint i = 0; i < job->procs->len; i++)
    {
      ProcEntry *e = &g_array_index (job->procs, ProcEntry, i);
      ms_proc_t *p = &procs[i];

      *p = e->proc;
      if (e->proc.first_seen_s < rec->last_s)
        p->state = 'X';
      p->baseline_kib = e->first_footprint_kib;
      p->delta_kib = p->footprint_kib - e->first_footprint_kib;
      p->first_seen_s = e->first_s;
      p->tags = ms_detector_tags (rec->detector, p->pid, p->starttime);
    }
  if (rec->points->len > 0)
    {
      const MemscopeTimelinePoint *last =
        &g_array_index (rec->points, MemscopeTimelinePoint, rec->points->len - 1);

      base.mem.mem_total_kib = last->total_kib;
      base.mem.mem_available_kib = last->total_kib - last->used_kib;
    }
  base.time_s = rec->last_s;
  base.n_procs = job->procs->len;
  base.procs = procs;
  rec->snapshot = memscope_snapshot_new_copy (&base, 1);
  for (guint i = 0; i < base.n_procs; i++)
    {
      ms_tag_facts_t facts;

      if (procs[i].tags != 0
          && ms_detector_facts (rec->detector, procs[i].pid, procs[i].starttime, &facts))
        {
          g_autofree char *explanation = NULL;

          ms_tag_facts_find_parent (&facts, &base, &procs[i]);
          explanation = memscope_explain_tags (&facts);

          memscope_snapshot_set_explanation (rec->snapshot, i, explanation);
        }
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  MemscopeRecording *rec;
  ms_trace_reader_t *reader;
  ms_history_params_t hp;
  struct stat st;
  int rc;

  job->cancellable = cancellable;
  job->file = fopen (job->path, "rb");
  if (job->file == NULL)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("%s: cannot open: %s"), job->path, g_strerror (saved));
      return;
    }
  if (fstat (fileno (job->file), &st) == 0)
    job->file_size = st.st_size;

  rec = job->recording = g_object_new (MEMSCOPE_TYPE_RECORDING, NULL);
  rec->path = g_strdup (job->path);
  /* Exited processes' histories stay readable for the whole recording view; a long recording is
   * bounded by the tiers' sizes, not by its length. */
  ms_history_params_init (&hp);
  hp.exited_keep_s = 3600;
  rec->detector = ms_detector_new_full (NULL, &hp);
  job->procs = g_array_new (FALSE, FALSE, sizeof (ProcEntry));
  job->index = g_hash_table_new_full (key_hash, key_equal, g_free, NULL);
  job->hints = g_array_new (FALSE, TRUE, sizeof (guint));

  reader = ms_trace_reader_new (job->file, job->path);
  if (reader == NULL || rec->detector == NULL)
    {
      ms_trace_reader_free (reader);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: out of memory"),
                               job->path);
      return;
    }
  rc = ms_trace_reader_run (reader, load_sample_cb, job);
  if (rc < 0)
    {
      rec->error = g_strdup (ms_trace_reader_error (reader));
      rec->error_line = ms_trace_reader_error_line (reader);
    }
  ms_trace_reader_free (reader);

  if (job->cancelled || g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Loading was cancelled"));
      return;
    }
  if (rec->n_samples == 0)
    {
      if (rec->error != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", rec->error);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("%s: no samples in this file"), job->path);
      return;
    }
  build_snapshot (job);
  g_task_return_pointer (task, g_steal_pointer (&job->recording), g_object_unref);
}

static GTask *
load_task_new (const char           *path,
               GCancellable         *cancellable,
               MemscopeProgressFunc  progress,
               gpointer              progress_data,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->path = g_strdup (path);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, memscope_recording_load_async);
  g_task_set_task_data (task, job, load_job_free);
  return task;
}

void
memscope_recording_load_async (const char           *path,
                               GCancellable         *cancellable,
                               MemscopeProgressFunc  progress,
                               gpointer              progress_data,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = load_task_new (path, cancellable, progress, progress_data, callback, user_data);
  g_task_run_in_thread (task, load_thread);
}

MemscopeRecording *
memscope_recording_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MemscopeRecording *
memscope_recording_load (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  task = load_task_new (path, cancellable, NULL, NULL, NULL, NULL);
  g_task_run_in_thread_sync (task, load_thread);
  return g_task_propagate_pointer (task, error);
}

const char *
memscope_recording_get_path (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), NULL);
  return self->path;
}

const char *
memscope_recording_get_error (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), NULL);
  return self->error;
}

guint64
memscope_recording_get_error_line (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);
  return self->error_line;
}

guint
memscope_recording_get_n_samples (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);
  return self->n_samples;
}

double
memscope_recording_get_first_s (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);
  return self->first_s;
}

double
memscope_recording_get_last_s (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);
  return self->last_s;
}

MemscopeSnapshot *
memscope_recording_get_snapshot (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), NULL);
  return self->snapshot;
}

const MemscopeTimelinePoint *
memscope_recording_get_points (MemscopeRecording *self,
                               guint             *n_points)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), NULL);

  *n_points = self->points->len;
  return (const MemscopeTimelinePoint *) (gpointer) self->points->data;
}

GArray *
memscope_recording_get_events (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), NULL);
  return self->events;
}

gsize
memscope_recording_get_history (MemscopeRecording  *self,
                                gint32              pid,
                                guint64             starttime,
                                ms_history_point_t *out,
                                gsize               max)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);

  return ms_history_get (ms_detector_history (self->detector), pid, starttime, -INFINITY, out,
                         max);
}

gsize
memscope_recording_get_memory_bytes (MemscopeRecording *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING (self), 0);

  return self->points->len * sizeof (MemscopeTimelinePoint)
         + self->events->len * sizeof (ms_event_t)
         + (self->snapshot != NULL ? self->snapshot->base.n_procs * sizeof (ms_proc_t) : 0)
         + ms_detector_memory_bytes (self->detector)
         + ms_history_memory_bytes (ms_detector_history (self->detector));
}

/* ============================================================================================ */
/* MemscopeRecorder                                                                             */
/* ============================================================================================ */

struct _MemscopeRecorder
{
  GObject parent_instance;

  char *path;
  FILE *file;
  ms_trace_writer_t *writer;
  double first_s;
  guint n_samples;
};

G_DEFINE_FINAL_TYPE (MemscopeRecorder, memscope_recorder, G_TYPE_OBJECT)

enum {
  REC_PROP_0,
  REC_PROP_ACTIVE,
  REC_PROP_N_SAMPLES,
  REC_N_PROPS
};

static GParamSpec *recorder_properties[REC_N_PROPS];

void
memscope_recorder_stop (MemscopeRecorder *self)
{
  g_return_if_fail (MEMSCOPE_IS_RECORDER (self));

  if (self->file == NULL)
    return;
  g_clear_pointer (&self->writer, ms_trace_writer_free);
  fclose (self->file);
  self->file = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), recorder_properties[REC_PROP_ACTIVE]);
}

static void
memscope_recorder_finalize (GObject *object)
{
  MemscopeRecorder *self = (MemscopeRecorder *) object;

  g_clear_pointer (&self->writer, ms_trace_writer_free);
  if (self->file != NULL)
    fclose (self->file);
  g_free (self->path);

  G_OBJECT_CLASS (memscope_recorder_parent_class)->finalize (object);
}

static void
memscope_recorder_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MemscopeRecorder *self = MEMSCOPE_RECORDER (object);

  switch (prop_id)
    {
    case REC_PROP_ACTIVE:
      g_value_set_boolean (value, self->file != NULL);
      break;
    case REC_PROP_N_SAMPLES:
      g_value_set_uint (value, self->n_samples);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_recorder_class_init (MemscopeRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = memscope_recorder_finalize;
  object_class->get_property = memscope_recorder_get_property;

  recorder_properties[REC_PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  recorder_properties[REC_PROP_N_SAMPLES] =
    g_param_spec_uint ("n-samples", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, REC_N_PROPS, recorder_properties);
}

static void
memscope_recorder_init (MemscopeRecorder *self)
{
}

MemscopeRecorder *
memscope_recorder_new (const char  *path,
                       GError     **error)
{
  g_autoptr (MemscopeRecorder) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_RECORDER, NULL);
  self->path = g_strdup (path);
  self->file = g_fopen (path, "wb");
  if (self->file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("%s: cannot create: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  self->writer = ms_trace_writer_new (self->file);
  if (self->writer == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("%s: cannot write: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
memscope_recorder_add (MemscopeRecorder        *self,
                       const MemscopeSnapshot  *snapshot,
                       GError           **error)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  if (self->writer == NULL)
    return TRUE;
  if (self->n_samples == 0)
    self->first_s = snapshot->base.time_s;
  if (ms_trace_writer_sample (self->writer, &snapshot->base,
                              snapshot->base.time_s - self->first_s) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("%s: cannot write: %s"),
                   self->path, g_strerror (saved));
      memscope_recorder_stop (self);
      return FALSE;
    }
  self->n_samples++;
  g_object_notify_by_pspec (G_OBJECT (self), recorder_properties[REC_PROP_N_SAMPLES]);
  return TRUE;
}

gboolean
memscope_recorder_get_active (MemscopeRecorder *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDER (self), FALSE);
  return self->file != NULL;
}

const char *
memscope_recorder_get_path (MemscopeRecorder *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDER (self), NULL);
  return self->path;
}

guint
memscope_recorder_get_n_samples (MemscopeRecorder *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDER (self), 0);
  return self->n_samples;
}
