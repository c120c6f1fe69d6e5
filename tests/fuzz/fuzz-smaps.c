/* SPDX-License-Identifier: MIT */
/* Fuzz target: smaps and smaps_rollup sums. */
#include "config.h"

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_smaps_sum_t sum;

  if (ms_parse_smaps_sum ((const char *) data, size, &sum) == 0)
    {
      /* Sums of non-negative values never go negative: overflow is refused, not wrapped. */
      if (sum.pss_kib < 0 || sum.rss_kib < 0 || sum.uss_kib < 0 || sum.swap_pss_kib < 0)
        __builtin_trap ();
    }
  return 0;
}
