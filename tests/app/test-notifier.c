/* SPDX-License-Identifier: MIT */
/* Notification texts: names escaped in the body (servers may render markup), plain in the title. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "memscope-notifier-private.h"

static MemscopeAlert *
make_alert (MemscopeAlertKind kind,
            guint             n_processes)
{
  MemscopeAlert *alert;
  GArray *procs = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));

  /* Built by hand the way the policy builds them; the boxed type frees them the same way. */
  alert = g_rc_box_new0 (MemscopeAlert);
  alert->kind = kind;
  alert->id = g_strdup ("test");
  alert->pressure_some_avg10 = NAN;
  for (guint i = 0; i < n_processes; i++)
    {
      MemscopeAlertProcess p = { 0 };

      p.pid = 100 + (gint32) i;
      p.starttime = 7;
      p.name = g_strdup (i == 0 ? "<b>x&y" : "other");
      p.rate_kib_s = 8192.0;
      p.duration_s = 90.0;
      p.exhaust_s = 3600.0 * 2 + 600;
      p.jump_kib = 262144.0;
      p.footprint_kib = 3 * 1024 * 1024;
      p.growth_kib = 720 * 1024;
      g_array_append_val (procs, p);
    }
  alert->processes = procs;
  return alert;
}

static void
free_alert (MemscopeAlert *alert)
{
  for (guint i = 0; i < alert->processes->len; i++)
    {
      g_free (g_array_index (alert->processes, MemscopeAlertProcess, i).name);
      g_free (g_array_index (alert->processes, MemscopeAlertProcess, i).machine);
    }
  g_array_unref (alert->processes);
  g_free (alert->id);
  g_free (alert->machine);
  g_rc_box_release (alert);
}

/* Sizes come with a no-break space between number and unit; compare with plain spaces. */
static char *
plain_spaces (char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "\u00a0", " ", 0);
  g_free (text);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_leak_text (void)
{
  MemscopeAlert *alert = make_alert (MEMSCOPE_ALERT_LEAK, 1);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  memscope_notifier_format (alert, &title, &body);
  body = plain_spaces (body);
  g_assert_cmpstr (title, ==, "<b>x&y is leaking memory");
  g_assert_nonnull (strstr (body, "&lt;b&gt;x&amp;y (pid 100)"));
  g_assert_null (strstr (body, "<b>"));
  g_assert_nonnull (strstr (body, "8.0 MiB/s"));
  g_assert_nonnull (strstr (body, "720.0 MiB"));
  g_assert_nonnull (strstr (body, "1 min 30 s"));
  g_assert_nonnull (strstr (body, "2 h 10 min"));
  free_alert (alert);
}

static void
test_other_texts (void)
{
  MemscopeAlertKind kinds[] = { MEMSCOPE_ALERT_SPIKE, MEMSCOPE_ALERT_SUMMARY,
                                MEMSCOPE_ALERT_LOW_MEMORY, MEMSCOPE_ALERT_OOM_KILL };
  const char *titles[] = { "<b>x&y jumped in memory", "7 processes are leaking memory",
                           "Memory is running short", "Out of memory: <b>x&y was ended" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      MemscopeAlert *alert = make_alert (kinds[k], 7);
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      alert->mem_total_kib = 16 * 1024 * 1024;
      alert->mem_available_kib = 512 * 1024;
      memscope_notifier_format (alert, &title, &body);
      body = plain_spaces (body);
      g_assert_cmpstr (title, ==, titles[k]);
      /* Every body names the first process, escaped, and never carries it raw. */
      g_assert_nonnull (strstr (body, "&lt;b&gt;x&amp;y"));
      g_assert_null (strstr (body, "<b>"));
      g_assert_true (g_utf8_validate (body, -1, NULL));
      if (kinds[k] == MEMSCOPE_ALERT_SUMMARY)
        g_assert_nonnull (strstr (body, "and 2 more"));
      if (kinds[k] == MEMSCOPE_ALERT_LOW_MEMORY)
        g_assert_nonnull (strstr (body, "512.0 MiB of 16.0 GiB is available."));
      if (kinds[k] == MEMSCOPE_ALERT_OOM_KILL)
        {
          g_assert_nonnull (strstr (body, "which held 3.0 GiB"));
          g_assert_nonnull (strstr (body, "Also ended: other (pid 101)"));
        }
      free_alert (alert);
    }
}

