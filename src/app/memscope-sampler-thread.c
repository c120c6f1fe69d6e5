/* SPDX-License-Identifier: MIT */
/* Runs the core's sampling tick on one worker thread, paced by a GLib timer on the main thread. */

#include "config.h"

#include <errno.h>
#include <math.h>

#include "detector.h"
#include "memscope-explain.h"
#include "memscope-host-source.h"
#include "memscope-sampler-thread-private.h"
#include "memscope-seams.h"
#include "oom.h"
#include "sampler.h"
#include "signals.h"

typedef enum
{
  COMMAND_TICK,
  COMMAND_FEED,
  COMMAND_RESET_BASELINE,
  COMMAND_RESTORE_BASELINES,
  COMMAND_PSS_PRIORITY,
  COMMAND_SENSITIVITY,
  COMMAND_QUIT,
} CommandKind;

typedef struct
{
  CommandKind kind;
  gint32 pid;
  guint64 starttime;
  double value;
  MemscopeSnapshot *fed; /* FEED: what the host probe sampled */
  GArray *baselines;     /* RESTORE_BASELINES: ms_baseline_t */
} Command;

/* Shared by the object (main thread) and the worker; reference-counted so a delivery that
 * arrives after the object is gone finds it and drops the snapshot. */
typedef struct
{
  GAsyncQueue *queue;          /* Command *, main → worker */
  GMainContext *context;       /* where deliveries run */
  int busy;                    /* atomic: a tick is in flight (queued, running or delivering) */
  MemscopeSamplerThread *owner; /* main thread only; NULL once disposed */
} Worker;

typedef struct
{
  Worker *worker;
  MemscopeSnapshot *snapshot; /* NULL on error */
  char *error;
} Delivery;

struct _MemscopeSamplerThread
{
  GObject parent_instance;

  /* owned */
  Worker *worker;
  GThread *thread;
  MemscopeHostSource *host; /* sampling through a host probe (Flatpak) instead of the worker */
  char *error;

  guint timeout_id;
  guint interval_ms;
  double sensitivity;
};

G_DEFINE_FINAL_TYPE (MemscopeSamplerThread, memscope_sampler_thread, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL_MS,
  PROP_SENSITIVITY,
  PROP_ERROR,
  N_PROPS
};

