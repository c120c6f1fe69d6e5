/* SPDX-License-Identifier: MIT */
/* The alert policy: from snapshots and tag events, decides which popups to show or withdraw. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "memscope-alerts-private.h"

#define SUMMARY_ID "leak-summary"
#define LOW_MEMORY_ID "low-memory"
#define TOP_GROWERS 3
/* A LEAK that clears and sets again within this long is the same leak: no new popup. */
#define SAME_LEAK_S 600.0
/* A leak that will exhaust memory within this long is worth a second popup. */
#define EXHAUST_SOON_S 600.0
/* The tray's live figures are refreshed at most this often. */
#define LIVE_REFRESH_S 5.0

/* What the policy remembers of one live process.  Every process has one (the OOM report needs
 * the footprint of whatever vanishes); only tagged ones carry alert state. */
typedef struct
{
  gint32 pid;
  guint64 starttime;
  guint64 generation; /* the last tick that listed it */
  char comm[MS_COMM_MAX];
  char name[MS_NAME_MAX]; /* the full program name, what popups call it */
  char exe[MS_EXE_MAX];
  gint64 footprint_kib;
  gint64 delta_kib;

  gboolean leak;
  gboolean spike;
  double rate_kib_s;
  double duration_at_set_s;
  double exhaust_s;
  double jump_kib;
  double leak_since_s;         /* policy clock when LEAK was set */
  gint64 footprint_at_set_kib; /* footprint when LEAK was set */

  gboolean shown;      /* our popup for it is on screen */
  gboolean in_summary; /* it was announced in the summary popup instead */
  double last_popup_s; /* when a new popup for it last appeared (-inf: never) */

  /* One leak, told once: a popup is never re-sent, since neither GNotification nor the portal
   * can say whether the last one is still on screen, and a re-sent one pops up again. */
  gboolean leak_told;        /* this leak had its popup (or the user was looking at it) */
  gboolean leak_told_soon;   /* it had its second popup: memory runs out within minutes */
  double leak_cleared_s;     /* when LEAK last cleared (-inf: it never did) */
} ProcState;

struct _MemscopeAlerts
{
  GObject parent_instance;

  /* owned */
  GHashTable *procs;  /* ProcState * → itself, hashed on (pid, starttime) */
  GHashTable *active; /* ProcState * with a tag or a popup: the ones each tick looks at */
  GArray *leaks;      /* MemscopeAlertProcess, for the tray */
  GStrv ignored;

  MemscopeAlertsClock clock;
  gpointer clock_data;

  /* settings */
  gboolean enabled;
  guint notify_tags;
  double low_memory_percent;
  double pressure_threshold;
  double cooldown_s;
  guint summary_min;
  gint32 own_pid;
  char *machine; /* NULL: this machine */

  /* state */
  guint64 generation;
  double leaks_refreshed_s;
  gint64 mem_available_kib; /* -1 when unknown */
  gint32 focused_pid;
  guint64 focused_starttime;
  double paused_until_s;
  gboolean paused;
  gboolean summary_shown;
  gboolean low_memory;
  gboolean low_memory_shown;
  double low_memory_last_popup_s;
  guint64 n_oom_alerts;
};

