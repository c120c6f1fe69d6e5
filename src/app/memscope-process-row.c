/* SPDX-License-Identifier: MIT */
/* One line of the process list: a process, or an application grouping processes. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "memscope-alerts.h"
#include "memscope-process-row.h"

struct _MemscopeProcessRow
{
  GObject parent_instance;

  /* owned */
  ms_proc_t proc;          /* the last sample of this process (groups: zeroed) */
  char *name;              /* safe to show (memscope_alerts_display_name) */
  char *user;
  char *cmdline;
  char *group_key;
  char *explanation;
  char *haystack;          /* casefolded name, command line, user and pid for search */
  GIcon *icon;
  GListStore *members;     /* groups only */

  MemscopeRowPoint history[MEMSCOPE_ROW_HISTORY];
  guint history_head;
  guint history_len;
  guint history_serial;
  guint history_watchers;
  gint64 baseline_moved_kib; /* how far the last update moved the baseline of the same process */

  /* groups: sums of the members */
  gint64 rss_kib;
  gint64 pss_kib;
  gint64 swap_kib;
  gint64 delta_kib;
  double cpu_pct;
  guint32 tags;
  double start_unix;
  guint n_members;
  guint n_rss_members;
  gboolean pss_stale;

  /* model bookkeeping (borrowed) */
  guint mark;
  MemscopeProcessRow *parent;
  MemscopeProcessRow *next_parent;

  guint is_group : 1;
};

G_DEFINE_FINAL_TYPE (MemscopeProcessRow, memscope_process_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IS_GROUP,
  PROP_PID,
  PROP_STARTTIME,
  PROP_NAME,
  PROP_ICON,
  PROP_USER,
  PROP_UID,
  PROP_CMDLINE,
  PROP_STATE,
  PROP_THREADS,
  PROP_RSS_KIB,
  PROP_PSS_KIB,
  PROP_PSS_STALE,
  PROP_SWAP_KIB,
  PROP_CPU_PCT,
  PROP_DELTA_KIB,
  PROP_TAGS,
  PROP_EXPLANATION,
  PROP_START_UNIX,
  PROP_N_MEMBERS,
  PROP_N_RSS_MEMBERS,
  PROP_GROUP_KEY,
  PROP_HISTORY_SERIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
memscope_process_row_finalize (GObject *object)
{
  MemscopeProcessRow *self = (MemscopeProcessRow *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->cmdline, g_free);
  g_clear_pointer (&self->group_key, g_free);
  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->haystack, g_free);
  g_clear_object (&self->icon);
  g_clear_object (&self->members);

  G_OBJECT_CLASS (memscope_process_row_parent_class)->finalize (object);
}

