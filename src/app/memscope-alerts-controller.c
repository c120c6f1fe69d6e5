/* SPDX-License-Identifier: MIT */
/* Wires the alert policy to the sampler, notifications, the tray and settings; processes are
 * inspected through the window's action win.inspect-process. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-alerts-controller.h"
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
  MemscopeBackground *background; /* the application's, shared */
  GSettings *settings;
  GHashTable *machines;     /* display name → Machine: the remote machines watched now */
  GHashTable *destinations; /* display name → destination text, of every machine watched since
                             * start: a popup outlives the window it came from */
  gint64 paused_until_us;   /* monotonic; 0: not paused from here */
  MemscopeRemoteOpener open_remote;

  /* borrowed: the application owns us and the sampler */
  GtkApplication *application;
  MemscopeSamplerThread *sampler;
  MemscopeWindowGetter get_window;

  gboolean held; /* hidden from the tray: keep running until the window shows again */
  GtkWindow *watched_window;
};

G_DEFINE_FINAL_TYPE (MemscopeAlertsController, memscope_alerts_controller, G_TYPE_OBJECT)

/* A remote machine's own alert state; the policy and its settings are the same as here. */
typedef struct
{
  MemscopeAlerts *alerts;
  MemscopeSamplerThread *sampler;
  gulong snapshot_handler;
} Machine;

static void
machine_free (gpointer data)
{
  Machine *machine = data;

  if (machine->sampler != NULL)
    g_clear_signal_handler (&machine->snapshot_handler, machine->sampler);
  g_clear_weak_pointer (&machine->sampler);
  g_clear_object (&machine->alerts);
  g_free (machine);
}

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

/* A process on another machine is inspected in that machine's window, opened again when it was
 * closed. */
static void
inspect_remote (MemscopeAlertsController *self,
                const char               *machine,
                gint32                    pid,
                guint64                   starttime)
{
  const char *destination;
  GtkWindow *window;

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  destination = g_hash_table_lookup (self->destinations, machine);
  if (destination == NULL || self->open_remote == NULL)
    {
      g_debug ("No remote machine %s to inspect pid %d on", machine, pid);
      return;
    }
  window = self->open_remote (self->application, destination);
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect-process",
                                MEMSCOPE_PROCESS_TARGET_TYPE, pid, starttime);
}

static void
inspect_remote_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  const char *machine;
  gint32 pid;
  guint64 starttime;

  /* Borrowed: the target lives as long as the call. */
  g_variant_get (parameter, "(&sit)", &machine, &pid, &starttime);
  inspect_remote (user_data, machine, pid, starttime);
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

/* Ignored programs are one list for every machine. */
static void
ignore (MemscopeAlertsController *self,
        MemscopeAlerts           *alerts,
        gint32                    pid,
        guint64                   starttime)
{
  g_autofree char *program = NULL;
  g_auto(GStrv) current = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  program = memscope_alerts_dup_program (alerts, pid, starttime);
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
ignore_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  MemscopeAlertsController *self = user_data;
  gint32 pid;
  guint64 starttime;

  g_variant_get (parameter, MEMSCOPE_PROCESS_TARGET_TYPE, &pid, &starttime);
  ignore (self, self->alerts, pid, starttime);
}

static void
ignore_remote_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MemscopeAlertsController *self = user_data;
  const char *name;
  Machine *machine;
  gint32 pid;
  guint64 starttime;

  /* Borrowed: the target lives as long as the call. */
  g_variant_get (parameter, "(&sit)", &name, &pid, &starttime);
  machine = g_hash_table_lookup (self->machines, name);
  /* A closed machine's processes are unknown now: nothing to name the program by. */
  if (machine != NULL)
    ignore (self, machine->alerts, pid, starttime);
}

/* Pausing pauses every machine's alerts. */
static void
toggle_pause (MemscopeAlertsController *self)
{
  GHashTableIter iter;
  gpointer value;
  double seconds;

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  seconds = memscope_alerts_get_paused (self->alerts) ? 0 : PAUSE_S;
  self->paused_until_us = seconds > 0 ? g_get_monotonic_time () + (gint64) (seconds * 1e6) : 0;
  memscope_alerts_pause (self->alerts, seconds);
  g_hash_table_iter_init (&iter, self->machines);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    memscope_alerts_pause (((Machine *) value)->alerts, seconds);
}

