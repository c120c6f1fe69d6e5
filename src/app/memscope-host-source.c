/* SPDX-License-Identifier: MIT */
/* Samples the host through `memscope-probe stream` and turns its frames into snapshots. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-host-command.h"
#include "memscope-host-source.h"
#include "memscope-remote.h"
#include "memscope-seams.h"
#include "stream.h"

#define READ_CHUNK 65536
/* How long to wait for the exit status after the stream ended before giving up on it. */
#define EXIT_WAIT_MS 2000
#define BACKOFF_MAX_S 30
/* A probe that has delivered for this long counts as healthy: its next failure is retried fast. */
#define HEALTHY_US (30 * G_USEC_PER_SEC)

struct _MemscopeHostSource
{
  GObject parent_instance;

  /* owned: how to start the probe */
  char **argv;
  char *remote;                    /* the machine's name for a remote source, else NULL */
  MemscopeRemoteDestination *destination; /* for a source made for a destination */
  gboolean use_host_command;
  GCancellable *spawn_cancellable;

  /* owned: one run of the probe */
  ms_stream_reader_t *reader;
  ms_stream_decoder_t *decoder;
  ms_stream_buf_t encoded;
  GByteArray *unsent;              /* requests the pipe did not take yet */
  GHashTable *tasks;               /* request id → GTask */
  GHashTable *request_ids;         /* request number → request id, for error frames */
  int frames_fd;                   /* the probe's stdout */
  int errors_fd;                   /* a remote's launcher's stderr (ssh), else -1 */
  guint errors_watch;
  GString *errors;                 /* the end of what the launcher said on stderr */
  int requests_fd;                 /* the probe's stdin */
  guint frames_watch;
  guint requests_watch;
  guint child_watch;
  guint exit_wait_id;
  GPid child_pid;                  /* plain subprocess */
  MemscopeHostCommand *host_command;
  gint64 run_started_us;           /* monotonic */
  gboolean clock_offset_known;     /* a remote's: this run's first snapshot came */
  double clock_offset_s;           /* this machine's wall clock minus the remote's */
  gboolean stream_ended;
  gboolean abandoned;              /* we ended the probe: stream_end_message says why */
  gboolean exit_known;
  int wait_status;
  char *stream_end_message;        /* set when the stream was cut mid-frame or lost framing */
  guint64 n_requests;
  guint32 next_id;

  /* owned: lasting state */
  char *error;
  char *problem;
  char *peer;
  guint16 peer_minor; /* the protocol minor version of the probe's hello */
  guint restart_id;
  guint retry_delay_s;
  guint backoff_step;
  guint n_starts;
  guint64 serial;
  guint64 n_bad_frames;
  MemscopeHostFailure failure;
  MemscopeHostState state;
  guint interval_ms;
  gint32 pss_pid;
  guint64 pss_starttime;
};

G_DEFINE_FINAL_TYPE (MemscopeHostSource, memscope_host_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (MemscopeHostState, memscope_host_state,
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_STATE_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_STATE_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_STATE_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (MemscopeHostFailure, memscope_host_failure,
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_OTHER, "other"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_CONNECTION, "connection"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_REFUSED, "refused"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_NO_PROBE, "no-probe"),
                    G_DEFINE_ENUM_VALUE (MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE,
                                         "incompatible-probe"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_PROBLEM,
  PROP_INTERVAL_MS,
  PROP_FAILURE,
  N_PROPS
};

enum {
  SNAPSHOT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void frames_drain (MemscopeHostSource *self);
static void probe_ended (MemscopeHostSource *self);

/* --- small helpers --- */

static void
set_state (MemscopeHostSource *self,
           MemscopeHostState   state)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Sets a string property, notifying only a real change. */
static void
set_text (MemscopeHostSource *self,
          char              **field,
          const char         *text,
          guint               prop)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (g_strcmp0 (*field, text) == 0)
    return;
  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_error (MemscopeHostSource *self,
           const char         *error)
{
  set_text (self, &self->error, error, PROP_ERROR);
}

static void
set_problem (MemscopeHostSource *self,
             const char         *problem)
{
  set_text (self, &self->problem, problem, PROP_PROBLEM);
}

static void
set_failure (MemscopeHostSource  *self,
             MemscopeHostFailure  failure)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->failure == failure)
    return;
  self->failure = failure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
}

/* --- what a remote's launcher says on stderr --- */

#define ERRORS_KEEP 4096

/* Reads what the launcher wrote; returns FALSE once it closed its stderr. */
static gboolean
errors_read (MemscopeHostSource *self)
{
  char buf[1024];

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  while (self->errors_fd >= 0)
    {
      ssize_t n = read (self->errors_fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      if (n <= 0)
        {
          close (self->errors_fd);
          self->errors_fd = -1;
          return FALSE;
        }
      g_string_append_len (self->errors, buf, n);
      /* Only the end says why it failed; a chatty launcher must not grow this without bound. */
      if (self->errors->len > ERRORS_KEEP)
        g_string_erase (self->errors, 0, (gssize) (self->errors->len - ERRORS_KEEP));
    }
  return FALSE;
}

static gboolean
errors_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     data)
{
  MemscopeHostSource *self = data;

  if (errors_read (self))
    return G_SOURCE_CONTINUE;
  self->errors_watch = 0;
  return G_SOURCE_REMOVE;
}

/* --- requests --- */

static gboolean requests_writable_cb (int fd, GIOCondition condition, gpointer data);

static void
flush_requests (MemscopeHostSource *self)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  while (self->unsent->len > 0 && self->requests_fd >= 0)
    {
      ssize_t n = write (self->requests_fd, self->unsent->data, self->unsent->len);

      if (n > 0)
        {
          g_byte_array_remove_range (self->unsent, 0, (guint) n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          if (self->requests_watch == 0)
            self->requests_watch = g_unix_fd_add (self->requests_fd, G_IO_OUT,
                                                  requests_writable_cb, self);
          return;
        }
      /* The probe closed its stdin (it is ending): what it says last arrives on its stdout. */
      g_byte_array_set_size (self->unsent, 0);
      break;
    }
  g_clear_handle_id (&self->requests_watch, g_source_remove);
}

static gboolean
requests_writable_cb (int          fd,
                      GIOCondition condition,
                      gpointer     data)
{
  MemscopeHostSource *self = data;

  self->requests_watch = 0;
  flush_requests (self);
  return G_SOURCE_REMOVE;
}

/* Queues one request for the running probe; returns its number in the request stream, 0 when
 * no probe is running. */
static guint64
send_request (MemscopeHostSource        *self,
              const ms_stream_request_t *req)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->requests_fd < 0)
    return 0;
  ms_stream_buf_reset (&self->encoded);
  if (ms_stream_encode_request (&self->encoded, req) != 0)
    return 0;
  g_byte_array_append (self->unsent, self->encoded.data, (guint) self->encoded.len);
  flush_requests (self);
  return ++self->n_requests;
}

