/* SPDX-License-Identifier: MIT */
/* A windowless program that samples, detects and alerts like memscope in the background, and says
 * on stdout what it does, so live tests can drive notifications and the tray against real servers.
 *
 * With MS_ALERTS_SIBLINGS_ONLY set it watches only its parent's other children.
 *
 * Lines: "ready", "alert KIND ID PID", "withdraw ID", "inspect PID STARTTIME", "ignore PROGRAM",
 * "registered 0|1", "activate", "show-window", "paused 0|1", "quit". */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "detector.h"
#include "memscope-alerts.h"
#include "memscope-notifier.h"
#include "memscope-tray.h"
#include "sampler.h"

typedef struct
{
  GApplication *app;
  ms_sampler_t *sampler;
  ms_detector_t *detector;
  GArray *events;
  GArray *siblings; /* ms_proc_t; NULL unless MS_ALERTS_SIBLINGS_ONLY is set */
  MemscopeAlerts *alerts;
  MemscopeNotifier *notifier;
  MemscopeTray *tray;
  GPtrArray *ignored;
  guint timeout_id;
} Harness;

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static void
event_cb (const ms_event_t *event,
          void             *user)
{
  Harness *h = user;

  g_array_append_val (h->events, *event);
}

static gboolean
tick_cb (gpointer data)
{
  Harness *h = data;
  ms_snapshot_t *snap = NULL;

  ms_snapshot_t siblings;

  if (ms_sampler_tick (h->sampler, &snap) != 0 || snap == NULL)
    return G_SOURCE_CONTINUE;
  if (h->siblings != NULL)
    {
      /* Only what the test started (our parent's other children): leak simulators of other
       * runs on a shared machine must not alert here. */
      g_array_set_size (h->siblings, 0);
      for (gsize i = 0; i < snap->n_procs; i++)
        if (snap->procs[i].ppid == getppid ())
          g_array_append_val (h->siblings, snap->procs[i]);
      siblings = *snap;
      siblings.procs = (ms_proc_t *) (gpointer) h->siblings->data;
      siblings.n_procs = h->siblings->len;
      snap = &siblings;
    }
  g_array_set_size (h->events, 0);
  ms_detector_feed (h->detector, snap, event_cb, h);
  memscope_alerts_feed (h->alerts, snap, (const ms_event_t *) (gpointer) h->events->data,
                        h->events->len);
  return G_SOURCE_CONTINUE;
}

static const char *
kind_name (MemscopeAlertKind kind)
{
  static const char *names[] = { "leak", "spike", "summary", "low-memory", "oom-kill" };

  return kind < G_N_ELEMENTS (names) ? names[kind] : "?";
}

static void
alert_cb (MemscopeAlerts *alerts,
          MemscopeAlert  *alert,
          Harness        *h)
{
  const MemscopeAlertProcess *p = alert->processes->len > 0
                                  ? &g_array_index (alert->processes, MemscopeAlertProcess, 0)
                                  : NULL;

  memscope_notifier_show (h->notifier, alert);
  say ("alert %s %s %d", kind_name (alert->kind), alert->id, p != NULL ? p->pid : 0);
}

static void
withdraw_cb (MemscopeAlerts *alerts,
             const char     *id,
             Harness        *h)
{
  memscope_notifier_withdraw (h->notifier, id);
  say ("withdraw %s", id);
}

static void
leaks_changed_cb (MemscopeAlerts *alerts,
                  Harness        *h)
{
  memscope_tray_set_leaks (h->tray, memscope_alerts_get_leaks (alerts));
}

static void
inspect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  gint32 pid;
  guint64 starttime;

  g_variant_get (parameter, MEMSCOPE_PROCESS_TARGET_TYPE, &pid, &starttime);
  say ("inspect %d %" G_GUINT64_FORMAT, pid, starttime);
}

static void
ignore_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  Harness *h = user_data;
  gint32 pid;
  guint64 starttime;
  g_autofree char *program = NULL;

  g_variant_get (parameter, MEMSCOPE_PROCESS_TARGET_TYPE, &pid, &starttime);
  program = memscope_alerts_dup_program (h->alerts, pid, starttime);
  if (program == NULL)
    return;
  say ("ignore %s", program);
  g_ptr_array_insert (h->ignored, (int) h->ignored->len - 1, g_steal_pointer (&program));
  memscope_alerts_set_ignored (h->alerts, (const char * const *) h->ignored->pdata);
}

static void
quit (Harness *h)
{
  say ("quit");
  g_application_quit (h->app);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  quit (user_data);
}

