/* SPDX-License-Identifier: MIT */
/* The process model: snapshots update surviving rows in place, drop exited ones, add new ones. */

#include "config.h"

#include <string.h>

#include "memscope-process-model-private.h"

typedef struct
{
  GListStore *store;
  GPtrArray *shadow;     /* what the store held, kept in step with items-changed */
  GPtrArray *survivors;  /* rows that must never be removed or added during this apply */
  guint n_signals;
  guint n_removed;
  guint n_added;
} Recorder;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *rec)
{
  rec->n_signals++;
  rec->n_removed += removed;
  rec->n_added += added;
  for (guint i = 0; i < removed; i++)
    {
      gpointer gone = g_ptr_array_index (rec->shadow, position);

      g_assert_false (g_ptr_array_find (rec->survivors, gone, NULL));
      g_ptr_array_remove_index (rec->shadow, position);
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);

      g_assert_false (g_ptr_array_find (rec->survivors, item, NULL));
      g_ptr_array_insert (rec->shadow, (int) (position + i), item);
    }
}

static void
recorder_init (Recorder   *rec,
               GListModel *model)
{
  memset (rec, 0, sizeof *rec);
  rec->shadow = g_ptr_array_new ();
  rec->survivors = g_ptr_array_new ();
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_ptr_array_add (rec->shadow, item);
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), rec);
}

static void
recorder_clear (Recorder   *rec,
                GListModel *model)
{
  g_signal_handlers_disconnect_by_data (model, rec);
  g_ptr_array_unref (rec->shadow);
  g_ptr_array_unref (rec->survivors);
}

static ms_proc_t
make_proc (gint32      pid,
           guint64     starttime,
           gint64      rss_kib,
           const char *group)
{
  ms_proc_t proc;

  memset (&proc, 0, sizeof proc);
  proc.pid = pid;
  proc.starttime = starttime;
  proc.state = 'S';
  proc.uid = 1000;
  proc.threads = 1;
  g_snprintf (proc.comm, sizeof proc.comm, "proc%d", pid);
  g_snprintf (proc.user, sizeof proc.user, "alice");
  g_snprintf (proc.group, sizeof proc.group, "%s", group != NULL ? group : "name:x");
  g_snprintf (proc.cmdline, sizeof proc.cmdline, "/usr/bin/proc%d --flag", pid);
  proc.rss_kib = rss_kib;
  proc.pss_kib = rss_kib / 2;
  proc.swap_kib = 0;
  proc.footprint_kib = rss_kib;
  proc.baseline_kib = rss_kib;
  proc.delta_kib = 0;
  proc.cpu_pct = 1.0;
  proc.pss_age_s = 0;
  return proc;
}

static MemscopeSnapshot *
make_snapshot (guint64          serial,
               const ms_proc_t *procs,
               gsize            n)
{
  ms_snapshot_t snap;

  memset (&snap, 0, sizeof snap);
  snap.time_s = (double) serial;
  snap.mem.mem_total_kib = 1 << 24;
  snap.mem.mem_available_kib = 1 << 23;
  snap.n_procs = n;
  snap.procs = (ms_proc_t *) procs;
  return memscope_snapshot_new_copy (&snap, serial);
}

static MemscopeProcessRow *
row_at (GListModel *model,
        guint       position)
{
  g_autoptr(MemscopeProcessRow) row = g_list_model_get_item (model, position);

  return row;
}

static guint rss_notifies;

static void
count_notify_cb (void)
{
  rss_notifies++;
}