static void
pause_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  toggle_pause (user_data);
}

static void
apply_settings_to (MemscopeAlertsController *self,
                   MemscopeAlerts           *alerts)
{
  g_auto(GStrv) ignored = NULL;
  guint tags = 0;

  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  if (g_settings_get_boolean (self->settings, "notify-leak"))
    tags |= MS_TAG_LEAK;
  if (g_settings_get_boolean (self->settings, "notify-spike"))
    tags |= MS_TAG_SPIKE;
  ignored = g_settings_get_strv (self->settings, "ignored-programs");
  memscope_alerts_set_enabled (alerts,
                               g_settings_get_boolean (self->settings, "alerts-enabled"));
  memscope_alerts_set_notify_tags (alerts, tags);
  memscope_alerts_set_ignored (alerts, (const char * const *) ignored);
  memscope_alerts_set_low_memory_percent (alerts,
                                          g_settings_get_double (self->settings,
                                                                 "low-memory-percent"));
  memscope_alerts_set_pressure_threshold (alerts,
                                          g_settings_get_double (self->settings,
                                                                 "pressure-threshold"));
}

static void
apply_settings (MemscopeAlertsController *self)
{
  GHashTableIter iter;
  gpointer value;

  apply_settings_to (self, self->alerts);
  g_hash_table_iter_init (&iter, self->machines);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    apply_settings_to (self, ((Machine *) value)->alerts);
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
feed (MemscopeAlerts         *alerts,
      const MemscopeSnapshot *snapshot)
{
  memscope_alerts_feed (alerts, &snapshot->base,
                        snapshot->events != NULL
                        ? (const ms_event_t *) (gpointer) snapshot->events->data : NULL,
                        snapshot->events != NULL ? snapshot->events->len : 0);
}

static void
snapshot_cb (MemscopeAlertsController *self,
             const MemscopeSnapshot   *snapshot)
{
  g_assert (MEMSCOPE_IS_ALERTS_CONTROLLER (self));

  feed (self->alerts, snapshot);
}

static void
remote_snapshot_cb (MemscopeSamplerThread  *sampler,
                    const MemscopeSnapshot *snapshot,
                    MemscopeAlerts         *alerts)
{
  feed (alerts, snapshot);
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

static int
compare_rate (gconstpointer a,
              gconstpointer b)
{
  const MemscopeAlertProcess *x = a;
  const MemscopeAlertProcess *y = b;

  /* Fastest first; an unknown rate last. */
  if (isnan (x->rate_kib_s) || isnan (y->rate_kib_s))
    return (isnan (x->rate_kib_s) != 0) - (isnan (y->rate_kib_s) != 0);
  return x->rate_kib_s < y->rate_kib_s ? 1 : x->rate_kib_s > y->rate_kib_s ? -1 : 0;
}

static void
leaks_changed_cb (MemscopeAlertsController *self)
{
  g_autoptr(GArray) leaks = NULL;
  const GArray *local;
  GHashTableIter iter;
  gpointer value;

  if (self->tray == NULL)
    return;
  local = memscope_alerts_get_leaks (self->alerts);
  if (g_hash_table_size (self->machines) == 0)
    {
      memscope_tray_set_leaks (self->tray, local);
      return;
    }
  /* Every machine's leaks in one list: shallow copies, the tray copies what it keeps. */
  leaks = g_array_new (FALSE, FALSE, sizeof (MemscopeAlertProcess));
  g_array_append_vals (leaks, local->data, local->len);
  g_hash_table_iter_init (&iter, self->machines);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const GArray *remote = memscope_alerts_get_leaks (((Machine *) value)->alerts);

      g_array_append_vals (leaks, remote->data, remote->len);
    }
  g_array_sort (leaks, compare_rate);
  memscope_tray_set_leaks (self->tray, leaks);
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
tray_inspect_remote_cb (MemscopeAlertsController *self,
                        const char               *machine,
                        gint                      pid,
                        guint64                   starttime)
{
  inspect_remote (self, machine, pid, starttime);
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

void
memscope_alerts_controller_set_remote_opener (MemscopeAlertsController *self,
                                              MemscopeRemoteOpener      open_remote)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS_CONTROLLER (self));
  self->open_remote = open_remote;
}

MemscopeAlerts *
memscope_alerts_controller_add_machine (MemscopeAlertsController *self,
                                        const char               *name,
                                        const char               *destination,
                                        MemscopeSamplerThread    *sampler)
{
  Machine *machine;

  g_return_val_if_fail (MEMSCOPE_IS_ALERTS_CONTROLLER (self), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (destination != NULL, NULL);
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);

  memscope_alerts_controller_remove_machine (self, name);
  g_hash_table_replace (self->destinations, g_strdup (name), g_strdup (destination));

  machine = g_new0 (Machine, 1);
  machine->alerts = memscope_alerts_new ();
  memscope_alerts_set_machine (machine->alerts, name);
  g_signal_connect_object (machine->alerts, "alert", G_CALLBACK (alert_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machine->alerts, "withdraw", G_CALLBACK (withdraw_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machine->alerts, "leaks-changed", G_CALLBACK (leaks_changed_cb),
                           self, G_CONNECT_SWAPPED);
  apply_settings_to (self, machine->alerts);
  if (self->paused_until_us > g_get_monotonic_time ())
    memscope_alerts_pause (machine->alerts,
                           (double) (self->paused_until_us - g_get_monotonic_time ()) / 1e6);
  g_set_weak_pointer (&machine->sampler, sampler);
  machine->snapshot_handler = g_signal_connect (sampler, "snapshot",
                                                G_CALLBACK (remote_snapshot_cb),
                                                machine->alerts);
  g_hash_table_replace (self->machines, g_strdup (name), machine);
  return machine->alerts;
}

void
memscope_alerts_controller_remove_machine (MemscopeAlertsController *self,
                                           const char               *name)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS_CONTROLLER (self));
  g_return_if_fail (name != NULL);

  /* Its popups stay: a click opens the machine's window again. */
  if (g_hash_table_remove (self->machines, name))
    leaks_changed_cb (self);
}

static void
memscope_alerts_controller_dispose (GObject *object)
{
  MemscopeAlertsController *self = (MemscopeAlertsController *) object;

  if (self->held && self->application != NULL)
    g_application_release (G_APPLICATION (self->application));
  self->held = FALSE;
  g_clear_weak_pointer (&self->watched_window);
  g_clear_pointer (&self->machines, g_hash_table_unref);
  g_clear_object (&self->tray);
  g_clear_object (&self->background);
  g_clear_object (&self->notifier);
  g_clear_object (&self->alerts);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->destinations, g_hash_table_unref);
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
  self->machines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, machine_free);
  self->destinations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

