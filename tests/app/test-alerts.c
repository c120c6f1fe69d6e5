/* SPDX-License-Identifier: MIT */
/* The alert policy on made-up ticks with a fake clock: which popups appear, update and go. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "memscope-alerts-private.h"
#include "oom.h"

#define MAX_PROCS 16

typedef struct
{
  MemscopeAlerts *alerts;
  double now_s;
  GPtrArray *shown;     /* MemscopeAlert * in emission order */
  GPtrArray *withdrawn; /* char * ids */
  guint n_leaks_changed;

  ms_proc_t procs[MAX_PROCS];
  gsize n_procs;
  ms_snapshot_t snap;
  ms_event_t events[MAX_PROCS];
  gsize n_events;
  ms_oom_tracker_t oom; /* the one derivation of OOM kills, as the sampler's worker runs it */
  MemscopeAlerts *remote; /* a remote machine's alerts fed the same snapshots, when not NULL */
} Fixture;

static double
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now_s;
}

static void
alert_cb (MemscopeAlerts *alerts,
          MemscopeAlert  *alert,
          Fixture        *f)
{
  g_ptr_array_add (f->shown, memscope_alert_ref (alert));
}

static void
withdraw_cb (MemscopeAlerts *alerts,
             const char     *id,
             Fixture        *f)
{
  g_ptr_array_add (f->withdrawn, g_strdup (id));
}

static void
leaks_changed_cb (MemscopeAlerts *alerts,
                  Fixture        *f)
{
  f->n_leaks_changed++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  memset (f, 0, sizeof *f);
  f->now_s = 1000.0;
  f->alerts = memscope_alerts_new ();
  memscope_alerts_set_clock (f->alerts, fake_clock, f);
  f->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) memscope_alert_unref);
  f->withdrawn = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->alerts, "alert", G_CALLBACK (alert_cb), f);
  g_signal_connect (f->alerts, "withdraw", G_CALLBACK (withdraw_cb), f);
  g_signal_connect (f->alerts, "leaks-changed", G_CALLBACK (leaks_changed_cb), f);
  f->snap.mem.mem_total_kib = 16 * 1024 * 1024;
  f->snap.mem.mem_available_kib = 8 * 1024 * 1024;
  ms_oom_tracker_init (&f->oom);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->alerts);
  g_clear_object (&f->remote);
  g_ptr_array_unref (f->shown);
  g_ptr_array_unref (f->withdrawn);
}

static ms_proc_t *
add_proc (Fixture    *f,
          gint32      pid,
          const char *comm,
          const char *exe,
          gint64      footprint_kib)
{
  ms_proc_t *p;

  g_assert_cmpuint (f->n_procs, <, MAX_PROCS);
  p = &f->procs[f->n_procs++];
  memset (p, 0, sizeof *p);
  p->pid = pid;
  p->starttime = 5000 + (guint64) pid;
  g_strlcpy (p->comm, comm, sizeof p->comm);
  g_strlcpy (p->exe, exe != NULL ? exe : "", sizeof p->exe);
  p->footprint_kib = footprint_kib;
  p->rss_kib = footprint_kib;
  p->state = 'S';
  return p;
}

static void
remove_proc (Fixture *f,
             gint32   pid)
{
  for (gsize i = 0; i < f->n_procs; i++)
    if (f->procs[i].pid == pid)
      {
        memmove (&f->procs[i], &f->procs[i + 1], (f->n_procs - i - 1) * sizeof f->procs[0]);
        f->n_procs--;
        return;
      }
  g_assert_not_reached ();
}

static void
add_event (Fixture *f,
           gint32   pid,
           ms_tag_t tag,
           gboolean set,
           double   rate_kib_s)
{
  ms_event_t *ev = &f->events[f->n_events++];

  memset (ev, 0, sizeof *ev);
  ev->pid = pid;
  ev->starttime = 5000 + (guint64) pid;
  ev->tag = tag;
  ev->set = set;
  ev->rate_kib_s = rate_kib_s;
  ev->duration_s = 45.0;
  ev->exhaust_s = 1000.0;
  ev->jump_kib = tag == MS_TAG_SPIKE ? 65536.0 : NAN;
}

