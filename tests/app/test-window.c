/* SPDX-License-Identifier: MIT */
/* The window on a fixture proc tree under Xvfb: rows, sorting, grouping, search, keys, states. */

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"

/* The fixture's browser: one parent and nine content processes in one app scope. */
#define BROWSER_KEY "app:org.mozilla.firefox"
#define BROWSER_MEMBERS 10
#define N_FIXTURE_PROCS 18

static char *fixture_name;
static char *proc_root;
static MemscopeApplication *app;
static MemscopeWindow *window;
static guint n_applied;

static gboolean
applied_at_least_cb (gpointer data)
{
  return n_applied >= GPOINTER_TO_UINT (data);
}

static void
wait_ticks (guint n)
{
  ms_gui_wait_until (applied_at_least_cb, GUINT_TO_POINTER (n_applied + n), MS_GUI_WAIT_MS,
                     "snapshots");
}

/* Runs a window action as its key would (the key itself is typed in test_real_keys). */
static void
activate (const char *action,
          const char *param)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, param != NULL ? "s" : NULL,
                                             param));
}

static void
applied_cb (void)
{
  n_applied++;
}

static void
run_command (const char *command_line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (command_line, &out, &err, &status, &error))
    g_error ("%s: %s", command_line, error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", command_line, err);
}

static void
write_file (const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (proc_root, relative, NULL);
  gsize len = strlen (text);
  int fd;

  /* Rewritten in place: the sampler keeps its descriptors open and re-reads them with pread,
   * as it does with the kernel's files, so a replaced file would never be seen. */
  fd = open (path, O_WRONLY);
  if (fd < 0 || pwrite (fd, text, len, 0) != (ssize_t) len || ftruncate (fd, (off_t) len) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
  close (fd);
}

/* Gives a fixture process a new resident size in both files the sampler reads. */
static void
set_rss (int    pid,
         gint64 rss_kib)
{
  g_autofree char *statm_path = g_strdup_printf ("%d/statm", pid);
  g_autofree char *status_path = g_strdup_printf ("%d/status", pid);
  g_autofree char *full = g_build_filename (proc_root, status_path, NULL);
  g_autofree char *status = NULL;
  g_autofree char *statm = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                                            " 100 10 0 %" G_GINT64_FORMAT " 0\n",
                                            rss_kib / 2, rss_kib / 4, rss_kib / 4);
  g_autoptr(GString) rewritten = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (full, &status, NULL, NULL));
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        g_string_append_printf (rewritten, "VmRSS:\t%8" G_GINT64_FORMAT " kB", rss_kib);
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        g_string_append_printf (rewritten, "VmHWM:\t%8" G_GINT64_FORMAT " kB", rss_kib);
      else if (g_str_has_prefix (lines[i], "RssAnon:"))
        g_string_append_printf (rewritten, "RssAnon:\t%8" G_GINT64_FORMAT " kB", rss_kib);
      else if (g_str_has_prefix (lines[i], "RssFile:"))
        g_string_append (rewritten, "RssFile:\t       0 kB");
      else
        g_string_append (rewritten, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (rewritten, '\n');
    }
  write_file (status_path, rewritten->str);
  write_file (statm_path, statm);

  /* stat's field 24 (resident pages) is what tells the sampler to re-read status. */
  {
    g_autofree char *stat_path = g_strdup_printf ("%d/stat", pid);
    g_autofree char *stat_full = g_build_filename (proc_root, stat_path, NULL);
    g_autofree char *stat = NULL;
    g_autoptr(GString) line = g_string_new (NULL);
    g_auto(GStrv) fields = NULL;
    char *close_paren;

    g_assert_true (g_file_get_contents (stat_full, &stat, NULL, NULL));
    close_paren = strrchr (stat, ')');
    g_assert_nonnull (close_paren);
    g_string_append_len (line, stat, close_paren + 1 - stat);
    fields = g_strsplit (g_strstrip (close_paren + 1), " ", -1);
    /* fields[0] is field 3 (state), so field 24 is fields[21]. */
    g_assert_cmpuint (g_strv_length (fields), >, 21);
    g_free (fields[21]);
    fields[21] = g_strdup_printf ("%" G_GINT64_FORMAT, rss_kib / 4);
    for (guint i = 0; fields[i] != NULL; i++)
      g_string_append_printf (line, " %s", fields[i]);
    g_string_append_c (line, '\n');
    write_file (stat_path, line->str);
  }
}

static guint
n_visible (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (memscope_window_get_selection (window)));
}

static gint32
pid_at (guint position)
{
  return memscope_process_row_get_pid (memscope_window_get_row_at (window, position));
}


static gboolean
window_mapped_cb (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window)) && n_applied >= 2;
}

static GtkWidget *
cell_showing (GtkWidget  *widget,
              const char *text)
{
  if (g_strcmp0 (ms_gui_shown_text (widget), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cell_showing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_maps_and_shows_rows (void)
{
  ms_gui_wait_until (window_mapped_cb, NULL, 20000, "the window to map");
  /* Two more ticks: PSS is read for a budgeted few per tick. */
  wait_ticks (2);

  g_assert_cmpuint (n_visible (), ==, N_FIXTURE_PROCS);
  g_assert_nonnull (cell_showing (GTK_WIDGET (window), "firefox"));
  g_assert_nonnull (cell_showing (GTK_WIDGET (window), "postgres"));
  g_assert_nonnull (cell_showing (GTK_WIDGET (window), "weird ) (name"));
  /* Sorted by memory, biggest first: the browser's parent (400 MiB). */
  g_assert_cmpint (pid_at (0), ==, 200);
}


static gboolean
cell_shown_cb (gpointer text)
{
  return cell_showing (GTK_WIDGET (window), text) != NULL;
}

/* Ticks that move no row keep every row's widgets: the list is not rebuilt each second, and a
 * new value reaches its cell in place. */
static void
test_rows_kept_across_ticks (void)
{
  GtkWidget *postgres = cell_showing (GTK_WIDGET (window), "postgres");
  GtkWidget *leaky = cell_showing (GTK_WIDGET (window), "leaky");

  g_assert_nonnull (postgres);
  g_assert_nonnull (leaky);
  g_object_add_weak_pointer (G_OBJECT (postgres), (gpointer *) &postgres);
  wait_ticks (3);
  g_assert_true (cell_showing (GTK_WIDGET (window), "postgres") == postgres);

  /* leaky grows from 50 to 60 MiB: still between postgres and systemd, so nothing moves. */
  set_rss (400, 60 * 1024);
  ms_gui_wait_until (cell_shown_cb, (gpointer) "60.0\u00a0MiB", 10000, "leaky's new size");
  g_assert_true (cell_showing (GTK_WIDGET (window), "postgres") == postgres);
  g_assert_true (cell_showing (GTK_WIDGET (window), "leaky") == leaky);
  set_rss (400, 50 * 1024);
  ms_gui_wait_until (cell_shown_cb, (gpointer) "50.0\u00a0MiB", 10000, "leaky's size back");
  g_object_remove_weak_pointer (G_OBJECT (postgres), (gpointer *) &postgres);
}

static void
test_render_not_blank (void)
{
  /* The window's content (the list, banners and panel); a toplevel does not paint itself into
   * a widget paintable. */
  GtkWidget *widget = gtk_window_get_child (GTK_WINDOW (window));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autofree char *png = g_strdup_printf ("render-%s.png", fixture_name);

  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  /* Not blank: many pixels differ from the first one (text, bars, lines). */
  g_assert_cmpuint (ms_gui_render_distinct_pixels (widget, png), >, (guint64) width * height / 50);
}

static void
test_sort_keys (void)
{
  guint n = n_visible ();

  /* p: by PID, smallest first; again: reversed. */
  activate ("win.sort-by", "pid");
  MS_GUI_AWAIT (pid_at (0) == 1, MS_GUI_WAIT_MS, "the order by pid");
  g_assert_cmpint (pid_at (n - 1), ==, 700);
  activate ("win.sort-by", "pid");
  MS_GUI_AWAIT (pid_at (0) == 700, MS_GUI_WAIT_MS, "the order by pid, reversed");
  g_assert_cmpint (pid_at (n - 1), ==, 1);

  /* m: memory, biggest first. */
  activate ("win.sort-by", "memory");
  MS_GUI_AWAIT (pid_at (0) == 200, MS_GUI_WAIT_MS, "the order by memory");
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, i - 1)),
                     >=, memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, i)));

  /* The memory key follows the preference: PSS puts the biggest PSS first. */
  {
    g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);

    g_settings_set_string (settings, "memory-value", "pss");
    for (guint i = 1; i < n; i++)
      g_assert_cmpint (memscope_process_row_get_pss_kib (memscope_window_get_row_at (window, i - 1)),
                       >=, memscope_process_row_get_pss_kib (memscope_window_get_row_at (window, i)));
    g_settings_set_string (settings, "memory-value", "rss");
    g_assert_cmpint (pid_at (0), ==, 200);
  }

  /* c: CPU; the fixture's CPU is zero between ticks, so only check that the order is by it. */
  activate ("win.sort-by", "cpu");
  activate ("win.sort-by", "memory");
  MS_GUI_AWAIT (pid_at (0) == 200, MS_GUI_WAIT_MS, "the order by memory again");
}

