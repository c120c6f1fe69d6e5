/* SPDX-License-Identifier: MIT */
/* An immutable, reference-counted copy of one sampler tick that the worker hands to the UI. */
#pragma once

#include <glib-object.h>

#include "memscope-inspect-history.h"
#include "ms-types.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_SNAPSHOT (memscope_snapshot_get_type ())

typedef struct
{
  /* The tick; `base.procs` points into this snapshot's own storage. */
  ms_snapshot_t base;
  /* Serial of the tick, counting from 1; a lower one than already shown is stale. */
  guint64 serial;
  /* Per process: the detector's explanation of its tags, NULL when untagged. */
  char **explanations;
  /* The detector's tag events of this tick (ms_event_t); NULL when there were none. */
  GArray *events;
  /* The inspected process's history points and LEAK fit (NULL when none is inspected). */
  MemscopeInspectHistory *inspect;
} MemscopeSnapshot;

GType memscope_snapshot_get_type (void) G_GNUC_CONST;

MemscopeSnapshot *memscope_snapshot_new_copy (const ms_snapshot_t *src,
                                              guint64              serial);
void              memscope_snapshot_set_explanation (MemscopeSnapshot *self,
                                                     gsize             index,
                                                     const char       *text);
const char       *memscope_snapshot_get_explanation (const MemscopeSnapshot *self,
                                                     gsize                   index);
/* Takes a reference: handlers get a const snapshot and may keep it (the count is not part of
 * what it shows). */
MemscopeSnapshot *memscope_snapshot_ref (const MemscopeSnapshot *self);
void              memscope_snapshot_unref (MemscopeSnapshot *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemscopeSnapshot, memscope_snapshot_unref)

G_END_DECLS
