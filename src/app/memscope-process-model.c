/* SPDX-License-Identifier: MIT */
/* The process list: row objects updated in place from each snapshot, and application groups. */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gdesktopappinfo.h>
#include <string.h>
#include <unistd.h>

#include "group.h"
#include "memscope-alerts.h"
#include "memscope-process-model-private.h"

struct _MemscopeProcessModel
{
  GObject parent_instance;

  /* owned */
  GListStore *processes;      /* MemscopeProcessRow, in order of first sight */
  GListStore *groups;         /* while grouping: groups of two or more, and lone processes */
  GHashTable *rows;           /* RowKey → MemscopeProcessRow */
  GHashTable *group_rows;     /* group key → MemscopeProcessRow */
  GHashTable *group_states;   /* group row → GroupState (reused every tick) */
  GHashTable *top_level;      /* the rows `groups` holds (a set; the store owns them) */
  GHashTable *icons;          /* app id → GIcon, or a NULL value when the app has none */
  GPtrArray *scratch;         /* reused every tick */
  GPtrArray *live;            /* rows of the current tick, in snapshot order */
  MemscopeSnapshot *snapshot; /* the last one applied */

  guint generation;
  guint n_pss_hidden;
  uid_t reader_uid;  /* who reads /proc: root reads every smaps_rollup */
  gboolean grouping;
};

G_DEFINE_FINAL_TYPE (MemscopeProcessModel, memscope_process_model, G_TYPE_OBJECT)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  MemscopeGroupSums sums; /* summed afresh every tick */
  gint32 top_pid;         /* tree groups: the member whose name the group takes; else -1 */
} GroupState;

typedef struct
{
  gint32 pid;
  guint64 starttime;
} RowKey;

static guint
row_key_hash (gconstpointer data)
{
  const RowKey *key = data;

  return (guint) key->pid * 2654435761u ^ (guint) (key->starttime ^ (key->starttime >> 32));
}

static gboolean
row_key_equal (gconstpointer a,
               gconstpointer b)
{
  const RowKey *ka = a;
  const RowKey *kb = b;

  return ka->pid == kb->pid && ka->starttime == kb->starttime;
}

static void
unref_if_set (gpointer object)
{
  /* The icon table remembers apps without an icon as NULL. */
  if (object != NULL)
    g_object_unref (object);
}

static void
memscope_process_model_dispose (GObject *object)
{
  MemscopeProcessModel *self = (MemscopeProcessModel *) object;

  g_clear_object (&self->processes);
  g_clear_object (&self->groups);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->group_rows, g_hash_table_unref);
  g_clear_pointer (&self->group_states, g_hash_table_unref);
  g_clear_pointer (&self->top_level, g_hash_table_unref);
  g_clear_pointer (&self->icons, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  g_clear_pointer (&self->live, g_ptr_array_unref);
  g_clear_pointer (&self->snapshot, memscope_snapshot_unref);

  G_OBJECT_CLASS (memscope_process_model_parent_class)->dispose (object);
}

static void
memscope_process_model_class_init (MemscopeProcessModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_process_model_dispose;

  /* After every applied snapshot, once all rows are up to date. */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
memscope_process_model_init (MemscopeProcessModel *self)
{
  self->processes = g_list_store_new (MEMSCOPE_TYPE_PROCESS_ROW);
  self->groups = g_list_store_new (MEMSCOPE_TYPE_PROCESS_ROW);
  self->rows = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, g_object_unref);
  self->group_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->group_states = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->top_level = g_hash_table_new (NULL, NULL);
  self->icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_set);
  self->scratch = g_ptr_array_new ();
  self->live = g_ptr_array_new ();
  self->reader_uid = getuid ();
}

MemscopeProcessModel *
memscope_process_model_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_PROCESS_MODEL, NULL);
}