static MemscopeProcessRow *
find_group (const char *key,
            guint      *position)
{
  for (guint i = 0; i < n_visible (); i++)
    {
      MemscopeProcessRow *row = memscope_window_get_row_at (window, i);

      if (memscope_process_row_get_is_group (row)
          && g_strcmp0 (memscope_process_row_get_group_key (row), key) == 0)
        {
          if (position != NULL)
            *position = i;
          return row;
        }
    }
  return NULL;
}

static void
test_group_toggle (void)
{
  MemscopeProcessModel *model = memscope_window_get_model (window);
  GListModel *processes = memscope_process_model_get_processes (model);
  gint64 rss = 0, pss = 0, delta = 0;
  guint n_rss = 0, members = 0;
  guint n_flat = n_visible ();
  guint n_groups;
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  MemscopeProcessRow *group;
  guint position = 0;
  g_autoptr(GtkTreeListRow) tree_row = NULL;

  /* What the group must sum, computed here from the ungrouped rows. */
  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(MemscopeProcessRow) row = g_list_model_get_item (processes, i);
      const ms_proc_t *proc = memscope_process_row_get_proc (row);

      if (g_strcmp0 (proc->group, BROWSER_KEY) != 0)
        continue;
      members++;
      rss += proc->rss_kib;
      delta += proc->delta_kib;
      if (proc->pss_kib >= 0)
        pss += proc->pss_kib;
      else
        {
          pss += proc->rss_kib;
          n_rss++;
        }
    }
  g_assert_cmpuint (members, ==, BROWSER_MEMBERS);
  g_assert_cmpuint (n_rss, >, 0);

  activate ("win.group-processes", NULL);
  MS_GUI_AWAIT (g_settings_get_boolean (settings, "group-processes")
                && find_group (BROWSER_KEY, NULL) != NULL, MS_GUI_WAIT_MS, "the groups");
  n_groups = n_visible ();
  g_assert_cmpuint (n_groups, <=, n_flat - BROWSER_MEMBERS + 1);
  group = find_group (BROWSER_KEY, &position);
  g_assert_nonnull (group);
  g_assert_cmpuint (memscope_process_row_get_n_members (group), ==, BROWSER_MEMBERS);
  g_assert_cmpint (memscope_process_row_get_rss_kib (group), ==, rss);
  g_assert_cmpint (memscope_process_row_get_pss_kib (group), ==, pss);
  g_assert_cmpuint (memscope_process_row_get_n_rss_members (group), ==, n_rss);
  g_assert_cmpint (memscope_process_row_get_delta_kib (group), ==, delta);
  /* A real multi-process application: one row, under its desktop name. */
  g_assert_cmpstr (memscope_process_row_get_name (group), ==, "Firefox");
  /* Only one row of the browser at the top level; the others are alone in their groups and
   * show as plain rows. */
  for (guint i = 0; i < n_visible (); i++)
    {
      MemscopeProcessRow *row = memscope_window_get_row_at (window, i);

      if (memscope_process_row_get_is_group (row))
        g_assert_cmpuint (memscope_process_row_get_n_members (row), >=, 2);
      else
        g_assert_cmpstr (memscope_process_row_get_group_key (row), !=, BROWSER_KEY);
    }

  /* Expanding shows the ten members under it. */
  tree_row = g_list_model_get_item (G_LIST_MODEL (memscope_window_get_selection (window)),
                                    position);
  gtk_tree_list_row_set_expanded (tree_row, TRUE);
  g_assert_cmpuint (n_visible (), ==, n_groups + BROWSER_MEMBERS);
  gtk_tree_list_row_set_expanded (tree_row, FALSE);

  /* It stays right over ticks. */
  wait_ticks (1);
  group = find_group (BROWSER_KEY, NULL);
  g_assert_nonnull (group);
  g_assert_cmpuint (memscope_process_row_get_n_members (group), ==, BROWSER_MEMBERS);

  activate ("win.group-processes", NULL);
  MS_GUI_AWAIT (n_visible () == n_flat, MS_GUI_WAIT_MS, "the flat list again");
}

static void
test_search (void)
{
  GtkEditable *search = memscope_window_get_search_entry (window);
  const char *empty;

  gtk_editable_set_text (search, "postgres");
  g_assert_cmpuint (n_visible (), ==, 1);
  /* It stays filtered across ticks. */
  wait_ticks (1);
  g_assert_cmpuint (n_visible (), ==, 1);
  g_assert_cmpint (pid_at (0), ==, 120);

  /* By command line (a word that is in no name) and by PID too. */
  gtk_editable_set_text (search, "LIB/FIREFOX");
  g_assert_cmpuint (n_visible (), ==, BROWSER_MEMBERS);
  gtk_editable_set_text (search, "postgresql/15");
  g_assert_cmpuint (n_visible (), ==, 1);
  gtk_editable_set_text (search, "400");
  g_assert_cmpuint (n_visible (), >=, 1);
  g_assert_cmpint (pid_at (0), ==, 400);

  gtk_editable_set_text (search, "no-such-process");
  g_assert_cmpuint (n_visible (), ==, 0);
  empty = memscope_window_get_empty_text (window);
  g_assert_nonnull (empty);
  g_assert_nonnull (strstr (empty, "no-such-process"));

  gtk_editable_set_text (search, "");
  g_assert_cmpuint (n_visible (), ==, N_FIXTURE_PROCS);
  g_assert_null (memscope_window_get_empty_text (window));
}

static void
test_selection_follows_process (void)
{
  MemscopeProcessModel *model = memscope_window_get_model (window);
  MemscopeProcessRow *leaky = NULL;
  guint before, after;
  GListModel *processes = memscope_process_model_get_processes (model);

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(MemscopeProcessRow) row = g_list_model_get_item (processes, i);

      if (memscope_process_row_get_pid (row) == 400)
        leaky = row;
    }
  g_assert_nonnull (leaky);
  g_assert_true (memscope_window_select_row (window, leaky));
  before = gtk_single_selection_get_selected (memscope_window_get_selection (window));
  g_assert_cmpuint (before, >, 0);

  /* The process grows past everyone else: it moves to the top, the selection goes with it. */
  set_rss (400, 2 * 1024 * 1024);
  wait_ticks (2);
  after = gtk_single_selection_get_selected (memscope_window_get_selection (window));
  g_assert_cmpint (memscope_process_row_get_rss_kib (leaky), ==, 2 * 1024 * 1024);
  g_assert_true (memscope_window_get_selected_row (window) == leaky);
  g_assert_cmpuint (after, ==, 0);
  g_assert_cmpint (memscope_process_row_get_delta_kib (leaky), >, 0);

  /* And when it shrinks to the bottom. */
  set_rss (400, 4);
  wait_ticks (2);
  g_assert_true (memscope_window_get_selected_row (window) == leaky);
  g_assert_cmpuint (gtk_single_selection_get_selected (memscope_window_get_selection (window)),
                    ==, n_visible () - 1 - 2 /* the zombie and the kernel thread have 0 */);
}

