/* SPDX-License-Identifier: MIT */
/* Fuzz target: /proc/meminfo, /proc/pressure/memory and key-value files (vmstat, stat). */
#include "config.h"

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_meminfo_t mem;
  ms_pressure_t pressure;
  uint64_t v;

  ms_parse_meminfo ((const char *) data, size, &mem);
  if (ms_parse_pressure ((const char *) data, size, &pressure) == 0
      && (!pressure.valid || pressure.some_avg10 < 0))
    __builtin_trap ();
  ms_parse_key_u64 ((const char *) data, size, "oom_kill", &v);
  ms_parse_key_u64 ((const char *) data, size, "btime", &v);
  return 0;
}