enum {
  SNAPSHOT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
worker_clear (gpointer data)
{
  Worker *worker = data;

  g_async_queue_unref (worker->queue);
  g_main_context_unref (worker->context);
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
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  worker_unref (delivery->worker);
  g_clear_pointer (&delivery->snapshot, memscope_snapshot_unref);
  g_free (delivery->error);
  g_free (delivery);
}

static void
set_error (MemscopeSamplerThread *self,
           const char            *error)
{
  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Main thread. */
static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  MemscopeSamplerThread *self = delivery->worker->owner;

  g_atomic_int_set (&delivery->worker->busy, 0);
  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_object_ref (self);
  if (delivery->snapshot != NULL)
    {
      set_error (self, NULL);
      g_signal_emit (self, signals[SNAPSHOT], 0, delivery->snapshot);
    }
  else
    set_error (self, delivery->error);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

static void
deliver (Worker           *worker,
         MemscopeSnapshot *snapshot,
         const char       *error)
{
  Delivery *delivery = g_new0 (Delivery, 1);
  GSource *source;

  delivery->worker = worker_ref (worker);
  delivery->snapshot = snapshot;
  delivery->error = g_strdup (error);
  /* Always through a source: g_main_context_invoke() would run deliver_cb right here, on the
   * worker, whenever the main thread is not inside an iteration (the worker has no context of
   * its own, so the global default counts as its thread-default and can be acquired). */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, delivery, delivery_free);
  g_source_attach (source, worker->context);
  g_source_unref (source);
}

static ms_sampler_t *
open_sampler (char  *err,
              gsize  err_len)
{
  ms_sampler_opts_t opts;

  ms_sampler_opts_init (&opts);
  opts.proc_root = memscope_proc_root ();
  opts.passwd_path = memscope_passwd_path ();
  opts.sys_root = memscope_sys_root ();
  return ms_sampler_new (&opts, err, err_len);
}

static void
event_cb (const ms_event_t *event,
          void             *user)
{
  GArray **events = user;

  /* Tags reach the UI through the snapshot; alerts also need the events themselves. */
  if (*events == NULL)
    *events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
  g_array_append_vals (*events, event, 1);
}

static ms_detector_t *
open_detector (double sensitivity)
{
  ms_detector_params_t params;

  ms_detector_params_init (&params, sensitivity);
  return ms_detector_new (&params);
}

/* Worker thread: the inspected process's history and LEAK fit, copied for the UI (which never
 * touches the detector).  `points` is the worker's scratch buffer of
 * MEMSCOPE_INSPECT_HISTORY_MAX_POINTS. */
static MemscopeInspectHistory *
inspect_history (const ms_detector_t *detector,
                 const ms_snapshot_t *snap,
                 gint32               pid,
                 guint64              starttime,
                 ms_history_point_t  *points)
{
  const ms_history_t *history = ms_detector_history (detector);
  const char *comm = "";
  gboolean present = FALSE;
  ms_event_t leak;
  gboolean leaking;
  MemscopeInspectHistory *out;
  gsize n;

  for (gsize i = 0; i < snap->n_procs && !present; i++)
    if (snap->procs[i].pid == pid && snap->procs[i].starttime == starttime)
      {
        present = TRUE;
        comm = snap->procs[i].comm;
      }
  /* An hour back: the graph's longest window. */
  n = ms_history_get (history, pid, starttime, snap->time_s - 3600, points,
                      MEMSCOPE_INSPECT_HISTORY_MAX_POINTS);
  leaking = ms_detector_leak_info (detector, pid, starttime, &leak);
  if (!present)
    {
      int32_t slot = ms_history_find (history, pid, starttime);

      if (slot >= 0)
        comm = ms_history_slot_comm (history, slot);
    }
  out = memscope_inspect_history_new (pid, starttime, comm, points, n, leaking ? &leak : NULL);
  out->exited = !present;
  return out;
}

/* Worker thread: one tick of the local sampler, opened on first use.  NULL when the proc root
 * cannot be opened or read, with the reason in `message`. */
static ms_snapshot_t *
local_tick (ms_sampler_t **sampler,
            char         **message)
{
  char err[256] = "";
  ms_snapshot_t *snap = NULL;

  if (*sampler == NULL)
    *sampler = open_sampler (err, sizeof err);
  if (*sampler == NULL)
    {
      *message = err[0] != '\0' ? g_strdup (err)
                                 : g_strdup_printf ("%s: cannot be read", memscope_proc_root ());
      return NULL;
    }
  if (ms_sampler_tick (*sampler, &snap) != 0 || snap == NULL)
    {
      *message = g_strdup_printf ("%s: cannot be read", memscope_proc_root ());
      return NULL;
    }
  return snap;
}

/* Worker thread: owns the sampler (its /proc descriptors and caches) and the detector. */
static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  ms_sampler_t *sampler = NULL;
  guint64 serial = 0;
  double sensitivity = 0.5;
  ms_detector_t *detector = NULL;
  GArray *carried = NULL; /* the replaced detector's clear events, for the next snapshot */
  gint32 inspect_pid = 0;
  guint64 inspect_starttime = 0;
  ms_oom_tracker_t oom;
  ms_history_point_t *inspect_points = g_new (ms_history_point_t,
                                              MEMSCOPE_INSPECT_HISTORY_MAX_POINTS);