/* Resetting baselines: the selected process's only, then everyone's. */
static void
test_space_resets_baseline (void)
{
  MemscopeProcessModel *model = memscope_window_get_model (window);
  MemscopeProcessRow *leaky = memscope_process_model_lookup (model, 400, 9000 * 100);
  MemscopeProcessRow *editor = memscope_process_model_lookup (model, 300, 4000 * 100);
  MemscopeProcessRow *selected;

  g_assert_nonnull (leaky);
  g_assert_nonnull (editor);

  /* Two processes grow; Shift+Space resets the selected one only. */
  set_rss (400, 300 * 1024);
  set_rss (300, 200 * 1024);
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) != 0
                && memscope_process_row_get_delta_kib (editor) != 0, MS_GUI_WAIT_MS,
                "both to grow");
  g_assert_true (memscope_window_select_row (window, leaky));
  activate ("win.reset-selected-baseline", NULL);
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) == 0, MS_GUI_WAIT_MS,
                "the selected baseline reset");
  /* A tick later it holds, and the other one kept its growth. */
  wait_ticks (1);
  g_assert_cmpint (memscope_process_row_get_delta_kib (leaky), ==, 0);
  g_assert_cmpint (memscope_process_row_get_delta_kib (editor), !=, 0);

  /* Space resets everyone. */
  selected = memscope_window_get_selected_row (window);
  activate ("win.reset-baseline", NULL);
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (editor) == 0, MS_GUI_WAIT_MS,
                "every baseline reset");
  wait_ticks (1);
  g_assert_cmpint (memscope_process_row_get_delta_kib (editor), ==, 0);
  g_assert_true (memscope_window_get_selected_row (window) == selected);
  g_assert_null (memscope_window_get_inspected_row (window));
}

/* The delta a row's sparkline showed at time_s (found by time), or NAN. */
static double
history_at (MemscopeProcessRow *row,
            float               time_s)
{
  MemscopeRowPoint points[MEMSCOPE_ROW_HISTORY];
  gsize n = memscope_process_row_get_history (row, points, G_N_ELEMENTS (points));

  for (gsize i = 0; i < n; i++)
    if (points[i].time_s == time_s)
      return points[i].delta_kib;
  return NAN;
}

/* The bar after a reset: the revealer holding the Undo button. */
static GtkRevealer *
find_undo_bar (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Undo") == 0)
    return GTK_REVEALER (gtk_widget_get_ancestor (widget, GTK_TYPE_REVEALER));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkRevealer *found = find_undo_bar (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Space shows a bar with Undo; Undo puts every baseline back, so the deltas and the sparklines
 * are as before the reset (the sparkline moved with the baseline instead of showing a cliff).
 * The bar goes away by itself, after which there is nothing to undo; Shift+Space names the
 * process. */
static void
test_undo_reset (void)
{
  MemscopeProcessModel *model = memscope_window_get_model (window);
  MemscopeProcessRow *leaky = memscope_process_model_lookup (model, 400, 9000 * 100);
  MemscopeProcessRow *editor = memscope_process_model_lookup (model, 300, 4000 * 100);
  MemscopeRowPoint before[MEMSCOPE_ROW_HISTORY];
  gsize n_before;
  gint64 leaky_delta, editor_delta;
  const char *text;

  g_assert_nonnull (leaky);
  g_assert_nonnull (editor);
  /* The bar of the last test's reset, dismissed. */
  g_assert_nonnull (memscope_window_get_undo_text (window));
  activate ("win.dismiss-undo", NULL);
  g_assert_null (memscope_window_get_undo_text (window));
  g_assert_false (memscope_window_get_can_undo_reset (window));

  set_rss (400, 350 * 1024);
  set_rss (300, 150 * 1024);
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) > 0
                && memscope_process_row_get_delta_kib (editor) != 0, MS_GUI_WAIT_MS,
                "both to move from their baselines");
  wait_ticks (2);
  leaky_delta = memscope_process_row_get_delta_kib (leaky);
  editor_delta = memscope_process_row_get_delta_kib (editor);
  n_before = memscope_process_row_get_history (leaky, before, G_N_ELEMENTS (before));
  g_assert_cmpuint (n_before, >=, 3);
  g_assert_cmpfloat (before[n_before - 1].delta_kib, ==, (float) leaky_delta);

  activate ("win.reset-baseline", NULL);
  text = memscope_window_get_undo_text (window);
  g_assert_nonnull (text);
  g_test_message ("bar: %s", text);
  g_assert_true (g_str_has_prefix (text, "Every baseline reset"));
  g_assert_true (memscope_window_get_can_undo_reset (window));
  /* It comes onto the screen, over the list. */
  {
    GtkRevealer *bar = find_undo_bar (GTK_WIDGET (window));
    g_autoptr(GdkTexture) shot = NULL;

    g_assert_nonnull (bar);
    MS_GUI_AWAIT (gtk_revealer_get_child_revealed (bar), MS_GUI_WAIT_MS, "the bar to show");
    shot = ms_gui_render (GTK_WIDGET (window), "window-undo-bar.png");
  }
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) == 0
                && memscope_process_row_get_delta_kib (editor) == 0, MS_GUI_WAIT_MS,
                "every baseline reset");
  /* No cliff: the points before the reset moved with the baseline. */
  for (gsize i = 0; i < n_before; i++)
    {
      double now = history_at (leaky, before[i].time_s);

      if (!isnan (now))
        g_assert_cmpfloat (now, ==, before[i].delta_kib - (float) leaky_delta);
    }

  activate ("win.undo-reset", NULL);
  g_assert_null (memscope_window_get_undo_text (window));
  g_assert_false (memscope_window_get_can_undo_reset (window));
  MS_GUI_AWAIT (!gtk_revealer_get_child_revealed (find_undo_bar (GTK_WIDGET (window))),
                MS_GUI_WAIT_MS, "the bar to leave the screen");
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) == leaky_delta
                && memscope_process_row_get_delta_kib (editor) == editor_delta, MS_GUI_WAIT_MS,
                "the baselines back");
  /* It holds over later ticks, and the sparkline is as it was. */
  wait_ticks (2);
  g_assert_cmpint (memscope_process_row_get_delta_kib (leaky), ==, leaky_delta);
  g_assert_cmpint (memscope_process_row_get_delta_kib (editor), ==, editor_delta);
  for (gsize i = 0; i < n_before; i++)
    {
      double now = history_at (leaky, before[i].time_s);

      if (!isnan (now))
        g_assert_cmpfloat (now, ==, before[i].delta_kib);
    }

  /* The bar leaves by itself; then Ctrl+Z's action has nothing to undo. */
  memscope_window_set_undo_shown_ms (window, 200);
  g_assert_true (memscope_window_select_row (window, leaky));
  activate ("win.reset-selected-baseline", NULL);
  text = memscope_window_get_undo_text (window);
  g_assert_nonnull (text);
  g_test_message ("bar: %s", text);
  g_assert_nonnull (strstr (text, memscope_process_row_get_name (leaky)));
  MS_GUI_AWAIT (memscope_window_get_undo_text (window) == NULL, MS_GUI_WAIT_MS,
                "the bar to leave");
  g_assert_false (memscope_window_get_can_undo_reset (window));
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) == 0, MS_GUI_WAIT_MS,
                "the selected baseline reset");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-reset", NULL);
  wait_ticks (2);
  g_assert_cmpint (memscope_process_row_get_delta_kib (leaky), ==, 0);
  g_assert_cmpint (memscope_process_row_get_delta_kib (editor), ==, editor_delta);
  memscope_window_set_undo_shown_ms (window, 10000);
}

static GtkMenuButton *
find_filter_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget)
      && g_str_has_prefix (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) ?: "", "Filter"))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_filter_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An active filter shows on the button without opening the menu: a count, a highlight and the
 * words (tooltip and accessible description) saying what is filtered. */
