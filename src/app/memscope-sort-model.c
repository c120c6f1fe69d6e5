/* SPDX-License-Identifier: MIT */
/* A sorted view of a list model that re-sorts on demand by moving only the items that are out of
 * place.  GtkSortListModel announces every item as changed whenever it re-sorts, and GTK 4.8's list
 * views then build all their row widgets again: with values that change every second that was most
 * of what an idle window cost. */

#include "config.h"

#include "memscope-sort-model.h"

/* Above this many moves one "everything changed" is cheaper than many small changes. */
#define MAX_SINGLE_MOVES 24

struct _MemscopeSortModel
{
  GObject parent_instance;

  /* owned */
  GListModel *model;
  GtkSorter *sorter;
  GPtrArray *source; /* the model's items, in its order */
  GPtrArray *sorted; /* the same items, in ours */
};

static void memscope_sort_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MemscopeSortModel, memscope_sort_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      memscope_sort_model_list_model_init))

static GType
memscope_sort_model_get_item_type (GListModel *list)
{
  MemscopeSortModel *self = MEMSCOPE_SORT_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
memscope_sort_model_get_n_items (GListModel *list)
{
  return MEMSCOPE_SORT_MODEL (list)->sorted->len;
}

static gpointer
memscope_sort_model_get_item (GListModel *list,
                              guint       position)
{
  MemscopeSortModel *self = MEMSCOPE_SORT_MODEL (list);

  if (position >= self->sorted->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->sorted, position));
}

static void
memscope_sort_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = memscope_sort_model_get_item_type;
  iface->get_n_items = memscope_sort_model_get_n_items;
  iface->get_item = memscope_sort_model_get_item;
}

static int
compare_items (MemscopeSortModel *self,
               gpointer           a,
               gpointer           b)
{
  return self->sorter != NULL ? gtk_sorter_compare (self->sorter, a, b) : GTK_ORDERING_EQUAL;
}

typedef struct
{
  MemscopeSortModel *self;
  gpointer *items;
} IndexOrder;

/* Stable: equal items keep the order they have in `items`. */
static int
compare_indices (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const IndexOrder *order = data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;
  int result = compare_items (order->self, order->items[ia], order->items[ib]);

  if (result != 0)
    return result;
  return ia < ib ? -1 : ia > ib;
}

/* Positions into `items` in sorted order (g_free the result). */
static guint *
sorted_indices (MemscopeSortModel *self,
                GPtrArray         *items)
{
  IndexOrder order = { self, items->pdata };
  guint *indices = g_new (guint, MAX (items->len, 1));

  for (guint i = 0; i < items->len; i++)
    indices[i] = i;
  g_qsort_with_data (indices, (int) items->len, sizeof (guint), compare_indices, &order);
  return indices;
}

/* Sorts everything again from the model's order and says so with one change. */
static void
resort_all (MemscopeSortModel *self)
{
  guint n_before = self->sorted->len;
  g_autofree guint *indices = sorted_indices (self, self->source);

  g_ptr_array_set_size (self->sorted, 0);
  for (guint i = 0; i < self->source->len; i++)
    g_ptr_array_add (self->sorted, g_object_ref (g_ptr_array_index (self->source, indices[i])));
  if (n_before > 0 || self->sorted->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_before, self->sorted->len);
}

/* Where item goes among the sorted items: after every item that is not larger. */
static guint
insertion_point (MemscopeSortModel *self,
                 gpointer           item)
{
  guint low = 0;
  guint high = self->sorted->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_items (self, g_ptr_array_index (self->sorted, mid), item) == GTK_ORDERING_LARGER)
        high = mid;
      else
        low = mid + 1;
    }
  return low;
}

static gpointer
ref_item (gconstpointer item,
          gpointer      data)
{
  return g_object_ref ((gpointer) item);
}

/* Removes from `sorted` the items `gone` counts (announced by the caller). */
static void
remove_items (MemscopeSortModel *self,
              GHashTable        *gone)
{
  guint run_end = 0;
  guint run_len = 0;

  /* Backwards, so the positions still to visit do not shift. */
  for (guint i = self->sorted->len; i-- > 0;)
    {
      gpointer item = g_ptr_array_index (self->sorted, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (gone, item));

      if (count > 0)
        {
          g_hash_table_insert (gone, item, GUINT_TO_POINTER (count - 1));
          if (run_len == 0)
            run_end = i + 1;
          run_len++;
          continue;
        }
      if (run_len > 0)
        {
          g_ptr_array_remove_range (self->sorted, run_end - run_len, run_len);
          run_len = 0;
        }
    }
  if (run_len > 0)
    g_ptr_array_remove_range (self->sorted, run_end - run_len, run_len);
}