static void
test_in_place (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *list = memscope_process_model_get_processes (model);
  ms_proc_t a[5];
  ms_proc_t b[5];
  g_autoptr(MemscopeSnapshot) s1 = NULL;
  g_autoptr(MemscopeSnapshot) s2 = NULL;
  MemscopeProcessRow *r10, *r20, *r30, *r40, *r50;
  Recorder rec;

  for (guint i = 0; i < 5; i++)
    a[i] = make_proc (10 * (i + 1), 1000 + i, 1024 * (i + 1), NULL);
  s1 = make_snapshot (1, a, 5);
  g_assert_true (memscope_process_model_apply (model, s1));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  r10 = row_at (list, 0);
  r20 = row_at (list, 1);
  r30 = row_at (list, 2);
  r40 = row_at (list, 3);
  r50 = row_at (list, 4);
  g_assert_cmpint (memscope_process_row_get_pid (r30), ==, 30);

  /* 20 and 40 exit (not next to each other), 10 grows, 30 and 50 stay the same, 60 and 70 start. */
  b[0] = a[0];
  b[0].rss_kib = 4096;
  b[0].footprint_kib = 4096;
  b[0].delta_kib = 4096 - 1024;
  b[1] = a[2];
  b[2] = a[4];
  b[3] = make_proc (60, 2000, 512, NULL);
  b[4] = make_proc (70, 2001, 512, NULL);
  s2 = make_snapshot (2, b, 5);

  recorder_init (&rec, list);
  g_ptr_array_add (rec.survivors, r10);
  g_ptr_array_add (rec.survivors, r30);
  g_ptr_array_add (rec.survivors, r50);
  rss_notifies = 0;
  g_signal_connect (r10, "notify::rss-kib", G_CALLBACK (count_notify_cb), NULL);
  g_signal_connect (r30, "notify::rss-kib", G_CALLBACK (count_notify_cb), NULL);

  g_assert_true (memscope_process_model_apply (model, s2));

  /* Two removal runs (20 and 40 are apart) and one splice of the two newcomers. */
  g_assert_cmpuint (rec.n_removed, ==, 2);
  g_assert_cmpuint (rec.n_added, ==, 2);
  g_assert_cmpuint (rec.n_signals, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  g_assert_true (row_at (list, 0) == r10);
  g_assert_true (row_at (list, 1) == r30);
  g_assert_true (row_at (list, 2) == r50);
  g_assert_cmpint (memscope_process_row_get_pid (row_at (list, 3)), ==, 60);
  g_assert_cmpint (memscope_process_row_get_pid (row_at (list, 4)), ==, 70);
  g_assert_cmpint (memscope_process_row_get_rss_kib (r10), ==, 4096);
  g_assert_cmpint (memscope_process_row_get_delta_kib (r10), ==, 3072);
  /* Only the row whose value changed told its cells. */
  g_assert_cmpuint (rss_notifies, ==, 1);
  g_assert_null (memscope_process_model_lookup (model, 20, 1001));
  g_assert_true (memscope_process_model_lookup (model, 30, 1002) == r30);
  (void) r20;
  (void) r40;

  g_signal_handlers_disconnect_by_func (r10, count_notify_cb, NULL);
  g_signal_handlers_disconnect_by_func (r30, count_notify_cb, NULL);
  recorder_clear (&rec, list);
}

/* Rows nobody watches (not on screen, not inspected) take new values without a notification;
 * a watched row tells its watcher, and a watcher that comes later reads the current value. */
static void
test_unwatched_rows_quiet (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *list = memscope_process_model_get_processes (model);
  guint64 n_before;
  ms_proc_t procs[3];
  MemscopeProcessRow *watched;

  for (guint i = 0; i < 3; i++)
    procs[i] = make_proc (10 + (gint32) i, 100 + i, 1024, NULL);
  {
    g_autoptr(MemscopeSnapshot) first = make_snapshot (1, procs, 3);

    g_assert_true (memscope_process_model_apply (model, first));
  }
  n_before = memscope_process_row_count_notifications ();

  for (guint i = 0; i < 3; i++)
    procs[i].rss_kib = procs[i].footprint_kib = 2048;
  {
    g_autoptr(MemscopeSnapshot) second = make_snapshot (2, procs, 3);

    g_assert_true (memscope_process_model_apply (model, second));
  }
  g_assert_cmpuint (memscope_process_row_count_notifications (), ==, n_before);
  g_assert_cmpint (memscope_process_row_get_rss_kib (row_at (list, 1)), ==, 2048);

  watched = row_at (list, 1);
  rss_notifies = 0;
  g_signal_connect (watched, "notify::rss-kib", G_CALLBACK (count_notify_cb), NULL);
  for (guint i = 0; i < 3; i++)
    procs[i].rss_kib = procs[i].footprint_kib = 4096;
  {
    g_autoptr(MemscopeSnapshot) third = make_snapshot (3, procs, 3);

    g_assert_true (memscope_process_model_apply (model, third));
  }
  g_assert_cmpuint (rss_notifies, ==, 1);
  /* Only the watched row spoke: rss-kib and footprint-driven values, nothing from the others. */
  g_assert_cmpuint (memscope_process_row_count_notifications (), >, n_before);
  g_assert_cmpuint (memscope_process_row_count_notifications (), <=, n_before + 4);
  g_assert_cmpint (memscope_process_row_get_rss_kib (row_at (list, 0)), ==, 4096);

  g_signal_handlers_disconnect_by_func (watched, count_notify_cb, NULL);
}

static void
test_reused_pid (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *list = memscope_process_model_get_processes (model);
  ms_proc_t first = make_proc (4242, 100, 1024, NULL);
  ms_proc_t second = make_proc (4242, 900, 8192, NULL);
  g_autoptr(MemscopeSnapshot) s1 = make_snapshot (1, &first, 1);
  g_autoptr(MemscopeSnapshot) s2 = make_snapshot (2, &second, 1);
  g_autoptr(MemscopeProcessRow) old_row = NULL;
  MemscopeProcessRow *new_row;
  Recorder rec;

  memscope_process_model_apply (model, s1);
  old_row = g_list_model_get_item (list, 0);

  recorder_init (&rec, list);
  memscope_process_model_apply (model, s2);
  g_assert_cmpuint (rec.n_removed, ==, 1);
  g_assert_cmpuint (rec.n_added, ==, 1);
  recorder_clear (&rec, list);

  new_row = row_at (list, 0);
  g_assert_true (new_row != old_row);
  g_assert_cmpuint (memscope_process_row_get_starttime (new_row), ==, 900);
  g_assert_cmpint (memscope_process_row_get_rss_kib (new_row), ==, 8192);
  /* The old process's row keeps its own values: nothing of the new one leaks into it. */
  g_assert_cmpint (memscope_process_row_get_rss_kib (old_row), ==, 1024);
}

static void
test_stale_dropped (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  ms_proc_t p = make_proc (1, 1, 1024, NULL);
  ms_proc_t q = make_proc (1, 1, 2048, NULL);
  g_autoptr(MemscopeSnapshot) newer = make_snapshot (5, &p, 1);
  g_autoptr(MemscopeSnapshot) older = make_snapshot (4, &q, 1);

  g_assert_true (memscope_process_model_apply (model, newer));
  g_assert_false (memscope_process_model_apply (model, older));
  g_assert_cmpint (memscope_process_row_get_rss_kib (memscope_process_model_lookup (model, 1, 1)),
                   ==, 1024);
}

/* A process is listed once it has lived two seconds; one already older when first seen, or of
 * unknown start, at once. */
static void
test_young_not_listed (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *processes = memscope_process_model_get_processes (model);
  ms_proc_t procs[3] = { make_proc (10, 1, 1024, NULL), make_proc (11, 2, 1024, NULL),
                         make_proc (12, 3, 1024, NULL) };

  for (guint tick = 0; tick < 3; tick++)
    {
      ms_snapshot_t snap;
      g_autoptr(MemscopeSnapshot) snapshot = NULL;

      memset (&snap, 0, sizeof snap);
      snap.time_s = 100.0 + tick;
      snap.time_unix = 1.7e9 + tick;
      procs[0].first_seen_s = 100.0; /* started just before it was first seen */
      procs[0].start_unix = 1.7e9 - 0.5;
      procs[1].first_seen_s = 100.0; /* running for a minute when first seen */
      procs[1].start_unix = 1.7e9 - 60;
      procs[2].first_seen_s = 100.0; /* start unknown */
      procs[2].start_unix = 0;
      snap.n_procs = G_N_ELEMENTS (procs);
      snap.procs = procs;
      snapshot = memscope_snapshot_new_copy (&snap, tick + 1);
      g_assert_true (memscope_process_model_apply (model, snapshot));
      g_assert_nonnull (memscope_process_model_lookup (model, 11, 2));
      g_assert_nonnull (memscope_process_model_lookup (model, 12, 3));
      /* Seen for 0 s and 1 s: not yet; for 2 s: listed. */
      g_assert_true ((memscope_process_model_lookup (model, 10, 1) != NULL) == (tick == 2));
      g_assert_cmpuint (g_list_model_get_n_items (processes), ==, tick == 2 ? 3 : 2);
    }
}

static void
test_groups (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *groups = memscope_process_model_get_groups (model);
  ms_proc_t procs[5];
  g_autoptr(MemscopeSnapshot) s1 = NULL;
  g_autoptr(MemscopeSnapshot) s2 = NULL;
  MemscopeProcessRow *app = NULL;
  MemscopeProcessRow *app_again = NULL;

  procs[0] = make_proc (100, 1, 10000, "app:org.example.Browser");
  procs[1] = make_proc (101, 2, 20000, "app:org.example.Browser");
  procs[2] = make_proc (102, 3, 30000, "app:org.example.Browser");
  procs[2].pss_kib = MS_UNKNOWN_KIB;
  procs[2].tags = MS_TAG_SPIKE;
  procs[1].tags = MS_TAG_LEAK;
  procs[1].delta_kib = 500;
  procs[2].delta_kib = -100;
  procs[3] = make_proc (200, 4, 4000, "name:cron");
  procs[4] = make_proc (2, 5, 0, "kernel");
  procs[4].kernel_thread = TRUE;
  procs[4].pss_kib = MS_UNKNOWN_KIB;

  memscope_process_model_set_grouping (model, TRUE);
  s1 = make_snapshot (1, procs, 5);
  memscope_process_model_apply (model, s1);
  /* The browser's group, and cron and the kernel thread as plain rows: each is alone. */
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      MemscopeProcessRow *row = row_at (groups, i);

      if (memscope_process_row_get_is_group (row))
        g_assert_cmpstr (memscope_process_row_get_group_key (row), ==, "app:org.example.Browser");
      else
        g_assert_true (memscope_process_row_get_pid (row) == 200
                       || memscope_process_row_get_pid (row) == 2);
    }

  for (guint i = 0; i < 3; i++)
    if (g_strcmp0 (memscope_process_row_get_group_key (row_at (groups, i)),
                   "app:org.example.Browser") == 0)
      app = row_at (groups, i);
  g_assert_nonnull (app);
  g_assert_true (memscope_process_row_get_is_group (app));
  g_assert_cmpuint (memscope_process_row_get_n_members (app), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (
                      G_LIST_MODEL (memscope_process_row_get_members (app))), ==, 3);
  g_assert_cmpint (memscope_process_row_get_rss_kib (app), ==, 60000);
  /* PSS where known (5000 + 10000), RSS where not (30000), and it says how many were RSS. */
  g_assert_cmpint (memscope_process_row_get_pss_kib (app), ==, 45000);
  g_assert_cmpuint (memscope_process_row_get_n_rss_members (app), ==, 1);
  g_assert_cmpint (memscope_process_row_get_delta_kib (app), ==, 400);
  g_assert_cmpuint (memscope_process_row_get_tags (app), ==, MS_TAG_LEAK);
  g_assert_cmpstr (memscope_process_row_get_name (app), ==, "org.example.Browser");

  /* One member exits: the same group row stays, with one member fewer. */
  s2 = make_snapshot (2, procs + 1, 4);
  memscope_process_model_apply (model, s2);
  for (guint i = 0; i < g_list_model_get_n_items (groups); i++)
    if (g_strcmp0 (memscope_process_row_get_group_key (row_at (groups, i)),
                   "app:org.example.Browser") == 0)
      app_again = row_at (groups, i);
  g_assert_true (app_again == app);
  g_assert_cmpuint (memscope_process_row_get_n_members (app), ==, 2);
  g_assert_cmpint (memscope_process_row_get_rss_kib (app), ==, 50000);

  memscope_process_model_set_grouping (model, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 0);
}