static void
test_filter_shown (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  GtkMenuButton *button = find_filter_button (gtk_window_get_titlebar (GTK_WINDOW (window)));
  GtkWidget *widget = GTK_WIDGET (button);

  g_assert_nonnull (button);
  g_assert_false (g_settings_get_boolean (settings, "only-tagged"));
  g_assert_false (g_settings_get_boolean (settings, "only-mine"));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filter");
  g_assert_false (gtk_widget_has_css_class (widget, "filter-active"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.only-tagged", NULL);
  g_assert_true (g_settings_get_boolean (settings, "only-tagged"));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filter (1)");
  g_assert_true (gtk_widget_has_css_class (widget, "filter-active"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==,
                   "Filtered: only tagged processes are shown");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.only-mine", NULL);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filter (2)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==,
                   "Filtered: only your tagged processes are shown");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.only-tagged", NULL);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filter (1)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==,
                   "Filtered: only your processes are shown");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.only-mine", NULL);
  g_assert_false (g_settings_get_boolean (settings, "only-mine"));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filter");
  g_assert_false (gtk_widget_has_css_class (widget, "filter-active"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==,
                   "Show only tagged processes or only yours");
  /* Kernel threads shown or not is no narrowing of the list. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-kernel-threads", NULL);
  g_assert_false (gtk_widget_has_css_class (widget, "filter-active"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-kernel-threads", NULL);
}

static guint
selected_position (void)
{
  return gtk_single_selection_get_selected (memscope_window_get_selection (window));
}

/* The keys themselves, typed through the X server one at a time, each awaited before the next:
 * letters type into the search field while it has focus, Esc clears it; j, k, Enter and Esc move
 * the selection and open and close the panel; Shift+Space and Space reach the window before the
 * list row (which binds Space itself). */
static void
test_real_keys (void)
{
  GtkEditable *search = memscope_window_get_search_entry (window);
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  MemscopeProcessModel *model = memscope_window_get_model (window);
  MemscopeProcessRow *leaky = memscope_process_model_lookup (model, 400, 9000 * 100);
  MemscopeProcessRow *editor = memscope_process_model_lookup (model, 300, 4000 * 100);
  MemscopeProcessRow *first, *selected;

  g_assert_false (g_settings_get_boolean (settings, "group-processes"));
  gtk_widget_grab_focus (GTK_WIDGET (search));
  ms_gui_type_keys (GTK_WIDGET (window), "g");
  MS_GUI_AWAIT (g_strcmp0 (gtk_editable_get_text (search), "g") == 0, MS_GUI_WAIT_MS,
                "g typed into the search field");
  g_assert_false (g_settings_get_boolean (settings, "group-processes"));
  ms_gui_type_keys (GTK_WIDGET (window), "Escape");
  MS_GUI_AWAIT (*gtk_editable_get_text (search) == '\0', MS_GUI_WAIT_MS, "Esc to clear the search");
  MS_GUI_AWAIT (n_visible () == N_FIXTURE_PROCS, MS_GUI_WAIT_MS, "every row back");

  gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  gtk_single_selection_set_selected (memscope_window_get_selection (window), 0);
  first = memscope_window_get_selected_row (window);
  ms_gui_type_keys (GTK_WIDGET (window), "j");
  MS_GUI_AWAIT (selected_position () == 1, MS_GUI_WAIT_MS, "j to select the second row");
  ms_gui_type_keys (GTK_WIDGET (window), "j");
  MS_GUI_AWAIT (selected_position () == 2, MS_GUI_WAIT_MS, "j to select the third row");
  ms_gui_type_keys (GTK_WIDGET (window), "k");
  MS_GUI_AWAIT (selected_position () == 1, MS_GUI_WAIT_MS, "k to go back up");
  ms_gui_type_keys (GTK_WIDGET (window), "Return");
  MS_GUI_AWAIT (memscope_window_get_inspected_row (window) != NULL, MS_GUI_WAIT_MS,
                "Enter to open the panel");
  g_assert_true (memscope_window_get_inspected_row (window) != first);
  ms_gui_type_keys (GTK_WIDGET (window), "Escape");
  MS_GUI_AWAIT (memscope_window_get_inspected_row (window) == NULL, MS_GUI_WAIT_MS,
                "Esc to close the panel");

  g_assert_nonnull (leaky);
  g_assert_nonnull (editor);
  gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  set_rss (400, 320 * 1024);
  set_rss (300, 220 * 1024);
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) != 0
                && memscope_process_row_get_delta_kib (editor) != 0, MS_GUI_WAIT_MS,
                "both to grow");
  g_assert_true (memscope_window_select_row (window, leaky));
  ms_gui_type_keys (GTK_WIDGET (window), "shift+space");
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (leaky) == 0, MS_GUI_WAIT_MS,
                "Shift+Space to reset the selected baseline");
  g_assert_cmpint (memscope_process_row_get_delta_kib (editor), !=, 0);
  selected = memscope_window_get_selected_row (window);
  ms_gui_type_keys (GTK_WIDGET (window), "space");
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (editor) == 0, MS_GUI_WAIT_MS,
                "Space to reset every baseline");
  g_assert_true (memscope_window_get_selected_row (window) == selected);
  g_assert_null (memscope_window_get_inspected_row (window));
  /* Ctrl+Z undoes it while the bar is up. */
  g_assert_nonnull (memscope_window_get_undo_text (window));
  ms_gui_type_keys (GTK_WIDGET (window), "ctrl+z");
  MS_GUI_AWAIT (memscope_process_row_get_delta_kib (editor) != 0, MS_GUI_WAIT_MS,
                "Ctrl+Z to undo the reset");
  g_assert_null (memscope_window_get_undo_text (window));
}

/* Whether a snapshot delivered by the sampler shows pid 400 at the size test_pause gave it. */
static void
pause_snapshot_cb (MemscopeSamplerThread *sampler,
                   MemscopeSnapshot      *snapshot,
                   gboolean              *seen)
{
  for (gsize i = 0; i < snapshot->base.n_procs; i++)
    if (snapshot->base.procs[i].pid == 400 && snapshot->base.procs[i].rss_kib == 123456)
      *seen = TRUE;
}

static void
test_pause (void)
{
  MemscopeProcessRow *leaky = memscope_process_model_lookup (memscope_window_get_model (window),
                                                             400, 9000 * 100);
  MemscopeSamplerThread *sampler = memscope_application_get_sampler (app);
  gboolean seen = FALSE;
  gulong handler;
  gint64 rss;

  g_assert_nonnull (leaky);
  rss = memscope_process_row_get_rss_kib (leaky);
  memscope_window_set_paused (window, TRUE);
  handler = g_signal_connect (sampler, "snapshot", G_CALLBACK (pause_snapshot_cb), &seen);
  set_rss (400, 123456);
  /* The sampler goes on and delivers the new size; the paused list does not take it. */
  ms_gui_wait_for_flag (&seen, MS_GUI_WAIT_MS, "a snapshot with the new size");
  ms_gui_drain ();
  g_signal_handler_disconnect (sampler, handler);
  g_assert_cmpint (memscope_process_row_get_rss_kib (leaky), ==, rss);
  memscope_window_set_paused (window, FALSE);
  MS_GUI_AWAIT (memscope_process_row_get_rss_kib (leaky) == 123456, MS_GUI_WAIT_MS,
                "the held snapshot applied after the pause");
}

static void
test_columns_persist (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  GListModel *columns = gtk_column_view_get_columns (memscope_window_get_column_view (window));
  GtkColumnViewColumn *pss = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "PSS") == 0)
        pss = column;
    }
  g_assert_nonnull (pss);

  /* Our own keys name the columns: hiding and resizing land in GSettings and come back. */
  g_assert_true (gtk_column_view_column_get_visible (pss));
  g_settings_set_boolean (settings, "column-pss-visible", FALSE);
  g_assert_false (gtk_column_view_column_get_visible (pss));
  g_settings_set_boolean (settings, "column-pss-visible", TRUE);
  g_assert_true (gtk_column_view_column_get_visible (pss));

  gtk_column_view_column_set_fixed_width (pss, 123);
  g_assert_cmpint (g_settings_get_int (settings, "column-pss-width"), ==, 123);
  g_settings_set_int (settings, "column-pss-width", -1);
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (pss), ==, -1);
}

static void
test_app_icon (void)
{
  MemscopeProcessRow *browser = memscope_process_model_lookup (memscope_window_get_model (window),
                                                               200, 3000 * 100);
  MemscopeProcessRow *postgres = memscope_process_model_lookup (memscope_window_get_model (window),
                                                                120, 800 * 100);
  g_autoptr(GIcon) icon = NULL;
  g_autoptr(GIcon) none = NULL;

  /* The browser belongs to a desktop app (its .desktop file is in the test's data dir). */
  g_assert_nonnull (browser);
  g_object_get (browser, "icon", &icon, NULL);
  g_assert_nonnull (icon);
  g_assert_true (G_IS_THEMED_ICON (icon));
  g_assert_cmpstr (g_themed_icon_get_names (G_THEMED_ICON (icon))[0], ==, "firefox");
  /* A system service is not an app: no icon. */
  g_assert_nonnull (postgres);
  g_object_get (postgres, "icon", &none, NULL);
  g_assert_null (none);
}