G_DEFINE_FINAL_TYPE (MemscopeAlerts, memscope_alerts, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (MemscopeAlert, memscope_alert, memscope_alert_ref, memscope_alert_unref)

enum {
  PROP_0,
  PROP_PAUSED,
  N_PROPS
};

enum {
  ALERT,
  WITHDRAW,
  LEAKS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
alert_process_clear (gpointer data)
{
  MemscopeAlertProcess *p = data;

  g_clear_pointer (&p->name, g_free);
  g_clear_pointer (&p->exe, g_free);
  g_clear_pointer (&p->machine, g_free);
}

static void
alert_clear (gpointer data)
{
  MemscopeAlert *alert = data;

  g_free (alert->id);
  g_free (alert->machine);
  g_clear_pointer (&alert->processes, g_array_unref);
}

static MemscopeAlert *
alert_new (MemscopeAlertKind kind,
           const char       *id)
{
  MemscopeAlert *alert = g_rc_box_new0 (MemscopeAlert);

  alert->kind = kind;
  alert->id = g_strdup (id);
  alert->processes = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  g_array_set_clear_func (alert->processes, alert_process_clear);
  alert->pressure_some_avg10 = NAN;
  return alert;
}

MemscopeAlert *
memscope_alert_ref (MemscopeAlert *alert)
{
  g_return_val_if_fail (alert != NULL, NULL);
  return g_rc_box_acquire (alert);
}

void
memscope_alert_unref (MemscopeAlert *alert)
{
  if (alert != NULL)
    g_rc_box_release_full (alert, alert_clear);
}

char *
memscope_alerts_display_name (const char *raw)
{
  g_autofree char *valid = NULL;
  GString *name;

  if (raw == NULL || *raw == '\0')
    return g_strdup ("?");
  valid = g_utf8_make_valid (raw, -1);
  name = g_string_sized_new (strlen (valid));
  /* A newline or escape in a kernel comm would break a one-line title or a tooltip; so would
   * the C1 controls and the line and paragraph separators a command line may carry. */
  for (const char *c = valid; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (g_unichar_iscntrl (ch) || ch == 0x2028 || ch == 0x2029)
        g_string_append_c (name, ' ');
      else
        g_string_append_len (name, c, g_utf8_next_char (c) - c);
    }
  return g_string_free (name, FALSE);
}

static guint
proc_hash (gconstpointer key)
{
  const ProcState *st = key;

  return (guint) st->pid ^ (guint) (st->starttime * 2654435761u) ^ (guint) (st->starttime >> 32);
}

static gboolean
proc_equal (gconstpointer a,
            gconstpointer b)
{
  const ProcState *x = a;
  const ProcState *y = b;

  return x->pid == y->pid && x->starttime == y->starttime;
}

static ProcState *
lookup (MemscopeAlerts *self,
        gint32          pid,
        guint64         starttime)
{
  ProcState key = { .pid = pid, .starttime = starttime };

  return g_hash_table_lookup (self->procs, &key);
}

static double
now_s (MemscopeAlerts *self)
{
  return self->clock (self->clock_data);
}

static double
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static gboolean
is_ignored (MemscopeAlerts  *self,
            const ProcState *st)
{
  if (self->ignored == NULL)
    return FALSE;
  for (guint i = 0; self->ignored[i] != NULL; i++)
    {
      const char *entry = self->ignored[i];

      /* An entry with a slash is an executable path, else a process name. */
      if (strchr (entry, '/') != NULL)
        {
          if (st->exe[0] != '\0' && strcmp (entry, st->exe) == 0)
            return TRUE;
        }
      else if (strcmp (entry, st->comm) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_focused (MemscopeAlerts  *self,
            const ProcState *st)
{
  return self->focused_pid > 0 && st->pid == self->focused_pid
         && st->starttime == self->focused_starttime;
}

static gboolean
wants_alert (MemscopeAlerts  *self,
             const ProcState *st)
{
  /* memscope's own growth shows in its list like any other; a popup about itself helps nobody. */
  if (self->own_pid > 0 && st->pid == self->own_pid)
    return FALSE;
  return ((st->leak && (self->notify_tags & MS_TAG_LEAK) != 0)
          || (st->spike && (self->notify_tags & MS_TAG_SPIKE) != 0))
         && !is_ignored (self, st);
}

static gboolean
quiet (MemscopeAlerts *self)
{
  return !self->enabled || self->paused;
}

static char *
proc_id (const ProcState *st)
{
  return g_strdup_printf ("process-%d-%" G_GUINT64_FORMAT, st->pid, st->starttime);
}

/* Seconds until MemAvailable runs out at the leak's rate, from the last snapshot; NAN when
 * unknown.  The event's figure ages: memory that was plentiful at the set may not be now. */
static double
exhaust_now_s (MemscopeAlerts  *self,
               const ProcState *st)
{
  if (!st->leak || !(self->mem_available_kib > 0) || !(st->rate_kib_s > 0))
    return NAN;
  return self->mem_available_kib / st->rate_kib_s;
}

static void
fill_process (MemscopeAlerts       *self,
              MemscopeAlertProcess *p,
              const ProcState      *st,
              double                now)
{
  p->pid = st->pid;
  p->starttime = st->starttime;
  p->name = memscope_alerts_display_name (st->name[0] != '\0' ? st->name : st->comm);
  p->exe = st->exe[0] != '\0' ? g_utf8_make_valid (st->exe, -1) : NULL;
  p->machine = g_strdup (self->machine);
  p->footprint_kib = st->footprint_kib;
  p->jump_kib = st->spike ? st->jump_kib : NAN;
  if (st->leak)
    {
      p->rate_kib_s = st->rate_kib_s;
      /* The detector measured the growth up to the event; it has gone on since. */
      p->duration_s = st->duration_at_set_s + (now - st->leak_since_s);
      p->exhaust_s = isfinite (exhaust_now_s (self, st)) ? exhaust_now_s (self, st)
                                                         : st->exhaust_s;
      p->growth_kib = st->footprint_kib - st->footprint_at_set_kib;
      if (isfinite (st->rate_kib_s) && isfinite (st->duration_at_set_s))
        p->growth_kib += (gint64) (st->rate_kib_s * st->duration_at_set_s);
    }
  else
    {
      p->rate_kib_s = NAN;
      p->duration_s = NAN;
      p->exhaust_s = NAN;
      p->growth_kib = st->delta_kib;
    }
}

static char *
machine_id (MemscopeAlerts *self,
            const char     *id)
{
  return g_strdup_printf ("remote-%s-%s", self->machine, id);
}

static void
emit_alert (MemscopeAlerts *self,
            MemscopeAlert  *alert)
{
  /* Another machine's alerts get ids of their own: its pid 42 is not this machine's. */
  if (self->machine != NULL)
    {
      char *id = machine_id (self, alert->id);

      g_free (alert->id);
      alert->id = id;
      g_free (alert->machine);
      alert->machine = g_strdup (self->machine);
    }
  g_signal_emit (self, signals[ALERT], 0, alert);
}

static void
withdraw (MemscopeAlerts *self,
          const char     *id)
{
  g_autofree char *machine_wide = self->machine != NULL ? machine_id (self, id) : NULL;

  g_signal_emit (self, signals[WITHDRAW], 0, machine_wide != NULL ? machine_wide : id);
}

static void
withdraw_process (MemscopeAlerts *self,
                  ProcState      *st)
{
  if (st->shown)
    {
      g_autofree char *id = proc_id (st);

      st->shown = FALSE;
      withdraw (self, id);
    }
}

static void
show_process (MemscopeAlerts *self,
              ProcState      *st,
              double          now)
{
  g_autofree char *id = proc_id (st);
  g_autoptr(MemscopeAlert) alert = NULL;
  MemscopeAlertProcess p = { 0 };
  double exhaust = exhaust_now_s (self, st);

  alert = alert_new (st->leak && (self->notify_tags & MS_TAG_LEAK) != 0
                       ? MEMSCOPE_ALERT_LEAK : MEMSCOPE_ALERT_SPIKE, id);
  fill_process (self, &p, st, now);
  g_array_append_val (alert->processes, p);
  st->shown = TRUE;
  st->last_popup_s = now;
  if (st->leak)
    {
      st->leak_told = TRUE;
      /* A first popup that already says memory runs out soon has said all a second would. */
      if (isfinite (exhaust) && exhaust < EXHAUST_SOON_S)
        st->leak_told_soon = TRUE;
    }
  emit_alert (self, alert);
}

static gint
compare_rate_desc (gconstpointer a,
                   gconstpointer b)
{
  const MemscopeAlertProcess *x = a;
  const MemscopeAlertProcess *y = b;
  double rx = isfinite (x->rate_kib_s) ? x->rate_kib_s : 0.0;
  double ry = isfinite (y->rate_kib_s) ? y->rate_kib_s : 0.0;

  if (rx != ry)
    return rx > ry ? -1 : 1;
  return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Returns whether the set of leaking processes changed, or their live figures (growth, time,
 * exhaustion) did and the last refresh is a few seconds old. */
static gboolean
rebuild_leaks (MemscopeAlerts *self,
               double          now)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GArray) fresh = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  gboolean changed;
  gboolean figures_due = now - self->leaks_refreshed_s >= LIVE_REFRESH_S;

  g_array_set_clear_func (fresh, alert_process_clear);
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;
      MemscopeAlertProcess p = { 0 };

      if (!st->leak || is_ignored (self, st))
        continue;
      fill_process (self, &p, st, now);
      g_array_append_val (fresh, p);
    }
  g_array_sort (fresh, compare_rate_desc);

  changed = fresh->len != self->leaks->len;
  for (guint i = 0; !changed && i < fresh->len; i++)
    {
      const MemscopeAlertProcess *a = &g_array_index (fresh, MemscopeAlertProcess, i);
      const MemscopeAlertProcess *b = &g_array_index (self->leaks, MemscopeAlertProcess, i);

      changed = a->pid != b->pid || a->starttime != b->starttime
                || !(a->rate_kib_s == b->rate_kib_s
                     || (isnan (a->rate_kib_s) && isnan (b->rate_kib_s)))
                || (figures_due && (a->growth_kib != b->growth_kib
                                    || a->duration_s != b->duration_s));
    }
  if (!changed)
    return FALSE;
  self->leaks_refreshed_s = now;
  g_array_unref (self->leaks);
  self->leaks = g_steal_pointer (&fresh);
  return changed;
}

static void
update_active (MemscopeAlerts *self,
               ProcState      *st)
{
  if (st->leak || st->spike || st->shown || st->in_summary)
    g_hash_table_add (self->active, st);
  else
    g_hash_table_remove (self->active, st);
}

static void
withdraw_all (MemscopeAlerts *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;

      withdraw_process (self, st);
      st->in_summary = FALSE;
    }
  if (self->summary_shown)
    {
      self->summary_shown = FALSE;
      withdraw (self, SUMMARY_ID);
    }
  if (self->low_memory_shown)
    {
      self->low_memory_shown = FALSE;
      withdraw (self, LOW_MEMORY_ID);
    }
}

static void
apply_event (MemscopeAlerts   *self,
             const ms_event_t *ev,
             double            now)
{
  ProcState *st = lookup (self, ev->pid, ev->starttime);

  /* An event for a process the snapshot no longer lists (it exited) changes nothing. */
  if (st == NULL)
    return;
  if (ev->tag == MS_TAG_LEAK)
    {
      if (ev->set && !st->leak && now - st->leak_cleared_s > SAME_LEAK_S)
        {
          /* A new leak, not the old one flickering: it may be told again. */
          st->leak_told = FALSE;
          st->leak_told_soon = FALSE;
        }
      if (!ev->set && st->leak)
        st->leak_cleared_s = now;
      st->leak = ev->set;
      if (ev->set)
        {
          st->rate_kib_s = ev->rate_kib_s;
          st->duration_at_set_s = isfinite (ev->duration_s) ? ev->duration_s : 0.0;
          st->exhaust_s = ev->exhaust_s;
          st->leak_since_s = now;
          st->footprint_at_set_kib = st->footprint_kib;
        }
    }
  else if (ev->tag == MS_TAG_SPIKE)
    {
      st->spike = ev->set;
      if (ev->set)
        st->jump_kib = ev->jump_kib;
    }
  update_active (self, st);
}

static gint
compare_footprint_desc (gconstpointer a,
                        gconstpointer b)
{
  const ProcState *x = *(ProcState * const *) a;
  const ProcState *y = *(ProcState * const *) b;

  return x->footprint_kib > y->footprint_kib ? -1 : x->footprint_kib < y->footprint_kib;
}

static void
report_oom (MemscopeAlerts *self,
            guint64         n_kills,
            GPtrArray      *vanished,
            double          now)
{
  g_autofree char *id = NULL;
  g_autoptr(MemscopeAlert) alert = NULL;

  id = g_strdup_printf ("oom-kill-%" G_GUINT64_FORMAT, ++self->n_oom_alerts);
  alert = alert_new (MEMSCOPE_ALERT_OOM_KILL, id);
  alert->n_oom_kills = n_kills;
  /* The killer picks the largest, so of what vanished this tick the largest are its victims. */
  g_ptr_array_sort (vanished, compare_footprint_desc);
  for (guint i = 0; i < vanished->len && i < n_kills; i++)
    {
      MemscopeAlertProcess p = { 0 };

      fill_process (self, &p, g_ptr_array_index (vanished, i), now);
      g_array_append_val (alert->processes, p);
    }
  emit_alert (self, alert);
}

static gint
compare_delta_desc (gconstpointer a,
                    gconstpointer b)
{
  const ms_proc_t *x = *(const ms_proc_t * const *) a;
  const ms_proc_t *y = *(const ms_proc_t * const *) b;

  return x->delta_kib > y->delta_kib ? -1 : x->delta_kib < y->delta_kib;
}

static void
check_low_memory (MemscopeAlerts      *self,
                  const ms_snapshot_t *snap,
                  double               now)
{
  double low_kib = snap->mem.mem_total_kib * self->low_memory_percent / 100.0;
  gboolean known = snap->mem.mem_total_kib > 0 && snap->mem.mem_available_kib >= 0;
  gboolean pressure_known = snap->pressure.valid && self->pressure_threshold > 0;
  gboolean short_now;
  g_autoptr(MemscopeAlert) alert = NULL;
  g_autoptr(GPtrArray) growers = NULL;

  if (!self->low_memory)
    short_now = (known && snap->mem.mem_available_kib < low_kib)
                || (pressure_known && snap->pressure.some_avg10 >= self->pressure_threshold);
  else
    /* Hysteresis: a machine hovering at the line would otherwise alert every few seconds. */
    short_now = (known && snap->mem.mem_available_kib < 1.25 * low_kib)
                || (pressure_known
                    && snap->pressure.some_avg10 >= 0.5 * self->pressure_threshold);

  if (!short_now)
    {
      self->low_memory = FALSE;
      if (self->low_memory_shown)
        {
          self->low_memory_shown = FALSE;
          withdraw (self, LOW_MEMORY_ID);
        }
      return;
    }
  if (self->low_memory)
    return;
  self->low_memory = TRUE;
  if (quiet (self) || now - self->low_memory_last_popup_s < self->cooldown_s)
    return;

  alert = alert_new (MEMSCOPE_ALERT_LOW_MEMORY, LOW_MEMORY_ID);
  alert->mem_total_kib = snap->mem.mem_total_kib;
  alert->mem_available_kib = snap->mem.mem_available_kib;
  if (snap->pressure.valid)
    alert->pressure_some_avg10 = snap->pressure.some_avg10;
  growers = g_ptr_array_new ();
  for (gsize i = 0; i < snap->n_procs; i++)
    if (snap->procs[i].delta_kib > 0 && !snap->procs[i].kernel_thread)
      g_ptr_array_add (growers, &snap->procs[i]);
  g_ptr_array_sort (growers, compare_delta_desc);
  for (guint i = 0; i < growers->len && i < TOP_GROWERS; i++)
    {
      const ms_proc_t *proc = g_ptr_array_index (growers, i);
      ProcState *st = lookup (self, proc->pid, proc->starttime);
      MemscopeAlertProcess p = { 0 };

      if (st == NULL)
        continue;
      fill_process (self, &p, st, now);
      g_array_append_val (alert->processes, p);
    }
  self->low_memory_shown = TRUE;
  self->low_memory_last_popup_s = now;
  emit_alert (self, alert);
}

static void
show_summary (MemscopeAlerts *self,
              double          now)
{
  g_autoptr(MemscopeAlert) alert = alert_new (MEMSCOPE_ALERT_SUMMARY, SUMMARY_ID);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;
      MemscopeAlertProcess p = { 0 };

      if (!st->in_summary)
        continue;
      fill_process (self, &p, st, now);
      g_array_append_val (alert->processes, p);
    }
  g_array_sort (alert->processes, compare_rate_desc);
  self->summary_shown = TRUE;
  emit_alert (self, alert);
}

void
memscope_alerts_feed (MemscopeAlerts      *self,
                      const ms_snapshot_t *snap,
                      const ms_event_t    *events,
                      gsize                n_events)
{
  double now;
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) vanished = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  gboolean summary_members = FALSE;

  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  g_return_if_fail (snap != NULL);
  g_return_if_fail (events != NULL || n_events == 0);

  now = now_s (self);
  self->mem_available_kib = snap->mem.mem_total_kib > 0 ? snap->mem.mem_available_kib : -1;
  if (self->paused && now >= self->paused_until_s)
    {
      self->paused = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
    }

  /* Who is alive now: new processes get a state, known ones are refreshed. */
  self->generation++;
  for (gsize i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *proc = &snap->procs[i];
      ProcState *st;

      if (proc->pid <= 0 || proc->kernel_thread)
        continue;
      st = lookup (self, proc->pid, proc->starttime);
      if (st == NULL)
        {
          st = g_new0 (ProcState, 1);
          st->pid = proc->pid;
          st->starttime = proc->starttime;
          st->last_popup_s = -INFINITY;
          st->leak_cleared_s = -INFINITY;
          g_hash_table_add (self->procs, st);
        }
      st->generation = self->generation;
      g_strlcpy (st->comm, proc->comm, sizeof st->comm);
      g_strlcpy (st->name, proc->name, sizeof st->name);
      g_strlcpy (st->exe, proc->exe, sizeof st->exe);
      st->footprint_kib = proc->footprint_kib;
      st->delta_kib = proc->delta_kib;
    }

  for (gsize i = 0; i < n_events; i++)
    apply_event (self, &events[i], now);

  /* Who vanished: their popups go, and an OOM kill is matched against them. */
  vanished = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->procs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;

      if (st->generation == self->generation)
        continue;
      withdraw_process (self, st);
      g_hash_table_remove (self->active, st);
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (vanished, st);
    }

  /* Derived from the kernel's counter where the snapshot was made (ms_oom_derive). */
  if (snap->new_oom_kills > 0 && !quiet (self))
    report_oom (self, snap->new_oom_kills, vanished, now);

  check_low_memory (self, snap, now);

  /* Popups of tagged processes. */
  fresh = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;
      gboolean want = wants_alert (self, st);

      if (!want)
        {
          withdraw_process (self, st);
          st->in_summary = FALSE;
        }
      else if (is_focused (self, st))
        {
          /* The user is looking at it: no popup, and none right after they look away. */
          withdraw_process (self, st);
          st->last_popup_s = now;
          st->leak_told |= st->leak;
        }
      else if (quiet (self))
        ;
      else if (st->leak && st->leak_told)
        {
          double exhaust = exhaust_now_s (self, st);

          /* Told once; a second time only when it has become urgent. */
          if (!st->leak_told_soon && isfinite (exhaust) && exhaust < EXHAUST_SOON_S)
            {
              st->leak_told_soon = TRUE;
              show_process (self, st, now);
            }
        }
      else if (!st->shown && !st->in_summary && now - st->last_popup_s >= self->cooldown_s)
        g_ptr_array_add (fresh, st);
      summary_members |= st->in_summary;
    }

  if (fresh->len >= MAX (self->summary_min, 2))
    {
      for (guint i = 0; i < fresh->len; i++)
        {
          ProcState *st = g_ptr_array_index (fresh, i);

          st->in_summary = TRUE;
          st->last_popup_s = now;
          st->leak_told |= st->leak;
        }
      show_summary (self, now);
    }
  else
    {
      for (guint i = 0; i < fresh->len; i++)
        show_process (self, g_ptr_array_index (fresh, i), now);
      if (self->summary_shown && !summary_members)
        {
          self->summary_shown = FALSE;
          withdraw (self, SUMMARY_ID);
        }
    }

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ProcState *st = key;

      if (!(st->leak || st->spike || st->shown || st->in_summary))
        g_hash_table_iter_remove (&iter);
    }

  if (rebuild_leaks (self, now))
    g_signal_emit (self, signals[LEAKS_CHANGED], 0);
}

