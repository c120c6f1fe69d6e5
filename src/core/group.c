/* SPDX-License-Identifier: MIT */
/* Formats and labels of group keys. */
#include "config.h"

#include "group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ms_group_key_app (const char *app_id, char *out, size_t out_len)
{
  snprintf (out, out_len, "app:%s", app_id);
}

void
ms_group_key_tree (const char *exe, int32_t root_pid, char *out, size_t out_len)
{
  char pid[16];
  size_t pid_len = (size_t) snprintf (pid, sizeof pid, ":%d", (int) root_pid);
  size_t exe_len = strlen (exe);
  size_t room = out_len > 5 + pid_len + 1 ? out_len - (5 + pid_len + 1) : 0;

  /* A long path gives way to the PID: cut, two trees of one executable still differ. */
  if (exe_len > room)
    exe_len = room;
  snprintf (out, out_len, "tree:%.*s%s", (int) exe_len, exe, pid);
}

void
ms_group_key_name (const char *name, char *out, size_t out_len)
{
  snprintf (out, out_len, "name:%s", name);
}

void
ms_group_key_kernel (char *out, size_t out_len)
{
  snprintf (out, out_len, "kernel");
}

int32_t
ms_group_top_pid (const char *key)
{
  const char *colon;
  char *end;
  long pid;

  if (strncmp (key, "tree:", 5) != 0)
    return -1;
  colon = strrchr (key + 5, ':');
  if (colon == NULL || colon[1] < '0' || colon[1] > '9')
    return -1;
  pid = strtol (colon + 1, &end, 10);
  if (*end != '\0' || pid <= 0 || pid > INT32_MAX)
    return -1;
  return (int32_t) pid;
}

size_t
ms_group_label (const char *key, const char *top_name, char *out, size_t out_len)
{
  int n;

  if (out_len == 0)
    return 0;
  if (strncmp (key, "app:", 4) == 0)
    n = snprintf (out, out_len, "%s", key + 4);
  else if (strncmp (key, "name:", 5) == 0)
    n = snprintf (out, out_len, "%s", key + 5);
  else if (strncmp (key, "tree:", 5) == 0 && top_name != NULL && top_name[0] != '\0')
    /* What the application calls itself (a renamed process keeps its name), not the file. */
    n = snprintf (out, out_len, "%s", top_name);
  else if (strncmp (key, "tree:", 5) == 0)
    {
      const char *exe = key + 5;
      const char *colon = strrchr (exe, ':');
      const char *slash;
      size_t len = colon ? (size_t) (colon - exe) : strlen (exe);

      slash = memrchr (exe, '/', len);
      if (slash != NULL)
        {
          len -= (size_t) (slash + 1 - exe);
          exe = slash + 1;
        }
      n = snprintf (out, out_len, "%.*s", (int) len, exe);
    }
  else if (strcmp (key, "kernel") == 0)
    n = snprintf (out, out_len, "Kernel threads");
  else
    n = snprintf (out, out_len, "%s", key);
  if (n < 0)
    return 0;
  return (size_t) n < out_len ? (size_t) n : out_len - 1;
}
