/* SPDX-License-Identifier: MIT */
/* Explanations speak the user's language: the whole app on a made-up machine (fake-probe leak,
 * sampled as through a host probe) where a process leaks and another is a zombie.  The tooltip of
 * the tagged row, the inspect panel's explanation and the leak's notification body (taken from
 * the session bus, where this test stands in for the notification server) are German with
 * LANGUAGE=de and English otherwise. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-inspect-panel.h"
#include "memscope-tag-pills.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define LEAKY_PID 700
#define DEFUNCT_PID 701
#define STARTTIME_OF(pid) (1000 + (guint64) (pid))

static MemscopeApplication *app;
static MemscopeWindow *window;
static gboolean german;
static GPtrArray *bodies; /* every notification body sent, oldest first */
static gboolean name_acquired;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notifications_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_strcmp0 (method, "Notify") == 0)
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_test_message ("notification: %s | %s", summary, body);
      g_ptr_array_add (bodies, g_strdup (body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", bodies->len));
    }
  else if (g_strcmp0 (method, "GetCapabilities") == 0)
    {
      const char *caps[] = { "body", "actions", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_strcmp0 (method, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "memscope", "1",
                                                          "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  name_acquired = TRUE;
}

/* Stands in for the notification server on the session bus the app sends to. */
static guint
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) info = NULL;
  guint owner;

  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &vtable, NULL, NULL,
                                                       &error), >, 0);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL, NULL,
                                        NULL);
  MS_GUI_AWAIT (name_acquired, MS_GUI_WAIT_MS, "the notification server's name");
  return owner;
}

static MemscopeProcessRow *
lookup (gint32 pid)
{
  return memscope_process_model_lookup (memscope_window_get_model (window), pid,
                                        STARTTIME_OF (pid));
}

static gboolean
tagged (gint32 pid,
        guint  tag)
{
  MemscopeProcessRow *row = lookup (pid);

  return row != NULL && (memscope_process_row_get_tags (row) & tag) != 0
         && memscope_process_row_get_explanation (row) != NULL;
}

/* A LEAK explanation of the fake machine: 8 MiB/s with 4 GiB available, so memory runs out in
 * 8 min 32 s (or a second either side, as fitted). */
static void
assert_leak_words (const char *text,
                   const char *where)
{
  g_test_message ("%s: %s", where, text);
  g_assert_nonnull (text);
  if (german)
    {
      g_assert_true (g_str_has_prefix (text, "Wächst seit "));
      g_assert_true (ms_gui_contains (text, " MiB/s, Untergrenze steigt; bei diesem Tempo ist der "
                                            "verfügbare Speicher in 8 Min. 3"));
      g_assert_true (g_str_has_suffix (text, " s erschöpft"));
      g_assert_null (strstr (text, "growing"));
    }
  else
    {
      g_assert_true (g_str_has_prefix (text, "Growing "));
      g_assert_true (ms_gui_contains (text, " MiB/s for "));
      g_assert_true (ms_gui_contains (text, ", floor rising; available memory runs out in 8 min 3"));
      g_assert_true (g_str_has_suffix (text, " s at this rate"));
    }
}

/* The visible pill's tooltip in the list row whose pills show tag. */
static const char *
list_tooltip (GtkWidget *widget,
              guint      tag)
{
  if (MEMSCOPE_IS_TAG_PILLS (widget) && gtk_widget_get_mapped (widget)
      && memscope_tag_pills_get_tags (MEMSCOPE_TAG_PILLS (widget)) == tag)
    {
      for (GtkWidget *pill = gtk_widget_get_first_child (widget); pill != NULL;
           pill = gtk_widget_get_next_sibling (pill))
        if (gtk_widget_get_visible (pill))
          return gtk_widget_get_tooltip_text (pill);
      return NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = list_tooltip (child, tag);

      if (text != NULL)
        return text;
    }
  return NULL;
}

static gboolean
leak_notified (void)
{
  for (guint i = 0; i < bodies->len; i++)
    if (strstr (g_ptr_array_index (bodies, i), "700") != NULL)
      return TRUE;
  return FALSE;
}

