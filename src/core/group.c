/* SPDX-License-Identifier: MIT */
/* Formats and labels of group keys. */
#include "config.h"

#include "group.h"

#include <stdio.h>
#include <string.h>

void
ms_group_key_app (const char *app_id, char *out, size_t out_len)
{
  snprintf (out, out_len, "app:%s", app_id);
}

void
ms_group_key_tree (const char *exe, int32_t root_pid, char *out, size_t out_len)
{
  snprintf (out, out_len, "tree:%s:%d", exe, (int) root_pid);
}

void
ms_group_key_name (const char *comm, char *out, size_t out_len)
{
  snprintf (out, out_len, "name:%s", comm);
}

void
ms_group_key_kernel (char *out, size_t out_len)
{
  snprintf (out, out_len, "kernel");
}

size_t
ms_group_label (const char *key, char *out, size_t out_len)
{
  int n;

  if (out_len == 0)
    return 0;
  if (strncmp (key, "app:", 4) == 0)
    n = snprintf (out, out_len, "%s", key + 4);
  else if (strncmp (key, "name:", 5) == 0)
    n = snprintf (out, out_len, "%s", key + 5);
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