static void
settings_changed (MemscopeAlerts *self)
{
  GHashTableIter iter;
  gpointer key;
  double now = now_s (self);

  g_assert (MEMSCOPE_IS_ALERTS (self));

  if (quiet (self))
    withdraw_all (self);
  else
    {
      g_hash_table_iter_init (&iter, self->active);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          ProcState *st = key;

          if (!wants_alert (self, st))
            {
              withdraw_process (self, st);
              st->in_summary = FALSE;
            }
        }
    }
  if (rebuild_leaks (self, now))
    g_signal_emit (self, signals[LEAKS_CHANGED], 0);
}

void
memscope_alerts_set_enabled (MemscopeAlerts *self,
                             gboolean        enabled)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  settings_changed (self);
}

gboolean
memscope_alerts_get_enabled (MemscopeAlerts *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_ALERTS (self), FALSE);
  return self->enabled;
}

void
memscope_alerts_set_notify_tags (MemscopeAlerts *self,
                                 guint           tags)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  tags &= MS_TAG_LEAK | MS_TAG_SPIKE;
  if (self->notify_tags == tags)
    return;
  self->notify_tags = tags;
  settings_changed (self);
}

void
memscope_alerts_set_ignored (MemscopeAlerts     *self,
                             const char * const *programs)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  if (self->ignored != NULL && programs != NULL
      && g_strv_equal ((const char * const *) self->ignored, programs))
    return;
  g_clear_pointer (&self->ignored, g_strfreev);
  self->ignored = g_strdupv ((char **) programs);
  settings_changed (self);
}

