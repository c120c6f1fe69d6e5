/* SPDX-License-Identifier: MIT */
/* Group keys: which application a process belongs to, so multi-process apps fold into one row. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Key forms (ms_proc_t.group):
 *   "app:ID"           the process runs in a desktop application's cgroup scope (systemd app
 *                      scope, Flatpak, Snap); ID is the application id, e.g. org.mozilla.firefox.
 *                      /proc/PID/cgroup is readable for every user's processes and is set by
 *                      whoever launched the application, unlike its environment.
 *   "tree:EXE:PID"     else: the topmost ancestor PID that runs the same executable EXE, so a
 *                      browser's helper processes join their parent.  EXE is cut to fit, never
 *                      PID: the key always ends in ":PID"
 *   "name:NAME"        else (the executable cannot be read: another user's process): the
 *                      program's full name (ms_proc_t.name, see ms_full_name)
 *   "kernel"           kernel threads
 */
void ms_group_key_app (const char *app_id, char *out, size_t out_len);
void ms_group_key_tree (const char *exe, int32_t root_pid, char *out, size_t out_len);
void ms_group_key_name (const char *name, char *out, size_t out_len);
void ms_group_key_kernel (char *out, size_t out_len);

/* The PID of a "tree:" key's topmost process, which is always one of the group's members;
 * -1 for other keys. */
int32_t ms_group_top_pid (const char *key);

/* The name a group goes by: the application id, the full name of the tree's topmost process
 * (`top_name`, the ms_proc_t.name of the process ms_group_top_pid names; NULL or empty when
 * unknown, then the executable's file name), the name a "name:" key carries, or "Kernel
 * threads".  The bytes are the process's own and may be any (the caller makes them safe to
 * show).  Returns the length written. */
size_t ms_group_label (const char *key, const char *top_name, char *out, size_t out_len);
