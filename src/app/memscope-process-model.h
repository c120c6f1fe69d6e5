/* SPDX-License-Identifier: MIT */
/* The process list: row objects updated in place from each snapshot, and application groups. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "memscope-process-row.h"
#include "memscope-snapshot.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_PROCESS_MODEL (memscope_process_model_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeProcessModel, memscope_process_model, MEMSCOPE, PROCESS_MODEL, GObject)

MemscopeProcessModel *memscope_process_model_new              (void);
gboolean              memscope_process_model_apply            (MemscopeProcessModel   *self,
                                                               const MemscopeSnapshot *snapshot);
GListModel           *memscope_process_model_get_processes    (MemscopeProcessModel *self);
/* The grouped list's top level: a group row for each application of two processes or more, and
 * the process itself, a plain row, where it is alone in its group. */
GListModel           *memscope_process_model_get_groups       (MemscopeProcessModel *self);
void                  memscope_process_model_set_grouping     (MemscopeProcessModel *self,
                                                               gboolean              grouping);
gboolean              memscope_process_model_get_grouping     (MemscopeProcessModel *self);
MemscopeSnapshot     *memscope_process_model_get_snapshot     (MemscopeProcessModel *self);
MemscopeProcessRow   *memscope_process_model_lookup           (MemscopeProcessModel *self,
                                                               gint32                pid,
                                                               guint64               starttime);
/* Processes of other users whose PSS stays unknown after the first full pass of PSS reads (none
 * when the reader is root). */
guint                 memscope_process_model_get_n_pss_hidden (MemscopeProcessModel *self);

G_END_DECLS