MemscopeAlertsController *
memscope_alerts_controller_new (GtkApplication        *application,
                                GSettings             *settings,
                                MemscopeSamplerThread *sampler,
                                MemscopeBackground    *background,
                                MemscopeWindowGetter   window_getter)
{
  const GActionEntry actions[] = {
    { MEMSCOPE_ACTION_INSPECT, inspect_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { MEMSCOPE_ACTION_IGNORE, ignore_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { MEMSCOPE_ACTION_INSPECT_REMOTE, inspect_remote_action, MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
      NULL, NULL, { 0 } },
    { MEMSCOPE_ACTION_IGNORE_REMOTE, ignore_remote_action, MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE,
      NULL, NULL, { 0 } },
    { "pause-alerts", pause_action, NULL, NULL, NULL, { 0 } },
  };
  MemscopeAlertsController *self;
  GDBusConnection *connection;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);
  g_return_val_if_fail (MEMSCOPE_IS_BACKGROUND (background), NULL);

  self = g_object_new (MEMSCOPE_TYPE_ALERTS_CONTROLLER, NULL);
  g_set_weak_pointer (&self->application, application);
  g_set_weak_pointer (&self->sampler, sampler);
  self->settings = g_object_ref (settings);
  self->background = g_object_ref (background);
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
  if (connection != NULL)
    {
      self->tray = memscope_tray_new (connection);
      g_signal_connect_object (self->tray, "activate", G_CALLBACK (tray_activate_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "show-window", G_CALLBACK (tray_show_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "inspect", G_CALLBACK (tray_inspect_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "inspect-remote",
                               G_CALLBACK (tray_inspect_remote_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "toggle-pause", G_CALLBACK (tray_pause_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "quit", G_CALLBACK (tray_quit_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return self;
}