void
memscope_alerts_set_low_memory_percent (MemscopeAlerts *self,
                                        double          percent)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  self->low_memory_percent = CLAMP (percent, 0.0, 100.0);
}

/* some_avg10 of /proc/pressure/memory at or above which memory counts as short; 0 disables. */
void
memscope_alerts_set_pressure_threshold (MemscopeAlerts *self,
                                        double          some_avg10)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  self->pressure_threshold = CLAMP (some_avg10, 0.0, 100.0);
}

void
memscope_alerts_set_cooldown (MemscopeAlerts *self,
                              double          seconds)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  self->cooldown_s = MAX (seconds, 0.0);
}

void
memscope_alerts_set_summary_min (MemscopeAlerts *self,
                                 guint           n_processes)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  self->summary_min = MAX (n_processes, 2);
}

void
memscope_alerts_set_machine (MemscopeAlerts *self,
                             const char     *machine)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  g_return_if_fail (machine == NULL || *machine != '\0');

  g_free (self->machine);
  self->machine = g_strdup (machine);
  /* memscope's own pid means nothing on another machine. */
  self->own_pid = machine != NULL ? 0 : (gint32) getpid ();
}

const char *
memscope_alerts_get_machine (MemscopeAlerts *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_ALERTS (self), NULL);
  return self->machine;
}

