/* SPDX-License-Identifier: MIT */
/* One machine's history: in memory for the timeline and the events list, on disk (written by a
 * worker thread) for the next run, "Record to…" and the blame of a range. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "memscope-history-private.h"
#include "memscope-recording.h"
#include "memscope-seams.h"

#define HISTORY_S 3600.0      /* the machine series kept in memory and read back at start */
#define EVENTS_BACK_S 86400.0 /* ... and the events */
#define MAX_EVENTS 1000       /* events kept in memory */
#define HOST_SUBDIR "host"    /* the Flatpak's host, under the state directory */

typedef enum
{
  JOB_OPEN,
  JOB_SAMPLE,
  JOB_RECORD_START,
  JOB_RECORD_STOP,
  JOB_QUIT,
} JobKind;

typedef struct
{
  JobKind kind;
  MemscopeSnapshot *snapshot; /* SAMPLE */
  double time_unix;           /* SAMPLE: its wall-clock time */
  GArray *events;             /* SAMPLE: ms_event_t for the log, NULL when none */
  MemscopeRecorder *recorder; /* RECORD_START */
  guint recording_id;         /* RECORD_START */
} Job;

/* Shared by the object (main thread) and the worker; reference-counted so a report that arrives
 * after the object is gone finds it and is dropped. */
typedef struct
{
  GAsyncQueue *queue;       /* Job *, main → worker */
  GMainContext *context;    /* where reports run */
  char *dir;                /* NULL: memory only */
  GMutex lock;
  GCond done_cond;
  guint64 n_done;           /* jobs finished (under lock) */
  MemscopeHistory *owner;   /* main thread only; NULL once disposed */
} Worker;

typedef enum
{
  REPORT_LOADED,
  REPORT_RECORDED,
  REPORT_STORE, /* a sample could not be stored (error set), or could again (error NULL) */
} ReportKind;

typedef struct
{
  Worker *worker;
  ReportKind kind;
  GArray *points;    /* LOADED: MemscopeTimelinePoint */
  GArray *events;    /* LOADED: ms_store_event_t */
  char *error;       /* LOADED: the store cannot be opened; RECORDED: the write failed;
                      * STORE: why a sample could not be stored, NULL once one could */
  guint recording_id; /* RECORDED */
  guint n_recorded;   /* RECORDED */
} Report;

struct _MemscopeHistory
{
  GObject parent_instance;

  /* owned */
  Worker *worker;
  GThread *thread;
  char *dir;
  GArray *points;            /* MemscopeTimelinePoint, oldest first */
  GArray *events;            /* ms_store_event_t, oldest first */
  char *error;
  char *recording_path;
  guint recording_id;        /* counts recordings, so a late report of an old one is dropped */
  guint n_recorded;
  guint64 n_pushed;          /* jobs handed to the worker */
  gboolean loaded;

  /* borrowed */
  MemscopeSamplerThread *sampler;
};

G_DEFINE_FINAL_TYPE (MemscopeHistory, memscope_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ERROR,
  PROP_RECORDING_PATH,
  PROP_N_RECORDED,
  N_PROPS
};

enum {
  LOADED,
  POINT_ADDED,
  EVENT_ADDED,
  RECORDING_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
memscope_history_dir_for (MemscopeSamplerThread *sampler)
{
  g_autofree char *dir = memscope_state_dir ();

  g_return_val_if_fail (sampler == NULL || MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);

  if (sampler != NULL && memscope_sampler_thread_get_host_source (sampler) != NULL)
    {
      const char *remote =
        memscope_host_source_get_remote (memscope_sampler_thread_get_host_source (sampler));
      g_autofree char *name = NULL;

      if (remote == NULL)
        return g_build_filename (dir, HOST_SUBDIR, NULL);
      /* Each remote machine keeps its own history, under a name that is one path component. */
      name = g_uri_escape_string (remote, NULL, FALSE);
      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        {
          g_free (name);
          name = g_strdup (*remote == '.' && remote[1] == '\0' ? "%2E" : "%2E%2E");
        }
      return g_build_filename (dir, "remote", name, NULL);
    }
  return g_steal_pointer (&dir);
}

/* --- The worker ------------------------------------------------------------------------------ */

static void
job_free (Job *job)
{
  g_clear_pointer (&job->snapshot, memscope_snapshot_unref);
  g_clear_pointer (&job->events, g_array_unref);
  g_clear_object (&job->recorder);
  g_free (job);
}

static void
worker_clear (gpointer data)
{
  Worker *worker = data;

  g_async_queue_unref (worker->queue);
  g_main_context_unref (worker->context);
  g_free (worker->dir);
  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->done_cond);
}