static MemscopeProcessRow *
top_level_row (GListModel *groups,
               gint32      pid)
{
  for (guint i = 0; i < g_list_model_get_n_items (groups); i++)
    if (!memscope_process_row_get_is_group (row_at (groups, i))
        && memscope_process_row_get_pid (row_at (groups, i)) == pid)
      return row_at (groups, i);
  return NULL;
}

static MemscopeProcessRow *
top_level_group (GListModel *groups,
                 const char *key)
{
  for (guint i = 0; i < g_list_model_get_n_items (groups); i++)
    if (memscope_process_row_get_is_group (row_at (groups, i))
        && g_strcmp0 (memscope_process_row_get_group_key (row_at (groups, i)), key) == 0)
      return row_at (groups, i);
  return NULL;
}

/* A group of one is listed as its process, a plain row; it becomes a group row when a second
 * member comes and a plain row again when one is left, and rows that stay put are not touched. */
static void
test_group_of_one (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *groups = memscope_process_model_get_groups (model);
  ms_proc_t procs[3];
  MemscopeSnapshot *snapshot;
  MemscopeProcessRow *alone, *parent_row, *group, *other;
  Recorder rec;

  procs[0] = make_proc (300, 1, 3000, "tree:/usr/bin/leak-sim:300");
  procs[1] = make_proc (400, 1, 4000, "tree:/usr/bin/other:400");
  procs[2] = make_proc (301, 1, 1000, "tree:/usr/bin/leak-sim:300");
  memscope_process_model_set_grouping (model, TRUE);

  snapshot = make_snapshot (1, procs, 2);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 2);
  parent_row = top_level_row (groups, 300);
  other = top_level_row (groups, 400);
  g_assert_nonnull (parent_row);
  g_assert_nonnull (other);
  g_assert_true (parent_row == memscope_process_model_lookup (model, 300, 1));

  /* A child of the same executable: now a group of two, under the parent's name. */
  recorder_init (&rec, groups);
  g_ptr_array_add (rec.survivors, other);
  snapshot = make_snapshot (2, procs, 3);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 2);
  group = top_level_group (groups, "tree:/usr/bin/leak-sim:300");
  g_assert_nonnull (group);
  g_assert_cmpuint (memscope_process_row_get_n_members (group), ==, 2);
  g_assert_cmpstr (memscope_process_row_get_name (group), ==, "proc300");
  g_assert_null (top_level_row (groups, 300));
  g_assert_true (top_level_row (groups, 400) == other);
  g_assert_cmpuint (rec.n_removed, ==, 1);
  g_assert_cmpuint (rec.n_added, ==, 1);
  recorder_clear (&rec, groups);

  /* The parent exits: the child is alone, a plain row again. */
  recorder_init (&rec, groups);
  g_ptr_array_add (rec.survivors, other);
  snapshot = make_snapshot (3, procs + 1, 2);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 2);
  alone = top_level_row (groups, 301);
  g_assert_nonnull (alone);
  g_assert_false (memscope_process_row_get_is_group (alone));
  g_assert_null (top_level_group (groups, "tree:/usr/bin/leak-sim:300"));
  recorder_clear (&rec, groups);

  /* And an unchanged tick changes nothing. */
  recorder_init (&rec, groups);
  snapshot = make_snapshot (4, procs + 1, 2);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (rec.n_signals, ==, 0);
  recorder_clear (&rec, groups);
}

