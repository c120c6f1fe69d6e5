/* SPDX-License-Identifier: MIT */
/* Start at login and background running against a stand-in for the Background portal on a
 * private bus: what memscope asks, how each answer reaches the preferences, and the XDG entry
 * outside a Flatpak. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "memscope-alerts-preferences.h"
#include "memscope-autostart.h"
#include "memscope-background-private.h"
#include "memscope-preferences-dialog.h"
#include "memscope-window.h"
#include "ms-test.h"

#define WAIT_S 15
#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

typedef enum
{
  ANSWER_AFTER_REPLY,  /* Response after the call's reply, as usual */
  ANSWER_BEFORE_REPLY, /* Response before the reply: the race a subscription made late loses */
  ANSWER_NEVER,        /* the handle, then silence */
  ANSWER_OWN_PATH,     /* an old portal: a Request path of its own, answered a little later */
} AnswerMode;

/* The stand-in portal, on a connection of its own. */
static struct
{
  GDBusConnection *connection;
  guint request_id;     /* the Request object registered for the current call */
  AnswerMode mode;
  guint32 response;
  GVariant *results;    /* owned; the Response's a{sv} */
  guint n_calls;
  guint n_closed;
  char *parent_window;
  GVariant *options;    /* owned; the last call's a{sv} */
  char *handle;
} portal;

static GDBusConnection *client;

static void
set_answer (AnswerMode  mode,
            guint32     response,
            const char *results)
{
  portal.mode = mode;
  portal.response = response;
  g_clear_pointer (&portal.results, g_variant_unref);
  portal.results = g_variant_ref_sink (g_variant_new_parsed (results));
}

static void
request_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *path,
                   const char            *iface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               data)
{
  g_assert_cmpstr (method, ==, "Close");
  portal.n_closed++;
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
emit_response (void)
{
  g_autoptr(GError) error = NULL;

  /* Broadcast, as the portal's skeleton does: the client's match rule must catch it. */
  g_dbus_connection_emit_signal (portal.connection, NULL, portal.handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", portal.response, portal.results),
                                 &error);
  g_assert_no_error (error);
}

static void
emit_response_cb (gpointer data)
{
  emit_response ();
}

static void
background_method_cb (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *iface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               data)
{
  static const char request_xml[] =
    "<node><interface name='org.freedesktop.portal.Request'><method name='Close'/>"
    "<signal name='Response'><arg type='u'/><arg type='a{sv}'/></signal></interface></node>";
  static const GDBusInterfaceVTable request_vtable = { request_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (request_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sender_part = g_strdup (sender + 1);
  const char *token = NULL;

  g_assert_cmpstr (method, ==, "RequestBackground");
  portal.n_calls++;
  g_clear_pointer (&portal.options, g_variant_unref);
  g_clear_pointer (&portal.parent_window, g_free);
  g_variant_get (parameters, "(s@a{sv})", &portal.parent_window, &portal.options);

  /* What the real portal does: the Request lives at a path made of sender and token. */
  g_assert_true (g_variant_lookup (portal.options, "handle_token", "&s", &token));
  g_strdelimit (sender_part, ".", '_');
  g_free (portal.handle);
  if (portal.mode == ANSWER_OWN_PATH)
    portal.handle = g_strdup_printf (PORTAL_PATH "/request/old/%u", portal.n_calls);
  else
    portal.handle = g_strconcat (PORTAL_PATH "/request/", sender_part, "/", token, NULL);
  g_assert_true (g_variant_is_object_path (portal.handle));
  if (portal.request_id != 0)
    g_dbus_connection_unregister_object (connection, portal.request_id);
  portal.request_id = g_dbus_connection_register_object (connection, portal.handle,
                                                         info->interfaces[0], &request_vtable,
                                                         NULL, NULL, &error);
  g_assert_no_error (error);

  if (portal.mode == ANSWER_BEFORE_REPLY)
    emit_response ();
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", portal.handle));
  if (portal.mode == ANSWER_AFTER_REPLY)
    emit_response ();
  else if (portal.mode == ANSWER_OWN_PATH)
    g_timeout_add_once (200, emit_response_cb, NULL);
}

static void
portal_start (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.portal.Background'>"
    "<method name='RequestBackground'><arg type='s' direction='in'/>"
    "<arg type='a{sv}' direction='in'/><arg type='o' direction='out'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { background_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  /* A connection of its own, like a real portal in its own process. */
  portal.connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  ms_test_serve (portal.connection, xml, PORTAL_PATH, &vtable);
  ms_test_own_name (portal.connection, PORTAL_BUS_NAME, TRUE);
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <true>}");
}

static void
portal_stop (void)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_close_sync (portal.connection, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&portal.connection);
  g_clear_pointer (&portal.results, g_variant_unref);
  g_clear_pointer (&portal.options, g_variant_unref);
  g_clear_pointer (&portal.parent_window, g_free);
  g_clear_pointer (&portal.handle, g_free);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* One main-loop iteration that returns within 50 ms even when nothing happens, so every wait
 * below ends at its deadline instead of blocking for good. */
static void
iterate (void)
{
  guint wake = g_timeout_add (50, wake_cb, NULL);

  g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* Lets whatever is under way arrive: for checks that something did not happen. */
static void
iterate_for_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    iterate ();
}

static void
wait_until (gboolean *flag)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < end)
    iterate ();
  g_assert_true (*flag);
}

