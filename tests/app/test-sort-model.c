/* SPDX-License-Identifier: MIT */
/* The sorted view of the process list: sorted, and re-sorted with as few changes as possible. */

#include "config.h"

#include <gtk/gtk.h>

#include "memscope-sort-model.h"

#define N_ITEMS 100

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static int
value_of (gconstpointer item)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "value"));
}

static void
set_value (GObject *item,
           int      value)
{
  g_object_set_data (item, "value", GINT_TO_POINTER (value));
}

static int
compare_values (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  int va = value_of (a);
  int vb = value_of (b);

  return (va > vb) - (va < vb);
}

static void
record_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_sorted (GListModel *model,
               guint       n)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(GObject) b = g_list_model_get_item (model, i);

      g_assert_cmpint (value_of (a), <=, value_of (b));
    }
}

/* Applies a change to a copy of the list, as a list view would. */
static void
follow_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           GPtrArray  *shadow)
{
  g_ptr_array_remove_range (shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (shadow, (int) (position + i), g_list_model_get_item (model, position + i));
}

static void
assert_same (GListModel *model,
             GPtrArray  *shadow)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, shadow->len);
  for (guint i = 0; i < shadow->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (shadow, i));
    }
}

static GObject *
item_at (GListModel *model,
         guint       position)
{
  GObject *item = g_list_model_get_item (model, position);

  g_object_unref (item); /* the model keeps it */
  return item;
}

typedef struct
{
  GListStore *store;
  GtkSorter *sorter;
  MemscopeSortModel *sorted;
  GArray *changes;
} Fixture;

/* N_ITEMS items valued 0, 10, 20, ... in reverse store order. */
static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->store = g_list_store_new (G_TYPE_OBJECT);
  for (int i = N_ITEMS - 1; i >= 0; i--)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      set_value (item, i * 10);
      g_list_store_append (f->store, item);
    }
  f->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_values, NULL, NULL));
  f->sorted = memscope_sort_model_new (G_LIST_MODEL (f->store), f->sorter);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_signal_connect (f->sorted, "items-changed", G_CALLBACK (record_cb), f->changes);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_object_unref (f->sorted);
  g_object_unref (f->sorter);
  g_object_unref (f->store);
  g_array_unref (f->changes);
}

static Change *
change_at (Fixture *f,
           guint    i)
{
  return &g_array_index (f->changes, Change, i);
}

static void
test_initial_order (Fixture      *f,
                    gconstpointer data)
{
  assert_sorted (G_LIST_MODEL (f->sorted), N_ITEMS);
  g_assert_cmpuint (memscope_sort_model_refresh (f->sorted), ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* One value moves far down the order: one removal and one insertion, nothing else touched. */
static void
test_one_move_is_two_changes (Fixture      *f,
                              gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);
  GObject *item = item_at (model, 1);

  set_value (item, 805);
  g_assert_cmpuint (memscope_sort_model_refresh (f->sorted), ==, 1);
  assert_sorted (model, N_ITEMS);
  g_assert_true (item_at (model, 80) == item);
  g_assert_cmpuint (f->changes->len, ==, 2);
  g_assert_cmpuint (change_at (f, 0)->position, ==, 1);
  g_assert_cmpuint (change_at (f, 0)->removed, ==, 1);
  g_assert_cmpuint (change_at (f, 0)->added, ==, 0);
  g_assert_cmpuint (change_at (f, 1)->position, ==, 80);
  g_assert_cmpuint (change_at (f, 1)->removed, ==, 0);
  g_assert_cmpuint (change_at (f, 1)->added, ==, 1);

  /* Neighbours swapping: still one item moves. */
  g_array_set_size (f->changes, 0);
  set_value (item_at (model, 10), 125); /* 110 passes 120 */
  g_assert_cmpuint (memscope_sort_model_refresh (f->sorted), ==, 1);
  assert_sorted (model, N_ITEMS);
  g_assert_cmpuint (f->changes->len, ==, 2);
}

/* Equal values keep the order they have: a tie is never a reason to move. */
static void
test_ties_stay (Fixture      *f,
                gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);
  GObject *before[N_ITEMS];

  for (guint i = 0; i < N_ITEMS; i++)
    {
      before[i] = item_at (model, i);
      set_value (before[i], 7);
    }
  g_assert_cmpuint (memscope_sort_model_refresh (f->sorted), ==, 0);
  for (guint i = 0; i < N_ITEMS; i++)
    g_assert_true (item_at (model, i) == before[i]);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* Everything reversed: one change for the whole list instead of a hundred moves. */
static void
test_many_moves_are_one_change (Fixture      *f,
                                gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);

  for (guint i = 0; i < N_ITEMS; i++)
    set_value (item_at (model, i), -(int) i);
  g_assert_cmpuint (memscope_sort_model_refresh (f->sorted), >, 24);
  assert_sorted (model, N_ITEMS);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (change_at (f, 0)->position, ==, 0);
  g_assert_cmpuint (change_at (f, 0)->removed, ==, N_ITEMS);
  g_assert_cmpuint (change_at (f, 0)->added, ==, N_ITEMS);
}