/* A stand-in for the desktop's Settings portal on the test's private session bus. */
static guint32 portal_color_scheme = 1;
static GDBusConnection *portal_bus;

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  const char *namespace, *key;

  g_variant_get (parameters, "(&s&s)", &namespace, &key);
  if (g_strcmp0 (method_name, "Read") == 0
      && g_strcmp0 (namespace, "org.freedesktop.appearance") == 0
      && g_strcmp0 (key, "color-scheme") == 0)
    /* Read answers a variant holding a variant, as the portal does. */
    {
      GVariant *scheme = g_variant_new_uint32 (portal_color_scheme);

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(v)", g_variant_new_variant (scheme)));
    }
  else
    g_dbus_method_invocation_return_dbus_error (invocation,
                                                "org.freedesktop.portal.Error.NotFound",
                                                "no such setting");
}

static void
start_portal (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.portal.Settings'>"
    "<method name='Read'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='v' direction='out'/></method>"
    "<signal name='SettingChanged'><arg type='s'/><arg type='s'/><arg type='v'/></signal>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { portal_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;

  portal_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  ms_test_serve (portal_bus, xml, "/org/freedesktop/portal/desktop", &vtable);
  ms_test_own_name (portal_bus, "org.freedesktop.portal.Desktop", TRUE);
}

static gboolean
prefer_dark_is_cb (gpointer data)
{
  gboolean dark = FALSE;

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark == GPOINTER_TO_INT (data);
}

static void
test_portal_color_scheme (void)
{
  g_autoptr(GError) error = NULL;

  /* The desktop prefers dark at start (Read), then light (SettingChanged). */
  ms_gui_wait_until (prefer_dark_is_cb, GINT_TO_POINTER (TRUE), 10000, "dark from the portal's Read");
  g_dbus_connection_emit_signal (portal_bus, NULL, "/org/freedesktop/portal/desktop",
                                 "org.freedesktop.portal.Settings", "SettingChanged",
                                 g_variant_new ("(ssv)", "org.freedesktop.appearance",
                                                "color-scheme", g_variant_new_uint32 (2)),
                                 &error);
  g_assert_no_error (error);
  ms_gui_wait_until (prefer_dark_is_cb, GINT_TO_POINTER (FALSE), 10000, "light from SettingChanged");
}

static GtkAdjustment *
list_vadjustment (void)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (memscope_window_get_column_view (window)));
}

static gboolean
scrollable_cb (gpointer data)
{
  GtkAdjustment *vadjustment = list_vadjustment ();

  return gtk_adjustment_get_upper (vadjustment) > gtk_adjustment_get_page_size (vadjustment) + 40;
}

static void
test_scroll_stays_and_follows (void)
{
  GtkAdjustment *vadjustment;
  GtkSingleSelection *selection = memscope_window_get_selection (window);
  double value, row_height, top;
  guint n = n_visible ();

  /* A short window, so the list scrolls. */
  run_command ("xdotool search --onlyvisible --name ^memscope$ windowsize --sync %1 900 330");
  ms_gui_wait_until (scrollable_cb, NULL, 10000, "a list taller than its window");
  vadjustment = list_vadjustment ();

  /* A scroll made while an update is being laid out is overruled by the anchor: scroll until the
   * view takes it. */
  MS_GUI_AWAIT ((gtk_adjustment_set_value (vadjustment, 60),
           gtk_adjustment_get_value (vadjustment) == 60), MS_GUI_WAIT_MS, "the view to settle");
  value = gtk_adjustment_get_value (vadjustment);
  g_assert_cmpfloat (value, >, 0);

  /* The view keeps its anchor.  Scrolled into the list with a process selected in view, that
   * process stays where the user put it on screen while another overtakes it. */
  {
    double rh = gtk_adjustment_get_upper (vadjustment) / n;
    guint chosen_row = (guint) (value / rh) + 1;
    gint32 chosen = pid_at (chosen_row);
    gint32 other = pid_at (n - 3);
    double offset = chosen_row * rh - value;
    guint now;

    gtk_single_selection_set_selected (selection, chosen_row);
    /* Where the row stands once the window has its size (the page settles over a few frames
     * after the resize) and the list has laid out the scroll: unchanged over three snapshots in
     * a row, since on a loaded machine a snapshot can come before the next layout. */
    for (guint tries = 0, stable = 0; tries < 60 && stable < 3; tries++)
      {
        double page = gtk_adjustment_get_page_size (vadjustment);
        double at = gtk_adjustment_get_value (vadjustment);

        wait_ticks (1);
        if (page == gtk_adjustment_get_page_size (vadjustment)
            && at == gtk_adjustment_get_value (vadjustment))
          stable++;
        else
          stable = 0;
      }
    offset = chosen_row * rh - gtk_adjustment_get_value (vadjustment);
    g_test_message ("pid %d (row %u) selected; pid %d goes to the top", chosen, chosen_row, other);
    set_rss (other, 3 * 1024 * 1024);
    MS_GUI_AWAIT (pid_at (0) == other, MS_GUI_WAIT_MS, "the other row to take the top");
    g_assert_cmpint (pid_at (0), ==, other);
    now = gtk_single_selection_get_selected (selection);
    g_assert_cmpint (pid_at (now), ==, chosen);
    g_assert_cmpuint (now, ==, chosen_row + 1);
    g_test_message ("rh %.1f value %.1f offset %.1f selected %u now value %.1f page %.1f upper %.1f",
                    rh, value, offset, gtk_single_selection_get_selected (selection),
                    gtk_adjustment_get_value (vadjustment), gtk_adjustment_get_page_size (vadjustment),
                    gtk_adjustment_get_upper (vadjustment));
    /* Within a pixel or two (rows sit on whole pixels), once the list is laid out again. */
    MS_GUI_AWAIT (fabs (gtk_single_selection_get_selected (selection) * rh
                        - gtk_adjustment_get_value (vadjustment) - offset) <= 2.0,
                  MS_GUI_WAIT_MS, "the selected row back at its place on screen");
    now = gtk_single_selection_get_selected (selection);
    g_assert_cmpfloat_with_epsilon (now * rh - gtk_adjustment_get_value (vadjustment), offset, 2.0);

    /* At the start of the list (here with the first row selected), a process overtaking row 0
     * is shown at the top, inside the viewport, and the view stays at the start. */
    gtk_single_selection_set_selected (selection, 0);
    MS_GUI_AWAIT ((gtk_adjustment_set_value (vadjustment, 0),
             gtk_adjustment_get_value (vadjustment) == 0), MS_GUI_WAIT_MS, "the view to settle");
    g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
    other = 120; /* postgres, well down the list */
    g_assert_cmpint (pid_at (0), !=, other);
    set_rss (other, 5 * 1024 * 1024);
    MS_GUI_AWAIT (pid_at (0) == other, MS_GUI_WAIT_MS, "postgres to take the top");
    g_assert_cmpint (pid_at (0), ==, other);
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
    {
      const char *pid_text = "postgres";
      GtkWidget *list_view = gtk_widget_get_first_child (GTK_WIDGET (
                                   memscope_window_get_column_view (window)));
      GtkWidget *cell = NULL;
      graphene_rect_t bounds = { 0 };

      while (list_view != NULL && !GTK_IS_LIST_VIEW (list_view))
        list_view = gtk_widget_get_next_sibling (list_view);
      g_assert_nonnull (list_view);
      MS_GUI_AWAIT ((cell = cell_showing (list_view, pid_text)) != NULL
              && gtk_widget_compute_bounds (cell, list_view, &bounds)
              && bounds.origin.y >= -0.5, MS_GUI_WAIT_MS, "the view to settle");
      g_assert_nonnull (cell);
      g_assert_true (gtk_widget_compute_bounds (cell, list_view, &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, -0.5);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (list_view) + 0.5);
    }
    g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  }

  /* Moving the selection with j keeps the selected row in view. */
  gtk_single_selection_set_selected (selection, 0);
  gtk_adjustment_set_value (vadjustment, 0);
  for (guint i = 0; i < n - 1; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-selection", "i", 1));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, n - 1);
  /* The view scrolls to it once the list has laid itself out again. */
  MS_GUI_AWAIT (gtk_adjustment_get_value (vadjustment)
                + gtk_adjustment_get_page_size (vadjustment)
                >= gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_upper (vadjustment) / n,
                MS_GUI_WAIT_MS, "the last row in view");
  row_height = gtk_adjustment_get_upper (vadjustment) / n;
  top = (n - 1) * row_height;
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), <=, top + 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment)
                     + gtk_adjustment_get_page_size (vadjustment), >=, top + row_height - 1);
}