char *
memscope_group_label (const char *key,
                      const char *top_name)
{
  char label[MS_GROUP_MAX + MS_NAME_MAX];

  if (key == NULL || *key == '\0')
    return g_strdup (_("Other"));
  if (g_str_has_prefix (key, "app:"))
    {
      /* A desktop app: its own display name reads better than its id. */
      g_autofree char *desktop = g_strconcat (key + 4, ".desktop", NULL);
      g_autoptr(GDesktopAppInfo) info = g_desktop_app_info_new (desktop);

      if (info != NULL)
        return memscope_alerts_display_name (g_app_info_get_display_name (G_APP_INFO (info)));
    }
  if (strcmp (key, "kernel") == 0)
    return g_strdup (_("Kernel threads"));
  ms_group_label (key, top_name, label, sizeof label);
  return memscope_alerts_display_name (label);
}

/* The icon of the desktop app a group key names, looked up once per app. */
static GIcon *
lookup_icon (MemscopeProcessModel *self,
             const char           *group_key)
{
  g_autoptr(GDesktopAppInfo) info = NULL;
  g_autofree char *desktop = NULL;
  GIcon *icon = NULL;
  gpointer cached;

  g_assert (MEMSCOPE_IS_PROCESS_MODEL (self));

  if (group_key == NULL || !g_str_has_prefix (group_key, "app:") || group_key[4] == '\0')
    return NULL;
  if (g_hash_table_lookup_extended (self->icons, group_key + 4, NULL, &cached))
    return cached;

  desktop = g_strconcat (group_key + 4, ".desktop", NULL);
  info = g_desktop_app_info_new (desktop);
  if (info != NULL && g_app_info_get_icon (G_APP_INFO (info)) != NULL)
    icon = g_object_ref (g_app_info_get_icon (G_APP_INFO (info)));
  g_hash_table_insert (self->icons, g_strdup (group_key + 4), icon);
  return icon;
}

/* Removes, in contiguous runs, the rows of `store` for which `keep` says no; survivors get no
 * items-changed at all, so their list items and the selection stay where they are. */
static void
remove_dead (GListStore *store,
             gboolean  (*keep) (MemscopeProcessRow *row, gpointer data),
             gpointer    data)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint run_end = 0;
  guint run_len = 0;

  /* Walk backwards so positions still to visit do not shift. */
  for (guint i = n; i-- > 0;)
    {
      MemscopeProcessRow *row = g_list_model_get_item (G_LIST_MODEL (store), i);
      gboolean alive = keep (row, data);

      g_object_unref (row);
      if (!alive)
        {
          if (run_len == 0)
            run_end = i + 1;
          run_len++;
        }
      else if (run_len > 0)
        {
          g_list_store_splice (store, run_end - run_len, run_len, NULL, 0);
          run_len = 0;
        }
    }
  if (run_len > 0)
    g_list_store_splice (store, run_end - run_len, run_len, NULL, 0);
}

static gboolean
keep_seen_cb (MemscopeProcessRow *row,
              gpointer            data)
{
  return memscope_process_row_get_mark (row) == GPOINTER_TO_UINT (data);
}

typedef struct
{
  MemscopeProcessRow *group;
  guint generation;
} MemberCheck;

static gboolean
keep_member_cb (MemscopeProcessRow *row,
                gpointer            data)
{
  const MemberCheck *check = data;

  return memscope_process_row_get_mark (row) == check->generation
         && memscope_process_row_get_next_parent (row) == check->group;
}

static guint
n_members_now (MemscopeProcessModel *self,
               MemscopeProcessRow   *group)
{
  GroupState *state = group != NULL ? g_hash_table_lookup (self->group_states, group) : NULL;

  return state != NULL ? state->sums.n_members : 0;
}

/* What the top level lists for a group: the group while it has two members or more, else its
 * one process as a plain row (no expander, no "1 process"). */
static gboolean
keep_top_level_cb (MemscopeProcessRow *row,
                   gpointer            data)
{
  MemscopeProcessModel *self = data;
  gboolean keep;

  if (memscope_process_row_get_is_group (row))
    keep = n_members_now (self, row) >= 2;
  else
    /* A row of an exited process is never asked for its group: that may be gone. */
    keep = memscope_process_row_get_mark (row) == self->generation
           && n_members_now (self, memscope_process_row_get_next_parent (row)) == 1;
  if (!keep)
    g_hash_table_remove (self->top_level, row);
  return keep;
}

static guint32
strongest_tag (guint32 tags)
{
  if (tags & MS_TAG_LEAK)
    return MS_TAG_LEAK;
  if (tags & MS_TAG_SPIKE)
    return MS_TAG_SPIKE;
  if (tags & MS_TAG_ZOMBIE)
    return MS_TAG_ZOMBIE;
  return 0;
}