static void
send_interval (MemscopeHostSource *self)
{
  ms_stream_request_t req = { 0 };

  req.type = MS_REQ_SET_INTERVAL;
  req.interval_s = self->interval_ms / 1000.0;
  send_request (self, &req);
}

static void
send_pss_priority (MemscopeHostSource *self)
{
  ms_stream_request_t req = { 0 };

  req.type = MS_REQ_PSS_PRIORITY;
  req.pid = self->pss_pid;
  req.starttime = self->pss_starttime;
  send_request (self, &req);
}

static void
fail_tasks (MemscopeHostSource *self,
            const char         *message)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  /* Completing a task may run code that sends a new request: take them all out first. */
  g_hash_table_iter_init (&iter, self->tasks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (tasks, g_object_ref (value));
  g_hash_table_remove_all (self->tasks);
  g_hash_table_remove_all (self->request_ids);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_new_error (g_ptr_array_index (tasks, i), G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                             "%s", message);
}

static GTask *
steal_task (MemscopeHostSource *self,
            guint32             id)
{
  gpointer task = NULL;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  g_hash_table_steal_extended (self->tasks, GUINT_TO_POINTER (id), NULL, &task);
  return task;
}

static void
start_request (MemscopeHostSource  *self,
               ms_stream_request_t *req,
               GTask               *task)
{
  guint64 number;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->state != MEMSCOPE_HOST_STATE_RUNNING && self->remote != NULL)
    {
      /* Translators: %s is a remote machine's name. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s"), self->remote);
      g_object_unref (task);
      return;
    }
  if (self->state != MEMSCOPE_HOST_STATE_RUNNING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("The host probe is not running"));
      g_object_unref (task);
      return;
    }
  req->id = ++self->next_id;
  number = send_request (self, req);
  if (number == 0)
    {
      if (self->remote != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The request could not be sent to %s"), self->remote);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                                 _("The request could not be sent to the host probe"));
      g_object_unref (task);
      return;
    }
  g_hash_table_insert (self->tasks, GUINT_TO_POINTER (req->id), task);
  g_hash_table_insert (self->request_ids, g_memdup2 (&number, sizeof number),
                       GUINT_TO_POINTER (req->id));
  /* So the reply can drop the number again: the table stays as small as the requests in flight. */
  g_task_set_task_data (task, g_memdup2 (&number, sizeof number), g_free);
}

static void
return_errno (GTask  *task,
              int     result)
{
  int code = -result;
  const char *message;
  GIOErrorEnum kind;

  if (code == ESRCH)
    {
      kind = G_IO_ERROR_NOT_FOUND;
      message = _("The process has already ended");
    }
  else if (code == EPERM || code == EACCES)
    {
      kind = G_IO_ERROR_PERMISSION_DENIED;
      message = _("The host does not allow this for another user's process");
    }
  else
    {
      kind = g_io_error_from_errno (code);
      message = g_strerror (code);
    }
  g_task_return_new_error (task, G_IO_ERROR, kind, "%s", message);
}

/* --- frames --- */

static void
emit_snapshot (MemscopeHostSource  *self,
               const ms_snapshot_t *snap)
{
  g_autoptr(MemscopeSnapshot) snapshot = memscope_snapshot_new_copy (snap, ++self->serial);

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  /* Another machine's wall clock may be minutes off this one's: its times go on this machine's
   * clock by the difference seen at the run's first snapshot (docs/stream-protocol.md, Clocks),
   * so the timeline, the history and "Started" agree with the local window's. */
  if (self->remote != NULL && snap->time_unix > 0)
    {
      if (!self->clock_offset_known)
        {
          self->clock_offset_s = (double) g_get_real_time () / G_USEC_PER_SEC - snap->time_unix;
          self->clock_offset_known = TRUE;
        }
      snapshot->base.time_unix += self->clock_offset_s;
      for (gsize i = 0; i < snapshot->base.n_procs; i++)
        if (snapshot->base.procs[i].start_unix > 0)
          snapshot->base.procs[i].start_unix += self->clock_offset_s;
    }

  if (g_get_monotonic_time () - self->run_started_us >= HEALTHY_US)
    self->backoff_step = 0;
  g_signal_emit (self, signals[SNAPSHOT], 0, snapshot);
}

