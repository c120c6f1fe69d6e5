/* SPDX-License-Identifier: MIT */
/* Fuzz target: the corpus label reader on any bytes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corpus-label.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ms_label_t label;
  char err[256];
  int rc = ms_label_parse ((const char *) data, size, "fuzz.json", &label, err, sizeof err);

  /* A refusal says where; an accepted label holds terminated strings and a consistent leak. */
  if (rc < 0 && strncmp (err, "fuzz.json: byte ", 16) != 0)
    abort ();
  if (rc == 0)
    {
      if (strlen (label.trace) >= sizeof label.trace || strlen (label.kind) >= sizeof label.kind
          || strlen (label.comm) >= sizeof label.comm || label.pid < 1
          || strchr (label.trace, '/') != NULL)
        abort ();
      if (label.leak != (label.leak_start_s == label.leak_start_s))
        abort ();
    }
  return 0;
}
