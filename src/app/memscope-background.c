/* SPDX-License-Identifier: MIT */
/* Background running and "start at login": the Background portal inside a Flatpak, else XDG. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-autostart.h"
#include "memscope-background-private.h"
#include "memscope-seams.h"

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE "org.freedesktop.portal.Background"
#define REQUEST_IFACE "org.freedesktop.portal.Request"
/* The method call itself returns at once; only the Response waits for a person. */
#define CALL_TIMEOUT_MS 10000
/* Long enough to read the portal's question and answer it, short enough that a portal that
 * never answers does not leave the preference in limbo for the whole session. */
#define ANSWER_TIMEOUT_MS (5 * 60 * 1000)

G_DEFINE_QUARK (memscope-background-error-quark, memscope_background_error)

gboolean
memscope_background_detect_sandbox (const char *info_path)
{
  g_return_val_if_fail (info_path != NULL, FALSE);

  return g_file_test (info_path, G_FILE_TEST_IS_REGULAR);
}

/* One RequestBackground call and its Response. */

typedef struct
{
  GDBusConnection *connection;
  char *handle;        /* the Request object the portal answers on */
  guint response_id;   /* subscription to its Response signal */
  GSource *timeout;
  GCancellable *cancellable;
  gulong cancelled_id;
  gboolean autostart;  /* what was asked */
  gboolean replied;    /* the call returned the handle: Close means something now */
  gboolean done;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->connection);
  g_free (request->handle);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void response_cb (GDBusConnection *connection,
                         const char      *sender,
                         const char      *path,
                         const char      *iface,
                         const char      *signal,
                         GVariant        *parameters,
                         gpointer         user_data);

static void
subscribe (Request *request,
           GTask   *task)
{
  request->response_id =
    g_dbus_connection_signal_subscribe (request->connection, PORTAL_BUS_NAME, REQUEST_IFACE,
                                        "Response", request->handle, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, response_cb,
                                        g_object_ref (task), g_object_unref);
}

/* Finishes the task once, with `error` (taken) or success, and lets go of what waits for it. */
static void
complete (GTask  *task,
          GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->done)
    {
      g_clear_error (&error);
      return;
    }
  request->done = TRUE;

  if (request->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
      request->response_id = 0;
    }
  if (request->timeout != NULL)
    {
      g_source_destroy (request->timeout);
      g_clear_pointer (&request->timeout, g_source_unref);
    }
  if (request->cancelled_id != 0)
    {
      g_signal_handler_disconnect (request->cancellable, request->cancelled_id);
      request->cancelled_id = 0;
    }
  /* Given up on (cancelled, or no answer in time): the portal may still show its question. */
  if (error != NULL && request->replied)
    g_dbus_connection_call (request->connection, PORTAL_BUS_NAME, request->handle,
                            REQUEST_IFACE, "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                            CALL_TIMEOUT_MS, NULL, NULL, NULL);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GError *
no_portal_error (void)
{
  return g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_NO_PORTAL,
                              _("No Background portal answers on this system, so memscope "
                                "cannot ask from its sandbox to run in the background or to "
                                "start at login."));
}

static GError *
no_answer_error (void)
{
  return g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_FAILED,
                              _("The system did not answer memscope's request to run in the "
                                "background."));
}

