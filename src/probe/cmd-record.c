/* SPDX-License-Identifier: MIT */
/* Placeholder until this command lands. */
#include "config.h"

#include "probe.h"

int
ms_cmd_record (int argc, char **argv)
{
  ms_probe_error ("record", "not available in this build");
  return 1;
}