static Worker *
worker_ref (Worker *worker)
{
  return g_atomic_rc_box_acquire (worker);
}

static void
worker_unref (Worker *worker)
{
  g_atomic_rc_box_release_full (worker, worker_clear);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  worker_unref (report->worker);
  g_clear_pointer (&report->points, g_array_unref);
  g_clear_pointer (&report->events, g_array_unref);
  g_free (report->error);
  g_free (report);
}

static gboolean report_cb (gpointer data);

/* Worker: hands a report to the main thread, always through a source (see the sampler's
 * deliver()). */
static void
post_report (Worker *worker,
             Report *report)
{
  GSource *source = g_idle_source_new ();

  report->worker = worker_ref (worker);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, report_cb, report, report_free);
  g_source_attach (source, worker->context);
  g_source_unref (source);
}

static int
read_sample_cb (ms_snapshot_t *snap,
                void          *user)
{
  GArray *points = user;
  MemscopeTimelinePoint point;

  memscope_timeline_point_from_snapshot (&point, snap, snap->time_s);
  g_array_append_val (points, point);
  return 0;
}

static int
read_event_cb (const ms_store_event_t *ev,
               void                   *user)
{
  g_array_append_val ((GArray *) user, *ev);
  return 0;
}

/* Worker: opens the store (its new segments) and reads back what earlier runs left. */
static ms_store_t *
open_and_load (Worker *worker)
{
  Report *report = g_new0 (Report, 1);
  ms_store_t *store = NULL;

  report->kind = REPORT_LOADED;
  report->points = g_array_new (FALSE, FALSE, sizeof (MemscopeTimelinePoint));
  report->events = g_array_new (FALSE, FALSE, sizeof (ms_store_event_t));
  if (worker->dir != NULL)
    {
      double now = (double) g_get_real_time () / 1e6;
      char err[1024] = "";
      unsigned n_damaged = 0, n_bad = 0;

      store = ms_store_open (worker->dir, NULL, err, sizeof err);
      if (store == NULL)
        report->error = g_strdup (err);
      ms_store_read (worker->dir, now - HISTORY_S, INFINITY, read_sample_cb, report->points,
                     &n_damaged, err, sizeof err);
      ms_store_read_events (worker->dir, now - EVENTS_BACK_S, read_event_cb, report->events,
                            &n_bad);
      if (n_damaged > 0 || n_bad > 0)
        g_debug ("%s: %u damaged segment(s), %u unreadable event line(s)", worker->dir,
                 n_damaged, n_bad);
    }
  post_report (worker, report);
  return store;
}

/* Worker thread: owns the store and the recorder being written; touches nothing of the object. */
static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  ms_store_t *store = NULL;
  MemscopeRecorder *recorder = NULL;
  guint recording_id = 0;
  gboolean store_failed = FALSE;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);
      JobKind kind = job->kind;

      switch (kind)
        {
        case JOB_OPEN:
          store = open_and_load (worker);
          break;

        case JOB_SAMPLE:
          if (store != NULL)
            {
              ms_snapshot_t copy = job->snapshot->base;
              char err[512];

              copy.time_unix = job->time_unix;
              if ((ms_store_add (store, &copy, err, sizeof err) != 0) != store_failed)
                {
                  /* Said once per run of failures (a full disk, say), and when it ends: the
                   * next sample tries again. */
                  Report *report = g_new0 (Report, 1);

                  store_failed = !store_failed;
                  report->kind = REPORT_STORE;
                  report->error = store_failed ? g_strdup (err) : NULL;
                  post_report (worker, report);
                }
              for (guint i = 0; job->events != NULL && i < job->events->len; i++)
                {
                  const ms_event_t *ev = &g_array_index (job->events, ms_event_t, i);

                  ms_store_add_event (store, ev, ev->time_s);
                }
            }
          if (recorder != NULL)
            {
              g_autoptr (GError) error = NULL;
              Report *report = g_new0 (Report, 1);

              report->kind = REPORT_RECORDED;
              report->recording_id = recording_id;
              if (!memscope_recorder_add (recorder, job->snapshot, &error))
                {
                  report->error = g_strdup (error->message);
                  g_clear_object (&recorder);
                }
              else
                report->n_recorded = memscope_recorder_get_n_samples (recorder);
              post_report (worker, report);
            }
          break;

        case JOB_RECORD_START:
          if (recorder != NULL)
            memscope_recorder_stop (recorder);
          g_clear_object (&recorder);
          recorder = g_steal_pointer (&job->recorder);
          recording_id = job->recording_id;
          break;

        case JOB_RECORD_STOP:
          if (recorder != NULL)
            memscope_recorder_stop (recorder);
          g_clear_object (&recorder);
          break;

        case JOB_QUIT:
        default:
          break;
        }

      job_free (job);
      g_mutex_lock (&worker->lock);
      worker->n_done++;
      g_cond_broadcast (&worker->done_cond);
      g_mutex_unlock (&worker->lock);
      if (kind == JOB_QUIT)
        break;
    }

  if (recorder != NULL)
    memscope_recorder_stop (recorder);
  g_clear_object (&recorder);
  g_clear_pointer (&store, ms_store_close);
  worker_unref (worker);
  return NULL;
}

