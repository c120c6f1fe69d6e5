/* SPDX-License-Identifier: MIT */
/* Fuzz target: passwd lines. */
#include "config.h"

#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char name[MS_USER_MAX];
  uint32_t uid;

  if (ms_parse_passwd_line ((const char *) data, size, name, sizeof name, &uid) == 0
      && strlen (name) >= sizeof name)
    __builtin_trap ();
  return 0;
}
