/* SPDX-License-Identifier: MIT */
/* Fuzz target: remote destinations (memscope --remote), ssh's stderr, what `uname -sm` says and
 * the ELF header of the probe to copy. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "memscope-remote-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (text, &error);
  g_autoptr(MemscopeRemoteDestination) again = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *display = NULL;
  g_autofree char *message = NULL;
  g_auto(GStrv) argv = NULL;
  guint n;

  /* Whatever ssh wrote, classifying and describing it is safe. */
  message = memscope_remote_describe (memscope_remote_classify (255 << 8, text),
                                      &(MemscopeRemoteDestination) { NULL, (char *) "box", 0 },
                                      255 << 8, text);
  if (!g_utf8_validate (message, -1, NULL))
    __builtin_trap ();

  /* The input as uname's answer about a remote, and as the probe to copy there. */
  {
    g_autoptr(GBytes) probe = g_bytes_new (data, size);
    g_autoptr(GError) uname_error = NULL;
    g_autofree char *machine = memscope_remote_probe_machine (probe);
    MemscopeRemoteDestination box = { NULL, (char *) "box", 0 };

    if (!memscope_remote_check_uname (&box, text, probe, &uname_error)
        && (uname_error == NULL || !g_utf8_validate (uname_error->message, -1, NULL)))
      __builtin_trap ();
    if (machine != NULL && (size < 20 || memcmp (data, "\177ELF", 4) != 0))
      __builtin_trap ();
  }

  if (dest == NULL)
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
        __builtin_trap ();
      return 0;
    }
  /* Nothing ssh would read as an option, nothing a terminal would act on. */
  if (dest->host[0] == '-' || dest->host[0] == '\0' || (dest->user && dest->user[0] == '-'))
    __builtin_trap ();
  for (const char *p = dest->host; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == ' ')
      __builtin_trap ();
  /* The stored form names the same machine. */
  canonical = memscope_remote_destination_to_string (dest);
  again = memscope_remote_destination_parse (canonical, NULL);
  if (again == NULL || g_strcmp0 (again->user, dest->user) != 0
      || g_strcmp0 (again->host, dest->host) != 0 || again->port != dest->port)
    __builtin_trap ();
  display = memscope_remote_destination_dup_display_name (dest);
  if (display == NULL || !g_utf8_validate (display, -1, NULL))
    __builtin_trap ();
  argv = memscope_remote_build_argv (dest, "true");
  n = g_strv_length (argv);
  if (n < 4 || strcmp (argv[n - 3], dest->host) != 0 || strcmp (argv[n - 2], "--") != 0)
    __builtin_trap ();
  return 0;
}
