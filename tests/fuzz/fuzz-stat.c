/* SPDX-License-Identifier: MIT */
/* Fuzz target: /proc/PID/stat. */
#include "config.h"

#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_stat_t st;

  if (ms_parse_stat ((const char *) data, size, &st) == 0)
    {
      /* A parsed name is always terminated and fits. */
      if (strlen (st.comm) >= sizeof st.comm || st.pid <= 0)
        __builtin_trap ();
    }
  return 0;
}