static void
handle_reply (MemscopeHostSource      *self,
              const ms_stream_frame_t *frame)
{
  g_autoptr(GTask) task = steal_task (self, frame->reply.id);

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (task == NULL)
    return; /* cancelled or answered already */
  g_hash_table_remove (self->request_ids, g_task_get_task_data (task));
  if (frame->reply.result != 0)
    {
      return_errno (task, frame->reply.result);
      return;
    }
  if (frame->type == MS_FRAME_SMAPS_GROUPS)
    {
      ms_smaps_groups_t *copy = g_new0 (ms_smaps_groups_t, 1);

      ms_smaps_groups_init (copy);
      if (frame->groups != NULL && ms_smaps_groups_copy (copy, frame->groups) != 0)
        {
          memscope_host_smaps_groups_free (copy);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strerror (ENOMEM));
          return;
        }
      g_task_return_pointer (task, copy, (GDestroyNotify) memscope_host_smaps_groups_free);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
handle_error_frame (MemscopeHostSource      *self,
                    const ms_stream_frame_t *frame)
{
  gpointer id;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (frame->error_request != 0
      && g_hash_table_steal_extended (self->request_ids, &frame->error_request, NULL, &id))
    {
      g_autoptr(GTask) task = steal_task (self, GPOINTER_TO_UINT (id));

      if (task != NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", frame->error);
          return;
        }
    }
  set_problem (self, frame->error);
}

static void
kill_probe (MemscopeHostSource *self)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->child_pid > 0 && !self->exit_known)
    kill (self->child_pid, SIGTERM);
  else if (self->host_command != NULL && !self->exit_known)
    memscope_host_command_send_signal (self->host_command, SIGTERM);
}

/* The stream cannot go on (lost framing, another protocol version): end the probe and say why. */
static void
abandon_stream (MemscopeHostSource *self,
                const char         *message)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->stream_end_message == NULL)
    self->stream_end_message = g_strdup (message);
  self->abandoned = TRUE;
  self->stream_ended = TRUE;
  g_clear_handle_id (&self->frames_watch, g_source_remove);
  kill_probe (self);
}

/* Returns FALSE when the stream must stop being read. */
static gboolean
handle_payload (MemscopeHostSource *self,
                const guint8       *payload,
                gsize               len,
                guint64             number)
{
  ms_stream_frame_t *frame = g_new0 (ms_stream_frame_t, 1);
  char err[512] = "";
  ms_stream_status_t status;
  gboolean go_on = TRUE;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  status = ms_stream_decode_frame (self->decoder, payload, len, number, frame, err, sizeof err);
  switch (status)
    {
    case MS_STREAM_OK:
      break;
    case MS_STREAM_UNKNOWN:
      g_free (frame);
      return TRUE;
    case MS_STREAM_VERSION:
      {
        g_autofree char *message = NULL;

        if (self->remote != NULL)
          message = g_strdup_printf (_("The memscope probe on %s speaks another protocol "
                                       "version (%s)"), self->remote, err);
        else
          message = g_strdup_printf (_("The host probe speaks another protocol version (%s). "
                                       "Install the same version of memscope on both sides."),
                                     err);

        /* Retrying the same probe cannot help: no backoff restart, only Retry. */
        self->backoff_step = G_MAXUINT;
        self->failure = MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE;
        abandon_stream (self, message);
        g_free (frame);
        return FALSE;
      }
    case MS_STREAM_NOMEM:
    case MS_STREAM_BAD:
    default:
      /* One bad frame is skipped; the framing still holds, so the next one is read. */
      self->n_bad_frames++;
      set_problem (self, err[0] ? err : "bad frame");
      g_debug ("host probe: %s", err);
      g_free (frame);
      return TRUE;
    }

  switch (frame->type)
    {
    case MS_FRAME_HELLO:
      {
        ms_stream_request_t req = { 0 };

        g_free (self->peer);
        self->peer = g_strdup (frame->hello.software);
        self->peer_minor = frame->hello.minor;
        /* A remote's probe was copied there by some memscope: an older one lacks requests the
         * window relies on, so it is offered a copy of this one. */
        if (self->remote != NULL && frame->hello.minor < MS_STREAM_VERSION_MINOR)
          {
            g_autofree char *message =
              g_strdup_printf (_("The memscope probe on %s is older than this memscope "
                                 "(protocol %u.%u, %u.%u needed)"), self->remote,
                               (guint) frame->hello.major, (guint) frame->hello.minor,
                               (guint) MS_STREAM_VERSION_MAJOR, (guint) MS_STREAM_VERSION_MINOR);

            self->backoff_step = G_MAXUINT;
            self->failure = MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE;
            abandon_stream (self, message);
            g_free (frame);
            return FALSE;
          }
        req.type = MS_REQ_HELLO;
        /* The sampler's worker runs the detector: the probe need not. */
        ms_stream_hello_init (&req.hello, PACKAGE_NAME " " PACKAGE_VERSION,
                              MS_STREAM_CAP_OWN_DETECTOR);
        send_request (self, &req);
        send_interval (self);
        if (self->pss_pid > 0)
          send_pss_priority (self);
        set_error (self, NULL);
        set_failure (self, MEMSCOPE_HOST_FAILURE_NONE);
        /* What ssh said while logging in ("Permanently added … to the list of known hosts", a
         * login script's complaints) must not explain a later drop. */
        g_string_truncate (self->errors, 0);
        set_state (self, MEMSCOPE_HOST_STATE_RUNNING);
      }
      break;

    case MS_FRAME_SNAPSHOT:
      emit_snapshot (self, &frame->snapshot);
      break;

    case MS_FRAME_EVENTS:
      /* From a 1.0 probe, or one that has not read the hello yet: the sampler's worker runs
       * the detector on every snapshot, so the probe's events are not needed. */
      break;

    case MS_FRAME_SMAPS_GROUPS:
    case MS_FRAME_SIGNAL:
      handle_reply (self, frame);
      break;

    case MS_FRAME_ERROR:
      handle_error_frame (self, frame);
      break;

    default:
      break;
    }
  g_free (frame);
  return go_on;
}