/* A remote machine's alerts name it in every title and inspect the process there. */
static void
test_remote_machine (void)
{
  MemscopeAlertKind kinds[] = { MEMSCOPE_ALERT_LEAK, MEMSCOPE_ALERT_SPIKE,
                                MEMSCOPE_ALERT_SUMMARY, MEMSCOPE_ALERT_LOW_MEMORY,
                                MEMSCOPE_ALERT_OOM_KILL };
  const char *titles[] = { "leak-sim on build-box is leaking memory",
                           "leak-sim on build-box jumped in memory",
                           "7 processes on build-box are leaking memory",
                           "Memory is running short on build-box",
                           "Out of memory on build-box: leak-sim was ended" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      MemscopeAlert *local = make_alert (kinds[k], 7);
      MemscopeAlert *remote = make_alert (kinds[k], 7);
      MemscopeAlertProcess *p = &g_array_index (remote->processes, MemscopeAlertProcess, 0);
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autofree char *local_title = NULL;
      g_autofree char *local_body = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GVariant) local_target = NULL;
      g_autoptr(GNotification) notification = NULL;
      const char *action;
      const char *local_action;
      const char *machine;
      gint32 pid;
      guint64 starttime;

      g_free (p->name);
      p->name = g_strdup ("leak-sim");
      p->machine = g_strdup ("build-box");
      remote->machine = g_strdup ("build-box");
      memscope_notifier_format (remote, &title, &body);
      g_assert_cmpstr (title, ==, titles[k]);
      g_assert_true (g_utf8_validate (body, -1, NULL));
      /* This machine's texts are unchanged. */
      memscope_notifier_format (local, &local_title, &local_body);
      g_assert_null (strstr (local_title, "build-box"));

      action = memscope_notifier_inspect_action (remote, &target);
      local_action = memscope_notifier_inspect_action (local, &local_target);
      if (kinds[k] == MEMSCOPE_ALERT_OOM_KILL)
        {
          g_assert_null (action);
          g_assert_null (local_action);
        }
      else
        {
          g_assert_cmpstr (action, ==, "app." MEMSCOPE_ACTION_INSPECT_REMOTE);
          g_variant_ref_sink (target);
          g_assert_true (g_variant_is_of_type (target,
                                               G_VARIANT_TYPE (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE)));
          g_variant_get (target, "(&sit)", &machine, &pid, &starttime);
          g_assert_cmpstr (machine, ==, "build-box");
          g_assert_cmpint (pid, ==, 100);
          g_assert_cmpuint (starttime, ==, 7);
          g_assert_cmpstr (local_action, ==, "app." MEMSCOPE_ACTION_INSPECT);
          g_variant_ref_sink (local_target);
          g_assert_true (g_variant_is_of_type (local_target,
                                               G_VARIANT_TYPE (MEMSCOPE_PROCESS_TARGET_TYPE)));
        }
      notification = memscope_notifier_build (remote);
      g_assert_true (G_IS_NOTIFICATION (notification));
      free_alert (local);
      free_alert (remote);
    }
}

static void
test_oom_unknown_victim (void)
{
  MemscopeAlert *alert = make_alert (MEMSCOPE_ALERT_OOM_KILL, 0);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GNotification) notification = NULL;

  memscope_notifier_format (alert, &title, &body);
  g_assert_cmpstr (title, ==, "Out of memory: a process was ended");
  g_assert_cmpuint (strlen (body), >, 0);
  notification = memscope_notifier_build (alert);
  g_assert_true (G_IS_NOTIFICATION (notification));
  free_alert (alert);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/notifier/leak-text", test_leak_text);
  g_test_add_func ("/notifier/other-texts", test_other_texts);
  g_test_add_func ("/notifier/oom-unknown-victim", test_oom_unknown_victim);
  g_test_add_func ("/notifier/remote-machine", test_remote_machine);
  return g_test_run ();
}
