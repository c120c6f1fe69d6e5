/* SPDX-License-Identifier: MIT */
/* Wires the alert policy to the sampler, notifications, the tray and settings; processes are
 * inspected through the window's action win.inspect-process. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-alerts-controller.h"
#include "memscope-background.h"
#include "memscope-notifier.h"
#include "memscope-tray.h"

#define PAUSE_S 3600.0

struct _MemscopeAlertsController
{
  GObject parent_instance;

  /* owned */
  MemscopeAlerts *alerts;
  MemscopeNotifier *notifier;
  MemscopeTray *tray;
  MemscopeBackground *background;
  GSettings *settings;

  /* borrowed: the application owns us and the sampler */
  GtkApplication *application;
  MemscopeSamplerThread *sampler;
  MemscopeWindowGetter get_window;

  gboolean held; /* hidden from the tray: keep running until the window shows again */
  GtkWindow *watched_window;
};

G_DEFINE_FINAL_TYPE (MemscopeAlertsController, memscope_alerts_controller, G_TYPE_OBJECT)

static GtkWindow *
get_window (MemscopeAlertsController *self)
{
  return self->get_window != NULL ? self->get_window (self->application) : NULL;
}

static void
inspect (MemscopeAlertsController *self,
         gint32                    pid,
         guint64                   starttime)
{
  GtkWindow *window;

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  /* Presents the window (creating it when memscope started in the background). */
  g_application_activate (G_APPLICATION (self->application));
  window = get_window (self);
  /* A window made just now lists nothing until its first snapshot: the window waits for it. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect-process",
                                MEMSCOPE_PROCESS_TARGET_TYPE, pid, starttime);
}

static void
inspect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MemscopeAlertsController *self = user_data;
  gint32 pid;
  guint64 starttime;

  g_variant_get (parameter, MEMSCOPE_PROCESS_TARGET_TYPE, &pid, &starttime);
  inspect (self, pid, starttime);
}

static void
ignore_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  MemscopeAlertsController *self = user_data;
  g_autofree char *program = NULL;
  g_auto(GStrv) current = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  gint32 pid;
  guint64 starttime;

  g_variant_get (parameter, MEMSCOPE_PROCESS_TARGET_TYPE, &pid, &starttime);
  program = memscope_alerts_dup_program (self->alerts, pid, starttime);
  if (program == NULL)
    return;
  current = g_settings_get_strv (self->settings, "ignored-programs");
  if (g_strv_contains ((const char * const *) current, program))
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) current);
  g_strv_builder_add (builder, program);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "ignored-programs", (const char * const *) updated);
  g_debug ("Ignoring %s from now on", program);
}

static void
toggle_pause (MemscopeAlertsController *self)
{
  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  memscope_alerts_pause (self->alerts, memscope_alerts_get_paused (self->alerts) ? 0 : PAUSE_S);
}

static void
pause_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  toggle_pause (user_data);
}

static void
apply_settings (MemscopeAlertsController *self)
{
  g_auto(GStrv) ignored = NULL;
  guint tags = 0;

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  if (g_settings_get_boolean (self->settings, "notify-leak"))
    tags |= MS_TAG_LEAK;
  if (g_settings_get_boolean (self->settings, "notify-spike"))
    tags |= MS_TAG_SPIKE;
  ignored = g_settings_get_strv (self->settings, "ignored-programs");
  memscope_alerts_set_enabled (self->alerts,
                               g_settings_get_boolean (self->settings, "alerts-enabled"));
  memscope_alerts_set_notify_tags (self->alerts, tags);
  memscope_alerts_set_ignored (self->alerts, (const char * const *) ignored);
  memscope_alerts_set_low_memory_percent (self->alerts,
                                          g_settings_get_double (self->settings,
                                                                 "low-memory-percent"));
  memscope_alerts_set_pressure_threshold (self->alerts,
                                          g_settings_get_double (self->settings,
                                                                 "pressure-threshold"));
}

static void
settings_changed_cb (GSettings                *settings,
                     const char               *key,
                     MemscopeAlertsController *self)
{
  /* MemscopeBackground follows start-at-login. */
  if (g_strcmp0 (key, "start-at-login") == 0)
    return;
  apply_settings (self);
}

static void
snapshot_cb (MemscopeAlertsController *self,
             const MemscopeSnapshot   *snapshot)
{
  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  memscope_alerts_feed (self->alerts, &snapshot->base,
                        snapshot->events != NULL
                        ? (const ms_event_t *) (gpointer) snapshot->events->data : NULL,
                        snapshot->events != NULL ? snapshot->events->len : 0);
}

static void
alert_cb (MemscopeAlertsController *self,
          MemscopeAlert            *alert)
{
  memscope_notifier_show (self->notifier, alert);
}

static void
withdraw_cb (MemscopeAlertsController *self,
             const char               *id)
{
  memscope_notifier_withdraw (self->notifier, id);
}

static void
leaks_changed_cb (MemscopeAlertsController *self)
{
  if (self->tray != NULL)
    memscope_tray_set_leaks (self->tray, memscope_alerts_get_leaks (self->alerts));
}

