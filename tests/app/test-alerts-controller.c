/* SPDX-License-Identifier: MIT */
/* A remote machine's alerts through the controller: its sampler feeds them, and its processes are
 * inspected and ignored on that machine, in that machine's window. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "memscope-alerts-controller.h"
#include "memscope-notifier.h"
#include "memscope-snapshot.h"
#include "ms-gui-test.h"

typedef struct
{
  GtkWindow *window;   /* the remote machine's window, as the opener gives it */
  char *destination;   /* what the opener was asked for */
  guint n_opened;
  guint n_inspected;
  gint32 pid;
  guint64 starttime;
} Remote;

static Remote remote;

static void
inspect_process_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_variant_get (parameter, "(it)", &remote.pid, &remote.starttime);
  remote.n_inspected++;
}

static GtkWindow *
open_remote_cb (GtkApplication *application,
                const char     *destination)
{
  g_free (remote.destination);
  remote.destination = g_strdup (destination);
  remote.n_opened++;
  return remote.window;
}

static GtkWindow *
no_window_cb (GtkApplication *application)
{
  return NULL;
}

static void
test_remote_machine (void)
{
  const GActionEntry win_actions[] = {
    { "inspect-process", inspect_process_cb, "(it)", NULL, NULL, { 0 } },
  };
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_autoptr(GtkApplication) application =
    gtk_application_new ("io.github.memscope.Memscope.TestAlertsController",
                         G_APPLICATION_NON_UNIQUE);
  g_autoptr(MemscopeSamplerThread) local_sampler = memscope_sampler_thread_new ();
  g_autoptr(MemscopeSamplerThread) remote_sampler = memscope_sampler_thread_new ();
  g_autoptr(MemscopeBackground) background = NULL;
  g_autoptr(MemscopeAlertsController) controller = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_auto(GStrv) ignored = NULL;
  MemscopeSnapshot snapshot = { 0 };
  ms_proc_t proc = { 0 };
  MemscopeAlerts *alerts;
  g_autofree char *program = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_strv (settings, "ignored-programs", NULL);
  remote.window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (remote.window);
  g_action_map_add_action_entries (G_ACTION_MAP (group), win_actions, G_N_ELEMENTS (win_actions),
                                   NULL);
  gtk_widget_insert_action_group (GTK_WIDGET (remote.window), "win", G_ACTION_GROUP (group));

  background = memscope_background_new (settings, g_application_get_dbus_connection (
                                          G_APPLICATION (application)));
  controller = memscope_alerts_controller_new (application, settings, local_sampler, background,
                                               no_window_cb);
  memscope_alerts_controller_set_remote_opener (controller, open_remote_cb);
  alerts = memscope_alerts_controller_add_machine (controller, "build-box", "me@build-box:2222",
                                                   remote_sampler);
  g_assert_nonnull (alerts);
  g_assert_cmpstr (memscope_alerts_get_machine (alerts), ==, "build-box");
  g_assert_true (alerts != memscope_alerts_controller_get_alerts (controller));

  /* The machine's sampler feeds its alerts, not this machine's. */
  proc.pid = 4242;
  proc.starttime = 7;
  g_strlcpy (proc.comm, "leak-sim", sizeof proc.comm);
  g_strlcpy (proc.exe, "/usr/bin/leak-sim", sizeof proc.exe);
  proc.footprint_kib = proc.rss_kib = 1024;
  proc.state = 'S';
  snapshot.base.time_s = 1;
  snapshot.base.procs = &proc;
  snapshot.base.n_procs = 1;
  snapshot.serial = 1;
  g_signal_emit_by_name (remote_sampler, "snapshot", &snapshot);
  program = memscope_alerts_dup_program (alerts, 4242, 7);
  g_assert_cmpstr (program, ==, "/usr/bin/leak-sim");
  g_clear_pointer (&program, g_free);
  program = memscope_alerts_dup_program (memscope_alerts_controller_get_alerts (controller),
                                         4242, 7);
  g_assert_null (program);

  /* The notification's Inspect: that machine's window, inspecting that process. */
  g_action_group_activate_action (G_ACTION_GROUP (application),
                                  MEMSCOPE_ACTION_INSPECT_REMOTE,
                                  g_variant_new (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
                                                 "build-box", 4242, (guint64) 7));
  g_assert_cmpuint (remote.n_opened, ==, 1);
  g_assert_cmpstr (remote.destination, ==, "me@build-box:2222");
  g_assert_cmpuint (remote.n_inspected, ==, 1);
  g_assert_cmpint (remote.pid, ==, 4242);
  g_assert_cmpuint (remote.starttime, ==, 7);

  /* A machine never watched opens nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (application),
                                  MEMSCOPE_ACTION_INSPECT_REMOTE,
                                  g_variant_new (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
                                                 "elsewhere", 4242, (guint64) 7));
  g_assert_cmpuint (remote.n_opened, ==, 1);

  /* Ignore: the program as that machine knows it joins the one list. */
  g_action_group_activate_action (G_ACTION_GROUP (application),
                                  MEMSCOPE_ACTION_IGNORE_REMOTE,
                                  g_variant_new (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
                                                 "build-box", 4242, (guint64) 7));
  ignored = g_settings_get_strv (settings, "ignored-programs");
  g_assert_cmpuint (g_strv_length (ignored), ==, 1);
  g_assert_cmpstr (ignored[0], ==, "/usr/bin/leak-sim");

  /* The window closed: a popup left behind opens the machine again. */
  memscope_alerts_controller_remove_machine (controller, "build-box");
  g_action_group_activate_action (G_ACTION_GROUP (application),
                                  MEMSCOPE_ACTION_INSPECT_REMOTE,
                                  g_variant_new (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
                                                 "build-box", 4243, (guint64) 8));
  g_assert_cmpuint (remote.n_opened, ==, 2);
  g_assert_cmpint (remote.pid, ==, 4243);

  g_settings_set_strv (settings, "ignored-programs", NULL);
  g_clear_object (&controller);
  gtk_window_destroy (remote.window);
  g_clear_object (&remote.window);
  g_clear_pointer (&remote.destination, g_free);
  ms_gui_drain ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alerts-controller/remote-machine", test_remote_machine);
  return g_test_run ();
}
