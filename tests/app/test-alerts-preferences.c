/* SPDX-License-Identifier: MIT */
/* The Alerts preferences follow and write their settings; ignored programs come and go. */

#include "config.h"

#include <gtk/gtk.h>

#include "memscope-alerts-preferences-private.h"
#include "memscope-window.h"
#include "ms-gui-test.h"

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (tooltip == NULL
              || g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0))
        return child;
      found = find_widget (child, type, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_ignored_programs (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  const char *initial[] = { "firefox", "/usr/bin/leaky", NULL };
  g_auto(GStrv) after_add = NULL;
  g_auto(GStrv) after_remove = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *prefs = memscope_alerts_preferences_new (settings, NULL);
  GtkWidget *entry;
  GtkWidget *remove;

  gtk_window_set_child (GTK_WINDOW (window), prefs);
  gtk_window_present (GTK_WINDOW (window));
  ms_gui_drain ();
  g_assert_cmpuint (memscope_alerts_preferences_get_n_ignored (MEMSCOPE_ALERTS_PREFERENCES (prefs)),
                    ==, 0);

  g_settings_set_strv (settings, "ignored-programs", initial);
  g_assert_cmpuint (memscope_alerts_preferences_get_n_ignored (MEMSCOPE_ALERTS_PREFERENCES (prefs)),
                    ==, 2);

  /* Typed and confirmed: added once, trimmed, and the entry empties. */
  entry = find_widget (prefs, GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  /opt/big/bin/big ");
  g_signal_emit_by_name (entry, "activate");
  gtk_editable_set_text (GTK_EDITABLE (entry), "firefox");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  after_add = g_settings_get_strv (settings, "ignored-programs");
  g_assert_cmpuint (g_strv_length (after_add), ==, 3);
  g_assert_cmpstr (after_add[2], ==, "/opt/big/bin/big");
  g_assert_cmpuint (memscope_alerts_preferences_get_n_ignored (MEMSCOPE_ALERTS_PREFERENCES (prefs)),
                    ==, 3);

  remove = find_widget (prefs, GTK_TYPE_BUTTON, "Stop ignoring firefox");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  after_remove = g_settings_get_strv (settings, "ignored-programs");
  g_assert_cmpuint (g_strv_length (after_remove), ==, 2);
  g_assert_cmpstr (after_remove[0], ==, "/usr/bin/leaky");
  g_assert_cmpstr (after_remove[1], ==, "/opt/big/bin/big");

  gtk_window_destroy (GTK_WINDOW (window));
  ms_gui_drain ();
}

static void
test_switches_follow_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *prefs = memscope_alerts_preferences_new (settings, NULL);
  GtkWidget *enabled;

  gtk_window_set_child (GTK_WINDOW (window), prefs);
  gtk_window_present (GTK_WINDOW (window));
  ms_gui_drain ();

  /* The first switch is "Show notifications". */
  enabled = find_widget (prefs, GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (enabled);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (enabled)));
  g_settings_set_boolean (settings, "alerts-enabled", FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (enabled)));
  gtk_switch_set_active (GTK_SWITCH (enabled), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "alerts-enabled"));

  gtk_window_destroy (GTK_WINDOW (window));
  ms_gui_drain ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alerts-preferences/ignored-programs", test_ignored_programs);
  g_test_add_func ("/alerts-preferences/switches-follow-settings", test_switches_follow_settings);
  return g_test_run ();
}