static void
push_job (MemscopeHistory *self,
          Job             *job)
{
  g_assert (MEMSCOPE_IS_HISTORY (self));

  self->n_pushed++;
  g_async_queue_push (self->worker->queue, job);
}

/* --- In memory --------------------------------------------------------------------------------- */

static void
append_point (MemscopeHistory             *self,
              const MemscopeTimelinePoint *point)
{
  g_assert (MEMSCOPE_IS_HISTORY (self));

  g_array_append_val (self->points, *point);
  /* The last hour; trimmed a minute at a time rather than every tick. */
  if (self->points->len > 1
      && g_array_index (self->points, MemscopeTimelinePoint, 0).time_s
           < point->time_s - HISTORY_S - 60)
    {
      guint n = 0;

      while (n < self->points->len
             && g_array_index (self->points, MemscopeTimelinePoint, n).time_s
                  < point->time_s - HISTORY_S)
        n++;
      g_array_remove_range (self->points, 0, n);
    }
}

static void
remember_event (MemscopeHistory        *self,
                const ms_store_event_t *ev)
{
  g_assert (MEMSCOPE_IS_HISTORY (self));

  g_array_append_val (self->events, *ev);
  if (self->events->len > MAX_EVENTS)
    g_array_remove_range (self->events, 0, self->events->len - MAX_EVENTS);
  if (self->loaded)
    g_signal_emit (self, signals[EVENT_ADDED], 0, ev);
}

void
memscope_history_add (MemscopeHistory        *self,
                      const MemscopeSnapshot *snapshot)
{
  const ms_snapshot_t *snap;
  double t;
  MemscopeTimelinePoint point;
  Job *job;

  g_return_if_fail (MEMSCOPE_IS_HISTORY (self));
  g_return_if_fail (snapshot != NULL);

  snap = &snapshot->base;
  t = snap->time_unix > 0 ? snap->time_unix : (double) g_get_real_time () / 1e6;
  job = g_new0 (Job, 1);
  job->kind = JOB_SAMPLE;
  job->snapshot = memscope_snapshot_ref (snapshot);
  job->time_unix = t;
  /* Most ticks carry no event: no array for them. */
  if (snapshot->events != NULL && snapshot->events->len > 0)
    job->events = g_array_sized_new (FALSE, FALSE, sizeof (ms_event_t), snapshot->events->len);

  memscope_timeline_point_from_snapshot (&point, snap, t);
  append_point (self, &point);
  if (self->loaded)
    g_signal_emit (self, signals[POINT_ADDED], 0, &point);

  /* The detector's events carry its figures (rate, confidence, time to exhaustion); the log
   * keeps them on the wall clock. */
  if (job->events != NULL)
    for (guint i = 0; i < snapshot->events->len; i++)
      {
        ms_store_event_t ev = { 0 };

        ev.event = g_array_index (snapshot->events, ms_event_t, i);
        ev.event.time_s = t;
        g_array_append_val (job->events, ev.event);
        remember_event (self, &ev);
      }

  /* The store logs OOM kills itself; the list shows them at once too.  Both read the kills the
   * worker derived from the kernel's counter. */
  if (snap->new_oom_kills > 0)
    {
      ms_store_event_t ev = { 0 };

      ev.event.time_s = t;
      g_strlcpy (ev.event.comm, MS_TRACE_MACHINE_COMM, sizeof ev.event.comm);
      ev.event.tag = MS_STORE_TAG_OOM;
      ev.event.set = TRUE;
      ev.oom_kills = snap->new_oom_kills;
      remember_event (self, &ev);
    }

  push_job (self, job);
}

