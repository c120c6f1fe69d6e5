/* SPDX-License-Identifier: MIT */
/* Wires the alert policy to the sampler, notifications, the tray and settings. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-alerts.h"
#include "memscope-background.h"
#include "memscope-sampler-thread.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_ALERTS_CONTROLLER (memscope_alerts_controller_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeAlertsController, memscope_alerts_controller, MEMSCOPE,
                      ALERTS_CONTROLLER, GObject)

/* Adds the app actions inspect-process, ignore-process and pause-alerts to `application`,
 * feeds the policy from `sampler`, exports the tray icon on the application's bus and follows
 * the alert keys of `settings`; going to the background tells `background` (the application's,
 * which follows start-at-login).  `get_window` returns the main window or
 * NULL when there is none yet: app.inspect-process and the tray's Inspect entries present it
 * and activate its action win.inspect-process.  The process the user is looking at is the
 * application's to tell the alerts (memscope_alerts_set_focused). */
typedef GtkWindow *(*MemscopeWindowGetter) (GtkApplication *application);

MemscopeAlertsController *memscope_alerts_controller_new (GtkApplication        *application,
                                                          GSettings             *settings,
                                                          MemscopeSamplerThread *sampler,
                                                          MemscopeBackground    *background,
                                                          MemscopeWindowGetter   get_window);
/* The window was hidden and memscope keeps running: the first time ever, say how to get back
 * and how to quit. */
void memscope_alerts_controller_went_background (MemscopeAlertsController *self);
MemscopeAlerts *memscope_alerts_controller_get_alerts (MemscopeAlertsController *self);

/* Opens (or presents) the window of the remote machine `destination` (the text
 * memscope_application_open_remote takes); NULL when it cannot. */
typedef GtkWindow *(*MemscopeRemoteOpener) (GtkApplication *application,
                                            const char     *destination);

/* The app actions inspect-remote-process and ignore-remote-process (target (machine, pid,
 * starttime)) and the tray's entries for another machine's leaks open that machine's window with
 * `open_remote` and activate its win.inspect-process. */
void memscope_alerts_controller_set_remote_opener (MemscopeAlertsController *self,
                                                   MemscopeRemoteOpener      open_remote);

/* The remote machine shown as `name` (its display name; reached as `destination`) feeds the
 * same alert policy from `sampler`, with its own state: its popups and tray entries name it.
 * Returns its alerts (owned by the controller), until memscope_alerts_controller_remove_machine
 * or another add under the same name. */
MemscopeAlerts *memscope_alerts_controller_add_machine    (MemscopeAlertsController *self,
                                                           const char               *name,
                                                           const char               *destination,
                                                           MemscopeSamplerThread    *sampler);
void            memscope_alerts_controller_remove_machine (MemscopeAlertsController *self,
                                                           const char               *name);

G_END_DECLS