/* Reads what the pipe holds; returns FALSE once the stream ended. */
static gboolean
frames_read (MemscopeHostSource *self)
{
  const guint8 *payload;
  gsize len;
  guint64 number;
  char err[512];
  int got;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  for (;;)
    {
      ssize_t n = ms_stream_reader_read_fd (self->reader, self->frames_fd);

      if (n == -EAGAIN)
        return TRUE;
      if (n < 0)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot read from the host probe: %s"),
                                                      g_strerror ((int) -n));

          abandon_stream (self, message);
          return FALSE;
        }

      while ((got = ms_stream_reader_next (self->reader, &payload, &len, &number, err,
                                           sizeof err)) == 1)
        {
          if (!handle_payload (self, payload, len, number))
            return FALSE;
        }
      if (got < 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("The host probe's output cannot be followed any more: %s"), err);

          abandon_stream (self, message);
          return FALSE;
        }
      if (n == 0)
        {
          if (ms_stream_reader_finish (self->reader, err, sizeof err) != 0
              && self->stream_end_message == NULL)
            self->stream_end_message = g_strdup_printf (_("The host probe's output was cut "
                                                          "off: %s"), err);
          self->stream_ended = TRUE;
          return FALSE;
        }
    }
}

static gboolean
exit_wait_cb (gpointer data)
{
  MemscopeHostSource *self = data;

  self->exit_wait_id = 0;
  probe_ended (self);
  return G_SOURCE_REMOVE;
}

static gboolean
frames_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     data)
{
  MemscopeHostSource *self = data;
  /* Handlers of the signals emitted from here may drop the last other reference. */
  g_autoptr(MemscopeHostSource) hold = g_object_ref (self);

  if (frames_read (self))
    return G_SOURCE_CONTINUE;

  self->frames_watch = 0;
  self->stream_ended = TRUE;
  if (self->exit_known)
    probe_ended (self);
  else if (self->exit_wait_id == 0)
    self->exit_wait_id = g_timeout_add (EXIT_WAIT_MS, exit_wait_cb, self);
  return G_SOURCE_REMOVE;
}

/* Reads what is left in the pipe after the probe exited. */
static void
frames_drain (MemscopeHostSource *self)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->frames_fd >= 0 && !self->stream_ended)
    {
      if (!frames_read (self))
        self->stream_ended = TRUE;
    }
}

/* --- one run of the probe --- */

static void
reap_cb (GPid     pid,
         int      wait_status,
         gpointer data)
{
  g_spawn_close_pid (pid);
}

static void
close_run (MemscopeHostSource *self)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  g_clear_handle_id (&self->frames_watch, g_source_remove);
  g_clear_handle_id (&self->requests_watch, g_source_remove);
  g_clear_handle_id (&self->exit_wait_id, g_source_remove);
  /* A host command still on its way is left to end with its stdin. */
  if (self->host_command != NULL)
    g_signal_handlers_disconnect_by_data (self->host_command, self);
  g_clear_object (&self->host_command);
  /* Closing its stdin ends the probe within a tick even if no signal reaches it. */
  if (self->requests_fd >= 0)
    close (self->requests_fd);
  self->requests_fd = -1;
  if (self->frames_fd >= 0)
    close (self->frames_fd);
  self->frames_fd = -1;
  g_clear_handle_id (&self->errors_watch, g_source_remove);
  if (self->errors_fd >= 0)
    close (self->errors_fd);
  self->errors_fd = -1;
  if (self->child_watch != 0)
    {
      /* The watch still reaps it; this only stops telling us about it. */
      g_source_remove (self->child_watch);
      self->child_watch = 0;
      if (!self->exit_known && self->child_pid > 0)
        {
          kill (self->child_pid, SIGTERM);
          g_child_watch_add (self->child_pid, reap_cb, NULL);
        }
    }
  self->child_pid = 0;
  g_clear_pointer (&self->reader, ms_stream_reader_free);
  g_clear_pointer (&self->decoder, ms_stream_decoder_free);
  g_clear_pointer (&self->stream_end_message, g_free);
  g_byte_array_set_size (self->unsent, 0);
  self->stream_ended = FALSE;
  self->abandoned = FALSE;
  self->exit_known = FALSE;
  self->wait_status = 0;
  self->n_requests = 0;
}

static gboolean restart_cb (gpointer data);

static void
schedule_restart (MemscopeHostSource *self)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  g_clear_handle_id (&self->restart_id, g_source_remove);
  if (self->backoff_step == G_MAXUINT)
    {
      self->retry_delay_s = 0;
      return;
    }
  self->retry_delay_s = MIN (1u << MIN (self->backoff_step, 5u), BACKOFF_MAX_S);
  self->backoff_step++;
  self->restart_id = g_timeout_add_seconds (self->retry_delay_s, restart_cb, self);
}

