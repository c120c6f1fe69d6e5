/* SPDX-License-Identifier: MIT */
/* One line of the process list: a process, or an application grouping processes. */
#pragma once

#include <gio/gio.h>

#include "ms-types.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_PROCESS_ROW (memscope_process_row_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeProcessRow, memscope_process_row, MEMSCOPE, PROCESS_ROW, GObject)

/* PSS older than this is shown as stale rather than as today's value. */
#define MEMSCOPE_PSS_STALE_S 60.0
/* Every readable process has had a PSS reading this long after it was first seen (the sampler's
 * promise of 30 s, and a little slack). */
#define MEMSCOPE_PSS_FIRST_PASS_S 35.0
/* How old a process must be to be listed (seconds; see memscope-process-model.c). */
#define MEMSCOPE_LIST_MIN_AGE_S 2.0

/* Points of delta history kept per row for the sparkline (the last minute at 1 s). */
#define MEMSCOPE_ROW_HISTORY 64

typedef struct
{
  float time_s;
  float delta_kib;
} MemscopeRowPoint;

typedef struct
{
  guint   n_members;
  guint   n_rss_members; /* members whose PSS was unknown, counted with their RSS instead */
  gint64  rss_kib;
  gint64  pss_kib;       /* PSS where known, else RSS (see n_rss_members) */
  gint64  swap_kib;
  gint64  delta_kib;
  gint64  baseline_moved_kib; /* how far members that stayed in the group moved their baselines */
  double  cpu_pct;
  guint32 tags;          /* the strongest tag among the members */
  double  start_unix;    /* of the oldest member */
  double  time_s;
} MemscopeGroupSums;

MemscopeProcessRow *memscope_process_row_new            (const ms_proc_t          *proc,
                                                         const char               *explanation,
                                                         double                    time_s);
MemscopeProcessRow *memscope_process_row_new_group      (const char               *key,
                                                         const char               *label);
gboolean            memscope_process_row_update         (MemscopeProcessRow       *self,
                                                         const ms_proc_t          *proc,
                                                         const char               *explanation,
                                                         double                    time_s);
void                memscope_process_row_update_group   (MemscopeProcessRow       *self,
                                                         const MemscopeGroupSums  *sums);
void                memscope_process_row_set_group_name (MemscopeProcessRow       *self,
                                                         const char               *name);
void                memscope_process_row_set_icon       (MemscopeProcessRow       *self,
                                                         GIcon                    *icon);
gboolean            memscope_process_row_get_is_group   (MemscopeProcessRow       *self);
gint32              memscope_process_row_get_pid        (MemscopeProcessRow       *self);
guint64             memscope_process_row_get_starttime  (MemscopeProcessRow       *self);
guint32             memscope_process_row_get_uid        (MemscopeProcessRow       *self);
const char         *memscope_process_row_get_name       (MemscopeProcessRow       *self);
const char         *memscope_process_row_get_user       (MemscopeProcessRow       *self);
const char         *memscope_process_row_get_cmdline    (MemscopeProcessRow       *self);
const char         *memscope_process_row_get_group_key  (MemscopeProcessRow       *self);
const char         *memscope_process_row_get_explanation (MemscopeProcessRow      *self);
gint64              memscope_process_row_get_rss_kib    (MemscopeProcessRow       *self);
gint64              memscope_process_row_get_pss_kib    (MemscopeProcessRow       *self);
gint64              memscope_process_row_get_delta_kib  (MemscopeProcessRow       *self);
gint64              memscope_process_row_get_swap_kib   (MemscopeProcessRow       *self);
double              memscope_process_row_get_cpu_pct    (MemscopeProcessRow       *self);
gboolean            memscope_process_row_get_pss_stale  (MemscopeProcessRow       *self);
double              memscope_process_row_get_start_unix (MemscopeProcessRow       *self);
GIcon              *memscope_process_row_get_icon       (MemscopeProcessRow       *self);
guint32             memscope_process_row_get_tags       (MemscopeProcessRow       *self);
guint               memscope_process_row_get_n_members  (MemscopeProcessRow       *self);
guint               memscope_process_row_get_n_rss_members (MemscopeProcessRow    *self);
const ms_proc_t    *memscope_process_row_get_proc       (MemscopeProcessRow       *self);
GListStore         *memscope_process_row_get_members    (MemscopeProcessRow       *self);
/* A number a column sorts by. */
typedef enum
{
  MEMSCOPE_ROW_FIELD_PID,
  MEMSCOPE_ROW_FIELD_RSS,
  MEMSCOPE_ROW_FIELD_PSS,
  MEMSCOPE_ROW_FIELD_SWAP,
  MEMSCOPE_ROW_FIELD_CPU,
  MEMSCOPE_ROW_FIELD_DELTA,
  MEMSCOPE_ROW_FIELD_TAGS,
  MEMSCOPE_ROW_FIELD_STARTED,
} MemscopeRowField;

/* Ascending order of field: -1, 0 or 1, as GtkOrdering; a GtkCustomSorter function (field as
 * its data). */
int                 memscope_process_row_compare        (gconstpointer             a,
                                                         gconstpointer             b,
                                                         gpointer                  field);

/* "history-serial" is notified only while someone watches (counted: each watch, then unwatch). */
void                memscope_process_row_watch_history  (MemscopeProcessRow       *self,
                                                         gboolean                  watch);
/* How far the last update moved the process's baseline (a reset or an undone one), 0 when it
 * did not; the history moved the other way with it. */
gint64              memscope_process_row_get_baseline_moved_kib (MemscopeProcessRow *self);
gsize               memscope_process_row_get_history    (MemscopeProcessRow       *self,
                                                         MemscopeRowPoint         *out,
                                                         gsize                     max);
guint64             memscope_process_row_count_notifications (void);
gboolean            memscope_process_row_matches        (MemscopeProcessRow       *self,
                                                         const char               *needle_casefold);

/* Bookkeeping that only MemscopeProcessModel uses: the tick a row was last seen in, and the group
 * row it is listed under now and after this tick (borrowed pointers). */
guint               memscope_process_row_get_mark       (MemscopeProcessRow       *self);
void                memscope_process_row_set_mark       (MemscopeProcessRow       *self,
                                                         guint                     mark);
MemscopeProcessRow *memscope_process_row_get_parent     (MemscopeProcessRow       *self);
void                memscope_process_row_set_parent     (MemscopeProcessRow       *self,
                                                         MemscopeProcessRow       *parent);
MemscopeProcessRow *memscope_process_row_get_next_parent (MemscopeProcessRow      *self);
void                memscope_process_row_set_next_parent (MemscopeProcessRow      *self,
                                                          MemscopeProcessRow      *parent);

G_END_DECLS
