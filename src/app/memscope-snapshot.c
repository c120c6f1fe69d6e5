/* SPDX-License-Identifier: MIT */
/* An immutable, reference-counted copy of one sampler tick that the worker hands to the UI. */

#include "config.h"

#include <string.h>

#include "memscope-snapshot.h"

G_DEFINE_BOXED_TYPE (MemscopeSnapshot, memscope_snapshot,
                     memscope_snapshot_ref, memscope_snapshot_unref)

static void
memscope_snapshot_clear (gpointer data)
{
  MemscopeSnapshot *self = data;

  g_clear_pointer (&self->events, g_array_unref);
  if (self->explanations != NULL)
    {
      for (gsize i = 0; i < self->base.n_procs; i++)
        g_free (self->explanations[i]);
      g_free (self->explanations);
    }
  g_clear_pointer (&self->inspect, memscope_inspect_history_unref);
}

/* The sampler reuses its storage on the next tick, so the worker copies everything the UI reads;
 * the process array lives in the same block as the header (one allocation per tick). */
MemscopeSnapshot *
memscope_snapshot_new_copy (const ms_snapshot_t *src,
                            guint64              serial)
{
  MemscopeSnapshot *self;
  gsize n = 0;
  gsize header = (sizeof (MemscopeSnapshot) + 15) & ~(gsize) 15;

  if (src != NULL)
    n = src->n_procs;

  self = g_atomic_rc_box_alloc0 (header + n * sizeof (ms_proc_t));
  if (src != NULL)
    self->base = *src;
  self->base.n_procs = n;
  self->base.procs = (ms_proc_t *) (gpointer) ((guint8 *) self + header);
  if (n > 0)
    memcpy (self->base.procs, src->procs, n * sizeof (ms_proc_t));
  self->serial = serial;

  return self;
}

/* Only while the snapshot is being built, before it is handed to another thread. */
void
memscope_snapshot_set_explanation (MemscopeSnapshot *self,
                                   gsize             index,
                                   const char       *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->base.n_procs);

  if (self->explanations == NULL)
    self->explanations = g_new0 (char *, self->base.n_procs);
  g_free (self->explanations[index]);
  self->explanations[index] = (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
}

const char *
memscope_snapshot_get_explanation (const MemscopeSnapshot *self,
                                   gsize                   index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->explanations == NULL || index >= self->base.n_procs)
    return NULL;
  return self->explanations[index];
}

MemscopeSnapshot *
memscope_snapshot_ref (const MemscopeSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire ((gpointer) self);
}

void
memscope_snapshot_unref (MemscopeSnapshot *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, memscope_snapshot_clear);
}
