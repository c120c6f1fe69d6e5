/* SPDX-License-Identifier: MIT */
/* Group keys: which application a process belongs to, so multi-process apps fold into one row. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Key forms (ms_proc_t.group):
 *   "app:ID"           the process runs in a desktop application's cgroup scope (systemd app
 *                      scope, Flatpak, Snap); ID is the application id, e.g. org.mozilla.firefox
 *   "tree:EXE:PID"     else: the topmost ancestor PID that runs the same executable EXE, so a
 *                      browser's helper processes join their parent
 *   "name:COMM"        else (the executable cannot be read: another user's process): the name
 *   "kernel"           kernel threads
 */
void ms_group_key_app (const char *app_id, char *out, size_t out_len);
void ms_group_key_tree (const char *exe, int32_t root_pid, char *out, size_t out_len);
void ms_group_key_name (const char *comm, char *out, size_t out_len);
void ms_group_key_kernel (char *out, size_t out_len);

/* A short name for a group, for display: the app id, the executable's file name, the process
 * name, or "Kernel threads".  Returns the length written. */
size_t ms_group_label (const char *key, char *out, size_t out_len);