static void
test_background (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);

  /* Closing hides the window while sampling goes on; launching again brings it back. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window)));
  wait_ticks (2);
  g_application_activate (G_APPLICATION (app));
  g_assert_true (memscope_application_get_window (app) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
}

/* Runs the main loop until the window has painted a frame (the new order is laid out). */
static void
wait_frame (void)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (ms_gui_set_flag_cb),
                               &painted);

  gtk_widget_queue_draw (GTK_WIDGET (window));
  ms_gui_wait_for_flag (&painted, 10000, "a painted frame");
  g_signal_handler_disconnect (clock, id);
}

/* A sort change shows the start of the new order, wherever the view and the selection were:
 * by real keys (m twice reverses, with no warning from GTK, which would abort here), and by the
 * window's action. */
static void
test_sort_change_shows_start (void)
{
  GtkAdjustment *vadjustment = list_vadjustment ();
  GtkSingleSelection *selection = memscope_window_get_selection (window);
  guint n = n_visible ();
  gint32 first_by_pid;

  gtk_window_present (GTK_WINDOW (window));
  run_command ("xdotool search --onlyvisible --name ^memscope$ windowsize --sync %1 900 330");
  ms_gui_wait_until (scrollable_cb, NULL, 10000, "a list taller than its window");
  g_test_message ("window ready");

  /* From another order, m sorts by memory (largest first) and m again reverses it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "pid");
  wait_frame ();
  gtk_single_selection_set_selected (selection, n - 2);
  MS_GUI_AWAIT ((gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment)),
           gtk_adjustment_get_value (vadjustment) > 0), MS_GUI_WAIT_MS, "the view to settle");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  g_test_message ("scrolled to %.0f; m m", gtk_adjustment_get_value (vadjustment));
  ms_gui_type_keys (GTK_WIDGET (window), "m m");
  MS_GUI_AWAIT (memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, 0))
                < memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, n - 1))
                && gtk_adjustment_get_value (vadjustment) == 0,
                MS_GUI_WAIT_MS, "the reversed order shown from its start");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  /* Reversed: the smallest first (kernel threads, with nothing resident). */
  g_assert_cmpint (memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, 0)), <=,
                   memscope_process_row_get_rss_kib (memscope_window_get_row_at (window, n - 1)));

  wait_frame ();
  MS_GUI_AWAIT ((gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment)),
           gtk_adjustment_get_value (vadjustment) > 0), MS_GUI_WAIT_MS, "the view to settle");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "pid");
  MS_GUI_AWAIT (gtk_adjustment_get_value (vadjustment) == 0, MS_GUI_WAIT_MS, "the view to settle");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  first_by_pid = pid_at (0);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (pid_at (i), >, first_by_pid);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "memory");
}

/* A program whose executable has a 40-character name shows it in full, not the kernel's
 * 15-byte cut; the cut is still found by search. */
static gboolean
name_shown_cb (gpointer data)
{
  return cell_showing (GTK_WIDGET (window), data) != NULL;
}

static void
test_full_name_shown (void)
{
  const char *full = "photo-thumbnailer-for-the-whole-gallery1";
  g_autofree char *dir = g_build_filename (proc_root, "800", NULL);
  g_autofree char *command = g_strdup_printf ("cp -a %s/500 %s", proc_root, dir);
  g_autofree char *argv0 = g_strdup_printf ("/opt/gallery/bin/%s", full);
  g_autofree char *cmdline = g_strdup_printf ("%s%c--fast%c", argv0, 0, 0);
  g_autofree char *cmdline_path = g_build_filename (dir, "cmdline", NULL);
  g_autofree char *exe_path = g_build_filename (dir, "exe", NULL);

  g_assert_cmpuint (strlen (full), ==, 40);
  run_command (command);
  write_file ("800/stat", "800 (photo-thumbnail) S 1 800 800 0 -1 4194560 100 0 0 0 600 50 0 0 "
                          "20 0 1 0 70800 6291456 768 18446744073709551615 1 1 0 0 0 0 0 0 0 0 "
                          "0 0 17 0 0 0 0 0 0\n");
  g_assert_true (g_file_set_contents (cmdline_path, cmdline, (gssize) strlen (argv0) + 8, NULL));
  g_assert_cmpint (g_unlink (exe_path), ==, 0);
  g_assert_cmpint (symlink (argv0, exe_path), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "pid");
  ms_gui_wait_until (name_shown_cb, (gpointer) full, 10000, "the full name in the list");
  g_assert_null (cell_showing (GTK_WIDGET (window), "photo-thumbnail"));

  /* The process exits. */
  ms_test_remove_tree (dir);
  wait_ticks (2);
  g_assert_null (cell_showing (GTK_WIDGET (window), full));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "memory");
}

/* A made-up process: a copy of cron's directory with another pid, parent, comm, command line
 * and executable (none: another user's process, whose exe link cannot be read). */
static void
add_process (int         pid,
             int         ppid,
             const char *comm,
             const char *argv0,
             const char *exe)
{
  g_autofree char *dir = g_strdup_printf ("%s/%d", proc_root, pid);
  g_autofree char *command = g_strdup_printf ("cp -a %s/500 %s", proc_root, dir);
  g_autofree char *stat_path = g_strdup_printf ("%d/stat", pid);
  g_autofree char *stat = NULL;
  g_autofree char *cmdline_path = g_build_filename (dir, "cmdline", NULL);
  g_autofree char *exe_path = g_build_filename (dir, "exe", NULL);
  g_autofree char *cmdline = g_strdup_printf ("%s%c--fast%c", argv0, 0, 0);

  run_command (command);
  stat = g_strdup_printf ("%d (%s) S %d %d %d 0 -1 4194560 100 0 0 0 600 50 0 0 20 0 1 0 %d "
                          "6291456 768 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 "
                          "0 0\n", pid, comm, ppid, pid, pid, 70000 + pid);
  write_file (stat_path, stat);
  g_assert_true (g_file_set_contents (cmdline_path, cmdline, (gssize) strlen (argv0) + 8, NULL));
  g_assert_cmpint (g_unlink (exe_path), ==, 0);
  if (exe != NULL)
    g_assert_cmpint (symlink (exe, exe_path), ==, 0);
}

static MemscopeProcessRow *
listed_process (gint32 pid)
{
  for (guint i = 0; i < n_visible (); i++)
    {
      MemscopeProcessRow *row = memscope_window_get_row_at (window, i);

      if (!memscope_process_row_get_is_group (row) && memscope_process_row_get_pid (row) == pid)
        return row;
    }
  return NULL;
}

static MemscopeProcessRow *
listed_group_named (const char *name)
{
  for (guint i = 0; i < n_visible (); i++)
    {
      MemscopeProcessRow *row = memscope_window_get_row_at (window, i);

      if (memscope_process_row_get_is_group (row)
          && g_strcmp0 (memscope_process_row_get_name (row), name) == 0)
        return row;
    }
  return NULL;
}

