/* SPDX-License-Identifier: MIT */
/* Prints how long the main thread takes to apply a snapshot of 2,000 processes to the model. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "memscope-process-model.h"

#define N_PROCS 2000
#define N_ROUNDS 200

static void
fill (ms_proc_t *procs,
      guint      round)
{
  for (guint i = 0; i < N_PROCS; i++)
    {
      ms_proc_t *p = &procs[i];

      memset (p, 0, sizeof *p);
      /* A few processes are replaced every round, as on a busy desktop. */
      p->pid = (gint32) (100 + i + (i % 100 == 0 ? round * N_PROCS : 0));
      p->starttime = 1000 + (guint64) i + (i % 100 == 0 ? round : 0);
      p->state = 'S';
      p->uid = 1000;
      p->threads = 4;
      g_snprintf (p->comm, sizeof p->comm, "proc-%u", i);
      g_snprintf (p->user, sizeof p->user, "alice");
      g_snprintf (p->group, sizeof p->group, "name:group-%u", i % 150);
      g_snprintf (p->cmdline, sizeof p->cmdline, "/usr/bin/proc-%u --option value", i);
      p->rss_kib = 10000 + i * 10 + (gint64) ((round * 7 + i) % 13) * 4;
      p->pss_kib = i % 3 == 0 ? MS_UNKNOWN_KIB : p->rss_kib / 2;
      p->swap_kib = 0;
      p->footprint_kib = p->rss_kib;
      p->baseline_kib = 10000 + i * 10;
      p->delta_kib = p->footprint_kib - p->baseline_kib;
      p->cpu_pct = (double) ((round + i) % 50) / 10.0;
      p->start_unix = 1.7e9 + i;
    }
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  GListStore *members = memscope_process_row_get_members (item);

  return members != NULL ? G_LIST_MODEL (g_object_ref (members)) : NULL;
}

/* The whole main-thread update as the window does it: the model, then one resort of the list
 * (tree rows, sorted by memory) and one refilter. */
static void
run_view (gboolean grouping)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  g_autofree ms_proc_t *procs = g_new0 (ms_proc_t, N_PROCS);
  GtkExpression *expression = gtk_property_expression_new (MEMSCOPE_TYPE_PROCESS_ROW, NULL,
                                                           "rss-kib");
  g_autoptr(GtkSorter) numeric = GTK_SORTER (gtk_numeric_sorter_new (expression));
  g_autoptr(GtkTreeListRowSorter) row_sorter = NULL;
  g_autoptr(GtkTreeListModel) tree = NULL;
  g_autoptr(GtkSortListModel) sorted = NULL;
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autoptr(GtkCustomFilter) filter = gtk_custom_filter_new (NULL, NULL, NULL);
  double total_s = 0, worst_s = 0;
  GListModel *root;

  gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (numeric), GTK_SORT_DESCENDING);
  row_sorter = gtk_tree_list_row_sorter_new (g_object_ref (numeric));
  memscope_process_model_set_grouping (model, grouping);
  root = grouping ? memscope_process_model_get_groups (model)
                  : memscope_process_model_get_processes (model);
  tree = gtk_tree_list_model_new (g_object_ref (root), FALSE, FALSE, create_children_cb,
                                  NULL, NULL);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (tree)),
                                    g_object_ref (GTK_SORTER (row_sorter)));
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (sorted)),
                                        g_object_ref (GTK_FILTER (filter)));

  for (guint round = 1; round <= N_ROUNDS; round++)
    {
      ms_snapshot_t snap = { 0 };
      g_autoptr(MemscopeSnapshot) copy = NULL;
      gint64 start;
      double took_s;

      fill (procs, round);
      snap.time_s = round;
      snap.n_procs = N_PROCS;
      snap.procs = procs;
      copy = memscope_snapshot_new_copy (&snap, round);

      start = g_get_monotonic_time ();
      memscope_process_model_apply (model, copy);
      gtk_sorter_changed (GTK_SORTER (row_sorter), GTK_SORTER_CHANGE_DIFFERENT);
      gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
      took_s = (g_get_monotonic_time () - start) / 1e6;
      if (round > 1)
        {
          total_s += took_s;
          worst_s = MAX (worst_s, took_s);
        }
      else
        g_print ("first apply + sort (creates %d rows%s): %.2f ms\n", N_PROCS,
                 grouping ? ", grouped" : "", took_s * 1e3);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), >, 0);
  g_print ("apply + resort + refilter of %d processes%s: mean %.3f ms, worst %.3f ms "
           "over %d rounds\n", N_PROCS, grouping ? " (grouped)" : "",
           total_s / (N_ROUNDS - 1) * 1e3, worst_s * 1e3, N_ROUNDS - 1);
}

static void
run (gboolean grouping)
{
  g_autoptr(MemscopeProcessModel) model = memscope_process_model_new ();
  g_autofree ms_proc_t *procs = g_new0 (ms_proc_t, N_PROCS);
  double total_s = 0, worst_s = 0;

  memscope_process_model_set_grouping (model, grouping);
  for (guint round = 1; round <= N_ROUNDS; round++)
    {
      ms_snapshot_t snap = { 0 };
      g_autoptr(MemscopeSnapshot) copy = NULL;
      gint64 start;
      double took_s;

      fill (procs, round);
      snap.time_s = round;
      snap.n_procs = N_PROCS;
      snap.procs = procs;
      copy = memscope_snapshot_new_copy (&snap, round);

      start = g_get_monotonic_time ();
      memscope_process_model_apply (model, copy);
      took_s = (g_get_monotonic_time () - start) / 1e6;
      /* The first apply creates every row; the steady state is what runs each second. */
      if (round > 1)
        {
          total_s += took_s;
          worst_s = MAX (worst_s, took_s);
        }
      else
        g_print ("first apply (creates %d rows%s): %.2f ms\n", N_PROCS,
                 grouping ? ", grouped" : "", took_s * 1e3);
    }
  g_print ("steady apply of %d processes%s: mean %.3f ms, worst %.3f ms over %d rounds\n",
           N_PROCS, grouping ? " (grouped)" : "", total_s / (N_ROUNDS - 1) * 1e3,
           worst_s * 1e3, N_ROUNDS - 1);
}

int
main (int   argc,
      char *argv[])
{
  run (FALSE);
  run (TRUE);
  run_view (FALSE);
  run_view (TRUE);
  return 0;
}