static void
update_groups (MemscopeProcessModel *self,
               double                time_s)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GHashTable) additions = g_hash_table_new_full (NULL, NULL, NULL,
                                                            (GDestroyNotify) g_ptr_array_unref);
  guint n_top_before = g_list_model_get_n_items (G_LIST_MODEL (self->groups));

  g_assert (MEMSCOPE_IS_PROCESS_MODEL (self));

  g_hash_table_iter_init (&iter, self->group_states);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GroupState *state = value;

      memset (&state->sums, 0, sizeof state->sums);
      state->sums.time_s = time_s;
    }

  for (guint i = 0; i < self->live->len; i++)
    {
      MemscopeProcessRow *row = g_ptr_array_index (self->live, i);
      const ms_proc_t *proc = memscope_process_row_get_proc (row);
      const char *group_key = proc->group[0] != '\0' ? proc->group : "";
      MemscopeProcessRow *group = g_hash_table_lookup (self->group_rows, group_key);
      GroupState *state;
      MemscopeGroupSums *sums;

      if (group == NULL)
        {
          gint32 top_pid = ms_group_top_pid (group_key);
          g_autofree char *label = memscope_group_label (group_key,
                                                         proc->pid == top_pid ? proc->name : NULL);

          group = memscope_process_row_new_group (group_key, label);
          memscope_process_row_set_icon (group, lookup_icon (self, group_key));
          g_hash_table_insert (self->group_rows, g_strdup (group_key), group);
          state = g_new0 (GroupState, 1);
          state->sums.time_s = time_s;
          state->top_pid = top_pid;
          g_hash_table_insert (self->group_states, group, state);
        }
      else
        state = g_hash_table_lookup (self->group_states, group);

      /* A tree goes by its topmost process's name, as the list shows it; the top may rename
       * itself, or be found after another member created the group. */
      if (proc->pid == state->top_pid
          && strcmp (memscope_process_row_get_name (group),
                     memscope_process_row_get_name (row)) != 0)
        memscope_process_row_set_group_name (group, memscope_process_row_get_name (row));

      sums = &state->sums;
      sums->n_members++;
      sums->rss_kib += MAX (proc->rss_kib, 0);
      if (proc->pss_kib >= 0)
        sums->pss_kib += proc->pss_kib;
      else
        {
          sums->pss_kib += MAX (proc->rss_kib, 0);
          if (!proc->kernel_thread)
            sums->n_rss_members++;
        }
      sums->swap_kib += MAX (proc->swap_kib, 0);
      sums->delta_kib += proc->delta_kib;
      /* Only a member the group's history already counts moves that history. */
      if (memscope_process_row_get_parent (row) == group)
        sums->baseline_moved_kib += memscope_process_row_get_baseline_moved_kib (row);
      sums->cpu_pct += MAX (proc->cpu_pct, 0.0);
      sums->tags |= proc->tags;
      if (proc->start_unix > 0 && (sums->start_unix <= 0 || proc->start_unix < sums->start_unix))
        sums->start_unix = proc->start_unix;

      memscope_process_row_set_next_parent (row, group);
      if (memscope_process_row_get_parent (row) != group)
        {
          GPtrArray *list = g_hash_table_lookup (additions, group);

          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (additions, group, list);
            }
          g_ptr_array_add (list, row);
        }
    }

  /* Members that left a group (exited or regrouped) leave in runs; newcomers join in one splice. */
  g_hash_table_iter_init (&iter, self->group_states);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MemscopeProcessRow *group = key;
      GroupState *state = value;
      MemberCheck check = { group, self->generation };
      GPtrArray *list = g_hash_table_lookup (additions, group);
      GListStore *members = memscope_process_row_get_members (group);

      remove_dead (members, keep_member_cb, &check);
      if (list != NULL)
        {
          for (guint i = 0; i < list->len; i++)
            memscope_process_row_set_parent (g_ptr_array_index (list, i), group);
          g_list_store_splice (members, g_list_model_get_n_items (G_LIST_MODEL (members)), 0,
                               list->pdata, list->len);
        }
      state->sums.tags = strongest_tag (state->sums.tags);
      memscope_process_row_update_group (group, &state->sums);
    }

  /* The top level: what no longer stands for its group leaves in runs (a group down to one
   * member, a lone process that gained company or exited); what newly does arrives in one
   * splice, in snapshot order. */
  if (n_top_before > 0)
    remove_dead (self->groups, keep_top_level_cb, self);
  g_ptr_array_set_size (self->scratch, 0);
  for (guint i = 0; i < self->live->len; i++)
    {
      MemscopeProcessRow *row = g_ptr_array_index (self->live, i);
      MemscopeProcessRow *group = memscope_process_row_get_next_parent (row);
      MemscopeProcessRow *shown = n_members_now (self, group) >= 2 ? group : row;

      if (g_hash_table_add (self->top_level, shown))
        g_ptr_array_add (self->scratch, shown);
    }
  if (self->scratch->len > 0)
    g_list_store_splice (self->groups, g_list_model_get_n_items (G_LIST_MODEL (self->groups)), 0,
                         self->scratch->pdata, self->scratch->len);

  /* Forget empty groups only after they left the store. */
  g_hash_table_iter_init (&iter, self->group_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (n_members_now (self, value) == 0)
        {
          g_hash_table_remove (self->group_states, value);
          g_hash_table_iter_remove (&iter);
        }
    }
}