typedef struct
{
  gboolean done;
  gboolean granted;
  GError *error;
} Answer;

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Answer *answer = user_data;

  answer->granted = memscope_background_request_finish (result, &answer->error);
  answer->done = TRUE;
}

/* One request, waited for; the answer's error (or NULL when granted) goes to `error`. */
static gboolean
request (GDBusConnection  *connection,
         gboolean          autostart,
         guint             timeout_ms,
         GCancellable     *cancellable,
         GError          **error)
{
  Answer answer = { 0 };

  memscope_background_request_async (connection, NULL, autostart, timeout_ms, cancellable,
                                     request_cb, &answer);
  wait_until (&answer.done);
  g_assert_true (answer.granted == (answer.error == NULL));
  if (answer.error != NULL)
    g_propagate_error (error, answer.error);
  return answer.granted;
}

static void
assert_options (gboolean autostart)
{
  g_autofree const char **commandline = NULL;
  const char *reason = NULL;
  const char *token = NULL;
  gboolean value = !autostart;
  gboolean activatable = TRUE;

  g_assert_nonnull (portal.options);
  g_assert_cmpstr (portal.parent_window, ==, "");
  g_assert_true (g_variant_lookup (portal.options, "autostart", "b", &value));
  g_assert_cmpint (value, ==, autostart);
  g_assert_true (g_variant_lookup (portal.options, "commandline", "^a&s", &commandline));
  g_assert_cmpuint (g_strv_length ((char **) commandline), ==, 2);
  g_assert_cmpstr (commandline[0], ==, "memscope");
  g_assert_cmpstr (commandline[1], ==, "--background");
  g_assert_true (g_variant_lookup (portal.options, "reason", "&s", &reason));
  g_assert_cmpuint (strlen (reason), >, 10);
  g_assert_true (g_variant_lookup (portal.options, "handle_token", "&s", &token));
  g_assert_cmpuint (strlen (token), >, 0);
  for (const char *c = token; *c != '\0'; c++)
    g_assert_true (g_ascii_isalnum (*c) || *c == '_');
  g_assert_true (g_variant_lookup (portal.options, "dbus-activatable", "b", &activatable));
  g_assert_false (activatable);
}

static void
test_detect (void)
{
  g_autofree char *fixture = ms_test_data_path ("app/flatpak-info");
  g_autofree char *missing = ms_test_data_path ("app/no-such-flatpak-info");
  g_autofree char *directory = ms_test_data_path ("app");

  g_assert_true (memscope_background_detect_sandbox (fixture));
  g_assert_false (memscope_background_detect_sandbox (missing));
  g_assert_false (memscope_background_detect_sandbox (directory));
}