static void
response_cb (GDBusConnection *connection,
             const char      *sender,
             const char      *path,
             const char      *iface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  gboolean autostart = FALSE;
  guint32 response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    {
      complete (task, g_error_new (MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_FAILED,
                                   _("memscope could not ask to run in the background: %s"),
                                   _("the portal's answer has the wrong type")));
      return;
    }
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  /* A missing answer is not a yes. */
  g_variant_lookup (results, "background", "b", &background);
  g_variant_lookup (results, "autostart", "b", &autostart);

  if (response == 1)
    complete (task, g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR,
                                         MEMSCOPE_BACKGROUND_ERROR_DENIED,
                                         _("The question whether memscope may run in the "
                                           "background was dismissed.")));
  else if (response != 0)
    complete (task, g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR,
                                         MEMSCOPE_BACKGROUND_ERROR_DENIED,
                                         _("The system refused to let memscope run in the "
                                           "background.")));
  else if (!background)
    complete (task, g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR,
                                         MEMSCOPE_BACKGROUND_ERROR_DENIED,
                                         request->autostart
                                         ? _("The system does not allow memscope to run in the "
                                             "background, so it cannot start at login either. "
                                             "You can allow it in the system settings for "
                                             "applications.")
                                         : _("The system does not allow memscope to run in the "
                                             "background. You can allow it in the system "
                                             "settings for applications.")));
  else if (request->autostart && !autostart)
    complete (task, g_error_new_literal (MEMSCOPE_BACKGROUND_ERROR,
                                         MEMSCOPE_BACKGROUND_ERROR_AUTOSTART_DENIED,
                                         _("The system lets memscope run in the background but "
                                           "did not let it start at login.")));
  else
    complete (task, NULL);
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (request->done)
    return;
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        complete (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
        {
          g_debug ("No Background portal: %s", error->message);
          complete (task, no_portal_error ());
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY)
               || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT))
        complete (task, no_answer_error ());
      else
        {
          g_dbus_error_strip_remote_error (error);
          complete (task, g_error_new (MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_FAILED,
                                       _("memscope could not ask to run in the background: %s"),
                                       error->message));
        }
      return;
    }

  request->replied = TRUE;
  g_variant_get (reply, "(&o)", &handle);
  /* Portals before the handle_token convention answer on a path of their own choosing. */
  if (g_strcmp0 (handle, request->handle) != 0)
    {
      g_debug ("The portal answers on %s, not %s", handle, request->handle);
      g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
      g_free (request->handle);
      request->handle = g_strdup (handle);
      subscribe (request, task);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  /* complete() destroys this source: the reference is given up as it returns. */
  g_clear_pointer (&request->timeout, g_source_unref);
  complete (task, no_answer_error ());
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The request to run in the background was cancelled")));
}