/* Three programs whose 15-byte comm is the same and whose full names differ, each with a helper
 * of its own executable: three groups, each named by its topmost process's full name (not the
 * executable's file, which they share), found even when a helper comes first. */
static void
test_group_names (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  GListModel *groups = memscope_process_model_get_groups (model);
  const char *full[] = { "photo-thumbnailer-one", "photo-thumbnailer-two",
                         "photo-thumbnailer-three" };
  ms_proc_t procs[6];
  MemscopeSnapshot *snapshot;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *key = g_strdup_printf ("tree:/usr/libexec/thumbnailer:%d", 500 + i);

      procs[2 * i] = make_proc (510 + i, 1, 1000, key);
      g_snprintf (procs[2 * i].comm, sizeof procs[2 * i].comm, "worker");
      g_snprintf (procs[2 * i].name, sizeof procs[2 * i].name, "worker");
      procs[2 * i + 1] = make_proc (500 + i, 1, 2000, key);
      g_snprintf (procs[2 * i + 1].comm, sizeof procs[2 * i + 1].comm, "photo-thumbnail");
      g_snprintf (procs[2 * i + 1].name, sizeof procs[2 * i + 1].name, "%s", full[i]);
    }
  memscope_process_model_set_grouping (model, TRUE);
  snapshot = make_snapshot (1, procs, 6);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, 3);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *key = g_strdup_printf ("tree:/usr/libexec/thumbnailer:%d", 500 + i);
      MemscopeProcessRow *group = top_level_group (groups, key);

      g_assert_nonnull (group);
      g_assert_cmpstr (memscope_process_row_get_name (group), ==, full[i]);
      g_assert_true (memscope_process_row_matches (group, full[i]));
    }

  /* The topmost process renames itself: its group follows. */
  g_snprintf (procs[1].name, sizeof procs[1].name, "gallery");
  snapshot = make_snapshot (2, procs, 6);
  memscope_process_model_apply (model, snapshot);
  memscope_snapshot_unref (snapshot);
  g_assert_cmpstr (memscope_process_row_get_name (
                     top_level_group (groups, "tree:/usr/libexec/thumbnailer:500")), ==, "gallery");
}