/* Announces, as one change, the span between the first and the last position where `sorted`
 * differs from `before`.  Processes that come and go arrive as several runs in one tick; a list
 * view redoes its visible rows for every change it hears of, so it hears one. */
static void
announce_span (MemscopeSortModel *self,
               GPtrArray         *before)
{
  guint n_old = before->len;
  guint n_new = self->sorted->len;
  guint head = 0;
  guint tail = 0;

  while (head < n_old && head < n_new
         && g_ptr_array_index (before, head) == g_ptr_array_index (self->sorted, head))
    head++;
  while (tail < n_old - head && tail < n_new - head
         && g_ptr_array_index (before, n_old - 1 - tail)
            == g_ptr_array_index (self->sorted, n_new - 1 - tail))
    tail++;
  if (n_old - head - tail > 0 || n_new - head - tail > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), head, n_old - head - tail,
                                n_new - head - tail);
}

static void
items_changed_cb (MemscopeSortModel *self,
                  guint              position,
                  guint              removed,
                  guint              added,
                  GListModel        *model)
{
  g_autoptr(GHashTable) gone = NULL;
  /* A first fill arrives as one change, as a list view expects of a model that just got its
   * items: one by one, each would move the rows already shown. */
  gboolean small = removed + added <= MAX_SINGLE_MOVES && self->sorted->len > 0;
  /* Holds its items, so a new item at a freed one's address cannot look unchanged. */
  g_autoptr(GPtrArray) before = NULL;

  if (small)
    before = g_ptr_array_copy (self->sorted, ref_item, NULL);
  if (before != NULL)
    g_ptr_array_set_free_func (before, g_object_unref);

  if (small && removed > 0)
    {
      gone = g_hash_table_new (NULL, NULL);
      for (guint i = position; i < position + removed; i++)
        {
          gpointer item = g_ptr_array_index (self->source, i);

          g_hash_table_insert (gone, item,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (gone, item))
                                                 + 1));
        }
      remove_items (self, gone);
    }

  g_ptr_array_remove_range (self->source, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (self->source, (int) (position + i), g_list_model_get_item (model, position + i));

  if (!small)
    {
      resort_all (self);
      return;
    }
  for (guint i = 0; i < added; i++)
    {
      gpointer item = g_ptr_array_index (self->source, position + i);
      guint at = insertion_point (self, item);

      g_ptr_array_insert (self->sorted, (int) at, g_object_ref (item));
    }
  announce_span (self, before);
}

static void
sorter_changed_cb (MemscopeSortModel *self)
{
  resort_all (self);
}

