/* SPDX-License-Identifier: MIT */
/* Fuzz target: /proc/PID/cgroup application scopes and cmdline joining. */
#include "config.h"

#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char app_id[MS_GROUP_MAX];
  char small[8];
  char cmdline[64];

  if (ms_parse_cgroup_app ((const char *) data, size, app_id, sizeof app_id) == 0
      && strlen (app_id) >= sizeof app_id)
    __builtin_trap ();
  ms_parse_cgroup_app ((const char *) data, size, small, sizeof small);
  ms_parse_cmdline ((const char *) data, size, cmdline, sizeof cmdline);
  if (strlen (cmdline) >= sizeof cmdline)
    __builtin_trap ();
  return 0;
}
