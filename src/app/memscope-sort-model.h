/* SPDX-License-Identifier: MIT */
/* A sorted view of a list model that re-sorts on demand by moving only the items that are out of
 * place, so a list whose values change every second keeps its row widgets. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_SORT_MODEL (memscope_sort_model_get_type ())
G_DECLARE_FINAL_TYPE (MemscopeSortModel, memscope_sort_model, MEMSCOPE, SORT_MODEL, GObject)

/* Both may be NULL; the model and sorter are referenced, not taken. */
MemscopeSortModel *memscope_sort_model_new        (GListModel        *model,
                                                   GtkSorter         *sorter);
void               memscope_sort_model_set_model  (MemscopeSortModel *self,
                                                   GListModel        *model);

/* Values of the items changed: puts the items that are now out of order back in place, each as
 * one removal and one insertion, and the rest untouched (none when the order still holds).
 * Returns how many items moved. */
guint              memscope_sort_model_refresh    (MemscopeSortModel *self);

G_END_DECLS