static void
snapshot_cb (MemscopeHistory        *self,
             const MemscopeSnapshot *snapshot)
{
  memscope_history_add (self, snapshot);
}

/* --- Reports from the worker -------------------------------------------------------------------- */

static void
set_error (MemscopeHistory *self,
           const char      *error)
{
  g_assert (MEMSCOPE_IS_HISTORY (self));

  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
loaded (MemscopeHistory *self,
        Report          *report)
{
  g_autoptr (GArray) live_points = self->points;
  g_autoptr (GArray) live_events = self->events;

  g_assert (MEMSCOPE_IS_HISTORY (self));

  if (report->error != NULL)
    {
      /* The history still works in memory; only the rolling recording is lost.  Said, not
       * warned: a full or read-only disk is the machine's state, not memscope's fault. */
      g_message ("%s", report->error);
      set_error (self, report->error);
    }
  /* What earlier runs left comes first, then what this run saw while it was being read. */
  self->points = g_steal_pointer (&report->points);
  for (guint i = 0; i < live_points->len; i++)
    append_point (self, &g_array_index (live_points, MemscopeTimelinePoint, i));
  self->events = g_steal_pointer (&report->events);
  for (guint i = 0; i < live_events->len; i++)
    remember_event (self, &g_array_index (live_events, ms_store_event_t, i));
  if (self->events->len > MAX_EVENTS)
    g_array_remove_range (self->events, 0, self->events->len - MAX_EVENTS);
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
recorded (MemscopeHistory *self,
          Report          *report)
{
  g_assert (MEMSCOPE_IS_HISTORY (self));

  if (report->recording_id != self->recording_id || self->recording_path == NULL)
    return;
  if (report->error != NULL)
    {
      g_clear_pointer (&self->recording_path, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_PATH]);
      g_signal_emit (self, signals[RECORDING_FAILED], 0, report->error);
      return;
    }
  if (self->n_recorded != report->n_recorded)
    {
      self->n_recorded = report->n_recorded;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDED]);
    }
}

/* Main thread. */
static gboolean
report_cb (gpointer data)
{
  Report *report = data;
  MemscopeHistory *self = report->worker->owner;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_object_ref (self);
  switch (report->kind)
    {
    case REPORT_LOADED:
      loaded (self, report);
      break;
    case REPORT_STORE:
      if (report->error != NULL)
        g_message ("%s", report->error);
      set_error (self, report->error);
      break;
    case REPORT_RECORDED:
    default:
      recorded (self, report);
      break;
    }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* --- Recording --------------------------------------------------------------------------------- */

gboolean
memscope_history_start_recording (MemscopeHistory  *self,
                                  const char       *path,
                                  GError          **error)
{
  g_autoptr (MemscopeRecorder) recorder = NULL;
  Job *job;

  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  memscope_history_stop_recording (self);
  /* Created here, so a file that cannot be made is said at once; written on the worker. */
  recorder = memscope_recorder_new (path, error);
  if (recorder == NULL)
    return FALSE;
  job = g_new0 (Job, 1);
  job->kind = JOB_RECORD_START;
  job->recorder = g_steal_pointer (&recorder);
  job->recording_id = ++self->recording_id;
  push_job (self, job);
  self->recording_path = g_strdup (path);
  self->n_recorded = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_PATH]);
  return TRUE;
}

void
memscope_history_stop_recording (MemscopeHistory *self)
{
  Job *job;

  g_return_if_fail (MEMSCOPE_IS_HISTORY (self));

  if (self->recording_path == NULL)
    return;
  job = g_new0 (Job, 1);
  job->kind = JOB_RECORD_STOP;
  push_job (self, job);
  g_clear_pointer (&self->recording_path, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_PATH]);
}

const char *
memscope_history_get_recording_path (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), NULL);
  return self->recording_path;
}

guint
memscope_history_get_n_recorded (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), 0);
  return self->n_recorded;
}