static void
memscope_process_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MemscopeProcessRow *self = MEMSCOPE_PROCESS_ROW (object);

  switch (prop_id)
    {
    case PROP_IS_GROUP:
      g_value_set_boolean (value, self->is_group);
      break;
    case PROP_PID:
      g_value_set_int (value, self->proc.pid);
      break;
    case PROP_STARTTIME:
      g_value_set_uint64 (value, self->proc.starttime);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ICON:
      g_value_set_object (value, self->icon);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_UID:
      g_value_set_uint (value, self->proc.uid);
      break;
    case PROP_CMDLINE:
      g_value_set_string (value, self->cmdline);
      break;
    case PROP_STATE:
      {
        char state[2] = { self->proc.state, '\0' };
        g_value_set_string (value, self->is_group ? "" : state);
      }
      break;
    case PROP_THREADS:
      g_value_set_int (value, self->proc.threads);
      break;
    case PROP_RSS_KIB:
      g_value_set_int64 (value, self->rss_kib);
      break;
    case PROP_PSS_KIB:
      g_value_set_int64 (value, self->pss_kib);
      break;
    case PROP_PSS_STALE:
      g_value_set_boolean (value, self->pss_stale);
      break;
    case PROP_SWAP_KIB:
      g_value_set_int64 (value, self->swap_kib);
      break;
    case PROP_CPU_PCT:
      g_value_set_double (value, self->cpu_pct);
      break;
    case PROP_DELTA_KIB:
      g_value_set_int64 (value, self->delta_kib);
      break;
    case PROP_TAGS:
      g_value_set_uint (value, self->tags);
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, self->explanation);
      break;
    case PROP_START_UNIX:
      g_value_set_double (value, self->start_unix);
      break;
    case PROP_N_MEMBERS:
      g_value_set_uint (value, self->n_members);
      break;
    case PROP_N_RSS_MEMBERS:
      g_value_set_uint (value, self->n_rss_members);
      break;
    case PROP_GROUP_KEY:
      g_value_set_string (value, self->group_key);
      break;
    case PROP_HISTORY_SERIAL:
      g_value_set_uint (value, self->history_serial);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_process_row_class_init (MemscopeProcessRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = memscope_process_row_finalize;
  object_class->get_property = memscope_process_row_get_property;

  properties[PROP_IS_GROUP] = g_param_spec_boolean ("is-group", NULL, NULL, FALSE, flags);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_STARTTIME] = g_param_spec_uint64 ("starttime", NULL, NULL,
                                                    0, G_MAXUINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ICON] = g_param_spec_object ("icon", NULL, NULL, G_TYPE_ICON, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_UID] = g_param_spec_uint ("uid", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CMDLINE] = g_param_spec_string ("cmdline", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_THREADS] = g_param_spec_int ("threads", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_RSS_KIB] = g_param_spec_int64 ("rss-kib", NULL, NULL,
                                                 -1, G_MAXINT64, 0, flags);
  properties[PROP_PSS_KIB] = g_param_spec_int64 ("pss-kib", NULL, NULL,
                                                 -1, G_MAXINT64, -1, flags);
  properties[PROP_PSS_STALE] = g_param_spec_boolean ("pss-stale", NULL, NULL, FALSE, flags);
  properties[PROP_SWAP_KIB] = g_param_spec_int64 ("swap-kib", NULL, NULL,
                                                  -1, G_MAXINT64, 0, flags);
  properties[PROP_CPU_PCT] = g_param_spec_double ("cpu-pct", NULL, NULL,
                                                  -1.0, G_MAXDOUBLE, -1.0, flags);
  properties[PROP_DELTA_KIB] = g_param_spec_int64 ("delta-kib", NULL, NULL,
                                                   G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_TAGS] = g_param_spec_uint ("tags", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_EXPLANATION] = g_param_spec_string ("explanation", NULL, NULL, NULL, flags);
  properties[PROP_START_UNIX] = g_param_spec_double ("start-unix", NULL, NULL,
                                                     -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_N_MEMBERS] = g_param_spec_uint ("n-members", NULL, NULL,
                                                  0, G_MAXUINT, 0, flags);
  properties[PROP_N_RSS_MEMBERS] = g_param_spec_uint ("n-rss-members", NULL, NULL,
                                                      0, G_MAXUINT, 0, flags);
  properties[PROP_GROUP_KEY] = g_param_spec_string ("group-key", NULL, NULL, NULL, flags);
  properties[PROP_HISTORY_SERIAL] = g_param_spec_uint ("history-serial", NULL, NULL,
                                                       0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
memscope_process_row_init (MemscopeProcessRow *self)
{
  self->pss_kib = MS_UNKNOWN_KIB;
  self->cpu_pct = -1.0;
}

static void
rebuild_haystack (MemscopeProcessRow *self)
{
  g_autofree char *joined = NULL;
  g_autofree char *comm = g_utf8_make_valid (self->proc.comm, -1);

  g_assert (MEMSCOPE_IS_PROCESS_ROW (self));

  /* comm too: the name a process gave itself, or the kernel's cut of the full one. */
  joined = g_strdup_printf ("%s\n%s\n%s\n%s\n%d", self->name ? self->name : "",
                            self->is_group ? "" : comm,
                            self->cmdline ? self->cmdline : "", self->user ? self->user : "",
                            self->is_group ? -1 : self->proc.pid);
  g_free (self->haystack);
  self->haystack = g_utf8_casefold (joined, -1);
}

/* Replaces *field with a valid-UTF-8 copy of raw; returns whether it changed. */
static gboolean
set_text (char       **field,
          const char  *raw)
{
  g_autofree char *valid = g_utf8_make_valid (raw != NULL ? raw : "", -1);

  if (g_strcmp0 (*field, valid) == 0)
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&valid);
  return TRUE;
}