  ms_oom_tracker_init (&oom);
  for (;;)
    {
      Command *command = g_async_queue_pop (worker->queue);
      CommandKind kind = command->kind;

      switch (kind)
        {
        case COMMAND_TICK:
        case COMMAND_FEED:
          {
            ms_snapshot_t *snap = NULL;
            MemscopeSnapshot *copy;
            g_autoptr(MemscopeSnapshot) working = NULL;

            if (kind == COMMAND_FEED)
              {
                /* The host probe sampled: detection, history and explanations run here as for
                 * a local tick, at the user's sensitivity. */
                working = memscope_snapshot_new_copy (&command->fed->base, 0);
                snap = &working->base;
              }
            else
              {
                g_autofree char *message = NULL;

                snap = local_tick (&sampler, &message);
                if (snap == NULL)
                  {
                    deliver (worker, NULL, message);
                    break;
                  }
              }
            /* OOM kills are derived here, once, for whatever reads the snapshot.  The counter is
             * the machine's, so a new detector (or a restarted host probe) keeps its reading. */
            ms_oom_derive (&oom, snap);
            if (detector == NULL)
              detector = open_detector (sensitivity);
            {
              GArray *events = g_steal_pointer (&carried);

              /* The tags a replaced detector had end with this snapshot. */
              for (guint i = 0; events != NULL && i < events->len; i++)
                g_array_index (events, ms_event_t, i).time_s = snap->time_s;
              ms_detector_feed (detector, snap, event_cb, &events);
              copy = memscope_snapshot_new_copy (snap, ++serial);
              copy->events = events;
            }
            for (gsize i = 0; i < copy->base.n_procs; i++)
              {
                const ms_proc_t *proc = &copy->base.procs[i];
                ms_tag_facts_t facts;

                if (proc->tags != 0
                    && ms_detector_facts (detector, proc->pid, proc->starttime, &facts))
                  {
                    g_autofree char *explanation = NULL;

                    ms_tag_facts_find_parent (&facts, &copy->base, proc);
                    explanation = memscope_explain_tags (&facts);

                    memscope_snapshot_set_explanation (copy, i, explanation);
                  }
              }
            if (inspect_pid > 0)
              copy->inspect = inspect_history (detector, snap, inspect_pid, inspect_starttime,
                                               inspect_points);
            deliver (worker, copy, NULL);
          }
          break;

        case COMMAND_RESET_BASELINE:
          if (sampler != NULL)
            ms_sampler_reset_baseline (sampler, command->pid, command->starttime);
          break;

        case COMMAND_RESTORE_BASELINES:
          if (sampler != NULL)
            ms_sampler_restore_baselines (sampler, (const ms_baseline_t *) command->baselines->data,
                                          command->baselines->len);
          break;

        case COMMAND_PSS_PRIORITY:
          /* The process given PSS priority is the inspected one: its history goes out too. */
          inspect_pid = command->pid;
          inspect_starttime = command->starttime;
          if (sampler != NULL)
            ms_sampler_set_pss_priority (sampler, command->pid, command->starttime);
          break;

        case COMMAND_SENSITIVITY:
          sensitivity = command->value;
          /* New parameters start a new detector; tags rebuild from the next ticks.  The old
           * one's tags end, so the history and the alerts see them go. */
          if (detector != NULL)
            ms_detector_clear_tags (detector, NAN, event_cb, &carried);
          g_clear_pointer (&detector, ms_detector_free);
          break;

        case COMMAND_QUIT:
        default:
          break;
        }

      g_clear_pointer (&command->fed, memscope_snapshot_unref);
      g_clear_pointer (&command->baselines, g_array_unref);
      g_free (command);
      if (kind == COMMAND_QUIT)
        break;
    }

  g_clear_pointer (&detector, ms_detector_free);
  g_clear_pointer (&carried, g_array_unref);
  g_clear_pointer (&sampler, ms_sampler_free);
  g_free (inspect_points);
  worker_unref (worker);
  return NULL;
}

static void
push_command (MemscopeSamplerThread *self,
              CommandKind            kind,
              gint32                 pid,
              guint64                starttime,
              double                 value)
{
  Command *command = g_new0 (Command, 1);

  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  command->kind = kind;
  command->pid = pid;
  command->starttime = starttime;
  command->value = value;
  g_async_queue_push (self->worker->queue, command);
}

/* A tick still in flight when the next is due means the machine is slower than the interval:
 * skip this one instead of queueing work that would only arrive late. */
gboolean
memscope_sampler_thread_tick_now (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), FALSE);

  if (self->thread == NULL || self->host != NULL)
    return FALSE;
  if (!g_atomic_int_compare_and_exchange (&self->worker->busy, 0, 1))
    return FALSE;
  push_command (self, COMMAND_TICK, 0, 0, 0.0);
  return TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  MemscopeSamplerThread *self = data;

  memscope_sampler_thread_tick_now (self);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (MemscopeSamplerThread *self)
{
  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  /* With a host probe the probe keeps the pace. */
  if (self->thread != NULL && self->host == NULL)
    self->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->interval_ms, timeout_cb,
                                           self, NULL);
}