void
memscope_background_request_async (GDBusConnection     *connection,
                                   const char          *parent_window,
                                   gboolean             autostart,
                                   guint                timeout_ms,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  const char * const commandline[] = { MEMSCOPE_BACKGROUND_COMMAND, MEMSCOPE_BACKGROUND_ARGUMENT,
                                       NULL };
  g_autoptr(GTask) task = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  GVariantBuilder options;
  Request *request;
  const char *unique;

  g_return_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_background_request_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  unique = connection != NULL ? g_dbus_connection_get_unique_name (connection) : NULL;
  if (unique == NULL || g_dbus_connection_is_closed (connection))
    {
      g_task_return_error (task, no_portal_error ());
      return;
    }
  if (timeout_ms == 0)
    timeout_ms = ANSWER_TIMEOUT_MS;

  request = g_new0 (Request, 1);
  request->connection = g_object_ref (connection);
  request->autostart = autostart;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  /* The Request object's path is known in advance (sender and token): subscribing before the
   * call cannot miss a Response that comes before the call's reply. */
  sender = g_strdup (unique + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("memscope%u", g_random_int ());
  request->handle = g_strconcat (PORTAL_PATH "/request/", sender, "/", token, NULL);
  subscribe (request, task);

  request->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (request->timeout, timeout_cb, g_object_ref (task), g_object_unref);
  g_source_set_name (request->timeout, "[memscope] background portal answer");
  g_source_attach (request->timeout, g_main_context_get_thread_default ());

  if (cancellable != NULL)
    {
      request->cancellable = g_object_ref (cancellable);
      request->cancelled_id = g_signal_connect (cancellable, "cancelled",
                                                G_CALLBACK (cancelled_cb), task);
    }

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("memscope watches memory while its window is "
                                                 "closed and warns when a process leaks.")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  /* Started by a command line, not by D-Bus activation. */
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (connection, PORTAL_BUS_NAME, PORTAL_PATH, BACKGROUND_IFACE,
                          "RequestBackground",
                          g_variant_new ("(sa{sv})", parent_window != NULL ? parent_window : "",
                                         &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE,
                          (int) MIN (timeout_ms, CALL_TIMEOUT_MS), cancellable, call_cb,
                          g_object_ref (task));
}

gboolean
memscope_background_request_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == memscope_background_request_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The object that follows the preferences. */

#define N_TOPICS 2

static const char * const topic_keys[N_TOPICS] = { "start-at-login", "run-in-background" };

struct _MemscopeBackground
{
  GObject parent_instance;

  /* owned */
  GSettings *settings;
  GDBusConnection *connection;
  GCancellable *cancellable;
  char *problems[N_TOPICS];

  gboolean sandboxed;
  guint timeout_ms;
  gboolean values[N_TOPICS]; /* the keys as last seen: a write of the same value asks nothing */
  gboolean busy;             /* a request is under way */
  gboolean again;            /* a key changed while it was: ask again with the new values */
  gboolean granted;          /* background permission was given in this run */
  MemscopeBackgroundTopic asked_topic; /* what the request under way is for */
  gboolean asked_autostart;
};

enum
{
  PROP_0,
  PROP_SANDBOXED,
  PROP_BUSY,
  PROP_AUTOSTART_PROBLEM,
  PROP_BACKGROUND_PROBLEM,
  N_PROPS
};

enum
{
  ANSWERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MemscopeBackground, memscope_background, G_TYPE_OBJECT)

static void
set_problem (MemscopeBackground      *self,
             MemscopeBackgroundTopic  topic,
             const char              *problem)
{
  g_assert (MEMSCOPE_IS_BACKGROUND (self));

  if (g_strcmp0 (self->problems[topic], problem) == 0)
    return;
  g_free (self->problems[topic]);
  self->problems[topic] = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[topic == MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART
                                       ? PROP_AUTOSTART_PROBLEM : PROP_BACKGROUND_PROBLEM]);
}

static void
set_busy (MemscopeBackground *self,
          gboolean            busy)
{
  g_assert (MEMSCOPE_IS_BACKGROUND (self));

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Turns the topic's preference back off, and says why. */
static void
refuse (MemscopeBackground      *self,
        MemscopeBackgroundTopic  topic,
        const char              *problem)
{
  g_assert (MEMSCOPE_IS_BACKGROUND (self));

  if (self->values[topic])
    {
      /* Seen before it is written, so the change it makes asks nothing. */
      self->values[topic] = FALSE;
      g_settings_set_boolean (self->settings, topic_keys[topic], FALSE);
    }
  set_problem (self, topic, problem);
}

static void ask (MemscopeBackground      *self,
                 MemscopeBackgroundTopic  topic);

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  MemscopeBackground *self;
  MemscopeBackgroundTopic topic;
  gboolean asked_on;

  /* Cancelled only when the object is gone: user_data must not be touched then. */
  if (!memscope_background_request_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = MEMSCOPE_BACKGROUND (user_data);
  topic = self->asked_topic;
  asked_on = self->asked_autostart;
  set_busy (self, FALSE);
  if (error == NULL)
    g_debug ("Background portal: granted (autostart %s)", asked_on ? "on" : "off");
  else
    g_debug ("Background portal: %s", error->message);

  if (self->again)
    {
      /* The answer is to a question that is out of date: ask the current one. */
      self->again = FALSE;
      ask (self, topic);
      return;
    }

  if (error == NULL)
    self->granted = TRUE;
  else if (g_error_matches (error, MEMSCOPE_BACKGROUND_ERROR,
                            MEMSCOPE_BACKGROUND_ERROR_AUTOSTART_DENIED))
    {
      self->granted = TRUE;
      refuse (self, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART, error->message);
    }
  else if (g_error_matches (error, MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_DENIED))
    {
      self->granted = FALSE;
      /* Asked to remove the login entry, a "no" to background running removes it too: only a
       * request to add one was refused. */
      if (asked_on)
        refuse (self, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART, error->message);
      if (topic == MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND)
        refuse (self, MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND, error->message);
    }
  else if (g_error_matches (error, MEMSCOPE_BACKGROUND_ERROR,
                            MEMSCOPE_BACKGROUND_ERROR_NO_PORTAL))
    {
      /* Without the portal nothing was set up at login, and nothing watches windowless apps
       * either: background running works, start at login cannot. */
      if (topic == MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART && asked_on)
        refuse (self, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART, error->message);
    }
  else if (topic == MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART && !asked_on)
    set_problem (self, topic, error->message); /* stays off here; the entry may remain */
  else
    refuse (self, topic, error->message);

  g_signal_emit (self, signals[ANSWERED], 0, (guint) topic, error);
}

static void
ask (MemscopeBackground      *self,
     MemscopeBackgroundTopic  topic)
{
  g_assert (MEMSCOPE_IS_BACKGROUND (self));

  if (self->busy)
    {
      self->again = TRUE;
      self->asked_topic = topic;
      return;
    }
  /* Each request also sets or removes the login entry: it always carries the current choice. */
  self->asked_topic = topic;
  self->asked_autostart = g_settings_get_boolean (self->settings, "start-at-login");
  set_busy (self, TRUE);
  memscope_background_request_async (self->connection, NULL, self->asked_autostart,
                                     self->timeout_ms, self->cancellable, answered_cb, self);
}

static void
settings_changed_cb (GSettings          *settings,
                     const char         *key,
                     MemscopeBackground *self)
{
  MemscopeBackgroundTopic topic;
  gboolean value;

  g_assert (MEMSCOPE_IS_BACKGROUND (self));

  if (g_strcmp0 (key, topic_keys[MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART]) == 0)
    topic = MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART;
  else if (g_strcmp0 (key, topic_keys[MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND]) == 0)
    topic = MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND;
  else
    return;

  value = g_settings_get_boolean (settings, key);
  if (value == self->values[topic])
    return;
  self->values[topic] = value;
  set_problem (self, topic, NULL);

  if (!self->sandboxed)
    {
      g_autoptr(GError) error = NULL;

      /* Outside a sandbox background running needs no one's leave. */
      if (topic == MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART && !memscope_autostart_set (value, &error))
        {
          if (value)
            refuse (self, topic, error->message);
          else
            set_problem (self, topic, error->message);
        }
      g_signal_emit (self, signals[ANSWERED], 0, (guint) topic, error);
      return;
    }

  /* Turning background running off needs no one's leave either. */
  if (topic == MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND && !value)
    return;
  ask (self, topic);
}

void
memscope_background_went_background (MemscopeBackground *self)
{
  g_return_if_fail (MEMSCOPE_IS_BACKGROUND (self));

  if (!self->sandboxed || self->granted || self->busy)
    return;
  ask (self, MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND);
}

gboolean
memscope_background_get_sandboxed (MemscopeBackground *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BACKGROUND (self), FALSE);
  return self->sandboxed;
}

void
memscope_background_set_timeout_ms (MemscopeBackground *self,
                                    guint               timeout_ms)
{
  g_return_if_fail (MEMSCOPE_IS_BACKGROUND (self));
  self->timeout_ms = timeout_ms;
}

const char *
memscope_background_get_problem (MemscopeBackground      *self,
                                 MemscopeBackgroundTopic  topic)
{
  g_return_val_if_fail (MEMSCOPE_IS_BACKGROUND (self), NULL);
  g_return_val_if_fail (topic < N_TOPICS, NULL);
  return self->problems[topic];
}

gboolean
memscope_background_get_busy (MemscopeBackground *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BACKGROUND (self), FALSE);
  return self->busy;
}

