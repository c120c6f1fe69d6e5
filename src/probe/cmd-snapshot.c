/* SPDX-License-Identifier: MIT */
/* Placeholder until this command lands. */
#include "config.h"

#include "probe.h"

int
ms_cmd_snapshot (int argc, char **argv)
{
  ms_probe_error ("snapshot", "not available in this build");
  return 1;
}
