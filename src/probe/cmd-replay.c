/* SPDX-License-Identifier: MIT */
/* Placeholder until this command lands. */
#include "config.h"

#include "probe.h"

int
ms_cmd_replay (int argc, char **argv)
{
  ms_probe_error ("replay", "not available in this build");
  return 1;
}