/* Items arriving and leaving in the model land in their places, one change per splice. */
static void
test_model_changes (Fixture      *f,
                    gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);
  g_autoptr(GObject) newcomer = g_object_new (G_TYPE_OBJECT, NULL);

  set_value (newcomer, 55);
  g_list_store_append (f->store, newcomer);
  assert_sorted (model, N_ITEMS + 1);
  g_assert_true (item_at (model, 6) == newcomer);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (change_at (f, 0)->position, ==, 6);
  g_assert_cmpuint (change_at (f, 0)->added, ==, 1);

  /* The store's first three (values 990, 980, 970) leave: one run at the end of the order. */
  g_array_set_size (f->changes, 0);
  g_list_store_splice (f->store, 0, 3, NULL, 0);
  assert_sorted (model, N_ITEMS - 2);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (change_at (f, 0)->position, ==, N_ITEMS - 2);
  g_assert_cmpuint (change_at (f, 0)->removed, ==, 3);

  /* A new model: sorted from scratch. */
  g_array_set_size (f->changes, 0);
  memscope_sort_model_set_model (f->sorted, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  memscope_sort_model_set_model (f->sorted, G_LIST_MODEL (f->store));
  assert_sorted (model, N_ITEMS - 2);
}

/* Items arriving at scattered places in one splice, and leaving from scattered places in another:
 * one change each, spanning what moved, and a copy that follows the changes stays equal. */
static void
test_scattered_changes_are_one_change (Fixture      *f,
                                       gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);
  g_autoptr(GPtrArray) shadow = g_ptr_array_new_with_free_func (g_object_unref);
  GObject *newcomers[3];
  int values[3] = { 15, 455, 905 };

  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (shadow, g_list_model_get_item (model, i));
  g_signal_connect (f->sorted, "items-changed", G_CALLBACK (follow_cb), shadow);

  for (guint i = 0; i < 3; i++)
    {
      newcomers[i] = g_object_new (G_TYPE_OBJECT, NULL);
      set_value (newcomers[i], values[i]);
    }
  g_list_store_splice (f->store, N_ITEMS, 0, (gpointer *) newcomers, 3);
  assert_sorted (model, N_ITEMS + 3);
  g_assert_cmpuint (f->changes->len, ==, 1);
  /* From where 15 lands (after 0 and 10) to where 905 lands. */
  g_assert_cmpuint (change_at (f, 0)->position, ==, 2);
  g_assert_cmpuint (change_at (f, 0)->added, ==, change_at (f, 0)->removed + 3);
  assert_same (model, shadow);

  /* The store's items at 50..52 (values 490..470) and the newcomers leave in two splices. */
  g_array_set_size (f->changes, 0);
  g_list_store_splice (f->store, N_ITEMS, 3, NULL, 0);
  g_list_store_splice (f->store, 50, 3, NULL, 0);
  assert_sorted (model, N_ITEMS - 3);
  g_assert_cmpuint (f->changes->len, ==, 2);
  assert_same (model, shadow);

  for (guint i = 0; i < 3; i++)
    g_object_unref (newcomers[i]);
  g_signal_handlers_disconnect_by_func (f->sorted, follow_cb, shadow);
}

/* The user picks another order: everything is sorted again. */
static void
test_sorter_change (Fixture      *f,
                    gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->sorted);

  for (guint i = 0; i < N_ITEMS; i++)
    set_value (item_at (model, i), 1000 - (int) i);
  /* The sorter says its order changed (a column header was clicked). */
  gtk_sorter_changed (f->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  assert_sorted (model, N_ITEMS);
  g_assert_cmpuint (f->changes->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sort-model/initial-order", Fixture, NULL, fixture_set_up, test_initial_order,
              fixture_tear_down);
  g_test_add ("/sort-model/one-move-is-two-changes", Fixture, NULL, fixture_set_up,
              test_one_move_is_two_changes, fixture_tear_down);
  g_test_add ("/sort-model/ties-stay", Fixture, NULL, fixture_set_up, test_ties_stay,
              fixture_tear_down);
  g_test_add ("/sort-model/many-moves-are-one-change", Fixture, NULL, fixture_set_up,
              test_many_moves_are_one_change, fixture_tear_down);
  g_test_add ("/sort-model/model-changes", Fixture, NULL, fixture_set_up, test_model_changes,
              fixture_tear_down);
  g_test_add ("/sort-model/scattered-changes-are-one-change", Fixture, NULL, fixture_set_up,
              test_scattered_changes_are_one_change, fixture_tear_down);
  g_test_add ("/sort-model/sorter-change", Fixture, NULL, fixture_set_up, test_sorter_change,
              fixture_tear_down);
  return g_test_run ();
}