/* Names are the processes' own bytes: whatever they hold, a row shows one line of valid UTF-8. */
static void
assert_safe (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      g_assert_false (g_unichar_iscntrl (ch));
      g_assert_true (ch != 0x2028 && ch != 0x2029);
    }
}

static void
test_group_labels (void)
{
  g_autofree char *tree_top = memscope_group_label ("tree:/usr/lib/firefox/firefox:1234",
                                                    "firefox");
  g_autofree char *renamed = memscope_group_label ("tree:/opt/sim/leak-sim:77", "leaky-b");
  g_autofree char *tree = memscope_group_label ("tree:/usr/lib/firefox/firefox:1234", NULL);
  g_autofree char *name = memscope_group_label ("name:bash", NULL);
  g_autofree char *kernel = memscope_group_label ("kernel", NULL);
  g_autofree char *unknown_app = memscope_group_label ("app:org.example.NoSuchApp", NULL);
  g_autofree char *control = memscope_group_label ("name:evil\n\033[2Jname\t\302\205x", NULL);
  g_autofree char *separator = memscope_group_label ("tree:/bin/x:9", "a\342\200\250b");
  g_autofree char *invalid = memscope_group_label ("name:bad\377\376bytes", NULL);
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *cut = NULL;
  ms_proc_t proc = make_proc (9, 1, 1000, "tree:/bin/x:9");
  g_autoptr(MemscopeProcessRow) row = NULL;

  g_assert_cmpstr (tree_top, ==, "firefox");
  g_assert_cmpstr (renamed, ==, "leaky-b");
  /* Without its topmost process (an old recording): the executable's file name. */
  g_assert_cmpstr (tree, ==, "firefox");
  g_assert_cmpstr (name, ==, "bash");
  g_assert_cmpstr (kernel, ==, "Kernel threads");
  g_assert_cmpstr (unknown_app, ==, "org.example.NoSuchApp");

  /* Control characters (C0 and C1), line separators and bad bytes never reach the list. */
  assert_safe (control);
  g_assert_true (g_str_has_prefix (control, "evil "));
  g_assert_true (g_str_has_suffix (control, "x"));
  assert_safe (separator);
  g_assert_cmpstr (separator, ==, "a b");
  assert_safe (invalid);
  g_assert_true (g_str_has_prefix (invalid, "bad"));
  g_assert_true (g_str_has_suffix (invalid, "bytes"));

  /* A full name as long as the sampler keeps, cut in the middle of a character. */
  while (long_name->len < MS_NAME_MAX - 1)
    g_string_append (long_name, "\303\251"); /* é */
  g_string_truncate (long_name, MS_NAME_MAX - 1);
  cut = memscope_group_label ("tree:/bin/x:9", long_name->str);
  assert_safe (cut);
  g_assert_cmpuint (strlen (cut), <=, MS_NAME_MAX + 2);

  /* A process row shows its name the same way. */
  g_snprintf (proc.name, sizeof proc.name, "tiny\nleak\033");
  row = memscope_process_row_new (&proc, NULL, 0);
  g_assert_cmpstr (memscope_process_row_get_name (row), ==, "tiny leak ");
}

