/* SPDX-License-Identifier: MIT */
/* What the sampler's worker copies out for the inspected process each tick: its history points
 * and the detector's LEAK fit, immutable once made; plus its export as a trace CSV. */

#include "config.h"

#include <string.h>

#include "memscope-inspect-history.h"

G_DEFINE_BOXED_TYPE (MemscopeInspectHistory, memscope_inspect_history,
                     memscope_inspect_history_ref, memscope_inspect_history_unref)

static void
inspect_history_clear (gpointer data)
{
  MemscopeInspectHistory *self = data;

  g_free (self->points);
}

MemscopeInspectHistory *
memscope_inspect_history_new (gint32                    pid,
                              guint64                   starttime,
                              const char               *comm,
                              const ms_history_point_t *points,
                              gsize                     n_points,
                              const ms_event_t         *leak)
{
  MemscopeInspectHistory *self;

  g_return_val_if_fail (points != NULL || n_points == 0, NULL);

  self = g_atomic_rc_box_new0 (MemscopeInspectHistory);
  self->pid = pid;
  self->starttime = starttime;
  g_strlcpy (self->comm, comm != NULL ? comm : "", sizeof self->comm);
  n_points = MIN (n_points, MEMSCOPE_INSPECT_HISTORY_MAX_POINTS);
  if (n_points > 0)
    self->points = g_memdup2 (points, n_points * sizeof *points);
  self->n_points = n_points;
  if (leak != NULL)
    {
      self->leaking = TRUE;
      self->leak = *leak;
    }
  return self;
}

MemscopeInspectHistory *
memscope_inspect_history_ref (MemscopeInspectHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
memscope_inspect_history_unref (MemscopeInspectHistory *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, inspect_history_clear);
}

/* RFC 4180: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
static void
append_field (GString    *out,
              const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

char *
memscope_inspect_history_to_csv (const MemscopeInspectHistory *self,
                                 const ms_proc_t              *proc)
{
  GString *out;
  g_autofree char *tail = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new ("time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib");
  if (proc != NULL)
    {
      GString *t = g_string_new (NULL);

      g_string_append (out, ",ppid,uid,user,group");
      /* The same for every row: the history keeps sizes only. */
      g_string_append_printf (t, ",%d,%u,", proc->ppid, proc->uid);
      append_field (t, proc->user);
      g_string_append_c (t, ',');
      append_field (t, proc->group);
      tail = g_string_free (t, FALSE);
    }
  g_string_append_c (out, '\n');

  for (gsize i = 0; i < self->n_points; i++)
    {
      const ms_history_point_t *p = &self->points[i];
      char time_text[G_ASCII_DTOSTR_BUF_SIZE];

      /* Seconds since the first point, as a recording counts them; a dot whatever the locale. */
      g_ascii_formatd (time_text, sizeof time_text, "%.3f", p->time_s - self->points[0].time_s);
      g_string_append_printf (out, "%s,%d,%" G_GUINT64_FORMAT ",", time_text, self->pid,
                              self->starttime);
      append_field (out, self->comm);
      g_string_append_printf (out, ",,%" G_GINT64_FORMAT ",", MAX (p->rss_kib, 0));
      if (p->pss_kib >= 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, p->pss_kib);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT, MAX (p->swap_kib, 0));
      if (tail != NULL)
        g_string_append (out, tail);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