/* Feeds one tick `step_s` after the previous one and clears the events. */
static void
tick (Fixture *f,
      double   step_s)
{
  f->now_s += step_s;
  f->snap.time_s = f->now_s;
  f->snap.procs = f->procs;
  f->snap.n_procs = f->n_procs;
  ms_oom_derive (&f->oom, &f->snap);
  memscope_alerts_feed (f->alerts, &f->snap, f->events, f->n_events);
  if (f->remote != NULL)
    memscope_alerts_feed (f->remote, &f->snap, f->events, f->n_events);
  f->n_events = 0;
}

static MemscopeAlert *
last_shown (Fixture *f)
{
  g_assert_cmpuint (f->shown->len, >, 0);
  return g_ptr_array_index (f->shown, f->shown->len - 1);
}

static const MemscopeAlertProcess *
alert_proc (MemscopeAlert *alert,
            guint          i)
{
  g_assert_cmpuint (i, <, alert->processes->len);
  return &g_array_index (alert->processes, MemscopeAlertProcess, i);
}

static void
test_leak_lifecycle (Fixture       *f,
                     gconstpointer  data)
{
  MemscopeAlert *alert;
  g_autofree char *id = NULL;

  add_proc (f, 10, "steady", "/usr/bin/steady", 50000);
  add_proc (f, 11, "leaky", "/usr/bin/leaky", 200000);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);

  add_event (f, 11, MS_TAG_LEAK, TRUE, 8192.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  alert = last_shown (f);
  g_assert_cmpint (alert->kind, ==, MEMSCOPE_ALERT_LEAK);
  g_assert_cmpuint (alert->processes->len, ==, 1);
  g_assert_cmpstr (alert_proc (alert, 0)->name, ==, "leaky");
  g_assert_cmpstr (alert_proc (alert, 0)->exe, ==, "/usr/bin/leaky");
  g_assert_cmpint (alert_proc (alert, 0)->pid, ==, 11);
  g_assert_cmpfloat (alert_proc (alert, 0)->rate_kib_s, ==, 8192.0);
  /* Exhaustion from the snapshot's MemAvailable at the leak's rate, not the event's older one. */
  g_assert_cmpfloat (alert_proc (alert, 0)->exhaust_s, ==, 8.0 * 1024 * 1024 / 8192);
  /* 45 s at 8 MiB/s were seen before the event. */
  g_assert_cmpint (alert_proc (alert, 0)->growth_kib, ==, 45 * 8192);
  id = g_strdup (alert->id);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 1);
  g_assert_cmpuint (f->n_leaks_changed, ==, 1);

  /* It goes on leaking for ten minutes: the popup is never re-sent, not even as an update. */
  for (int i = 0; i < 600; i += 30)
    {
      f->procs[1].footprint_kib += 8192 * 30;
      tick (f, 30);
    }
  g_assert_cmpuint (f->shown->len, ==, 1);
  /* The tray carries the live figures instead. */
  g_assert_cmpint (g_array_index (memscope_alerts_get_leaks (f->alerts), MemscopeAlertProcess,
                                  0).growth_kib, ==, (45 + 600) * 8192);
  g_assert_cmpfloat (g_array_index (memscope_alerts_get_leaks (f->alerts), MemscopeAlertProcess,
                                    0).duration_s, ==, 45.0 + 600.0);

  /* The tag clears: the popup is withdrawn and the tray has nothing. */
  add_event (f, 11, MS_TAG_LEAK, FALSE, NAN);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->withdrawn, 0), ==, id);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 0);

  /* It sets again within ten minutes: the same leak, so no popup, but the tray knows. */
  tick (f, 590);
  add_event (f, 11, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 1);
  tick (f, 1200);
  g_assert_cmpuint (f->shown->len, ==, 1);

  /* Cleared for longer than ten minutes, a LEAK is a new leak and is told once. */
  add_event (f, 11, MS_TAG_LEAK, FALSE, NAN);
  tick (f, 1);
  tick (f, 601);
  add_event (f, 11, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpstr (last_shown (f)->id, ==, id);
  tick (f, 120);
  g_assert_cmpuint (f->shown->len, ==, 2);

  /* The process exits without a clear event: withdrawn all the same. */
  remove_proc (f, 11);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->withdrawn, 1), ==, id);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 0);
}