static gboolean
thumbnailers_grouped_cb (gpointer data)
{
  const char *const *names = data;

  for (guint i = 0; names[i] != NULL; i++)
    if (listed_group_named (names[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
assert_shown_safely (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      g_assert_false (g_unichar_iscntrl (ch));
      g_assert_true (ch != 0x2028 && ch != 0x2029);
    }
}

static gboolean
showing_no_members_count (GtkWidget *widget)
{
  const char *text = ms_gui_shown_text (widget);

  if (text != NULL && g_str_has_suffix (text, " process"))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!showing_no_members_count (child))
      return FALSE;
  return TRUE;
}

/* Grouped, the list names each application: three programs whose kernel comm is the same
 * "photo-thumbnail" but whose full names differ are three groups under those names (not three
 * rows named after the executable they share); a process alone in its group is a plain row;
 * hostile names are shown on one line of valid text. */
static void
test_group_names (void)
{
  const char *full[] = { "photo-thumbnailer-one", "photo-thumbnailer-two",
                         "photo-thumbnailer-three", NULL };
  const int added[] = { 801, 802, 803, 811, 812, 813, 820, 821, 830, 831, 840, 841 };
  GtkEditable *search = memscope_window_get_search_entry (window);
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_autoptr(GString) long_name = g_string_new ("/opt/long/");
  g_autofree char *long_comm = NULL;
  MemscopeProcessRow *row, *evil, *lengthy, *bad;
  GtkWidget *long_cell, *short_cell;
  g_autoptr(GtkTreeListRow) tree_row = NULL;
  guint position = G_MAXUINT;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *argv0 = g_strdup_printf ("/opt/gallery/bin/%s", full[i]);

      add_process (801 + i, 1, "photo-thumbnail", argv0, "/opt/gallery/libexec/thumbnailer");
      add_process (811 + i, 801 + i, "thumb-worker", "/opt/gallery/libexec/thumbnailer",
                   "/opt/gallery/libexec/thumbnailer");
    }
  /* Hostile: a newline and an escape sequence; a name of 127 bytes cut inside a character;
   * bytes that are no UTF-8.  Two processes each, so each is a group. */
  add_process (820, 1, "evil\n\033[2J", "evil", "/opt/evil/bin/evil");
  add_process (821, 820, "evil\n\033[2J", "evil", "/opt/evil/bin/evil");
  while (long_name->len < 300)
    g_string_append (long_name, "\303\251"); /* é */
  long_comm = g_strndup (long_name->str + strlen ("/opt/long/"), 15);
  add_process (830, 1, long_comm, long_name->str, NULL);
  add_process (831, 1, long_comm, long_name->str, NULL);
  add_process (840, 1, "bad\377\376name", "bad", NULL);
  add_process (841, 1, "bad\377\376name", "bad", NULL);

  activate ("win.group-processes", NULL);
  g_assert_true (g_settings_get_boolean (settings, "group-processes"));
  ms_gui_wait_until (thumbnailers_grouped_cb, full, 10000, "the three thumbnailer groups");
  for (int i = 0; i < 3; i++)
    {
      row = listed_group_named (full[i]);
      g_assert_cmpuint (memscope_process_row_get_n_members (row), ==, 2);
      for (int j = 0; j < i; j++)
        g_assert_true (row != listed_group_named (full[j]));
    }
  g_assert_null (listed_group_named ("thumbnailer"));
  g_assert_null (listed_group_named ("photo-thumbnail"));
  /* On screen, by name. */
  gtk_editable_set_text (search, "photo-thumbnailer");
  MS_GUI_AWAIT (n_visible () == 3, MS_GUI_WAIT_MS, "the thumbnailers alone");
  for (int i = 0; i < 3; i++)
    ms_gui_wait_until (name_shown_cb, (gpointer) full[i], 10000, "a thumbnailer's name");
  gtk_editable_set_text (search, "");

  /* A group of one is a plain row: the process itself, its pid shown, no expander and no
   * "1 process". */
  row = listed_process (400);
  g_assert_nonnull (row);
  g_assert_cmpstr (memscope_process_row_get_name (row), ==, "leaky");
  for (guint i = 0; i < n_visible (); i++)
    if (memscope_window_get_row_at (window, i) == row)
      position = i;
  tree_row = g_list_model_get_item (G_LIST_MODEL (memscope_window_get_selection (window)),
                                    position);
  g_assert_false (gtk_tree_list_row_is_expandable (tree_row));
  gtk_editable_set_text (search, "leaky");
  MS_GUI_AWAIT (n_visible () == 1 && listed_process (400) != NULL, MS_GUI_WAIT_MS,
                "leaky alone");
  ms_gui_wait_until (name_shown_cb, (gpointer) "400", 10000, "leaky's pid");
  g_assert_true (showing_no_members_count (GTK_WIDGET (window)));
  gtk_editable_set_text (search, "");

  /* Hostile names: each its own group, named safely. */
  evil = bad = lengthy = NULL;
  for (guint i = 0; i < n_visible (); i++)
    {
      row = memscope_window_get_row_at (window, i);
      if (!memscope_process_row_get_is_group (row))
        continue;
      if (g_str_has_prefix (memscope_process_row_get_group_key (row), "tree:/opt/evil/"))
        evil = row;
      else if (g_str_has_prefix (memscope_process_row_get_group_key (row), "name:bad"))
        bad = row;
      else if (g_str_has_prefix (memscope_process_row_get_group_key (row), "name:\303\251"))
        lengthy = row;
    }
  g_assert_nonnull (evil);
  g_assert_nonnull (bad);
  g_assert_nonnull (lengthy);
  g_assert_cmpstr (memscope_process_row_get_name (evil), ==, "evil  [2J");
  assert_shown_safely (memscope_process_row_get_name (bad));
  g_assert_true (g_str_has_prefix (memscope_process_row_get_name (bad), "bad"));
  g_assert_true (g_str_has_suffix (memscope_process_row_get_name (bad), "name"));
  assert_shown_safely (memscope_process_row_get_name (lengthy));
  g_assert_cmpuint (memscope_process_row_get_n_members (lengthy), ==, 2);
  g_assert_cmpuint (strlen (memscope_process_row_get_name (lengthy)), <, MS_NAME_MAX + 3);

  /* On screen: one line, as high as any other name. */
  gtk_editable_set_text (search, "evil");
  ms_gui_wait_until (name_shown_cb, (gpointer) "evil  [2J", 10000, "the hostile name");
  gtk_editable_set_text (search, "\303\251\303\251\303\251");
  ms_gui_wait_until (name_shown_cb, (gpointer) memscope_process_row_get_name (lengthy), 10000,
                     "the long name");
  long_cell = cell_showing (GTK_WIDGET (window), memscope_process_row_get_name (lengthy));
  gtk_editable_set_text (search, "");
  MS_GUI_AWAIT (cell_showing (GTK_WIDGET (window), "postgres") != NULL, MS_GUI_WAIT_MS,
                "the whole list");
  short_cell = cell_showing (GTK_WIDGET (window), "postgres");
  g_assert_nonnull (long_cell);
  g_assert_nonnull (short_cell);
  g_assert_cmpint (gtk_widget_get_height (long_cell), ==, gtk_widget_get_height (short_cell));

  /* The selected plain row gains a helper of its executable: it becomes a group, and the
   * selection goes with it; when the helper exits, back to the process. */
  row = listed_process (400);
  g_assert_true (memscope_window_select_row (window, row));
  add_process (850, 400, "leaky-helper", "./leaky", "/home/alice/bin/leaky");
  MS_GUI_AWAIT (listed_process (400) == NULL, MS_GUI_WAIT_MS, "leaky's group");
  g_assert_nonnull (memscope_window_get_selected_row (window));
  g_assert_true (memscope_process_row_get_is_group (memscope_window_get_selected_row (window)));
  g_assert_cmpstr (memscope_process_row_get_name (memscope_window_get_selected_row (window)), ==,
                   "leaky");
  g_assert_cmpuint (memscope_process_row_get_n_members (memscope_window_get_selected_row (window)),
                    ==, 2);
  {
    g_autofree char *dir = g_build_filename (proc_root, "850", NULL);

    ms_test_remove_tree (dir);
  }
  MS_GUI_AWAIT (listed_process (400) != NULL, MS_GUI_WAIT_MS, "leaky alone again");
  g_assert_true (memscope_window_get_selected_row (window) == row);

  /* They exit. */
  for (guint i = 0; i < G_N_ELEMENTS (added); i++)
    {
      g_autofree char *name = g_strdup_printf ("%d", added[i]);
      g_autofree char *dir = g_build_filename (proc_root, name, NULL);

      ms_test_remove_tree (dir);
    }
  activate ("win.group-processes", NULL);
  MS_GUI_AWAIT (n_visible () == N_FIXTURE_PROCS, MS_GUI_WAIT_MS, "the flat list again");
}

/* Kernel threads are hidden behind the Filter menu's entry (a setting, so it persists). */
static gboolean
kthreadd_listed (void)
{
  for (guint i = 0; i < n_visible (); i++)
    if (pid_at (i) == 2)
      return TRUE;
  return FALSE;
}

static void
test_kernel_threads_filter (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  guint n = n_visible ();

  g_assert_true (g_settings_get_boolean (settings, "show-kernel-threads"));
  g_assert_true (kthreadd_listed ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-kernel-threads", NULL);
  g_assert_false (g_settings_get_boolean (settings, "show-kernel-threads"));
  MS_GUI_AWAIT (!kthreadd_listed (), MS_GUI_WAIT_MS, "the view to settle");
  g_assert_false (kthreadd_listed ());
  g_assert_cmpuint (n_visible (), ==, n - 1);
  wait_ticks (2);
  g_assert_false (kthreadd_listed ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-kernel-threads", NULL);
  MS_GUI_AWAIT (kthreadd_listed (), MS_GUI_WAIT_MS, "the view to settle");
  g_assert_true (kthreadd_listed ());
}

static gboolean
inspected_is (gint32 pid)
{
  MemscopeProcessRow *row = memscope_window_get_inspected_row (window);

  return row != NULL && memscope_process_row_get_pid (row) == pid;
}

/* Borrowed, like the window's other rows. */
static MemscopeProcessRow *
focused_row (void)
{
  g_autoptr(MemscopeProcessRow) row = NULL;

  g_object_get (window, "focused-row", &row, NULL);
  return row;
}

/* Takes a fixture process out of the tree (it exits) or puts it back (it starts again). */
static void
hide_process (const char *pid,
              gboolean    hidden)
{
  g_autofree char *shown = g_build_filename (proc_root, pid, NULL);
  g_autofree char *hidden_name = g_strconcat ("hidden-", pid, NULL);
  g_autofree char *away = g_build_filename (proc_root, hidden_name, NULL);

  if (hidden)
    g_assert_cmpint (g_rename (shown, away), ==, 0);
  else
    g_assert_cmpint (g_rename (away, shown), ==, 0);
}

static void
inspect_process (gint32  pid,
                 guint64 starttime)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect-process", "(it)",
                                             pid, starttime));
}