static void
fail (MemscopeHostSource  *self,
      MemscopeHostFailure  failure,
      const char          *message)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  close_run (self);
  fail_tasks (self, message);
  /* Trying the same again cannot help until the user changed something: only Retry. */
  if (failure == MEMSCOPE_HOST_FAILURE_REFUSED || failure == MEMSCOPE_HOST_FAILURE_NO_PROBE
      || failure == MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE)
    self->backoff_step = G_MAXUINT;
  schedule_restart (self);
  set_error (self, message);
  self->failure = MEMSCOPE_HOST_FAILURE_NONE; /* so the next line notifies a repeated kind too */
  set_failure (self, failure);
  set_state (self, MEMSCOPE_HOST_STATE_FAILED);
}

static char *
describe_exit (int wait_status)
{
  if (WIFEXITED (wait_status))
    {
      if (WEXITSTATUS (wait_status) == 127)
        return g_strdup (_("The host probe could not be run (memscope-probe was not found on the "
                           "host)"));
      return g_strdup_printf (_("The host probe ended with status %d"), WEXITSTATUS (wait_status));
    }
  if (WIFSIGNALED (wait_status))
    return g_strdup_printf (_("The host probe was ended by signal %d (%s)"),
                            WTERMSIG (wait_status), g_strsignal (WTERMSIG (wait_status)));
  return g_strdup (_("The host probe ended"));
}

/* Why a remote's launcher (ssh) ended, from its wait status and the end of its stderr. */
static char *
describe_remote_fault (MemscopeHostSource  *self,
                       MemscopeHostFailure *failure)
{
  MemscopeRemoteFault fault = memscope_remote_classify (self->wait_status, self->errors->str);

  switch (fault)
    {
    case MEMSCOPE_REMOTE_FAULT_NO_PROBE:
      *failure = MEMSCOPE_HOST_FAILURE_NO_PROBE;
      break;
    case MEMSCOPE_REMOTE_FAULT_PROBE_VERSION:
      *failure = MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE;
      break;
    case MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED:
    case MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN:
    case MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED:
    case MEMSCOPE_REMOTE_FAULT_NO_CLIENT:
    case MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION:
      *failure = MEMSCOPE_HOST_FAILURE_REFUSED;
      break;
    case MEMSCOPE_REMOTE_FAULT_PROBE_ENDED:
    case MEMSCOPE_REMOTE_FAULT_OTHER:
    case MEMSCOPE_REMOTE_FAULT_NONE:
      *failure = MEMSCOPE_HOST_FAILURE_OTHER;
      break;
    default:
      *failure = MEMSCOPE_HOST_FAILURE_CONNECTION;
      break;
    }
  if (fault == MEMSCOPE_REMOTE_FAULT_NONE)
    return g_strdup_printf (_("The memscope probe on %s ended"), self->remote);
  return memscope_remote_describe (fault, self->destination, self->wait_status,
                                   self->errors->str);
}

/* Both the stream's end and the exit status are in (or one of them is overdue). */
static void
probe_ended (MemscopeHostSource *self)
{
  g_autofree char *message = NULL;
  MemscopeHostFailure failure = MEMSCOPE_HOST_FAILURE_OTHER;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  /* What the launcher said last is needed to tell why. */
  errors_read (self);
  /* A remote's stream cut short is the connection's end, which ssh says best; unless this side
   * ended it for what the stream said. */
  if (self->destination != NULL && self->exit_known && !self->abandoned)
    message = describe_remote_fault (self, &failure);
  if (message == NULL && self->stream_end_message != NULL)
    {
      message = g_strdup (self->stream_end_message);
      if (self->failure == MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE)
        failure = MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE;
    }
  if (message == NULL && self->destination != NULL)
    {
      if (self->exit_known)
        message = describe_remote_fault (self, &failure);
      else
        message = g_strdup_printf (_("The connection to %s ended"), self->remote);
    }
  if (message == NULL)
    {
      if (self->exit_known)
        message = describe_exit (self->wait_status);
      else
        message = g_strdup (_("The host probe closed its output"));
    }
  fail (self, failure, message);
}

static void
probe_exited (MemscopeHostSource *self,
              int                 wait_status)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  self->exit_known = TRUE;
  self->wait_status = wait_status;
  /* Whatever it wrote before it ended is still in the pipe. */
  frames_drain (self);
  if (self->stream_ended || self->frames_fd < 0)
    {
      probe_ended (self);
      return;
    }
  /* Something else holds the pipe open; do not wait for it forever. */
  if (self->exit_wait_id == 0)
    self->exit_wait_id = g_timeout_add (EXIT_WAIT_MS, exit_wait_cb, self);
}

static void
child_exited_cb (GPid     pid,
                 int      wait_status,
                 gpointer data)
{
  MemscopeHostSource *self = data;

  g_spawn_close_pid (pid);
  self->child_watch = 0;
  probe_exited (self, wait_status);
}

static void
host_command_exited_cb (MemscopeHostCommand *command,
                        int                  wait_status,
                        gpointer             data)
{
  MemscopeHostSource *self = data;

  probe_exited (self, wait_status);
}

static gboolean
begin_run (MemscopeHostSource *self,
           int                 frames_fd,
           int                 requests_fd)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  self->frames_fd = frames_fd;
  self->requests_fd = requests_fd;
  if (!g_unix_set_fd_nonblocking (frames_fd, TRUE, NULL)
      || !g_unix_set_fd_nonblocking (requests_fd, TRUE, NULL))
    return FALSE;
  self->reader = ms_stream_reader_new (0);
  self->decoder = ms_stream_decoder_new ();
  if (self->reader == NULL || self->decoder == NULL)
    return FALSE;
  self->frames_watch = g_unix_fd_add (frames_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                      frames_readable_cb, self);
  return TRUE;
}