static void
test_recycled_pid (Fixture       *f,
                   gconstpointer  data)
{
  ms_proc_t *p = add_proc (f, 20, "first", NULL, 1000);

  tick (f, 1);
  add_event (f, 20, MS_TAG_LEAK, TRUE, 1024.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);

  /* Same pid, new start time: a new process, so the old popup goes and no cooldown carries. */
  p->starttime += 1;
  g_strlcpy (p->comm, "second", sizeof p->comm);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  g_assert_null (memscope_alerts_dup_program (f->alerts, 20, 5020));
  {
    g_autofree char *program = memscope_alerts_dup_program (f->alerts, 20, 5021);

    g_assert_cmpstr (program, ==, "second");
  }
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  MemscopeAlert *alert;

  for (gint32 pid = 30; pid < 34; pid++)
    add_proc (f, pid, "worker", NULL, 10000);
  tick (f, 1);
  for (gint32 pid = 30; pid < 34; pid++)
    add_event (f, pid, MS_TAG_LEAK, TRUE, 100.0 * pid);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  alert = last_shown (f);
  g_assert_cmpint (alert->kind, ==, MEMSCOPE_ALERT_SUMMARY);
  g_assert_cmpuint (alert->processes->len, ==, 4);
  /* Fastest first. */
  g_assert_cmpint (alert_proc (alert, 0)->pid, ==, 33);
  g_assert_cmpint (alert_proc (alert, 3)->pid, ==, 30);

  /* Members do not pop up one by one afterwards, not even when the refresh is due. */
  tick (f, 120);
  g_assert_cmpuint (f->shown->len, ==, 1);

  /* One more alone gets its own popup. */
  add_proc (f, 40, "late", NULL, 10000);
  tick (f, 1);
  add_event (f, 40, MS_TAG_LEAK, TRUE, 50.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpint (last_shown (f)->kind, ==, MEMSCOPE_ALERT_LEAK);

  /* The summary goes when its last member stops. */
  for (gint32 pid = 30; pid < 33; pid++)
    remove_proc (f, pid);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 0);
  add_event (f, 33, MS_TAG_LEAK, FALSE, NAN);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->withdrawn, 0), ==, "leak-summary");
}

static void
test_two_at_once_are_separate (Fixture       *f,
                               gconstpointer  data)
{
  add_proc (f, 50, "a", NULL, 10000);
  add_proc (f, 51, "b", NULL, 10000);
  tick (f, 1);
  add_event (f, 50, MS_TAG_LEAK, TRUE, 100.0);
  add_event (f, 51, MS_TAG_LEAK, TRUE, 200.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpint (((MemscopeAlert *) g_ptr_array_index (f->shown, 0))->kind, ==,
                   MEMSCOPE_ALERT_LEAK);
  g_assert_cmpint (((MemscopeAlert *) g_ptr_array_index (f->shown, 1))->kind, ==,
                   MEMSCOPE_ALERT_LEAK);
  g_assert_cmpstr (((MemscopeAlert *) g_ptr_array_index (f->shown, 0))->id, !=,
                   ((MemscopeAlert *) g_ptr_array_index (f->shown, 1))->id);
}

static void
test_focused (Fixture       *f,
              gconstpointer  data)
{
  add_proc (f, 60, "inspected", NULL, 10000);
  add_proc (f, 61, "other", NULL, 10000);
  tick (f, 1);
  memscope_alerts_set_focused (f->alerts, 60, 5060);
  add_event (f, 60, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);
  /* The tray still counts it. */
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 1);

  /* Another process pops up; focusing it withdraws its popup. */
  add_event (f, 61, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  memscope_alerts_set_focused (f->alerts, 61, 5061);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);

  /* Looking away does not bring a popup right back. */
  memscope_alerts_set_focused (f->alerts, 0, 0);
  tick (f, 10);
  g_assert_cmpuint (f->shown->len, ==, 1);
}