guint
memscope_sort_model_refresh (MemscopeSortModel *self)
{
  guint n;
  guint i;
  guint n_kept = 0;
  guint n_moved;
  g_autofree guint *target = NULL;  /* target[k]: current position of the k-th item */
  g_autofree guint *tails = NULL;   /* patience sorting of target: ends of increasing runs */
  g_autofree guint *previous = NULL;
  g_autofree gboolean *kept = NULL; /* by target position */
  g_autofree gboolean *moving = NULL; /* by current position */
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (MEMSCOPE_IS_SORT_MODEL (self), 0);

  n = self->sorted->len;
  for (i = 1; i < n; i++)
    if (compare_items (self, g_ptr_array_index (self->sorted, i - 1),
                       g_ptr_array_index (self->sorted, i)) == GTK_ORDERING_LARGER)
      break;
  if (i >= n)
    return 0;

  /* Equal items keep their current order, so nothing moves without a reason. */
  target = sorted_indices (self, self->sorted);

  /* The items that stay are a longest increasing run of current positions in target order;
   * every other item moves once. */
  tails = g_new (guint, n);
  previous = g_new (guint, n);
  for (guint k = 0; k < n; k++)
    {
      guint low = 0;
      guint high = n_kept;

      while (low < high)
        {
          guint mid = low + (high - low) / 2;

          if (target[tails[mid]] < target[k])
            low = mid + 1;
          else
            high = mid;
        }
      previous[k] = low > 0 ? tails[low - 1] : G_MAXUINT;
      tails[low] = k;
      if (low == n_kept)
        n_kept++;
    }
  kept = g_new0 (gboolean, n);
  for (guint k = tails[n_kept - 1]; k != G_MAXUINT; k = previous[k])
    kept[k] = TRUE;
  n_moved = n - n_kept;

  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint k = 0; k < n; k++)
    g_ptr_array_add (items, g_object_ref (g_ptr_array_index (self->sorted, target[k])));

  if (n_moved > MAX_SINGLE_MOVES)
    {
      g_ptr_array_set_size (self->sorted, 0);
      for (guint k = 0; k < n; k++)
        g_ptr_array_add (self->sorted, g_object_ref (g_ptr_array_index (items, k)));
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
      return n_moved;
    }

  /* Take the movers out (runs, from the end), then put each in at its place (runs, from the
   * start): what stays is already in order, so each insertion lands where it belongs. */
  moving = g_new0 (gboolean, n);
  for (guint k = 0; k < n; k++)
    if (!kept[k])
      moving[target[k]] = TRUE;
  for (guint end = n; end > 0;)
    {
      guint start = end;

      while (start > 0 && moving[start - 1])
        start--;
      if (start < end)
        {
          g_ptr_array_remove_range (self->sorted, start, end - start);
          g_list_model_items_changed (G_LIST_MODEL (self), start, end - start, 0);
          end = start;
        }
      else
        end--;
    }
  for (guint k = 0; k < n;)
    {
      guint start = k;

      while (k < n && !kept[k])
        {
          g_ptr_array_insert (self->sorted, (int) k, g_object_ref (g_ptr_array_index (items, k)));
          k++;
        }
      if (k > start)
        g_list_model_items_changed (G_LIST_MODEL (self), start, 0, k - start);
      else
        k++;
    }
  return n_moved;
}

void
memscope_sort_model_set_model (MemscopeSortModel *self,
                               GListModel        *model)
{
  guint n_before;

  g_return_if_fail (MEMSCOPE_IS_SORT_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_set_object (&self->model, model);

  n_before = self->sorted->len;
  g_ptr_array_set_size (self->source, 0);
  g_ptr_array_set_size (self->sorted, 0);
  if (model != NULL)
    {
      guint n = g_list_model_get_n_items (model);

      g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->source, g_list_model_get_item (model, i));
    }
  if (n_before > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_before, 0);
  resort_all (self);
}

static void
memscope_sort_model_dispose (GObject *object)
{
  MemscopeSortModel *self = MEMSCOPE_SORT_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_func (self->sorter, sorter_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_object (&self->sorter);
  g_ptr_array_set_size (self->source, 0);
  g_ptr_array_set_size (self->sorted, 0);

  G_OBJECT_CLASS (memscope_sort_model_parent_class)->dispose (object);
}

static void
memscope_sort_model_finalize (GObject *object)
{
  MemscopeSortModel *self = MEMSCOPE_SORT_MODEL (object);

  g_ptr_array_unref (self->source);
  g_ptr_array_unref (self->sorted);

  G_OBJECT_CLASS (memscope_sort_model_parent_class)->finalize (object);
}

static void
memscope_sort_model_class_init (MemscopeSortModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_sort_model_dispose;
  object_class->finalize = memscope_sort_model_finalize;
}

static void
memscope_sort_model_init (MemscopeSortModel *self)
{
  self->source = g_ptr_array_new_with_free_func (g_object_unref);
  self->sorted = g_ptr_array_new_with_free_func (g_object_unref);
}

MemscopeSortModel *
memscope_sort_model_new (GListModel *model,
                         GtkSorter  *sorter)
{
  MemscopeSortModel *self = g_object_new (MEMSCOPE_TYPE_SORT_MODEL, NULL);

  if (sorter != NULL)
    {
      self->sorter = g_object_ref (sorter);
      g_signal_connect_swapped (sorter, "changed", G_CALLBACK (sorter_changed_cb), self);
    }
  memscope_sort_model_set_model (self, model);
  return self;
}