static void
test_search_match (void)
{
  ms_proc_t p = make_proc (31337, 1, 1024, NULL);
  g_autoptr(MemscopeProcessRow) row = NULL;

  g_snprintf (p.comm, sizeof p.comm, "Web Content");
  g_snprintf (p.cmdline, sizeof p.cmdline, "/usr/lib/firefox/firefox -contentproc");
  row = memscope_process_row_new (&p, NULL, 0);
  g_assert_true (memscope_process_row_matches (row, "web"));
  g_assert_true (memscope_process_row_matches (row, "contentproc"));
  g_assert_true (memscope_process_row_matches (row, "31337"));
  g_assert_true (memscope_process_row_matches (row, "alice"));
  g_assert_false (memscope_process_row_matches (row, "chrome"));
}

/* The banner's count: other users' processes with PSS unknown, only once the first full pass of
 * PSS reads is over, never kernel threads or zombies, and never when root reads /proc. */
static void
test_pss_hidden (void)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  ms_proc_t procs[4];
  MemscopeSnapshot *snapshot;

  procs[0] = make_proc (10, 1, 1000, NULL);
  procs[1] = make_proc (11, 1, 1000, NULL);
  procs[2] = make_proc (12, 1, 0, NULL);
  procs[3] = make_proc (13, 1, 1000, NULL);
  for (int i = 0; i < 4; i++)
    {
      procs[i].uid = 0; /* root's processes, seen by user 1000 */
      procs[i].pss_kib = MS_UNKNOWN_KIB;
      procs[i].first_seen_s = 1.0;
    }
  procs[2].kernel_thread = true;
  procs[3].state = 'Z';
  memscope_process_model_set_reader_uid (model, 1000);

  /* Within the first pass: not read yet is not hidden. */
  snapshot = make_snapshot (10, procs, 4);
  g_assert_true (memscope_process_model_apply (model, snapshot));
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (memscope_process_model_get_n_pss_hidden (model), ==, 0);

  snapshot = make_snapshot (40, procs, 4);
  g_assert_true (memscope_process_model_apply (model, snapshot));
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (memscope_process_model_get_n_pss_hidden (model), ==, 2);

  /* Root reads everything: whatever is unknown is only waiting for its turn. */
  memscope_process_model_set_reader_uid (model, 0);
  snapshot = make_snapshot (41, procs, 4);
  g_assert_true (memscope_process_model_apply (model, snapshot));
  memscope_snapshot_unref (snapshot);
  g_assert_cmpuint (memscope_process_model_get_n_pss_hidden (model), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/in-place", test_in_place);
  g_test_add_func ("/model/unwatched-rows-quiet", test_unwatched_rows_quiet);
  g_test_add_func ("/model/reused-pid", test_reused_pid);
  g_test_add_func ("/model/stale-dropped", test_stale_dropped);
  g_test_add_func ("/model/young-not-listed", test_young_not_listed);
  g_test_add_func ("/model/groups", test_groups);
  g_test_add_func ("/model/group-of-one", test_group_of_one);
  g_test_add_func ("/model/group-names", test_group_names);
  g_test_add_func ("/model/group-labels", test_group_labels);
  g_test_add_func ("/model/search-match", test_search_match);
  g_test_add_func ("/model/pss-hidden", test_pss_hidden);

  return g_test_run ();
}
