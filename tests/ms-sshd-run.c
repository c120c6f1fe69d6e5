/* SPDX-License-Identifier: MIT */
/* tests/ms-sshd.c as a program, for test scripts: starts sshd, prints where everything is, obeys
 * commands on stdin and ends sshd when its input ends. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>

#include "ms-sshd.h"

/* Usage: ms-sshd-run [PROBE]
 * Prints "config PATH", "port N", "cache PATH", "bare-cache PATH", "dir PATH", "pid N", then
 * "ready", one a line.
 * Commands, one a line: "drop" (ends every connection; answers "dropped N"), "probe PATH" or
 * "probe" (links PATH as the remote PATH's memscope-probe, or removes it; answers "ok"),
 * "count" (answers "connections N").  End of input stops sshd and removes its directory. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(MsSshd) sshd = NULL;
  char line[4096];

  /* The script's end ends this program, and so sshd (which dies with this program). */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  sshd = ms_sshd_start (argc > 1 ? argv[1] : NULL);
  printf ("config %s\nport %u\ncache %s\nbare-cache %s\ndir %s\npid %d\nready\n",
          ms_sshd_get_client_config (sshd), ms_sshd_get_port (sshd),
          ms_sshd_get_cache_dir (sshd), ms_sshd_get_bare_cache_dir (sshd),
          ms_sshd_get_dir (sshd), (int) ms_sshd_get_pid (sshd));
  fflush (stdout);
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_strchomp (line);
      if (strcmp (line, "drop") == 0)
        printf ("dropped %u\n", ms_sshd_drop_connections (sshd));
      else if (strcmp (line, "count") == 0)
        printf ("connections %u\n", ms_sshd_count_connections (sshd));
      else if (strcmp (line, "probe") == 0)
        {
          ms_sshd_set_probe_on_path (sshd, NULL);
          printf ("ok\n");
        }
      else if (strncmp (line, "probe ", 6) == 0)
        {
          ms_sshd_set_probe_on_path (sshd, line + 6);
          printf ("ok\n");
        }
      else
        printf ("unknown command\n");
      fflush (stdout);
    }
  return 0;
}
