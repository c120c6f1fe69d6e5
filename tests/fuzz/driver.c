/* SPDX-License-Identifier: MIT */
/* Replays a fuzz target's seed corpus without libFuzzer, so every build checks the seeds. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
replay_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0, n;

  if (f == NULL)
    {
      perror (path);
      return -1;
    }
  do
    {
      if (len == cap)
        {
          uint8_t *grown;

          cap = cap ? cap * 2 : 4096;
          grown = realloc (buf, cap);
          if (grown == NULL)
            {
              free (buf);
              fclose (f);
              return -1;
            }
          buf = grown;
        }
      n = fread (buf + len, 1, cap - len, f);
      len += n;
    }
  while (n > 0);
  fclose (f);
  /* An exact-size copy, so AddressSanitizer sees reads past the input's end. */
  {
    uint8_t *exact = malloc (len ? len : 1);

    if (exact == NULL)
      {
        free (buf);
        return -1;
      }
    memcpy (exact, buf, len);
    free (buf);
    LLVMFuzzerTestOneInput (exact, len);
    free (exact);
  }
  return 0;
}

int
main (int argc, char **argv)
{
  int replayed = 0;

  for (int i = 1; i < argc; i++)
    {
      DIR *dir = opendir (argv[i]);
      struct dirent *entry;

      if (dir == NULL)
        {
          if (replay_file (argv[i]) != 0)
            return 1;
          replayed++;
          continue;
        }
      while ((entry = readdir (dir)) != NULL)
        {
          char path[4096];

          if (entry->d_name[0] == '.')
            continue;
          snprintf (path, sizeof path, "%s/%s", argv[i], entry->d_name);
          if (replay_file (path) != 0)
            {
              closedir (dir);
              return 1;
            }
          replayed++;
        }
      closedir (dir);
    }
  printf ("replayed %d inputs\n", replayed);
  return replayed > 0 ? 0 : 1;
}