static void
test_granted (void)
{
  g_autoptr(GError) error = NULL;
  guint n = portal.n_calls;

  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <true>}");
  g_assert_true (request (client, TRUE, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal.n_calls, ==, n + 1);
  assert_options (TRUE);

  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <false>}");
  g_assert_true (request (client, FALSE, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal.n_calls, ==, n + 2);
  assert_options (FALSE);

  /* A Response that overtakes the reply still counts. */
  set_answer (ANSWER_BEFORE_REPLY, 0, "{'background': <true>, 'autostart': <true>}");
  g_assert_true (request (client, TRUE, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal.n_calls, ==, n + 3);

  /* A portal that picks the Request path itself is followed there. */
  set_answer (ANSWER_OWN_PATH, 0, "{'background': <true>, 'autostart': <true>}");
  g_assert_true (request (client, TRUE, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal.n_calls, ==, n + 4);
  g_assert_true (g_str_has_prefix (portal.handle, PORTAL_PATH "/request/old/"));
  g_assert_cmpuint (portal.n_closed, ==, 0);
}

static void
assert_denied (guint32     response,
               const char *results,
               gboolean    autostart,
               int         code,
               const char *word)
{
  g_autoptr(GError) error = NULL;

  set_answer (ANSWER_AFTER_REPLY, response, results);
  g_assert_false (request (client, autostart, 0, NULL, &error));
  g_assert_error (error, MEMSCOPE_BACKGROUND_ERROR, code);
  g_test_message ("response %u %s: %s", response, results, error->message);
  g_assert_nonnull (strstr (error->message, word));
}

static void
test_denied (void)
{
  assert_denied (1, "@a{sv} {}", TRUE, MEMSCOPE_BACKGROUND_ERROR_DENIED, "dismissed");
  assert_denied (2, "@a{sv} {}", FALSE, MEMSCOPE_BACKGROUND_ERROR_DENIED, "refused");
  assert_denied (0, "{'background': <false>, 'autostart': <false>}", FALSE,
                 MEMSCOPE_BACKGROUND_ERROR_DENIED, "does not allow");
  assert_denied (0, "{'background': <false>, 'autostart': <false>}", TRUE,
                 MEMSCOPE_BACKGROUND_ERROR_DENIED, "login");
  assert_denied (0, "{'background': <true>, 'autostart': <false>}", TRUE,
                 MEMSCOPE_BACKGROUND_ERROR_AUTOSTART_DENIED, "login");
  /* An answer that says nothing is no yes. */
  assert_denied (0, "@a{sv} {}", FALSE, MEMSCOPE_BACKGROUND_ERROR_DENIED, "does not allow");
}

static void
test_no_portal (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n = portal.n_calls;

  ms_test_own_name (portal.connection, PORTAL_BUS_NAME, FALSE);
  g_assert_false (request (client, TRUE, 0, NULL, &error));
  g_assert_error (error, MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_NO_PORTAL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "portal"));
  /* Told at once, not after a timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (portal.n_calls, ==, n);
  g_clear_error (&error);
  ms_test_own_name (portal.connection, PORTAL_BUS_NAME, TRUE);

  /* No bus at all. */
  g_assert_false (request (NULL, FALSE, 0, NULL, &error));
  g_assert_error (error, MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_NO_PORTAL);
}

static void
test_no_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();
  guint closed = portal.n_closed;
  Answer answer = { 0 };

  /* A portal that never answers: given up after the timeout, and its question closed. */
  set_answer (ANSWER_NEVER, 0, "@a{sv} {}");
  g_assert_false (request (client, TRUE, 300, NULL, &error));
  g_assert_error (error, MEMSCOPE_BACKGROUND_ERROR, MEMSCOPE_BACKGROUND_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (portal.n_closed == closed && g_get_monotonic_time () < end)
      iterate ();
  }
  g_assert_cmpuint (portal.n_closed, ==, closed + 1);

  /* Cancelled while the question is open: cancelled, and closed too. */
  memscope_background_request_async (client, NULL, FALSE, 0, cancellable, request_cb, &answer);
  {
    guint n = portal.n_calls;
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (portal.n_calls == n && g_get_monotonic_time () < end)
      iterate ();
    g_assert_cmpuint (portal.n_calls, ==, n + 1);
  }
  /* Let the reply with the handle arrive first. */
  iterate_for_ms (200);
  g_cancellable_cancel (cancellable);
  wait_until (&answer.done);
  g_assert_false (answer.granted);
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&answer.error);
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (portal.n_closed == closed + 1 && g_get_monotonic_time () < end)
      iterate ();
  }
  g_assert_cmpuint (portal.n_closed, ==, closed + 2);
}

/* The object: settings, preferences, answers. */

static void
answered_cb (MemscopeBackground *background,
             guint               topic,
             const GError       *error,
             guint              *n_answers)
{
  (*n_answers)++;
}

static void
wait_answers (guint *n_answers,
              guint  n)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (*n_answers < n && g_get_monotonic_time () < end)
    iterate ();
  g_assert_cmpuint (*n_answers, ==, n);
}