static void
tray_activate_cb (MemscopeTray *tray,
                  Harness      *h)
{
  say ("activate");
}

static void
tray_show_cb (MemscopeTray *tray,
              Harness      *h)
{
  say ("show-window");
}

static void
tray_inspect_cb (MemscopeTray *tray,
                 gint          pid,
                 guint64       starttime,
                 Harness      *h)
{
  say ("inspect %d %" G_GUINT64_FORMAT, pid, starttime);
}

static void
tray_pause_cb (MemscopeTray *tray,
               Harness      *h)
{
  gboolean paused = !memscope_alerts_get_paused (h->alerts);

  memscope_alerts_pause (h->alerts, paused ? 3600 : 0);
  memscope_tray_set_paused (tray, paused);
  say ("paused %d", paused);
}

static void
tray_quit_cb (MemscopeTray *tray,
              Harness      *h)
{
  quit (h);
}

static void
registered_cb (MemscopeTray *tray,
               GParamSpec   *pspec,
               Harness      *h)
{
  say ("registered %d", memscope_tray_get_registered (tray));
}

static void
startup_cb (GApplication *app,
            Harness      *h)
{
  const GActionEntry actions[] = {
    { MEMSCOPE_ACTION_INSPECT, inspect_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { MEMSCOPE_ACTION_IGNORE, ignore_action, MEMSCOPE_PROCESS_TARGET_TYPE, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  ms_sampler_opts_t opts;
  ms_detector_params_t params;
  const char *root = g_getenv ("MEMSCOPE_PROC_ROOT");
  char err[256] = "";

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), h);

  ms_sampler_opts_init (&opts);
  opts.proc_root = root != NULL ? root : "/proc";
  h->sampler = ms_sampler_new (&opts, err, sizeof err);
  if (h->sampler == NULL)
    g_error ("%s: %s", opts.proc_root, err);
  ms_detector_params_init (&params, 0.5);
  h->detector = ms_detector_new (&params);
  h->events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
  if (g_getenv ("MS_ALERTS_SIBLINGS_ONLY") != NULL)
    h->siblings = g_array_new (FALSE, FALSE, sizeof (ms_proc_t));

  h->alerts = memscope_alerts_new ();
  h->notifier = memscope_notifier_new (app);
  h->tray = memscope_tray_new (g_application_get_dbus_connection (app));
  g_signal_connect (h->alerts, "alert", G_CALLBACK (alert_cb), h);
  g_signal_connect (h->alerts, "withdraw", G_CALLBACK (withdraw_cb), h);
  g_signal_connect (h->alerts, "leaks-changed", G_CALLBACK (leaks_changed_cb), h);
  g_signal_connect (h->tray, "activate", G_CALLBACK (tray_activate_cb), h);
  g_signal_connect (h->tray, "show-window", G_CALLBACK (tray_show_cb), h);
  g_signal_connect (h->tray, "inspect", G_CALLBACK (tray_inspect_cb), h);
  g_signal_connect (h->tray, "toggle-pause", G_CALLBACK (tray_pause_cb), h);
  g_signal_connect (h->tray, "quit", G_CALLBACK (tray_quit_cb), h);
  g_signal_connect (h->tray, "notify::registered", G_CALLBACK (registered_cb), h);

  h->timeout_id = g_timeout_add (1000, tick_cb, h);
  tick_cb (h);
  g_application_hold (app);
  say ("ready");
}

static void
activate_cb (GApplication *app,
             Harness      *h)
{
}

int
main (int   argc,
      char *argv[])
{
  Harness h = { 0 };
  int status;

  h.ignored = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (h.ignored, NULL);
  h.app = g_application_new ("io.github.memscope.Memscope.AlertsHarness",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (h.app, "startup", G_CALLBACK (startup_cb), &h);
  g_signal_connect (h.app, "activate", G_CALLBACK (activate_cb), &h);
  status = g_application_run (h.app, argc, argv);

  g_clear_handle_id (&h.timeout_id, g_source_remove);
  g_clear_object (&h.tray);
  g_clear_object (&h.notifier);
  g_clear_object (&h.alerts);
  g_clear_pointer (&h.events, g_array_unref);
  g_clear_pointer (&h.siblings, g_array_unref);
  g_clear_pointer (&h.detector, ms_detector_free);
  g_clear_pointer (&h.sampler, ms_sampler_free);
  g_ptr_array_unref (h.ignored);
  g_object_unref (h.app);
  return status;
}