/* A process is listed once it has lived MEMSCOPE_LIST_MIN_AGE_S.  One that lives a second or two
 * (a build starts dozens a second) has no growth to show and is gone before anybody could act on
 * it; listed, each would cost the window a row's widgets made, measured and destroyed again.  The
 * machine's figures, the timeline and blame still count it.  Age is taken from the sampler's own
 * clock (how long the process has been seen), since a start time derived from the boot time in
 * whole seconds may be up to a second early; a process that was already older than that when
 * first seen is listed at once, as is one whose start time is not known (0). */
static gboolean
too_young_to_list (const ms_snapshot_t *snap,
                   const ms_proc_t     *proc)
{
  return snap->time_s - proc->first_seen_s < MEMSCOPE_LIST_MIN_AGE_S
         && proc->start_unix > 0
         && snap->time_unix - proc->start_unix < MEMSCOPE_LIST_MIN_AGE_S + 1.0;
}

/* Applies one snapshot: surviving rows are updated in place (notifying only what changed), rows of
 * exited processes leave in contiguous runs, new processes arrive in one splice at the end.
 * Returns FALSE for a stale snapshot (one not newer than the last applied), which is dropped. */
gboolean
memscope_process_model_apply (MemscopeProcessModel   *self,
                              const MemscopeSnapshot *snapshot)
{
  const ms_snapshot_t *snap;
  guint n_before;
  uid_t my_uid = self->reader_uid;
  g_autoptr(GArray) updates = NULL;

  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  if (self->snapshot != NULL && snapshot->serial <= self->snapshot->serial)
    return FALSE;

  snap = &snapshot->base;
  updates = g_array_sized_new (FALSE, FALSE, sizeof (gsize), snap->n_procs);
  self->generation++;
  if (self->generation == 0)
    self->generation = 1;
  n_before = g_list_model_get_n_items (G_LIST_MODEL (self->processes));

  g_ptr_array_set_size (self->scratch, 0);
  g_ptr_array_set_size (self->live, 0);
  self->n_pss_hidden = 0;

  for (gsize i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *proc = &snap->procs[i];
      RowKey key = { proc->pid, proc->starttime };
      const char *explanation = memscope_snapshot_get_explanation (snapshot, i);
      MemscopeProcessRow *row = g_hash_table_lookup (self->rows, &key);

      if (row == NULL && too_young_to_list (snap, proc))
        continue;
      if (row == NULL)
        {
          row = memscope_process_row_new (proc, explanation, snap->time_s);
          memscope_process_row_set_icon (row, lookup_icon (self, proc->group));
          g_hash_table_insert (self->rows, g_memdup2 (&key, sizeof key), row);
          g_ptr_array_add (self->scratch, row);
        }
      else if (memscope_process_row_get_mark (row) == self->generation)
        {
          /* The same identity twice in one snapshot: keep the first. */
          continue;
        }
      else
        g_array_append_val (updates, i);

      memscope_process_row_set_mark (row, self->generation);
      g_ptr_array_add (self->live, row);
      /* Unknown for want of permission, not for want of a turn: root may read every process,
       * and a process seen for less than the first full pass may simply not be read yet. */
      if (proc->pss_kib < 0 && !proc->kernel_thread && proc->state != 'Z' && my_uid != 0
          && proc->uid != my_uid && snap->time_s - proc->first_seen_s > MEMSCOPE_PSS_FIRST_PASS_S)
        self->n_pss_hidden++;
    }

  if (n_before > 0)
    remove_dead (self->processes, keep_seen_cb, GUINT_TO_POINTER (self->generation));

  /* Dead rows leave the table only now that no list shows them. */
  if (g_hash_table_size (self->rows) != self->live->len)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (memscope_process_row_get_mark (value) != self->generation)
          g_hash_table_iter_remove (&iter);
    }

  if (self->scratch->len > 0)
    g_list_store_splice (self->processes,
                         g_list_model_get_n_items (G_LIST_MODEL (self->processes)), 0,
                         self->scratch->pdata, self->scratch->len);

  /* Surviving rows change only after the splice: a sorted view inserts the newcomers by comparing
   * them with rows whose values must still match the order it holds, or its sort sees an
   * inconsistent order.  The view moves what is out of order once "applied" is emitted. */
  for (guint u = 0; u < updates->len; u++)
    {
      gsize i = g_array_index (updates, gsize, u);
      const ms_proc_t *proc = &snap->procs[i];
      RowKey key = { proc->pid, proc->starttime };

      memscope_process_row_update (g_hash_table_lookup (self->rows, &key), proc,
                                   memscope_snapshot_get_explanation (snapshot, i), snap->time_s);
    }

  if (self->grouping)
    update_groups (self, snap->time_s);

  g_clear_pointer (&self->snapshot, memscope_snapshot_unref);
  self->snapshot = memscope_snapshot_ref (snapshot);

  g_signal_emit (self, signals[APPLIED], 0);
  return TRUE;
}

