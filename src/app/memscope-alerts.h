/* SPDX-License-Identifier: MIT */
/* The alert policy: from snapshots and tag events, decides which popups to show or withdraw. */
#pragma once

#include <glib-object.h>

#include "ms-types.h"

G_BEGIN_DECLS

typedef enum
{
  MEMSCOPE_ALERT_LEAK,       /* one process is leaking */
  MEMSCOPE_ALERT_SPIKE,      /* one process jumped */
  MEMSCOPE_ALERT_SUMMARY,    /* several processes started leaking at once */
  MEMSCOPE_ALERT_LOW_MEMORY, /* MemAvailable under the threshold or memory pressure high */
  MEMSCOPE_ALERT_OOM_KILL,   /* the kernel's OOM killer ended processes */
} MemscopeAlertKind;

/* One process an alert is about.  `name` is the process name made valid UTF-8 with control
 * characters replaced, but otherwise untrusted: escape it wherever markup may be rendered. */
typedef struct
{
  gint32 pid;
  guint64 starttime;
  char *name;
  char *exe;            /* executable path, NULL when unknown */
  double rate_kib_s;    /* LEAK growth rate; NAN when unknown */
  double duration_s;    /* how long the growth has lasted; NAN when unknown */
  double exhaust_s;     /* until MemAvailable runs out at this rate; NAN when unknown */
  double jump_kib;      /* SPIKE size; NAN when it does not apply */
  gint64 footprint_kib; /* rss + swap at the last sample */
  gint64 growth_kib;    /* growth since the leak began (LEAK), else since first seen */
  char *machine;        /* the remote machine it runs on (its display name); NULL: this one */
} MemscopeAlertProcess;

#define MEMSCOPE_TYPE_ALERT (memscope_alert_get_type ())

typedef struct
{
  MemscopeAlertKind kind;
  char *id;           /* notification id: a repeated id replaces the earlier popup */
  GArray *processes;  /* MemscopeAlertProcess: the process; the leakers; the top growers;
                       * the processes that vanished with the OOM kill, largest first */
  gint64 mem_total_kib;
  gint64 mem_available_kib;
  double pressure_some_avg10; /* NAN when the kernel does not report pressure */
  guint64 n_oom_kills;        /* OOM_KILL: how many the counter rose by */
  char *machine;              /* the remote machine (display name); NULL: this one */
} MemscopeAlert;

GType          memscope_alert_get_type (void) G_GNUC_CONST;
MemscopeAlert *memscope_alert_ref      (MemscopeAlert *alert);
void           memscope_alert_unref    (MemscopeAlert *alert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemscopeAlert, memscope_alert_unref)

#define MEMSCOPE_TYPE_ALERTS (memscope_alerts_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeAlerts, memscope_alerts, MEMSCOPE, ALERTS, GObject)

MemscopeAlerts *memscope_alerts_new                  (void);

/* One tick: the snapshot's processes and machine values (an OOM alert when snap->new_oom_kills,
 * derived where the snapshot was made, is not 0), and the tag events of that tick. */
void            memscope_alerts_feed                 (MemscopeAlerts      *self,
                                                      const ms_snapshot_t *snap,
                                                      const ms_event_t    *events,
                                                      gsize                n_events);

/* Settings. */
void            memscope_alerts_set_enabled          (MemscopeAlerts      *self,
                                                      gboolean             enabled);
gboolean        memscope_alerts_get_enabled          (MemscopeAlerts      *self);
void            memscope_alerts_set_notify_tags      (MemscopeAlerts      *self,
                                                      guint                tags);
void            memscope_alerts_set_ignored          (MemscopeAlerts      *self,
                                                      const char * const  *programs);
void            memscope_alerts_set_low_memory_percent (MemscopeAlerts    *self,
                                                      double               percent);
void            memscope_alerts_set_pressure_threshold (MemscopeAlerts    *self,
                                                      double               some_avg10);
void            memscope_alerts_set_cooldown         (MemscopeAlerts      *self,
                                                      double               seconds);
void            memscope_alerts_set_summary_min      (MemscopeAlerts      *self,
                                                      guint                n_processes);

/* The alerts watch the remote machine named `machine` (its display name), NULL for this one:
 * their processes carry the name and their ids are that machine's own. */
void            memscope_alerts_set_machine          (MemscopeAlerts      *self,
                                                      const char          *machine);
const char     *memscope_alerts_get_machine          (MemscopeAlerts      *self);

/* The process inspected in a focused window gets no popup; pid 0 for none. */
void            memscope_alerts_set_focused          (MemscopeAlerts      *self,
                                                      gint32               pid,
                                                      guint64              starttime);

/* No popups for `seconds` (shown ones are withdrawn); 0 resumes. */
void            memscope_alerts_pause                (MemscopeAlerts      *self,
                                                      double               seconds);
gboolean        memscope_alerts_get_paused           (MemscopeAlerts      *self);

/* What the Ignore button stores for a process: its executable path, else its name; NULL when the
 * process is unknown. */
char           *memscope_alerts_dup_program          (MemscopeAlerts      *self,
                                                      gint32               pid,
                                                      guint64              starttime);

/* The processes with LEAK set that are not ignored, fastest first, with live figures (for the
 * tray; refreshed every few seconds); borrowed until the next feed or setting change. */
const GArray   *memscope_alerts_get_leaks            (MemscopeAlerts      *self);

/* A process name made safe to show: valid UTF-8, control characters replaced by spaces. */
char           *memscope_alerts_display_name         (const char          *raw);

G_END_DECLS
