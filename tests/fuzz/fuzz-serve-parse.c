/* SPDX-License-Identifier: MIT */
/* Fuzz target: what serve reads from outside (--listen, a scraper's Accept header) and the label
 * escaping that puts process names into its exposition. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "metrics.h"
#include "serve-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* An escaped label value must be valid UTF-8 without a raw line feed, and every quote and
 * backslash in it must be escaped. */
static void
check_label (const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t i = 0;

  while (i < len)
    {
      int n = ms_utf8_sequence_length (p + i, len - i);

      if (n == 0 || p[i] == '\n' || p[i] == '"')
        __builtin_trap ();
      if (p[i] == '\\')
        {
          if (i + 1 >= len || (p[i + 1] != '\\' && p[i + 1] != '"' && p[i + 1] != 'n'))
            __builtin_trap ();
          i += 2;
          continue;
        }
      i += (size_t) n;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = malloc (size + 1);
  ms_listen_t listen_addr;
  ms_text_t label = { 0 };
  char err[256], formatted[80];
  ms_expo_format_t format;

  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';

  if (ms_listen_parse (text, &listen_addr, err, sizeof err))
    {
      ms_listen_t again;

      /* What parses formats to something that parses to the same address. */
      ms_listen_format (&listen_addr, formatted, sizeof formatted);
      if (!ms_listen_parse (formatted, &again, err, sizeof err)
          || memcmp (&again, &listen_addr, sizeof again) != 0)
        __builtin_trap ();
    }
  else if (err[0] == '\0')
    __builtin_trap ();

  format = ms_expo_negotiate (text);
  if (format != MS_EXPO_TEXT && format != MS_EXPO_OPENMETRICS)
    __builtin_trap ();

  ms_text_label_value (&label, text);
  if (!label.failed && label.len > 0)
    check_label (label.data, label.len);
  ms_text_free (&label);
  free (text);
  return 0;
}
