/* SPDX-License-Identifier: MIT */
/* Turns alerts into desktop notifications (GNotification) with Inspect and Ignore buttons. */
#pragma once

#include <gio/gio.h>

#include "memscope-alerts.h"

G_BEGIN_DECLS

/* App actions the notifications point at; the target of both is (pid, starttime) as "(it)". */
#define MEMSCOPE_ACTION_INSPECT "inspect-process"
#define MEMSCOPE_ACTION_IGNORE "ignore-process"
#define MEMSCOPE_PROCESS_TARGET_TYPE "(it)"
/* The same for a process on a remote machine: (machine's display name, pid, starttime). */
#define MEMSCOPE_ACTION_INSPECT_REMOTE "inspect-remote-process"
#define MEMSCOPE_ACTION_IGNORE_REMOTE "ignore-remote-process"
#define MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE "(sit)"

#define MEMSCOPE_NOTIFICATION_BACKGROUND "background"

#define MEMSCOPE_TYPE_NOTIFIER (memscope_notifier_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeNotifier, memscope_notifier, MEMSCOPE, NOTIFIER, GObject)

MemscopeNotifier *memscope_notifier_new                  (GApplication        *application);
void              memscope_notifier_show                 (MemscopeNotifier    *self,
                                                          const MemscopeAlert *alert);
void              memscope_notifier_withdraw             (MemscopeNotifier    *self,
                                                          const char          *id);
/* The first time memscope goes to the background: how to get back and how to quit. */
void              memscope_notifier_show_background_hint (MemscopeNotifier    *self,
                                                          gboolean             have_tray);

G_END_DECLS