static void
paused_cb (MemscopeAlertsController *self)
{
  if (self->tray != NULL)
    memscope_tray_set_paused (self->tray, memscope_alerts_get_paused (self->alerts));
}

static void
window_visible_cb (MemscopeAlertsController *self,
                   GParamSpec               *pspec,
                   GtkWidget                *window)
{
  if (gtk_widget_get_visible (window) && self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self->application));
    }
}

static void
tray_activate_cb (MemscopeAlertsController *self)
{
  GtkWindow *window = get_window (self);

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  if (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window)))
    {
      g_application_activate (G_APPLICATION (self->application));
      return;
    }

  /* Hidden from the tray, memscope keeps running whatever the close preference says: the
   * icon is the way back. */
  if (!self->held)
    {
      self->held = TRUE;
      g_application_hold (G_APPLICATION (self->application));
    }
  if (self->watched_window != window)
    {
      g_clear_weak_pointer (&self->watched_window);
      g_set_weak_pointer (&self->watched_window, window);
      g_signal_connect_object (window, "notify::visible", G_CALLBACK (window_visible_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  memscope_alerts_controller_went_background (self);
}

static void
tray_show_cb (MemscopeAlertsController *self)
{
  g_application_activate (G_APPLICATION (self->application));
}

static void
tray_inspect_cb (MemscopeAlertsController *self,
                 gint                      pid,
                 guint64                   starttime)
{
  inspect (self, pid, starttime);
}

static void
tray_pause_cb (MemscopeAlertsController *self)
{
  toggle_pause (self);
}

static void
tray_quit_cb (MemscopeAlertsController *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self->application), "quit", NULL);
}

void
memscope_alerts_controller_went_background (MemscopeAlertsController *self)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  memscope_background_went_background (self->background);
  if (g_settings_get_boolean (self->settings, "background-hint-shown"))
    return;
  g_settings_set_boolean (self->settings, "background-hint-shown", TRUE);
  memscope_notifier_show_background_hint (self->notifier,
                                          self->tray != NULL
                                          && memscope_tray_get_registered (self->tray));
}

MemscopeAlerts *
memscope_alerts_controller_get_alerts (MemscopeAlertsController *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_ALERTS_CONTROLLER (self), NULL);
  return self->alerts;
}

static void
memscope_alerts_controller_dispose (GObject *object)
{
  MemscopeAlertsController *self = (MemscopeAlertsController *) object;

  if (self->held && self->application != NULL)
    g_application_release (G_APPLICATION (self->application));
  self->held = FALSE;
  g_clear_weak_pointer (&self->watched_window);
  g_clear_object (&self->tray);
  g_clear_object (&self->background);
  g_clear_object (&self->notifier);
  g_clear_object (&self->alerts);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->application);
  g_clear_weak_pointer (&self->sampler);

  G_OBJECT_CLASS (memscope_alerts_controller_parent_class)->dispose (object);
}

static void
memscope_alerts_controller_class_init (MemscopeAlertsControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_alerts_controller_dispose;
}

static void
memscope_alerts_controller_init (MemscopeAlertsController *self)
{
}

MemscopeAlertsController *
memscope_alerts_controller_new (GtkApplication        *application,
                                GSettings             *settings,
                                MemscopeSamplerThread *sampler,
                                MemscopeWindowGetter   window_getter)
{
  const GActionEntry actions[] = {
    { MEMSCOPE_ACTION_INSPECT, inspect_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { MEMSCOPE_ACTION_IGNORE, ignore_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { "pause-alerts", pause_action, NULL, NULL, NULL, { 0 } },
  };
  MemscopeAlertsController *self;
  GDBusConnection *connection;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);

  self = g_object_new (MEMSCOPE_TYPE_ALERTS_CONTROLLER, NULL);
  g_set_weak_pointer (&self->application, application);
  g_set_weak_pointer (&self->sampler, sampler);
  self->settings = g_object_ref (settings);
  self->get_window = window_getter;

  self->alerts = memscope_alerts_new ();
  self->notifier = memscope_notifier_new (G_APPLICATION (application));
  g_signal_connect_object (self->alerts, "alert", G_CALLBACK (alert_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alerts, "withdraw", G_CALLBACK (withdraw_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alerts, "leaks-changed", G_CALLBACK (leaks_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alerts, "notify::paused", G_CALLBACK (paused_cb), self,
                           G_CONNECT_SWAPPED);

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   self);

  apply_settings (self);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);

  g_signal_connect_object (sampler, "snapshot", G_CALLBACK (snapshot_cb), self,
                           G_CONNECT_SWAPPED);

  /* No bus (a run without D-Bus): no tray; notifications fail quietly in GLib. */
  connection = g_application_get_dbus_connection (G_APPLICATION (application));
  /* Start at login, and background running inside a Flatpak. */
  self->background = memscope_background_new (settings, connection);
  if (connection != NULL)
    {
      self->tray = memscope_tray_new (connection);
      g_signal_connect_object (self->tray, "activate", G_CALLBACK (tray_activate_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "show-window", G_CALLBACK (tray_show_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "inspect", G_CALLBACK (tray_inspect_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "toggle-pause", G_CALLBACK (tray_pause_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "quit", G_CALLBACK (tray_quit_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return self;
}