void
memscope_history_flush (MemscopeHistory *self)
{
  g_return_if_fail (MEMSCOPE_IS_HISTORY (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->worker->lock);
  while (self->worker->n_done < self->n_pushed)
    g_cond_wait (&self->worker->done_cond, &self->worker->lock);
  g_mutex_unlock (&self->worker->lock);
}

/* --- Object ------------------------------------------------------------------------------------ */

static void
memscope_history_dispose (GObject *object)
{
  MemscopeHistory *self = (MemscopeHistory *) object;

  if (self->sampler != NULL)
    g_signal_handlers_disconnect_by_data (self->sampler, self);
  g_clear_weak_pointer (&self->sampler);
  if (self->worker != NULL)
    {
      self->worker->owner = NULL;
      if (self->thread != NULL)
        {
          Job *job = g_new0 (Job, 1);

          /* Everything handed over is written before the store closes. */
          job->kind = JOB_QUIT;
          push_job (self, job);
          g_thread_join (g_steal_pointer (&self->thread));
        }
      g_clear_pointer (&self->worker, worker_unref);
    }

  G_OBJECT_CLASS (memscope_history_parent_class)->dispose (object);
}

static void
memscope_history_finalize (GObject *object)
{
  MemscopeHistory *self = (MemscopeHistory *) object;

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->events, g_array_unref);
  g_free (self->dir);
  g_free (self->error);
  g_free (self->recording_path);

  G_OBJECT_CLASS (memscope_history_parent_class)->finalize (object);
}

static void
memscope_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MemscopeHistory *self = MEMSCOPE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_RECORDING_PATH:
      g_value_set_string (value, self->recording_path);
      break;
    case PROP_N_RECORDED:
      g_value_set_uint (value, self->n_recorded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_history_class_init (MemscopeHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_history_dispose;
  object_class->finalize = memscope_history_finalize;
  object_class->get_property = memscope_history_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING_PATH] =
    g_param_spec_string ("recording-path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RECORDED] =
    g_param_spec_uint ("n-recorded", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* What the directory held at start is in the points and events; "point-added" and
   * "event-added" follow each new one from then on (not before: a consumer reads the whole
   * history once it is loaded). */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A const MemscopeTimelinePoint *, valid during the emission. */
  signals[POINT_ADDED] = g_signal_new ("point-added", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_POINTER);
  /* A const ms_store_event_t *, valid during the emission. */
  signals[EVENT_ADDED] = g_signal_new ("event-added", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_POINTER);
  /* The recording stopped because a write failed; the argument says why. */
  signals[RECORDING_FAILED] = g_signal_new ("recording-failed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
memscope_history_init (MemscopeHistory *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (MemscopeTimelinePoint));
  self->events = g_array_new (FALSE, FALSE, sizeof (ms_store_event_t));
}

MemscopeHistory *
memscope_history_new (MemscopeSamplerThread *sampler,
                      const char            *dir)
{
  MemscopeHistory *self;
  Job *job;

  g_return_val_if_fail (sampler == NULL || MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);

  self = g_object_new (MEMSCOPE_TYPE_HISTORY, NULL);
  self->worker = g_atomic_rc_box_new0 (Worker);
  self->worker->queue = g_async_queue_new ();
  self->worker->context = g_main_context_ref_thread_default ();
  self->worker->dir = g_strdup (dir);
  self->dir = g_strdup (dir);
  g_mutex_init (&self->worker->lock);
  g_cond_init (&self->worker->done_cond);
  self->worker->owner = self;
  self->thread = g_thread_new ("memscope-history", worker_main, worker_ref (self->worker));
  job = g_new0 (Job, 1);
  job->kind = JOB_OPEN;
  push_job (self, job);
  if (sampler != NULL)
    {
      g_set_weak_pointer (&self->sampler, sampler);
      g_signal_connect_swapped (sampler, "snapshot", G_CALLBACK (snapshot_cb), self);
    }
  return self;
}

const char *
memscope_history_get_dir (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), NULL);
  return self->dir;
}

gboolean
memscope_history_get_loaded (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), FALSE);
  return self->loaded;
}

GArray *
memscope_history_get_points (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), NULL);
  return self->points;
}

GArray *
memscope_history_get_events (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), NULL);
  return self->events;
}

const char *
memscope_history_get_error (MemscopeHistory *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (self), NULL);
  return self->error;
}