static void
test_ignored (Fixture       *f,
              gconstpointer  data)
{
  const char *by_exe[] = { "/opt/big/bin/big", NULL };
  const char *by_name[] = { "noexe", NULL };
  g_autofree char *program_exe = NULL;
  g_autofree char *program_name = NULL;

  add_proc (f, 70, "big", "/opt/big/bin/big", 10000);
  add_proc (f, 71, "noexe", NULL, 10000);
  add_proc (f, 72, "big", "/usr/bin/big", 10000); /* same name, other program */
  tick (f, 1);

  program_exe = memscope_alerts_dup_program (f->alerts, 70, 5070);
  program_name = memscope_alerts_dup_program (f->alerts, 71, 5071);
  g_assert_cmpstr (program_exe, ==, "/opt/big/bin/big");
  g_assert_cmpstr (program_name, ==, "noexe");

  add_event (f, 70, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  /* Ignoring it withdraws the popup and drops it from the tray. */
  memscope_alerts_set_ignored (f->alerts, by_exe);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 0);

  /* The same name under another path is not ignored. */
  add_event (f, 72, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpint (alert_proc (last_shown (f), 0)->pid, ==, 72);

  memscope_alerts_set_ignored (f->alerts, by_name);
  add_event (f, 71, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  /* 70 is back, but its cooldown holds. */
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 2);
}

static void
test_spike_optional (Fixture       *f,
                     gconstpointer  data)
{
  add_proc (f, 80, "jumpy", NULL, 10000);
  tick (f, 1);
  add_event (f, 80, MS_TAG_SPIKE, TRUE, NAN);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);
  add_event (f, 80, MS_TAG_SPIKE, FALSE, NAN);
  tick (f, 1);

  memscope_alerts_set_notify_tags (f->alerts, MS_TAG_LEAK | MS_TAG_SPIKE);
  add_event (f, 80, MS_TAG_SPIKE, TRUE, NAN);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  g_assert_cmpint (last_shown (f)->kind, ==, MEMSCOPE_ALERT_SPIKE);
  g_assert_cmpfloat (alert_proc (last_shown (f), 0)->jump_kib, ==, 65536.0);
  add_event (f, 80, MS_TAG_SPIKE, FALSE, NAN);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
}

static void
test_pause_and_disable (Fixture       *f,
                        gconstpointer  data)
{
  add_proc (f, 90, "p", NULL, 10000);
  add_proc (f, 91, "q", NULL, 10000);
  tick (f, 1);
  add_event (f, 90, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);

  memscope_alerts_pause (f->alerts, 3600);
  g_assert_true (memscope_alerts_get_paused (f->alerts));
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  add_event (f, 91, MS_TAG_LEAK, TRUE, 100.0);
  tick (f, 1);
  tick (f, 1800);
  g_assert_cmpuint (f->shown->len, ==, 1);
  /* The hour is over: the leak that began during the pause is told; the one told before is
   * not told again. */
  tick (f, 1800);
  g_assert_false (memscope_alerts_get_paused (f->alerts));
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpint (alert_proc (last_shown (f), 0)->pid, ==, 91);

  memscope_alerts_set_enabled (f->alerts, FALSE);
  g_assert_cmpuint (f->withdrawn->len, ==, 2);
  tick (f, 1000);
  g_assert_cmpuint (f->shown->len, ==, 2);
  memscope_alerts_set_enabled (f->alerts, TRUE);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
}

static void
test_low_memory (Fixture       *f,
                 gconstpointer  data)
{
  MemscopeAlert *alert;
  ms_proc_t *p;

  p = add_proc (f, 100, "small-grower", NULL, 10000);
  p->delta_kib = 1000;
  p = add_proc (f, 101, "big-grower", NULL, 10000);
  p->delta_kib = 900000;
  p = add_proc (f, 102, "shrinker", NULL, 10000);
  p->delta_kib = -5000;
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);

  /* 4 % of 16 GiB left, under the 5 % default. */
  f->snap.mem.mem_available_kib = f->snap.mem.mem_total_kib / 25;
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  alert = last_shown (f);
  g_assert_cmpint (alert->kind, ==, MEMSCOPE_ALERT_LOW_MEMORY);
  g_assert_cmpint (alert->mem_available_kib, ==, f->snap.mem.mem_total_kib / 25);
  g_assert_cmpuint (alert->processes->len, ==, 2);
  g_assert_cmpstr (alert_proc (alert, 0)->name, ==, "big-grower");
  g_assert_cmpstr (alert_proc (alert, 1)->name, ==, "small-grower");

  /* Just above the line: hysteresis keeps it, no second popup. */
  f->snap.mem.mem_available_kib = f->snap.mem.mem_total_kib / 19;
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 0);
  /* Recovered: withdrawn. */
  f->snap.mem.mem_available_kib = f->snap.mem.mem_total_kib / 2;
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->withdrawn, 0), ==, last_shown (f)->id);

  /* High pressure alone counts too, but not within the cooldown of the last popup. */
  f->snap.pressure.valid = TRUE;
  f->snap.pressure.some_avg10 = 60.0;
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  f->snap.pressure.some_avg10 = 0.0;
  tick (f, 400);
  f->snap.pressure.some_avg10 = 60.0;
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpfloat (last_shown (f)->pressure_some_avg10, ==, 60.0);
}