static void
host_command_failed_cb (MemscopeHostCommand *command,
                        const GError        *spawn_error,
                        gpointer             data)
{
  MemscopeHostSource *self = data;
  g_autoptr(MemscopeHostSource) hold = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  /* A remote's launcher is ssh: the host may lack it, or the helper may not answer. */
  if (self->destination != NULL)
    {
      error = memscope_remote_host_spawn_error (self->destination, spawn_error);
      fail (self, g_error_matches (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_NO_CLIENT)
                  ? MEMSCOPE_HOST_FAILURE_REFUSED : MEMSCOPE_HOST_FAILURE_CONNECTION,
            error->message);
      return;
    }
  error = g_error_copy (spawn_error);
  g_dbus_error_strip_remote_error (error);
  message = g_strdup_printf (_("Cannot start the host probe: %s"), error->message);
  fail (self, MEMSCOPE_HOST_FAILURE_OTHER, message);
}

static gboolean
spawn_host_command (MemscopeHostSource *self,
                    int                 child_stdin,
                    int                 child_stdout,
                    int                 child_stderr,
                    GError            **error)
{
  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  self->spawn_cancellable = g_cancellable_new ();
  self->host_command = memscope_host_command_spawn ((const char * const *) self->argv,
                                                    child_stdin, child_stdout, child_stderr,
                                                    self->spawn_cancellable, error);
  if (self->host_command == NULL)
    return FALSE;
  g_signal_connect (self->host_command, "exited", G_CALLBACK (host_command_exited_cb), self);
  g_signal_connect (self->host_command, "spawn-failed", G_CALLBACK (host_command_failed_cb),
                    self);
  return TRUE;
}

static void
start_run (MemscopeHostSource *self)
{
  g_autoptr(GError) error = NULL;
  int to_probe[2] = { -1, -1 }, from_probe[2] = { -1, -1 }, errors[2] = { -1, -1 };
  gboolean ok;

  g_assert (MEMSCOPE_IS_HOST_SOURCE (self));

  close_run (self);
  g_cancellable_cancel (self->spawn_cancellable);
  g_clear_object (&self->spawn_cancellable);
  g_clear_handle_id (&self->restart_id, g_source_remove);
  self->retry_delay_s = 0;
  g_clear_pointer (&self->peer, g_free);
  self->n_starts++;
  self->run_started_us = g_get_monotonic_time ();
  self->clock_offset_known = FALSE;
  set_state (self, MEMSCOPE_HOST_STATE_STARTING);

  g_string_truncate (self->errors, 0);
  if (!g_unix_open_pipe (to_probe, FD_CLOEXEC, &error)
      || !g_unix_open_pipe (from_probe, FD_CLOEXEC, &error)
      || (self->remote != NULL && !g_unix_open_pipe (errors, FD_CLOEXEC, &error)))
    goto failed;

  if (self->use_host_command)
    ok = spawn_host_command (self, to_probe[0], from_probe[1], errors[1], &error);
  else
    ok = g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) self->argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                           NULL, NULL, to_probe[0], from_probe[1], errors[1],
                                           NULL, NULL, 0, &self->child_pid, NULL, NULL, NULL,
                                           &error);
  /* The probe has its own copies now (or never will). */
  close (to_probe[0]);
  close (from_probe[1]);
  to_probe[0] = from_probe[1] = -1;
  if (errors[1] >= 0)
    close (errors[1]);
  errors[1] = -1;
  if (!ok)
    goto failed;
  if (errors[0] >= 0)
    {
      self->errors_fd = errors[0];
      errors[0] = -1;
      g_unix_set_fd_nonblocking (self->errors_fd, TRUE, NULL);
      self->errors_watch = g_unix_fd_add (self->errors_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          errors_readable_cb, self);
    }
  if (self->child_pid > 0)
    self->child_watch = g_child_watch_add (self->child_pid, child_exited_cb, self);

  if (!begin_run (self, from_probe[0], to_probe[1]))
    {
      from_probe[0] = to_probe[1] = -1; /* closed by close_run */
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, g_strerror (ENOMEM));
      goto failed;
    }
  return;

failed:
  for (guint i = 0; i < 2; i++)
    {
      if (to_probe[i] >= 0)
        close (to_probe[i]);
      if (from_probe[i] >= 0)
        close (from_probe[i]);
      if (errors[i] >= 0)
        close (errors[i]);
    }
  {
    g_autofree char *message = NULL;

    if (self->destination != NULL && error != NULL && self->use_host_command)
      {
        g_autoptr(GError) described = memscope_remote_host_spawn_error (self->destination,
                                                                        error);

        message = g_strdup (described->message);
      }
    else if (self->destination != NULL && error != NULL)
      message = memscope_remote_describe (memscope_remote_classify_spawn_error (error),
                                          self->destination, 0, error->message);
    else if (self->remote != NULL)
      message = g_strdup_printf (_("Cannot start ssh to reach %s: %s"), self->remote,
                                 error != NULL ? error->message : "");
    else
      message = g_strdup_printf (_("Cannot start the host probe: %s"),
                                 error != NULL ? error->message : "");
    fail (self, MEMSCOPE_HOST_FAILURE_CONNECTION, message);
  }
}

static gboolean
restart_cb (gpointer data)
{
  MemscopeHostSource *self = data;

  self->restart_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

/* --- public API --- */

void
memscope_host_source_start (MemscopeHostSource *self)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->state == MEMSCOPE_HOST_STATE_STARTING || self->state == MEMSCOPE_HOST_STATE_RUNNING)
    return;
  start_run (self);
}