/* The visible label showing `text` below `root`, or NULL. */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_problem_labels (GtkWidget *root)
{
  guint n = 0;

  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "error"))
    n += gtk_widget_get_visible (root) ? 100 : 1;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_problem_labels (child);
  return n;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (MEMSCOPE_SCHEMA_ID);

  g_settings_reset (settings, "start-at-login");
  g_settings_reset (settings, "run-in-background");
  return settings;
}

static void
test_sandboxed (void)
{
  g_autofree char *info = ms_test_data_path ("app/flatpak-info");
  g_autofree char *entry = memscope_autostart_dup_path ();
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MemscopeBackground) background = NULL;
  GtkWidget *dialog;
  const char *problem;
  guint n_answers = 0;
  guint n_calls;

  background = memscope_background_new_full (settings, client, info);
  g_assert_true (memscope_background_get_sandboxed (background));
  g_signal_connect (background, "answered", G_CALLBACK (answered_cb), &n_answers);
  dialog = memscope_preferences_dialog_new (NULL, settings, background);
  /* One hidden label each under "start at login" and "keep running in the background". */
  g_assert_cmpuint (count_problem_labels (dialog), ==, 2);

  /* Start at login, granted: asked through the portal, no XDG entry in the sandbox. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <true>}");
  n_calls = portal.n_calls;
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (memscope_background_get_busy (background));
  wait_answers (&n_answers, 1);
  g_assert_cmpuint (portal.n_calls, ==, n_calls + 1);
  assert_options (TRUE);
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_null (memscope_background_get_problem (background, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART));
  g_assert_false (g_file_test (entry, G_FILE_TEST_EXISTS));

  /* Turned off: the portal removes the entry. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <false>}");
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  wait_answers (&n_answers, 2);
  assert_options (FALSE);

  /* Refused: the switch goes back off and its row says why. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <false>, 'autostart': <false>}");
  n_calls = portal.n_calls;
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  wait_answers (&n_answers, 3);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  problem = memscope_background_get_problem (background, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART);
  g_assert_nonnull (problem);
  g_test_message ("start at login refused: %s", problem);
  g_assert_nonnull (find_shown_label (dialog, problem));
  /* Turning it back off was ours: it asked nothing more. */
  iterate_for_ms (200);
  g_assert_cmpuint (portal.n_calls, ==, n_calls + 1);
  g_assert_false (memscope_background_get_busy (background));

  /* Keep running in the background, dismissed: asked without autostart (start at login is
   * off), turned back off, and said so under its own switch. */
  set_answer (ANSWER_AFTER_REPLY, 1, "@a{sv} {}");
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_answers (&n_answers, 4);
  assert_options (FALSE);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  problem = memscope_background_get_problem (background, MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "dismissed"));
  g_assert_nonnull (find_shown_label (dialog, problem));
  g_assert_cmpuint (count_problem_labels (dialog), ==, 200);

  /* Trying again clears the message; granted, it stays on. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <false>}");
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  g_assert_null (memscope_background_get_problem (background,
                                                  MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND));
  wait_answers (&n_answers, 5);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_cmpuint (count_problem_labels (dialog), ==, 101);

  /* Granted once in this run: going to the background asks nothing more. */
  n_calls = portal.n_calls;
  memscope_background_went_background (background);
  g_assert_false (memscope_background_get_busy (background));
  g_assert_cmpuint (portal.n_calls, ==, n_calls);

  /* No portal: start at login cannot be set and says so; nothing hangs. */
  ms_test_own_name (portal.connection, PORTAL_BUS_NAME, FALSE);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  wait_answers (&n_answers, 6);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  problem = memscope_background_get_problem (background, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART);
  g_assert_nonnull (strstr (problem, "portal"));
  g_assert_nonnull (find_shown_label (dialog, problem));
  ms_test_own_name (portal.connection, PORTAL_BUS_NAME, TRUE);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_went_background (void)
{
  g_autofree char *info = ms_test_data_path ("app/flatpak-info");
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MemscopeBackground) background = NULL;
  guint n_answers = 0;
  guint n_calls = portal.n_calls;

  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  background = memscope_background_new_full (settings, client, info);
  g_signal_connect (background, "answered", G_CALLBACK (answered_cb), &n_answers);
  /* Settings as they were at start ask nothing. */
  iterate_for_ms (200);
  g_assert_cmpuint (portal.n_calls, ==, n_calls);

  /* Going to the background asks, keeping start at login as chosen; refused, background
   * running goes off while the login entry is refused as well. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <false>, 'autostart': <false>}");
  memscope_background_went_background (background);
  g_assert_true (memscope_background_get_busy (background));
  /* Asked once while a request is under way. */
  memscope_background_went_background (background);
  wait_answers (&n_answers, 1);
  g_assert_cmpuint (portal.n_calls, ==, n_calls + 1);
  assert_options (TRUE);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_nonnull (memscope_background_get_problem (background,
                                                     MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND));
  g_assert_nonnull (memscope_background_get_problem (background,
                                                     MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART));

  /* Not granted, so the next time asks again: granted, nothing is reverted. */
  set_answer (ANSWER_AFTER_REPLY, 0, "{'background': <true>, 'autostart': <false>}");
  memscope_background_went_background (background);
  wait_answers (&n_answers, 2);
  g_assert_cmpuint (portal.n_calls, ==, n_calls + 2);
  assert_options (FALSE);

  /* Gone while asking: the answer arrives to nobody, and nothing breaks. */
  set_answer (ANSWER_NEVER, 0, "@a{sv} {}");
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (memscope_background_get_busy (background));
  g_clear_object (&background);
  iterate_for_ms (200);
  g_assert_cmpuint (n_answers, ==, 2);
}