/* A reading of the kernel's counter; -1 for one that could not be read. */
static void
set_oom_counter (Fixture *f,
                 gint64   count)
{
  f->snap.oom_counter.valid = count >= 0;
  f->snap.oom_counter.count = count >= 0 ? (guint64) count : 0;
}

static guint
n_oom_alerts (Fixture *f)
{
  guint n = 0;

  for (guint i = 0; i < f->shown->len; i++)
    n += ((MemscopeAlert *) g_ptr_array_index (f->shown, i))->kind == MEMSCOPE_ALERT_OOM_KILL;
  return n;
}

/* Valid readings 0, 0, 1: the first kill since boot is one alert, with its victim. */
static void
test_oom_first_kill (Fixture       *f,
                     gconstpointer  data)
{
  add_proc (f, 130, "victim", "/usr/bin/victim", 3000000);
  add_proc (f, 131, "bystander", NULL, 1000);
  set_oom_counter (f, 0);
  tick (f, 1);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 0);
  remove_proc (f, 130);
  set_oom_counter (f, 1);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 1);
  g_assert_cmpuint (last_shown (f)->n_oom_kills, ==, 1);
  g_assert_cmpuint (last_shown (f)->processes->len, ==, 1);
  g_assert_cmpstr (alert_proc (last_shown (f), 0)->name, ==, "victim");
  /* The counter staying at 1 is no new kill. */
  tick (f, 1);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 1);
}

/* A counter first readable at 5 raises nothing until it rises; one never readable (no oom_kill
 * line, permission denied, malformed: the sampler says unknown) raises nothing at all. */
static void
test_oom_unknown_start (Fixture       *f,
                        gconstpointer  data)
{
  add_proc (f, 140, "someone", NULL, 1000);
  for (int i = 0; i < 3; i++)
    {
      set_oom_counter (f, -1);
      tick (f, 1);
    }
  g_assert_cmpuint (n_oom_alerts (f), ==, 0);
  set_oom_counter (f, 5);
  tick (f, 1);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 0);
  /* Unreadable for a while, then higher: the kills in between are reported once. */
  set_oom_counter (f, -1);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 0);
  set_oom_counter (f, 7);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 1);
  g_assert_cmpuint (last_shown (f)->n_oom_kills, ==, 2);
  tick (f, 1);
  g_assert_cmpuint (n_oom_alerts (f), ==, 1);
}

static void
test_oom_kill (Fixture       *f,
               gconstpointer  data)
{
  MemscopeAlert *alert;

  add_proc (f, 110, "victim", "/usr/bin/victim", 6000000);
  add_proc (f, 111, "bystander", NULL, 1000);
  add_proc (f, 112, "short-lived", NULL, 2000);
  /* A counter already above zero at start is history, not news. */
  set_oom_counter (f, 3);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);

  /* An exit without a kill says nothing. */
  remove_proc (f, 112);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 0);

  add_proc (f, 113, "tiny", NULL, 10);
  tick (f, 1);
  remove_proc (f, 110);
  remove_proc (f, 113);
  set_oom_counter (f, 4);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  alert = last_shown (f);
  g_assert_cmpint (alert->kind, ==, MEMSCOPE_ALERT_OOM_KILL);
  g_assert_cmpuint (alert->n_oom_kills, ==, 1);
  g_assert_cmpuint (alert->processes->len, ==, 1);
  g_assert_cmpstr (alert_proc (alert, 0)->name, ==, "victim");
  g_assert_cmpint (alert_proc (alert, 0)->footprint_kib, ==, 6000000);

  /* A kill of something we never saw: reported without a name; a new id so both stay. */
  set_oom_counter (f, 5);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpuint (last_shown (f)->processes->len, ==, 0);
  g_assert_cmpstr (last_shown (f)->id, !=, alert->id);
}