static void
test_list_and_notification (void)
{
  GtkWidget *list = GTK_WIDGET (memscope_window_get_column_view (window));
  const char *tooltip;
  const char *body = NULL;

  MS_GUI_AWAIT (tagged (LEAKY_PID, MS_TAG_LEAK), MS_GUI_WAIT_MS, "LEAK on the leaking process");
  assert_leak_words (memscope_process_row_get_explanation (lookup (LEAKY_PID)), "row");
  MS_GUI_AWAIT (list_tooltip (list, MS_TAG_LEAK) != NULL, MS_GUI_WAIT_MS,
                "the LEAK pill in the list");
  assert_leak_words (list_tooltip (list, MS_TAG_LEAK), "LEAK tooltip");

  MS_GUI_AWAIT (tagged (DEFUNCT_PID, MS_TAG_ZOMBIE), MS_GUI_WAIT_MS, "ZOMBIE on the zombie");
  MS_GUI_AWAIT (list_tooltip (list, MS_TAG_ZOMBIE) != NULL, MS_GUI_WAIT_MS,
                "the ZOMBIE pill in the list");
  tooltip = list_tooltip (list, MS_TAG_ZOMBIE);
  g_test_message ("ZOMBIE tooltip: %s", tooltip);
  /* The parent by name and pid (the number is the same in every language). */
  g_assert_true (g_str_has_prefix (tooltip, german ? "Zombie: beendet, aber vom Elternprozess "
                                                     "noch nicht abgeholt ("
                                                   : "Zombie: exited, not yet reaped by its "
                                                     "parent ("));
  g_assert_true (g_str_has_suffix (tooltip, "leaky, pid 700)")
                 || g_str_has_suffix (tooltip, "leaky, PID 700)"));

  MS_GUI_AWAIT (leak_notified (), MS_GUI_WAIT_MS, "the leak's notification");
  for (guint i = 0; i < bodies->len && body == NULL; i++)
    if (strstr (g_ptr_array_index (bodies, i), "700") != NULL)
      body = g_ptr_array_index (bodies, i);
  if (german)
    {
      g_assert_true (ms_gui_contains (body, "leaky (PID 700) wächst um "));
      g_assert_true (ms_gui_contains (body, " MiB/s: "));
      g_assert_true (ms_gui_contains (body, "\nBei diesem Tempo ist der verfügbare Speicher in "
                                            "8 Min. 3"));
      g_assert_true (g_str_has_suffix (body, " s erschöpft."));
      g_assert_null (strstr (body, "grows"));
    }
  else
    {
      g_assert_true (ms_gui_contains (body, "leaky (pid 700) grows "));
      g_assert_true (ms_gui_contains (body, " MiB/s: "));
      g_assert_true (ms_gui_contains (body, "\nAt this rate available memory runs out in 8 min 3"));
      g_assert_true (g_str_has_suffix (body, " s."));
    }
}

static void
test_inspect_panel (void)
{
  MemscopeInspectPanel *panel =
    MEMSCOPE_INSPECT_PANEL (ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_INSPECT_PANEL));
  MemscopeProcessRow *row = lookup (LEAKY_PID);
  GtkWidget *pills, *label;

  g_assert_nonnull (panel);
  g_assert_nonnull (row);
  g_assert_true (memscope_window_select_row (window, row));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect", NULL);
  MS_GUI_AWAIT (memscope_window_get_inspected_row (window) == row, MS_GUI_WAIT_MS,
                "the panel on the leaking process");
  /* The explanation is the label under the panel's tag pills. */
  pills = ms_gui_find_widget (GTK_WIDGET (panel), MEMSCOPE_TYPE_TAG_PILLS);
  g_assert_nonnull (pills);
  label = gtk_widget_get_next_sibling (pills);
  g_assert_true (GTK_IS_LABEL (label));
  MS_GUI_AWAIT (gtk_widget_get_mapped (label), MS_GUI_WAIT_MS, "the explanation to show");
  assert_leak_words (gtk_label_get_label (GTK_LABEL (label)), "inspect panel");
}

int
main (int argc, char **argv)
{
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  g_autofree char *state = g_dir_make_tmp ("memscope-explain-XXXXXX", NULL);
  guint owner;
  int rc;

  german = ms_test_use_translations ();

  g_assert_nonnull (g_getenv ("MS_FAKE_PROBE"));
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("MEMSCOPE_HOST_PROBE", g_getenv ("MS_FAKE_PROBE"), TRUE);
  g_setenv ("MS_FAKE_PROBE_MODE", "leak", TRUE);
  g_setenv ("MEMSCOPE_PASSWD", passwd, TRUE);
  /* The made-up machine's recording is its own, and gone afterwards. */
  g_assert_nonnull (state);
  g_setenv ("MEMSCOPE_STATE_DIR", state, TRUE);
  ms_gui_allow_list_scroll_warning ();
  ms_test_ignore_sigpipe ();
  gtk_test_init (&argc, &argv, NULL);

  bodies = g_ptr_array_new_with_free_func (g_free);
  owner = serve_notifications ();
  app = ms_gui_start_app (250, &window);

  g_test_add_func ("/explain-lang/list-and-notification", test_list_and_notification);
  g_test_add_func ("/explain-lang/inspect-panel", test_inspect_panel);

  rc = g_test_run ();

  ms_gui_stop_app (app, window);
  g_bus_unown_name (owner);
  g_ptr_array_unref (bodies);
  ms_test_remove_tree (state);
  return rc;
}