/* The same for a name: a comm or command line may carry a newline, an escape or bad bytes, and
 * the list, the panel and a group's row show it on one line. */
static gboolean
set_name (char       **field,
          const char  *raw)
{
  g_autofree char *safe = memscope_alerts_display_name (raw);

  if (g_strcmp0 (*field, safe) == 0)
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&safe);
  return TRUE;
}

/* Whether anyone listens to this row's notifications.  Most rows are bound to no list item (they
 * are not on screen) and nothing else watches them: an emission that reaches nobody still costs
 * GObject a notify queue and a signal emission, for every changed value of every row every tick.
 * A watcher that connects later reads the current values when it binds. */
static gboolean
has_listeners (MemscopeProcessRow *self)
{
  static guint notify_id;

  if (notify_id == 0)
    notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  return g_signal_handler_find (self, G_SIGNAL_MATCH_ID, notify_id, 0, NULL, NULL, NULL) != 0;
}

static guint64 n_notifications;

#define NOTIFY(prop) \
  G_STMT_START { \
    if (tell) \
      { \
        n_notifications++; \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

#define SET_NUMBER(field, value, prop) \
  G_STMT_START { \
    if ((field) != (value)) \
      { \
        (field) = (value); \
        NOTIFY (prop); \
        changed = TRUE; \
      } \
  } G_STMT_END

MemscopeProcessRow *
memscope_process_row_new (const ms_proc_t *proc,
                          const char      *explanation,
                          double           time_s)
{
  MemscopeProcessRow *self;

  g_return_val_if_fail (proc != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_PROCESS_ROW, NULL);
  memscope_process_row_update (self, proc, explanation, time_s);
  return self;
}

MemscopeProcessRow *
memscope_process_row_new_group (const char *key,
                                const char *label)
{
  MemscopeProcessRow *self;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_PROCESS_ROW, NULL);
  self->is_group = TRUE;
  self->group_key = g_strdup (key);
  set_name (&self->name, label != NULL ? label : key);
  self->members = g_list_store_new (MEMSCOPE_TYPE_PROCESS_ROW);
  rebuild_haystack (self);
  return self;
}

/* The history is of deltas from the baseline now in force: when the baseline moves (a reset, or
 * an undone one), the points move with it, so the line keeps its shape instead of showing a
 * cliff that looks like freed memory. */
static void
shift_history (MemscopeProcessRow *self,
               gint64              by_kib)
{
  g_assert (MEMSCOPE_IS_PROCESS_ROW (self));

  if (by_kib == 0)
    return;
  for (guint i = 0; i < self->history_len; i++)
    self->history[(self->history_head + i) % MEMSCOPE_ROW_HISTORY].delta_kib += (float) by_kib;
}

static void
push_history (MemscopeProcessRow *self,
              double              time_s,
              gint64              delta_kib)
{
  guint slot;

  g_assert (MEMSCOPE_IS_PROCESS_ROW (self));

  slot = (self->history_head + self->history_len) % MEMSCOPE_ROW_HISTORY;
  if (self->history_len == MEMSCOPE_ROW_HISTORY)
    self->history_head = (self->history_head + 1) % MEMSCOPE_ROW_HISTORY;
  else
    self->history_len++;
  self->history[slot].time_s = (float) time_s;
  self->history[slot].delta_kib = (float) delta_kib;
  self->history_serial++;
  /* Every row gets a point every tick, but only the few on screen have anyone to tell. */
  if (self->history_watchers > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_SERIAL]);
}

