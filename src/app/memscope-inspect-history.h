/* SPDX-License-Identifier: MIT */
/* What the sampler's worker copies out for the inspected process each tick: its history points
 * and the detector's LEAK fit, immutable once made; plus its export as a trace CSV. */
#pragma once

#include <glib-object.h>

#include "history.h"
#include "ms-types.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_INSPECT_HISTORY (memscope_inspect_history_get_type ())

/* Points the worker copies: 60 minutes at the short tier's 1 s would be 3,600; the history keeps
 * 5 min at 1 s and 15 s beyond, so an hour is about 520 points. */
#define MEMSCOPE_INSPECT_HISTORY_MAX_POINTS 4096

typedef struct
{
  gint32              pid;
  guint64             starttime;
  char                comm[MS_COMM_MAX];
  ms_history_point_t *points;   /* oldest first, sampler clock */
  gsize               n_points;
  gboolean            leaking;
  ms_event_t          leak;     /* valid when leaking */
  /* Not in the tick just sampled: the points (if any are left) end at its exit. */
  gboolean            exited;
} MemscopeInspectHistory;

GType                   memscope_inspect_history_get_type (void) G_GNUC_CONST;

/* Copies points; leak may be NULL (not leaking). */
MemscopeInspectHistory *memscope_inspect_history_new      (gint32                    pid,
                                                           guint64                   starttime,
                                                           const char               *comm,
                                                           const ms_history_point_t *points,
                                                           gsize                     n_points,
                                                           const ms_event_t         *leak);
MemscopeInspectHistory *memscope_inspect_history_ref      (MemscopeInspectHistory   *self);
void                    memscope_inspect_history_unref    (MemscopeInspectHistory   *self);

/* The history as a trace CSV (DESIGN.md's columns: time_s from the first point, pid, starttime,
 * comm, state (empty: the history does not keep it), rss_kib, pss_kib (empty when unknown),
 * swap_kib, plus ppid, uid, user and group from proc when given).  Newly allocated. */
char                   *memscope_inspect_history_to_csv   (const MemscopeInspectHistory *self,
                                                           const ms_proc_t              *proc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemscopeInspectHistory, memscope_inspect_history_unref)

G_END_DECLS