static void
update_label (GtkWidget          *label,
              MemscopeBackground *self)
{
  MemscopeBackgroundTopic topic = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label),
                                                                       "memscope-topic"));
  const char *problem = self->problems[topic];

  gtk_label_set_text (GTK_LABEL (label), problem != NULL ? problem : "");
  gtk_widget_set_visible (label, problem != NULL);
}

static void
problem_notify_cb (MemscopeBackground *self,
                   GParamSpec         *pspec,
                   GtkWidget          *label)
{
  update_label (label, self);
}

GtkWidget *
memscope_background_new_problem_label (MemscopeBackground      *self,
                                       MemscopeBackgroundTopic  topic,
                                       GtkWidget               *preference)
{
  GtkWidget *label;

  g_return_val_if_fail (MEMSCOPE_IS_BACKGROUND (self), NULL);
  g_return_val_if_fail (topic < N_TOPICS, NULL);
  g_return_val_if_fail (preference == NULL || GTK_IS_WIDGET (preference), NULL);

  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_widget_add_css_class (label, "error");
  g_object_set_data (G_OBJECT (label), "memscope-topic", GUINT_TO_POINTER (topic));
  g_signal_connect_object (self,
                           topic == MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART
                           ? "notify::autostart-problem" : "notify::background-problem",
                           G_CALLBACK (problem_notify_cb), label, 0);
  update_label (label, self);
  if (preference != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (preference),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  return label;
}

static void
memscope_background_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MemscopeBackground *self = MEMSCOPE_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_SANDBOXED:
      g_value_set_boolean (value, self->sandboxed);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_AUTOSTART_PROBLEM:
      g_value_set_string (value, self->problems[MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART]);
      break;
    case PROP_BACKGROUND_PROBLEM:
      g_value_set_string (value, self->problems[MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_background_dispose (GObject *object)
{
  MemscopeBackground *self = (MemscopeBackground *) object;

  /* Whatever is under way finishes as cancelled, without us. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (memscope_background_parent_class)->dispose (object);
}

static void
memscope_background_finalize (GObject *object)
{
  MemscopeBackground *self = (MemscopeBackground *) object;

  for (guint i = 0; i < N_TOPICS; i++)
    g_free (self->problems[i]);

  G_OBJECT_CLASS (memscope_background_parent_class)->finalize (object);
}

static void
memscope_background_class_init (MemscopeBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = memscope_background_get_property;
  object_class->dispose = memscope_background_dispose;
  object_class->finalize = memscope_background_finalize;

  properties[PROP_SANDBOXED] =
    g_param_spec_boolean ("sandboxed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOSTART_PROBLEM] =
    g_param_spec_string ("autostart-problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKGROUND_PROBLEM] =
    g_param_spec_string ("background-problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A request for the topic (a MemscopeBackgroundTopic) was answered: the error is NULL when
   * it was granted. */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
                                    G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
memscope_background_init (MemscopeBackground *self)
{
  self->cancellable = g_cancellable_new ();
}

MemscopeBackground *
memscope_background_new_full (GSettings       *settings,
                              GDBusConnection *connection,
                              const char      *info_path)
{
  MemscopeBackground *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (info_path != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_BACKGROUND, NULL);
  self->settings = g_object_ref (settings);
  g_set_object (&self->connection, connection);
  self->sandboxed = memscope_background_detect_sandbox (info_path);
  for (guint i = 0; i < N_TOPICS; i++)
    self->values[i] = g_settings_get_boolean (settings, topic_keys[i]);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
  return self;
}

MemscopeBackground *
memscope_background_new (GSettings       *settings,
                         GDBusConnection *connection)
{
  return memscope_background_new_full (settings, connection, MEMSCOPE_FLATPAK_INFO);
}