/* win.inspect-process, what notifications, the tray and the timeline ask with: a process not
 * listed yet is inspected once it is; one that stays away is given up after a few snapshots; a
 * process id that cannot be does nothing. */
static void
test_inspect_process_action (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  MemscopeProcessModel *model = memscope_window_get_model (window);
  const guint64 editor_start = 4000 * 100;
  MemscopeProcessRow *editor;
  guint selected;

  g_settings_set_boolean (settings, "group-processes", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);
  MS_GUI_AWAIT (memscope_process_model_lookup (model, 300, editor_start) != NULL
                && n_visible () == N_FIXTURE_PROCS, MS_GUI_WAIT_MS, "the plain list");
  g_assert_null (memscope_window_get_inspected_row (window));

  /* Listed: inspected at once, and selected. */
  inspect_process (300, editor_start);
  editor = memscope_window_get_inspected_row (window);
  g_assert_nonnull (editor);
  g_assert_cmpint (memscope_process_row_get_pid (editor), ==, 300);
  g_assert_true (memscope_window_get_selected_row (window) == editor);
  /* Alerts spare the process the user is looking at: the window says which one that is. */
  g_assert_true (focused_row () == (gtk_window_is_active (GTK_WINDOW (window)) ? editor : NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);
  g_assert_null (memscope_window_get_inspected_row (window));
  g_assert_null (focused_row ());

  /* No such process id: nothing is selected or inspected, now or later. */
  selected = selected_position ();
  inspect_process (0, editor_start);
  inspect_process (-300, editor_start);
  wait_ticks (1);
  g_assert_null (memscope_window_get_inspected_row (window));
  g_assert_cmpuint (selected_position (), ==, selected);

  /* Not listed yet: pending until it is. */
  hide_process ("300", TRUE);
  MS_GUI_AWAIT (memscope_process_model_lookup (model, 300, editor_start) == NULL,
                MS_GUI_WAIT_MS, "the process to exit");
  inspect_process (300, editor_start);
  g_assert_null (memscope_window_get_inspected_row (window));
  wait_ticks (2);
  g_assert_null (memscope_window_get_inspected_row (window));
  hide_process ("300", FALSE);
  MS_GUI_AWAIT (inspected_is (300), MS_GUI_WAIT_MS, "the pending process to be inspected");
  g_assert_true (memscope_window_get_selected_row (window)
                 == memscope_window_get_inspected_row (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);

  /* Away for longer than the window waits: given up, and not inspected when it comes back. */
  hide_process ("300", TRUE);
  MS_GUI_AWAIT (memscope_process_model_lookup (model, 300, editor_start) == NULL,
                MS_GUI_WAIT_MS, "the process to exit");
  inspect_process (300, editor_start);
  wait_ticks (6);
  g_assert_null (memscope_window_get_inspected_row (window));
  hide_process ("300", FALSE);
  MS_GUI_AWAIT (memscope_process_model_lookup (model, 300, editor_start) != NULL,
                MS_GUI_WAIT_MS, "the process to come back");
  wait_ticks (2);
  g_assert_null (memscope_window_get_inspected_row (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture = NULL;
  g_autofree char *command = NULL;
  g_autofree char *passwd = NULL;
  g_autofree char *data_home = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  /* The fixture browser's desktop file, where GIO looks for applications (set before anything
   * asks GLib for its data directories: it remembers them). */
  data_home = g_dir_make_tmp ("memscope-data-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
    g_autofree char *desktop = g_build_filename (applications, "org.mozilla.firefox.desktop", NULL);

    g_assert_cmpint (g_mkdir_with_parents (applications, 0755), ==, 0);
    g_assert_true (g_file_set_contents (desktop,
                                        "[Desktop Entry]\nType=Application\nName=Firefox\n"
                                        "Exec=true\nIcon=firefox\n", -1, NULL));
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }

  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);
  fixture_name = g_strdup (argc > 1 ? argv[1] : "proc-v2");

  /* A copy of the fixture that the test may change between ticks. */
  proc_root = g_dir_make_tmp ("memscope-proc-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *relative = g_build_filename ("app", fixture_name, NULL);

    fixture = ms_test_data_path (relative);
  }
  {
    g_autofree char *from = g_strconcat (fixture, "/.", NULL);
    g_autofree char *quoted_from = g_shell_quote (from);
    g_autofree char *quoted_to = g_shell_quote (proc_root);

    command = g_strdup_printf ("cp -a %s %s", quoted_from, quoted_to);
  }
  run_command (command);
  passwd = ms_test_data_path ("app/passwd");
  g_setenv ("MEMSCOPE_PROC_ROOT", proc_root, TRUE);
  g_setenv ("MEMSCOPE_PASSWD", passwd, TRUE);
  g_setenv ("MEMSCOPE_SYS_ROOT", proc_root, TRUE);


  settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_set_uint (settings, "refresh-interval-ms", 250);
  /* The fixture's counts include its kernel thread, which the list hides by default. */
  g_settings_set_boolean (settings, "show-kernel-threads", TRUE);

  start_portal ();
  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  g_application_activate (G_APPLICATION (app));
  window = MEMSCOPE_WINDOW (memscope_application_get_window (app));
  g_assert_nonnull (window);
  g_signal_connect (memscope_window_get_model (window), "applied", G_CALLBACK (applied_cb), NULL);

  /* The cgroup v1 fixture differs from v2 only in its cgroups (how processes group into
   * applications) and its missing pressure files: there only the tests those change run. */
  g_test_add_func ("/window/maps-and-shows-rows", test_maps_and_shows_rows);
  g_test_add_func ("/window/render-not-blank", test_render_not_blank);
  g_test_add_func ("/window/group-toggle", test_group_toggle);
  g_test_add_func ("/window/group-names", test_group_names);
  if (g_strcmp0 (fixture_name, "proc-v1") != 0)
    {
      g_test_add_func ("/window/rows-kept-across-ticks", test_rows_kept_across_ticks);
      g_test_add_func ("/window/app-icon", test_app_icon);
      g_test_add_func ("/window/portal-color-scheme", test_portal_color_scheme);
      g_test_add_func ("/window/columns-persist", test_columns_persist);
      g_test_add_func ("/window/sort-keys", test_sort_keys);
      g_test_add_func ("/window/search", test_search);
      g_test_add_func ("/window/selection-follows-process", test_selection_follows_process);
      g_test_add_func ("/window/space-resets-baseline", test_space_resets_baseline);
      g_test_add_func ("/window/undo-reset", test_undo_reset);
      g_test_add_func ("/window/real-keys", test_real_keys);
      g_test_add_func ("/window/pause", test_pause);
      g_test_add_func ("/window/scroll-stays-and-follows", test_scroll_stays_and_follows);
      g_test_add_func ("/window/background", test_background);
      g_test_add_func ("/window/sort-change-shows-start", test_sort_change_shows_start);
      g_test_add_func ("/window/full-name-shown", test_full_name_shown);
      g_test_add_func ("/window/kernel-threads-filter", test_kernel_threads_filter);
      g_test_add_func ("/window/filter-shown", test_filter_shown);
      g_test_add_func ("/window/inspect-process-action", test_inspect_process_action);
    }

  rc = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_application_quit (G_APPLICATION (app));
  g_object_unref (app);
  g_clear_object (&portal_bus);
  ms_test_remove_tree (proc_root);
  ms_test_remove_tree (data_home);
  g_free (proc_root);
  g_free (fixture_name);
  return rc;
}