void
memscope_alerts_set_focused (MemscopeAlerts *self,
                             gint32          pid,
                             guint64         starttime)
{
  ProcState *st;

  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  self->focused_pid = pid;
  self->focused_starttime = starttime;
  st = pid > 0 ? lookup (self, pid, starttime) : NULL;
  if (st != NULL && st->shown)
    {
      withdraw_process (self, st);
      st->last_popup_s = now_s (self);
      st->leak_told |= st->leak;
      update_active (self, st);
    }
}

void
memscope_alerts_set_own_pid (MemscopeAlerts *self,
                             gint32          pid)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));
  self->own_pid = pid;
}

void
memscope_alerts_pause (MemscopeAlerts *self,
                       double          seconds)
{
  gboolean paused;

  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  paused = seconds > 0;
  self->paused_until_s = paused ? now_s (self) + seconds : 0.0;
  if (paused)
    withdraw_all (self);
  if (self->paused != paused)
    {
      self->paused = paused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
    }
}

gboolean
memscope_alerts_get_paused (MemscopeAlerts *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_ALERTS (self), FALSE);
  return self->paused && now_s (self) < self->paused_until_s;
}

char *
memscope_alerts_dup_program (MemscopeAlerts *self,
                             gint32          pid,
                             guint64         starttime)
{
  ProcState *st;

  g_return_val_if_fail (MEMSCOPE_IS_ALERTS (self), NULL);

  st = lookup (self, pid, starttime);
  if (st == NULL)
    return NULL;
  if (st->exe[0] != '\0')
    return g_strdup (st->exe);
  return g_strdup (st->comm);
}