/* Copies one new sample in, notifying only the properties whose value changed, so a bound cell
 * redraws only when it has something new to show. */
gboolean
memscope_process_row_update (MemscopeProcessRow *self,
                             const ms_proc_t    *proc,
                             const char         *explanation,
                             double              time_s)
{
  gboolean changed = FALSE;
  gboolean text_changed = FALSE;
  gboolean stale;
  gboolean tell;

  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), FALSE);
  g_return_val_if_fail (proc != NULL, FALSE);
  g_return_val_if_fail (!self->is_group, FALSE);

  tell = has_listeners (self);
  if (self->name == NULL || strcmp (self->proc.comm, proc->comm) != 0
      || strcmp (self->proc.name, proc->name) != 0)
    {
      /* The full name where the kernel cut comm (a recording may carry comm alone). */
      if (set_name (&self->name, proc->name[0] != '\0' ? proc->name : proc->comm))
        {
          NOTIFY (PROP_NAME);
          text_changed = TRUE;
        }
    }
  if (self->user == NULL || strcmp (self->proc.user, proc->user) != 0)
    {
      if (set_text (&self->user, proc->user))
        {
          NOTIFY (PROP_USER);
          text_changed = TRUE;
        }
    }
  if (self->cmdline == NULL || strcmp (self->proc.cmdline, proc->cmdline) != 0)
    {
      if (set_text (&self->cmdline, proc->cmdline))
        {
          NOTIFY (PROP_CMDLINE);
          text_changed = TRUE;
        }
    }
  if (self->group_key == NULL || strcmp (self->proc.group, proc->group) != 0)
    {
      if (set_text (&self->group_key, proc->group))
        NOTIFY (PROP_GROUP_KEY);
    }
  if (g_strcmp0 (self->explanation, explanation) != 0)
    {
      g_free (self->explanation);
      self->explanation = g_strdup (explanation);
      NOTIFY (PROP_EXPLANATION);
      changed = TRUE;
    }

  if (self->proc.pid != proc->pid)
    {
      self->proc.pid = proc->pid;
      NOTIFY (PROP_PID);
      text_changed = TRUE;
    }
  SET_NUMBER (self->proc.starttime, proc->starttime, PROP_STARTTIME);
  SET_NUMBER (self->proc.uid, proc->uid, PROP_UID);
  SET_NUMBER (self->proc.threads, proc->threads, PROP_THREADS);
  if (self->proc.state != proc->state)
    {
      self->proc.state = proc->state;
      NOTIFY (PROP_STATE);
      changed = TRUE;
    }
  SET_NUMBER (self->rss_kib, proc->rss_kib, PROP_RSS_KIB);
  SET_NUMBER (self->pss_kib, proc->pss_kib, PROP_PSS_KIB);
  stale = proc->pss_kib >= 0 && proc->pss_age_s > MEMSCOPE_PSS_STALE_S;
  SET_NUMBER (self->pss_stale, stale, PROP_PSS_STALE);
  SET_NUMBER (self->swap_kib, proc->swap_kib, PROP_SWAP_KIB);
  /* One decimal is what the column shows: finer changes would only cost redraws. */
  if (fabs (self->cpu_pct - proc->cpu_pct) >= 0.05 || (self->cpu_pct < 0) != (proc->cpu_pct < 0))
    {
      self->cpu_pct = proc->cpu_pct;
      NOTIFY (PROP_CPU_PCT);
      changed = TRUE;
    }
  SET_NUMBER (self->delta_kib, proc->delta_kib, PROP_DELTA_KIB);
  SET_NUMBER (self->tags, proc->tags, PROP_TAGS);
  SET_NUMBER (self->start_unix, proc->start_unix, PROP_START_UNIX);

  self->baseline_moved_kib = 0;
  if (self->history_len > 0 && self->proc.pid == proc->pid
      && self->proc.starttime == proc->starttime)
    {
      self->baseline_moved_kib = proc->baseline_kib - self->proc.baseline_kib;
      shift_history (self, -self->baseline_moved_kib);
    }

  /* The rest (breakdown, exe, baseline) is read by the inspect panel through get_proc (). */
  self->proc = *proc;
  push_history (self, time_s, proc->delta_kib);

  if (text_changed)
    rebuild_haystack (self);

  return changed || text_changed;
}