static void
test_leaks_for_tray (Fixture       *f,
                     gconstpointer  data)
{
  const GArray *leaks;

  add_proc (f, 120, "slow", NULL, 10000);
  add_proc (f, 121, "fast", NULL, 10000);
  tick (f, 1);
  add_event (f, 120, MS_TAG_LEAK, TRUE, 10.0);
  add_event (f, 121, MS_TAG_LEAK, TRUE, 1000.0);
  tick (f, 1);
  leaks = memscope_alerts_get_leaks (f->alerts);
  g_assert_cmpuint (leaks->len, ==, 2);
  g_assert_cmpstr (g_array_index (leaks, MemscopeAlertProcess, 0).name, ==, "fast");
  g_assert_cmpstr (g_array_index (leaks, MemscopeAlertProcess, 1).name, ==, "slow");
  g_assert_cmpuint (f->n_leaks_changed, ==, 1);
  /* Nothing changed, no signal. */
  tick (f, 1);
  g_assert_cmpuint (f->n_leaks_changed, ==, 1);
}

static void
test_second_popup_when_urgent (Fixture       *f,
                               gconstpointer  data)
{
  add_proc (f, 120, "slowleak", NULL, 10000);
  add_proc (f, 121, "fastleak", NULL, 10000);
  /* Only the leak popups are counted here, not the low-memory one. */
  memscope_alerts_set_low_memory_percent (f->alerts, 0);
  tick (f, 1);
  /* 8 GiB available at 4 MiB/s: 34 min to go, one popup. */
  add_event (f, 120, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  g_assert_cmpfloat (alert_proc (last_shown (f), 0)->exhaust_s, ==, 8.0 * 1024 * 1024 / 4096);

  /* Available memory falls until it runs out within ten minutes: a second popup, once. */
  f->snap.mem.mem_available_kib = 4096 * 700;
  tick (f, 60);
  g_assert_cmpuint (f->shown->len, ==, 1);
  f->snap.mem.mem_available_kib = 4096 * 500;
  tick (f, 60);
  g_assert_cmpuint (f->shown->len, ==, 2);
  g_assert_cmpint (alert_proc (last_shown (f), 0)->pid, ==, 120);
  g_assert_cmpfloat (alert_proc (last_shown (f), 0)->exhaust_s, ==, 500.0);
  f->snap.mem.mem_available_kib = 4096 * 100;
  tick (f, 60);
  g_assert_cmpuint (f->shown->len, ==, 2);

  /* Flickering off and on within ten minutes does not earn it a third. */
  add_event (f, 120, MS_TAG_LEAK, FALSE, NAN);
  tick (f, 1);
  add_event (f, 120, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 2);

  /* A first popup that already says "within minutes" is the only one. */
  add_event (f, 121, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 3);
  g_assert_cmpint (alert_proc (last_shown (f), 0)->pid, ==, 121);
  f->snap.mem.mem_available_kib = 4096 * 50;
  tick (f, 60);
  g_assert_cmpuint (f->shown->len, ==, 3);
}

static void
test_own_process (Fixture       *f,
                  gconstpointer  data)
{
  add_proc (f, 130, "memscope", "/usr/bin/memscope", 10000);
  add_proc (f, 131, "other", NULL, 10000);
  memscope_alerts_set_own_pid (f->alerts, 130);
  tick (f, 1);
  add_event (f, 130, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  tick (f, 600);
  g_assert_cmpuint (f->shown->len, ==, 0);
  /* It is still a leak the tray lists, like the window does. */
  g_assert_cmpuint (memscope_alerts_get_leaks (f->alerts)->len, ==, 1);

  add_event (f, 131, MS_TAG_LEAK, TRUE, 4096.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 1);
  g_assert_cmpint (alert_proc (last_shown (f), 0)->pid, ==, 131);
}

/* A remote machine's alerts: the same policy, its own state, its processes named after it. */
static void
test_remote_machine (Fixture       *f,
                     gconstpointer  data)
{
  gint32 own = (gint32) getpid ();
  MemscopeAlert *local;
  MemscopeAlert *remote;
  g_autofree char *remote_id = NULL;

  f->remote = memscope_alerts_new ();
  memscope_alerts_set_clock (f->remote, fake_clock, f);
  memscope_alerts_set_machine (f->remote, "build-box");
  g_assert_cmpstr (memscope_alerts_get_machine (f->remote), ==, "build-box");
  g_assert_null (memscope_alerts_get_machine (f->alerts));
  g_signal_connect (f->remote, "alert", G_CALLBACK (alert_cb), f);
  g_signal_connect (f->remote, "withdraw", G_CALLBACK (withdraw_cb), f);

  /* The same pid leaks on both machines: two processes, two popups with ids of their own. */
  add_proc (f, 11, "leak-sim", "/usr/bin/leak-sim", 200000);
  /* memscope's own pid here is another process over there, and may well leak. */
  add_proc (f, own, "other", NULL, 10000);
  tick (f, 1);
  add_event (f, 11, MS_TAG_LEAK, TRUE, 8192.0);
  add_event (f, own, MS_TAG_LEAK, TRUE, 1024.0);
  tick (f, 1);
  g_assert_cmpuint (f->shown->len, ==, 3);
  local = g_ptr_array_index (f->shown, 0);
  g_assert_null (local->machine);
  g_assert_null (alert_proc (local, 0)->machine);
  g_assert_cmpint (alert_proc (local, 0)->pid, ==, 11);
  for (guint i = 1; i < 3; i++)
    {
      remote = g_ptr_array_index (f->shown, i);
      g_assert_cmpstr (remote->machine, ==, "build-box");
      g_assert_cmpstr (alert_proc (remote, 0)->machine, ==, "build-box");
      g_assert_cmpstr (remote->id, !=, local->id);
      g_assert_nonnull (strstr (remote->id, "build-box"));
      if (alert_proc (remote, 0)->pid == 11)
        remote_id = g_strdup (remote->id);
      else
        g_assert_cmpint (alert_proc (remote, 0)->pid, ==, own);
    }
  g_assert_nonnull (remote_id);
  g_assert_cmpuint (memscope_alerts_get_leaks (f->remote)->len, ==, 2);
  g_assert_cmpstr (g_array_index (memscope_alerts_get_leaks (f->remote), MemscopeAlertProcess,
                                  0).machine, ==, "build-box");
  g_assert_null (g_array_index (memscope_alerts_get_leaks (f->alerts), MemscopeAlertProcess,
                                0).machine);

  /* One popup per leak on each machine, and withdrawing names the right one. */
  tick (f, 600);
  g_assert_cmpuint (f->shown->len, ==, 3);
  remove_proc (f, 11);
  tick (f, 1);
  g_assert_cmpuint (f->withdrawn->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (f->withdrawn, local->id, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (f->withdrawn, remote_id, g_str_equal, NULL));
}

static void
test_display_name (void)
{
  g_autofree char *markup = memscope_alerts_display_name ("<b>x&y");
  g_autofree char *control = memscope_alerts_display_name ("a\nb\tc\033");
  g_autofree char *invalid = memscope_alerts_display_name ("bad\xff" "byte");
  g_autofree char *empty = memscope_alerts_display_name ("");
  g_autofree char *c1 = memscope_alerts_display_name ("x\302\205y\342\200\250z");

  /* Markup is not this function's business: the notifier escapes where it is rendered. */
  g_assert_cmpstr (markup, ==, "<b>x&y");
  g_assert_cmpstr (control, ==, "a b c ");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "bad"));
  g_assert_true (g_str_has_suffix (invalid, "byte"));
  g_assert_cmpstr (empty, ==, "?");
  /* A C1 control (NEL) and a line separator would break the line too. */
  g_assert_cmpstr (c1, ==, "x y z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/alerts/leak-lifecycle", test_leak_lifecycle);
  ADD ("/alerts/recycled-pid", test_recycled_pid);
  ADD ("/alerts/summary", test_summary);
  ADD ("/alerts/two-at-once", test_two_at_once_are_separate);
  ADD ("/alerts/focused", test_focused);
  ADD ("/alerts/ignored", test_ignored);
  ADD ("/alerts/spike-optional", test_spike_optional);
  ADD ("/alerts/pause-and-disable", test_pause_and_disable);
  ADD ("/alerts/low-memory", test_low_memory);
  ADD ("/alerts/oom-kill", test_oom_kill);
  ADD ("/alerts/oom-first-kill", test_oom_first_kill);
  ADD ("/alerts/oom-unknown-start", test_oom_unknown_start);
  ADD ("/alerts/leaks-for-tray", test_leaks_for_tray);
  ADD ("/alerts/second-popup-when-urgent", test_second_popup_when_urgent);
  ADD ("/alerts/own-process", test_own_process);
  ADD ("/alerts/remote-machine", test_remote_machine);
#undef ADD
  g_test_add_func ("/alerts/display-name", test_display_name);

  return g_test_run ();
}