/* Like a tick: one in flight at a time, and a snapshot that finds the worker busy is dropped. */
static void
host_snapshot_cb (MemscopeSamplerThread  *self,
                  const MemscopeSnapshot *snapshot)
{
  Command *command;

  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (self->thread == NULL)
    return;
  if (!g_atomic_int_compare_and_exchange (&self->worker->busy, 0, 1))
    return;
  command = g_new0 (Command, 1);
  command->kind = COMMAND_FEED;
  command->fed = memscope_snapshot_ref (snapshot);
  g_async_queue_push (self->worker->queue, command);
}

/* A restarted probe's clock starts again at 0, which the detector would take for old samples:
 * a new detector starts with it. */
static void
host_state_cb (MemscopeSamplerThread *self)
{
  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (self->thread != NULL
      && memscope_host_source_get_state (self->host) == MEMSCOPE_HOST_STATE_STARTING)
    push_command (self, COMMAND_SENSITIVITY, 0, 0, self->sensitivity);
}

/* Inside a Flatpak /proc shows only the sandbox, and a remote machine's processes are elsewhere:
 * a probe samples instead, and its snapshots go through the worker's detector to the same
 * signal. */
static void
use_source (MemscopeSamplerThread *self,
            MemscopeHostSource    *source)
{
  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));
  g_assert (self->host == NULL);

  self->host = source;
  g_signal_connect_object (self->host, "snapshot", G_CALLBACK (host_snapshot_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->host, "notify::state", G_CALLBACK (host_state_cb), self,
                           G_CONNECT_SWAPPED);
  memscope_host_source_set_interval_ms (self->host, self->interval_ms);
}

static void
start_host (MemscopeSamplerThread *self)
{
  g_autoptr(GError) error = NULL;
  MemscopeHostSource *source;

  g_assert (MEMSCOPE_IS_SAMPLER_THREAD (self));

  source = memscope_host_source_new (&error);
  if (source == NULL)
    {
      g_debug ("no host probe: %s", error->message);
      return;
    }
  use_source (self, source);
}

MemscopeHostSource *
memscope_sampler_thread_get_host_source (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), NULL);
  return self->host;
}

const char *
memscope_sampler_thread_get_remote (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), NULL);
  return self->host != NULL ? memscope_host_source_get_remote (self->host) : NULL;
}

/* A local errno as the host source reports the same outcome: GIO's mapping, and a process that
 * has ended (ESRCH, which GIO does not know) as not found. */
static GIOErrorEnum
io_error_from_errno (int code)
{
  return code == ESRCH ? G_IO_ERROR_NOT_FOUND : g_io_error_from_errno (code);
}

static void
host_signal_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (memscope_host_source_send_signal_finish (MEMSCOPE_HOST_SOURCE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
memscope_sampler_thread_send_signal (MemscopeSamplerThread *self,
                                     gint32                 pid,
                                     guint64                starttime,
                                     int                    sig,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  int rc;

  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_sampler_thread_send_signal);

  /* In a Flatpak the processes live on the host, a remote's on that machine: the probe sends
   * the signal. */
  if (self->host != NULL)
    {
      memscope_host_source_send_signal (self->host, pid, starttime, sig, cancellable,
                                        host_signal_done_cb, g_steal_pointer (&task));
      return;
    }

  rc = ms_signal_process (memscope_proc_root (), pid, starttime, sig);
  if (rc == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, io_error_from_errno (-rc), "%s", g_strerror (-rc));
}

gboolean
memscope_sampler_thread_send_signal_finish (MemscopeSamplerThread *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gint32  pid;
  guint64 starttime;
} SmapsRequest;

/* Worker thread: the read takes the target's memory-map lock and costs time in proportion to its
 * mappings, so it never runs on the calling thread. */
static void
smaps_read_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SmapsRequest *request = task_data;
  const char *proc_root = memscope_proc_root ();
  ms_smaps_groups_t *groups = g_new0 (ms_smaps_groups_t, 1);
  int rc;

  ms_smaps_groups_init (groups);
  rc = ms_smaps_groups_read (proc_root, request->pid, request->starttime, groups);
  if (rc != 0)
    {
      int code = -rc;

      if (code == EBADMSG && groups->error != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 "%s/%d/smaps:%zu: %s", proc_root, request->pid,
                                 groups->error_line, groups->error);
      else
        g_task_return_new_error (task, G_IO_ERROR, io_error_from_errno (code), "%s",
                                 g_strerror (code));
      memscope_host_smaps_groups_free (groups);
      return;
    }
  g_task_return_pointer (task, groups, (GDestroyNotify) memscope_host_smaps_groups_free);
}