void
memscope_process_row_update_group (MemscopeProcessRow      *self,
                                   const MemscopeGroupSums *sums)
{
  gboolean changed = FALSE;
  gboolean tell;

  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  g_return_if_fail (self->is_group);
  g_return_if_fail (sums != NULL);

  tell = has_listeners (self);

  SET_NUMBER (self->n_members, sums->n_members, PROP_N_MEMBERS);
  SET_NUMBER (self->n_rss_members, sums->n_rss_members, PROP_N_RSS_MEMBERS);
  SET_NUMBER (self->rss_kib, sums->rss_kib, PROP_RSS_KIB);
  SET_NUMBER (self->pss_kib, sums->pss_kib, PROP_PSS_KIB);
  SET_NUMBER (self->swap_kib, sums->swap_kib, PROP_SWAP_KIB);
  SET_NUMBER (self->delta_kib, sums->delta_kib, PROP_DELTA_KIB);
  SET_NUMBER (self->tags, sums->tags, PROP_TAGS);
  SET_NUMBER (self->start_unix, sums->start_unix, PROP_START_UNIX);
  if (fabs (self->cpu_pct - sums->cpu_pct) >= 0.05)
    {
      self->cpu_pct = sums->cpu_pct;
      NOTIFY (PROP_CPU_PCT);
      changed = TRUE;
    }
  (void) changed;
  shift_history (self, -sums->baseline_moved_kib);
  push_history (self, sums->time_s, sums->delta_kib);
}

/* A group takes the name of its topmost process, which may rename itself. */
void
memscope_process_row_set_group_name (MemscopeProcessRow *self,
                                     const char         *name)
{
  gboolean tell;

  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  g_return_if_fail (self->is_group);

  tell = has_listeners (self);
  if (set_name (&self->name, name))
    {
      NOTIFY (PROP_NAME);
      rebuild_haystack (self);
    }
}

void
memscope_process_row_set_icon (MemscopeProcessRow *self,
                               GIcon              *icon)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));

  if (g_set_object (&self->icon, icon))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON]);
}

gboolean
memscope_process_row_get_is_group (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), FALSE);
  return self->is_group;
}

gint32
memscope_process_row_get_pid (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->proc.pid;
}

guint64
memscope_process_row_get_starttime (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->proc.starttime;
}

guint32
memscope_process_row_get_uid (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->proc.uid;
}

const char *
memscope_process_row_get_name (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->name;
}

const char *
memscope_process_row_get_user (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->user;
}

const char *
memscope_process_row_get_cmdline (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->cmdline;
}

const char *
memscope_process_row_get_group_key (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->group_key;
}

const char *
memscope_process_row_get_explanation (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->explanation;
}

gint64
memscope_process_row_get_rss_kib (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->rss_kib;
}

gint64
memscope_process_row_get_pss_kib (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), MS_UNKNOWN_KIB);
  return self->pss_kib;
}

gint64
memscope_process_row_get_delta_kib (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->delta_kib;
}

gint64
memscope_process_row_get_swap_kib (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->swap_kib;
}

double
memscope_process_row_get_cpu_pct (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->cpu_pct;
}

gboolean
memscope_process_row_get_pss_stale (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), FALSE);
  return self->pss_stale;
}

double
memscope_process_row_get_start_unix (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->start_unix;
}

GIcon *
memscope_process_row_get_icon (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->icon;
}

guint32
memscope_process_row_get_tags (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->tags;
}

guint
memscope_process_row_get_n_members (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->n_members;
}

