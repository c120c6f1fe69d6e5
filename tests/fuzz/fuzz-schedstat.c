/* SPDX-License-Identifier: MIT */
/* Fuzz target: /proc/PID/schedstat. */
#include "config.h"

#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  uint64_t run_ns;

  /* Accepted text holds three numbers and an end of line at least. */
  if (ms_parse_schedstat ((const char *) data, size, &run_ns) == 0
      && (size < 6 || memchr (data, '\n', size) == NULL))
    __builtin_trap ();
  return 0;
}