void
memscope_host_source_stop (MemscopeHostSource *self)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  g_cancellable_cancel (self->spawn_cancellable);
  g_clear_object (&self->spawn_cancellable);
  g_clear_handle_id (&self->restart_id, g_source_remove);
  self->retry_delay_s = 0;
  kill_probe (self);
  close_run (self);
  fail_tasks (self, _("The host probe was stopped"));
  set_error (self, NULL);
  set_state (self, MEMSCOPE_HOST_STATE_STOPPED);
}

void
memscope_host_source_retry (MemscopeHostSource *self)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  self->backoff_step = 0;
  kill_probe (self);
  start_run (self);
}

MemscopeHostState
memscope_host_source_get_state (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), MEMSCOPE_HOST_STATE_STOPPED);
  return self->state;
}

const char *
memscope_host_source_get_error (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  return self->error;
}

const char *
memscope_host_source_get_problem (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  return self->problem;
}

guint64
memscope_host_source_get_n_bad_frames (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), 0);
  return self->n_bad_frames;
}

guint
memscope_host_source_get_retry_delay_s (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), 0);
  return self->retry_delay_s;
}

const char *
memscope_host_source_get_peer (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  return self->peer;
}

guint
memscope_host_source_get_probe_pid (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), 0);
  if (self->child_pid > 0)
    return (guint) self->child_pid;
  return self->host_command != NULL ? memscope_host_command_get_pid (self->host_command) : 0;
}

guint
memscope_host_source_get_n_starts (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), 0);
  return self->n_starts;
}

guint
memscope_host_source_get_interval_ms (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), 0);
  return self->interval_ms;
}

void
memscope_host_source_set_interval_ms (MemscopeHostSource *self,
                                      guint               interval_ms)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  interval_ms = CLAMP (interval_ms, 100, 60000);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  if (self->state == MEMSCOPE_HOST_STATE_RUNNING)
    send_interval (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

void
memscope_host_source_reset_baseline (MemscopeHostSource *self,
                                     gint32              pid,
                                     guint64             starttime)
{
  ms_stream_request_t req = { 0 };

  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  if (self->state != MEMSCOPE_HOST_STATE_RUNNING)
    return;
  req.type = MS_REQ_RESET_BASELINE;
  req.pid = MAX (pid, 0);
  req.starttime = pid > 0 ? starttime : 0;
  send_request (self, &req);
}

gboolean
memscope_host_source_can_restore_baselines (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), FALSE);

  /* Protocol 1.2 added the request; an older probe would skip it. */
  return self->state == MEMSCOPE_HOST_STATE_RUNNING && self->peer_minor >= 2;
}

gboolean
memscope_host_source_restore_baselines (MemscopeHostSource  *self,
                                        const ms_baseline_t *baselines,
                                        gsize                n_baselines)
{
  ms_stream_request_t req = { 0 };

  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), FALSE);
  g_return_val_if_fail (baselines != NULL || n_baselines == 0, FALSE);

  if (!memscope_host_source_can_restore_baselines (self))
    return FALSE;
  req.type = MS_REQ_RESTORE_BASELINES;
  req.baselines = baselines;
  req.n_baselines = n_baselines;
  return send_request (self, &req) != 0;
}

void
memscope_host_source_set_pss_priority (MemscopeHostSource *self,
                                       gint32              pid,
                                       guint64             starttime)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  self->pss_pid = MAX (pid, 0);
  self->pss_starttime = pid > 0 ? starttime : 0;
  if (self->state == MEMSCOPE_HOST_STATE_RUNNING)
    send_pss_priority (self);
}

void
memscope_host_smaps_groups_free (ms_smaps_groups_t *groups)
{
  if (groups == NULL)
    return;
  ms_smaps_groups_clear (groups);
  g_free (groups);
}

void
memscope_host_source_read_smaps_groups (MemscopeHostSource  *self,
                                        gint32               pid,
                                        guint64              starttime,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ms_stream_request_t req = { 0 };
  GTask *task;

  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_host_source_read_smaps_groups);
  req.type = MS_REQ_SMAPS_GROUPS;
  req.pid = pid;
  req.starttime = starttime;
  start_request (self, &req, task);
}

ms_smaps_groups_t *
memscope_host_source_read_smaps_groups_finish (MemscopeHostSource  *self,
                                               GAsyncResult        *result,
                                               GError             **error)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
memscope_host_source_send_signal (MemscopeHostSource  *self,
                                  gint32               pid,
                                  guint64              starttime,
                                  int                  sig,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  ms_stream_request_t req = { 0 };
  GTask *task;

  g_return_if_fail (MEMSCOPE_IS_HOST_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_host_source_send_signal);
  if (ms_stream_signal_code (sig) == MS_STREAM_SIG_NONE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Signal %d cannot be sent through the host probe"), sig);
      g_object_unref (task);
      return;
    }
  req.type = MS_REQ_SIGNAL;
  req.pid = pid;
  req.starttime = starttime;
  req.sig = sig;
  start_request (self, &req, task);
}

gboolean
memscope_host_source_send_signal_finish (MemscopeHostSource  *self,
                                         GAsyncResult        *result,
                                         GError             **error)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- construction --- */

gboolean
memscope_host_source_wanted (void)
{
  return memscope_host_probe () != NULL || memscope_inside_flatpak ();
}