static void
host_smaps_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  ms_smaps_groups_t *groups;

  groups = memscope_host_source_read_smaps_groups_finish (MEMSCOPE_HOST_SOURCE (source), result,
                                                          &error);
  if (groups != NULL)
    g_task_return_pointer (task, groups, (GDestroyNotify) memscope_host_smaps_groups_free);
  else
    g_task_return_error (task, error);
}

void
memscope_sampler_thread_read_smaps_groups (MemscopeSamplerThread *self,
                                           gint32                 pid,
                                           guint64                starttime,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SmapsRequest *request;

  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_sampler_thread_read_smaps_groups);

  /* In a Flatpak /proc shows the sandbox only, and a remote's processes are elsewhere: the
   * probe reads the smaps there. */
  if (self->host != NULL)
    {
      memscope_host_source_read_smaps_groups (self->host, pid, starttime, cancellable,
                                              host_smaps_done_cb, g_steal_pointer (&task));
      return;
    }

  request = g_new0 (SmapsRequest, 1);
  request->pid = pid;
  request->starttime = starttime;
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, smaps_read_thread);
}

ms_smaps_groups_t *
memscope_sampler_thread_read_smaps_groups_finish (MemscopeSamplerThread *self,
                                                  GAsyncResult          *result,
                                                  GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
memscope_sampler_thread_start (MemscopeSamplerThread *self)
{
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (self->thread != NULL)
    return;
  if (self->host == NULL && memscope_host_source_wanted ())
    start_host (self);
  self->thread = g_thread_new ("memscope-sampler", worker_main, worker_ref (self->worker));
  push_command (self, COMMAND_SENSITIVITY, 0, 0, self->sensitivity);
  if (self->host != NULL)
    {
      memscope_host_source_start (self->host);
      return;
    }
  memscope_sampler_thread_tick_now (self);
  restart_timer (self);
}

static void
memscope_sampler_thread_dispose (GObject *object)
{
  MemscopeSamplerThread *self = (MemscopeSamplerThread *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->host);
  if (self->worker != NULL)
    {
      self->worker->owner = NULL;
      if (self->thread != NULL)
        {
          push_command (self, COMMAND_QUIT, 0, 0, 0.0);
          g_thread_join (g_steal_pointer (&self->thread));
        }
      g_clear_pointer (&self->worker, worker_unref);
    }
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (memscope_sampler_thread_parent_class)->dispose (object);
}

static void
memscope_sampler_thread_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MemscopeSamplerThread *self = MEMSCOPE_SAMPLER_THREAD (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_SENSITIVITY:
      g_value_set_double (value, self->sensitivity);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_sampler_thread_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MemscopeSamplerThread *self = MEMSCOPE_SAMPLER_THREAD (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      memscope_sampler_thread_set_interval_ms (self, g_value_get_uint (value));
      break;
    case PROP_SENSITIVITY:
      memscope_sampler_thread_set_sensitivity (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_sampler_thread_class_init (MemscopeSamplerThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_sampler_thread_dispose;
  object_class->get_property = memscope_sampler_thread_get_property;
  object_class->set_property = memscope_sampler_thread_set_property;

  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, 100, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENSITIVITY] =
    g_param_spec_double ("sensitivity", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* On the main thread, with an immutable snapshot the handler takes as a const
   * MemscopeSnapshot * and may keep (memscope_snapshot_ref). */
  signals[SNAPSHOT] = g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    MEMSCOPE_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
memscope_sampler_thread_init (MemscopeSamplerThread *self)
{
  self->interval_ms = 1000;
  self->sensitivity = 0.5;
  self->worker = g_atomic_rc_box_new0 (Worker);
  self->worker->queue = g_async_queue_new ();
  self->worker->context = g_main_context_ref_thread_default ();
  self->worker->owner = self;
}

MemscopeSamplerThread *
memscope_sampler_thread_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_SAMPLER_THREAD, NULL);
}

MemscopeSamplerThread *
memscope_sampler_thread_new_for_source (MemscopeHostSource *source)
{
  MemscopeSamplerThread *self;

  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (source), NULL);

  self = memscope_sampler_thread_new ();
  use_source (self, g_object_ref (source));
  return self;
}

guint
memscope_sampler_thread_get_interval_ms (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), 0);
  return self->interval_ms;
}