GListModel *
memscope_process_model_get_processes (MemscopeProcessModel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), NULL);
  return G_LIST_MODEL (self->processes);
}

GListModel *
memscope_process_model_get_groups (MemscopeProcessModel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), NULL);
  return G_LIST_MODEL (self->groups);
}

/* Groups are kept only while shown: off, they cost nothing per tick. */
void
memscope_process_model_set_grouping (MemscopeProcessModel *self,
                                     gboolean              grouping)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self));

  grouping = !!grouping;
  if (self->grouping == grouping)
    return;
  self->grouping = grouping;

  if (grouping)
    {
      if (self->snapshot != NULL)
        update_groups (self, self->snapshot->base.time_s);
    }
  else
    {
      for (guint i = 0; i < self->live->len; i++)
        {
          memscope_process_row_set_parent (g_ptr_array_index (self->live, i), NULL);
          memscope_process_row_set_next_parent (g_ptr_array_index (self->live, i), NULL);
        }
      g_list_store_remove_all (self->groups);
      g_hash_table_remove_all (self->top_level);
      g_hash_table_remove_all (self->group_states);
      g_hash_table_remove_all (self->group_rows);
    }
}

gboolean
memscope_process_model_get_grouping (MemscopeProcessModel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), FALSE);
  return self->grouping;
}

MemscopeSnapshot *
memscope_process_model_get_snapshot (MemscopeProcessModel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), NULL);
  return self->snapshot;
}

MemscopeProcessRow *
memscope_process_model_lookup (MemscopeProcessModel *self,
                               gint32                pid,
                               guint64               starttime)
{
  RowKey key = { pid, starttime };

  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), NULL);
  return g_hash_table_lookup (self->rows, &key);
}

/* Processes of other users whose PSS the kernel does not show us. */
void
memscope_process_model_set_reader_uid (MemscopeProcessModel *self,
                                       uid_t                 uid)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self));
  self->reader_uid = uid;
}

guint
memscope_process_model_get_n_pss_hidden (MemscopeProcessModel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_MODEL (self), 0);
  return self->n_pss_hidden;
}