const GArray *
memscope_alerts_get_leaks (MemscopeAlerts *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_ALERTS (self), NULL);
  return self->leaks;
}

void
memscope_alerts_set_clock (MemscopeAlerts      *self,
                           MemscopeAlertsClock  clock,
                           gpointer             user_data)
{
  g_return_if_fail (MEMSCOPE_IS_ALERTS (self));

  self->clock = clock != NULL ? clock : monotonic_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

static void
memscope_alerts_finalize (GObject *object)
{
  MemscopeAlerts *self = (MemscopeAlerts *) object;

  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->procs, g_hash_table_unref);
  g_clear_pointer (&self->leaks, g_array_unref);
  g_clear_pointer (&self->ignored, g_strfreev);
  g_clear_pointer (&self->machine, g_free);

  G_OBJECT_CLASS (memscope_alerts_parent_class)->finalize (object);
}

static void
memscope_alerts_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MemscopeAlerts *self = MEMSCOPE_ALERTS (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, memscope_alerts_get_paused (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_alerts_class_init (MemscopeAlertsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = memscope_alerts_finalize;
  object_class->get_property = memscope_alerts_get_property;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A popup to show, or to refresh when its id is already on screen. */
  signals[ALERT] = g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 MEMSCOPE_TYPE_ALERT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* The popup with this id must go. */
  signals[WITHDRAW] = g_signal_new ("withdraw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* memscope_alerts_get_leaks () changed. */
  signals[LEAKS_CHANGED] = g_signal_new ("leaks-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
memscope_alerts_init (MemscopeAlerts *self)
{
  self->procs = g_hash_table_new_full (proc_hash, proc_equal, g_free, NULL);
  self->active = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->leaks = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  g_array_set_clear_func (self->leaks, alert_process_clear);
  self->clock = monotonic_clock;
  self->enabled = TRUE;
  self->notify_tags = MS_TAG_LEAK;
  self->low_memory_percent = 5.0;
  self->pressure_threshold = 40.0;
  self->cooldown_s = 300.0;
  self->summary_min = 3;
  self->own_pid = (gint32) getpid ();
  self->mem_available_kib = -1;
  self->leaks_refreshed_s = -INFINITY;
  self->low_memory_last_popup_s = -INFINITY;
}

MemscopeAlerts *
memscope_alerts_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_ALERTS, NULL);
}
