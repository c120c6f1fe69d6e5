/* SPDX-License-Identifier: MIT */
/* The tray icon: a StatusNotifierItem with a dbusmenu menu, registered with the watcher. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MEMSCOPE_TRAY_ITEM_PATH "/StatusNotifierItem"
#define MEMSCOPE_TRAY_MENU_PATH "/StatusNotifierItem/Menu"

#define MEMSCOPE_TYPE_TRAY (memscope_tray_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTray, memscope_tray, MEMSCOPE, TRAY, GObject)

/* Exports the item on `connection` (the application's session bus) and registers it whenever a
 * watcher appears.  Signals: "activate" (the icon was clicked), "show-window", "inspect"
 * (pid, starttime), "inspect-remote" (machine, pid, starttime) for a leak on another machine,
 * "toggle-pause", "quit". */
MemscopeTray *memscope_tray_new            (GDBusConnection *connection);

/* `leaks` is a GArray of MemscopeAlertProcess (memscope-alerts.h), fastest first. */
void          memscope_tray_set_leaks      (MemscopeTray    *self,
                                            const GArray    *leaks);
void          memscope_tray_set_paused     (MemscopeTray    *self,
                                            gboolean         paused);
gboolean      memscope_tray_get_registered (MemscopeTray    *self);
const char   *memscope_tray_get_status     (MemscopeTray    *self);

G_END_DECLS
