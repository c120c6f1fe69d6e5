/* SPDX-License-Identifier: MIT */
/* Fuzz target: any bytes as a segment of the rolling store (cut lines, garbage), read back. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char dir[4096];

static void
remove_dir (void)
{
  rmdir (dir);
}

static int
sample_cb (ms_snapshot_t *snap, void *user)
{
  double *last = user;

  /* Samples come in strictly increasing wall-clock order, with sane processes. */
  if (!(snap->time_s > *last) || snap->time_unix != snap->time_s)
    abort ();
  *last = snap->time_s;
  for (size_t i = 0; i < snap->n_procs; i++)
    if (snap->procs[i].pid <= 0 || strlen (snap->procs[i].comm) >= sizeof snap->procs[i].comm)
      abort ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static int made;
  char path[sizeof dir + 64], err[4096 + 512];
  FILE *out;
  double last = -1e300;
  unsigned damaged = 0;

  if (!made)
    {
      const char *tmp = getenv ("TMPDIR");

      snprintf (dir, sizeof dir, "%s/ms-fuzz-store-XXXXXX",
                tmp != NULL && *tmp != '\0' ? tmp : P_tmpdir);
      if (mkdtemp (dir) == NULL)
        abort ();
      atexit (remove_dir);
      made = 1;
    }
  /* The same bytes as a fine and as a coarse segment, a second apart. */
  snprintf (path, sizeof path, "%s/coarse-%015d.csv", dir, 1000);
  out = fopen (path, "wb");
  if (out == NULL)
    abort ();
  fwrite (data, 1, size, out);
  fclose (out);
  snprintf (path, sizeof path, "%s/fine-%015d.csv", dir, 2000);
  out = fopen (path, "wb");
  if (out == NULL)
    abort ();
  fwrite (data, 1, size, out);
  fclose (out);
  if (ms_store_read (dir, -1e300, 1e300, sample_cb, &last, &damaged, err, sizeof err) < 0)
    abort ();
  if (damaged > 0 && err[0] == '\0')
    abort ();
  snprintf (path, sizeof path, "%s/coarse-%015d.csv", dir, 1000);
  unlink (path);
  snprintf (path, sizeof path, "%s/fine-%015d.csv", dir, 2000);
  unlink (path);
  return 0;
}