guint
memscope_process_row_get_n_rss_members (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->n_rss_members;
}

const ms_proc_t *
memscope_process_row_get_proc (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return &self->proc;
}

GListStore *
memscope_process_row_get_members (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->members;
}

/* Oldest first. */
static double
field_value (const MemscopeProcessRow *row,
             MemscopeRowField          field)
{
  switch (field)
    {
    case MEMSCOPE_ROW_FIELD_PID:
      return row->proc.pid;
    case MEMSCOPE_ROW_FIELD_RSS:
      return (double) row->rss_kib;
    case MEMSCOPE_ROW_FIELD_PSS:
      return (double) row->pss_kib;
    case MEMSCOPE_ROW_FIELD_SWAP:
      return (double) row->swap_kib;
    case MEMSCOPE_ROW_FIELD_CPU:
      return row->cpu_pct;
    case MEMSCOPE_ROW_FIELD_DELTA:
      return (double) row->delta_kib;
    case MEMSCOPE_ROW_FIELD_TAGS:
      return row->tags;
    case MEMSCOPE_ROW_FIELD_STARTED:
      return row->start_unix;
    default:
      g_return_val_if_reached (0);
    }
}

/* Read straight from the rows: the list checks its order every tick, and a property lookup
 * through GValues per comparison was most of that check. */
int
memscope_process_row_compare (gconstpointer a,
                              gconstpointer b,
                              gpointer      field)
{
  double va = field_value (a, GPOINTER_TO_INT (field));
  double vb = field_value (b, GPOINTER_TO_INT (field));

  return (va > vb) - (va < vb);
}

gint64
memscope_process_row_get_baseline_moved_kib (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->baseline_moved_kib;
}

void
memscope_process_row_watch_history (MemscopeProcessRow *self,
                                    gboolean            watch)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  g_return_if_fail (watch || self->history_watchers > 0);

  if (watch)
    self->history_watchers++;
  else
    self->history_watchers--;
}

gsize
memscope_process_row_get_history (MemscopeProcessRow *self,
                                  MemscopeRowPoint   *out,
                                  gsize               max)
{
  gsize n;

  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);

  n = MIN (max, self->history_len);
  for (gsize i = 0; i < n; i++)
    {
      guint slot = (self->history_head + self->history_len - n + i) % MEMSCOPE_ROW_HISTORY;
      out[i] = self->history[slot];
    }
  return n;
}

/* How many value notifications rows have sent (main thread only): what benchmarks and tests
 * count to see that rows nobody watches stay quiet. */
guint64
memscope_process_row_count_notifications (void)
{
  return n_notifications;
}

gboolean
memscope_process_row_matches (MemscopeProcessRow *self,
                              const char         *needle_casefold)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), FALSE);

  if (needle_casefold == NULL || *needle_casefold == '\0')
    return TRUE;
  if (self->haystack != NULL && strstr (self->haystack, needle_casefold) != NULL)
    return TRUE;
  if (self->is_group)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->members));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MemscopeProcessRow) member = NULL;

          member = g_list_model_get_item (G_LIST_MODEL (self->members), i);

          if (memscope_process_row_matches (member, needle_casefold))
            return TRUE;
        }
    }
  return FALSE;
}

guint
memscope_process_row_get_mark (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), 0);
  return self->mark;
}

void
memscope_process_row_set_mark (MemscopeProcessRow *self,
                               guint               mark)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  self->mark = mark;
}

MemscopeProcessRow *
memscope_process_row_get_parent (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->parent;
}

void
memscope_process_row_set_parent (MemscopeProcessRow *self,
                                 MemscopeProcessRow *parent)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  self->parent = parent;
}

MemscopeProcessRow *
memscope_process_row_get_next_parent (MemscopeProcessRow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ROW (self), NULL);
  return self->next_parent;
}

void
memscope_process_row_set_next_parent (MemscopeProcessRow *self,
                                      MemscopeProcessRow *parent)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ROW (self));
  self->next_parent = parent;
}