MemscopeHostSource *
memscope_host_source_new (GError **error)
{
  const char *probe = memscope_host_probe ();

  if (probe != NULL)
    {
      /* The probe reads what the in-process sampler would: fixture trees reach it too. */
      const char *argv[] = {
        probe, "stream",
        "--proc-root", memscope_proc_root (),
        "--passwd", memscope_passwd_path (),
        NULL
      };

      return memscope_host_source_new_for_argv (argv);
    }

  return memscope_host_source_new_for_flatpak_info (MEMSCOPE_FLATPAK_INFO, error);
}

MemscopeHostSource *
memscope_host_source_new_for_flatpak_info (const char  *info_path,
                                           GError     **error)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *app_path = NULL;
  g_autofree char *probe_path = NULL;
  MemscopeHostSource *self;

  g_return_val_if_fail (info_path != NULL, NULL);

  if (!g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, error))
    return NULL;
  /* Where the app's files are deployed, as the host sees them: the probe runs there. */
  app_path = g_key_file_get_string (info, "Instance", "app-path", error);
  if (app_path == NULL)
    return NULL;
  probe_path = g_build_filename (app_path, "bin", "memscope-probe", NULL);
  {
    const char *argv[] = { probe_path, "stream", NULL };

    self = memscope_host_source_new_for_argv (argv);
  }
  self->use_host_command = TRUE;
  return self;
}

/* Runs argv (a launcher such as ssh, ending in the remote's `memscope-probe stream`) as the
 * transport to the machine named `remote`: its stderr is kept to say why it failed, messages
 * name the machine, and inside a Flatpak it runs on the host. */
static MemscopeHostSource *
new_for_remote (const char * const *argv,
                const char         *remote)
{
  MemscopeHostSource *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (remote != NULL && *remote != '\0', NULL);

  self = memscope_host_source_new_for_argv (argv);
  self->remote = g_strdup (remote);
  /* Inside a Flatpak the user's ssh setup is on the host: ssh runs there. */
  self->use_host_command = memscope_host_command_wanted ();
  return self;
}

MemscopeHostSource *
memscope_host_source_new_for_destination (const MemscopeRemoteDestination *destination)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *name = NULL;
  MemscopeHostSource *self;

  g_return_val_if_fail (destination != NULL, NULL);

  argv = memscope_remote_build_stream_argv (destination);
  name = memscope_remote_destination_dup_display_name (destination);
  self = new_for_remote ((const char * const *) argv, name);
  self->destination = memscope_remote_destination_copy (destination);
  return self;
}

const MemscopeRemoteDestination *
memscope_host_source_get_destination (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  return self->destination;
}

const char *
memscope_host_source_get_remote (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), NULL);
  return self->remote;
}

MemscopeHostFailure
memscope_host_source_get_failure (MemscopeHostSource *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_SOURCE (self), MEMSCOPE_HOST_FAILURE_NONE);
  return self->failure;
}

MemscopeHostSource *
memscope_host_source_new_for_argv (const char * const *argv)
{
  MemscopeHostSource *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_HOST_SOURCE, NULL);
  self->argv = g_strdupv ((char **) argv);
  return self;
}

static void
memscope_host_source_dispose (GObject *object)
{
  MemscopeHostSource *self = (MemscopeHostSource *) object;

  g_cancellable_cancel (self->spawn_cancellable);
  g_clear_object (&self->spawn_cancellable);
  g_clear_handle_id (&self->restart_id, g_source_remove);
  kill_probe (self);
  close_run (self);
  if (self->tasks != NULL)
    fail_tasks (self, _("The host probe was stopped"));

  G_OBJECT_CLASS (memscope_host_source_parent_class)->dispose (object);
}

static void
memscope_host_source_finalize (GObject *object)
{
  MemscopeHostSource *self = (MemscopeHostSource *) object;

  g_strfreev (self->argv);
  g_free (self->remote);
  g_clear_pointer (&self->destination, memscope_remote_destination_free);
  g_string_free (self->errors, TRUE);
  ms_stream_buf_clear (&self->encoded);
  g_byte_array_unref (self->unsent);
  g_hash_table_unref (self->tasks);
  g_hash_table_unref (self->request_ids);
  g_free (self->error);
  g_free (self->problem);
  g_free (self->peer);

  G_OBJECT_CLASS (memscope_host_source_parent_class)->finalize (object);
}

static void
memscope_host_source_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MemscopeHostSource *self = MEMSCOPE_HOST_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_FAILURE:
      g_value_set_enum (value, self->failure);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_host_source_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MemscopeHostSource *self = MEMSCOPE_HOST_SOURCE (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      memscope_host_source_set_interval_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_host_source_class_init (MemscopeHostSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_host_source_dispose;
  object_class->finalize = memscope_host_source_finalize;
  object_class->get_property = memscope_host_source_get_property;
  object_class->set_property = memscope_host_source_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MEMSCOPE_TYPE_HOST_STATE,
                       MEMSCOPE_HOST_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, 100, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURE] =
    g_param_spec_enum ("failure", NULL, NULL, MEMSCOPE_TYPE_HOST_FAILURE,
                       MEMSCOPE_HOST_FAILURE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The same signal as MemscopeSamplerThread's: an immutable snapshot the handler may ref. */
  signals[SNAPSHOT] = g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    MEMSCOPE_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
memscope_host_source_init (MemscopeHostSource *self)
{
  self->frames_fd = -1;
  self->requests_fd = -1;
  self->errors_fd = -1;
  self->errors = g_string_new (NULL);
  self->interval_ms = 1000;
  self->unsent = g_byte_array_new ();
  ms_stream_buf_init (&self->encoded);
  self->tasks = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->request_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}