void
memscope_sampler_thread_set_interval_ms (MemscopeSamplerThread *self,
                                         guint                  interval_ms)
{
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  interval_ms = CLAMP (interval_ms, 100, 60000);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  restart_timer (self);
  if (self->host != NULL)
    memscope_host_source_set_interval_ms (self->host, interval_ms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

double
memscope_sampler_thread_get_sensitivity (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), 0.5);
  return self->sensitivity;
}

void
memscope_sampler_thread_set_sensitivity (MemscopeSamplerThread *self,
                                         double                 sensitivity)
{
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  sensitivity = CLAMP (sensitivity, 0.0, 1.0);
  if (self->sensitivity == sensitivity)
    return;
  self->sensitivity = sensitivity;
  if (self->thread != NULL)
    push_command (self, COMMAND_SENSITIVITY, 0, 0, sensitivity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENSITIVITY]);
}

/* pid <= 0 resets every process.  Queued, so it applies before the next tick's reading. */
void
memscope_sampler_thread_reset_baseline (MemscopeSamplerThread *self,
                                        gint32                 pid,
                                        guint64                starttime)
{
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (self->host != NULL)
    memscope_host_source_reset_baseline (self->host, pid, starttime);
  if (self->thread != NULL)
    push_command (self, COMMAND_RESET_BASELINE, pid, starttime, 0.0);
}

/* A host probe older than protocol 1.2 cannot take baselines back; sampling here always can. */
gboolean
memscope_sampler_thread_can_restore_baselines (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), FALSE);

  if (self->host != NULL)
    return memscope_host_source_can_restore_baselines (self->host);
  return TRUE;
}

/* Puts back baselines a reset replaced (ms_baseline_t), queued like a reset.  FALSE when they
 * cannot be (see can_restore_baselines). */
gboolean
memscope_sampler_thread_restore_baselines (MemscopeSamplerThread *self,
                                           GArray                *baselines)
{
  Command *command;

  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), FALSE);
  g_return_val_if_fail (baselines != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (baselines) == sizeof (ms_baseline_t), FALSE);

  if (self->host != NULL)
    return memscope_host_source_restore_baselines (self->host,
                                                   (const ms_baseline_t *) baselines->data,
                                                   baselines->len);
  if (self->thread == NULL)
    return FALSE;
  command = g_new0 (Command, 1);
  command->kind = COMMAND_RESTORE_BASELINES;
  command->baselines = g_array_ref (baselines);
  g_async_queue_push (self->worker->queue, command);
  return TRUE;
}

void
memscope_sampler_thread_set_pss_priority (MemscopeSamplerThread *self,
                                          gint32                 pid,
                                          guint64                starttime)
{
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self));

  if (self->host != NULL)
    memscope_host_source_set_pss_priority (self->host, pid, starttime);
  if (self->thread != NULL)
    push_command (self, COMMAND_PSS_PRIORITY, pid, starttime, 0.0);
}

const char *
memscope_sampler_thread_get_error (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), NULL);
  return self->error;
}


gboolean
memscope_sampler_thread_get_started (MemscopeSamplerThread *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (self), FALSE);

  return self->thread != NULL;
}