static void
test_outside_sandbox (void)
{
  g_autofree char *missing = ms_test_data_path ("app/no-such-flatpak-info");
  g_autofree char *entry = memscope_autostart_dup_path ();
  g_autofree char *dir = g_path_get_dirname (entry);
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MemscopeBackground) background = NULL;
  GtkWidget *preferences;
  const char *problem;
  guint n_answers = 0;
  guint n_calls = portal.n_calls;

  background = memscope_background_new_full (settings, client, missing);
  g_assert_false (memscope_background_get_sandboxed (background));
  g_signal_connect (background, "answered", G_CALLBACK (answered_cb), &n_answers);
  preferences = g_object_ref_sink (memscope_alerts_preferences_new (settings, background));

  /* The XDG entry, written and removed at once; the portal is never asked. */
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_cmpuint (n_answers, ==, 1);
  g_assert_true (g_file_test (entry, G_FILE_TEST_IS_REGULAR));
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  memscope_background_went_background (background);
  g_assert_false (memscope_background_get_busy (background));
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_false (g_file_test (entry, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (portal.n_calls, ==, n_calls);

  /* The entry cannot be written (a file where its folder goes): back off, with the reason. */
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_true (g_file_set_contents (dir, "", 0, NULL));
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  problem = memscope_background_get_problem (background, MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART);
  g_assert_nonnull (problem);
  g_test_message ("%s", problem);
  g_assert_nonnull (strstr (problem, dir));
  g_assert_nonnull (find_shown_label (preferences, problem));
  g_assert_cmpint (g_unlink (dir), ==, 0);

  g_object_unref (preferences);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("memscope-background-XXXXXX", NULL);
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  int status;

  /* Before GLib reads it and caches it. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  /* A bus of our own with no activatable services: "no portal" means none, whatever is
   * installed on this machine.  Up before anything connects to a session bus; it unsets
   * DISPLAY, which the preference widgets need back. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  gtk_init ();
  portal_start ();
  client = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/background/detect", test_detect);
  g_test_add_func ("/background/request/granted", test_granted);
  g_test_add_func ("/background/request/denied", test_denied);
  g_test_add_func ("/background/request/no-portal", test_no_portal);
  g_test_add_func ("/background/request/no-answer", test_no_answer);
  g_test_add_func ("/background/preferences/sandboxed", test_sandboxed);
  g_test_add_func ("/background/preferences/went-background", test_went_background);
  g_test_add_func ("/background/preferences/outside-sandbox", test_outside_sandbox);
  status = g_test_run ();

  g_dbus_connection_close_sync (client, NULL, NULL);
  g_clear_object (&client);
  portal_stop ();
  g_test_dbus_down (bus);
  {
    g_autofree char *autostart = g_build_filename (config, "autostart", NULL);

    g_rmdir (autostart);
  }
  g_rmdir (config);
  return status;
}
