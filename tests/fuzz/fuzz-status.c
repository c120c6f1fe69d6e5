/* SPDX-License-Identifier: MIT */
/* Fuzz target: /proc/PID/status. */
#include "config.h"

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_status_t st;

  if (ms_parse_status ((const char *) data, size, &st) == 0)
    {
      if (!st.has_uid || st.rss_kib < 0 || st.swap_kib < 0)
        __builtin_trap ();
    }
  return 0;
}
