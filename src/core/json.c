/* SPDX-License-Identifier: MIT */
/* JSON value writers shared by the probe's outputs. */
#include "config.h"

#include "json.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int
ms_c_format_double (char *buf, size_t len, char conversion, int precision, double v)
{
  const char *point = localeconv ()->decimal_point;
  size_t point_len = point != NULL ? strlen (point) : 0;
  int n = conversion == 'g' ? snprintf (buf, len, "%.*g", precision, v)
                            : snprintf (buf, len, "%.*f", precision, v);
  char *at;

  if (n < 0 || (size_t) n >= len || point_len == 0 || strcmp (point, ".") == 0)
    return n;
  at = strstr (buf, point);
  if (at == NULL)
    return n;
  *at = '.';
  memmove (at + 1, at + point_len, strlen (at + point_len) + 1);
  return n - (int) (point_len - 1);
}

double
ms_c_strtod (const char *s, char **end)
{
  const char *point = localeconv ()->decimal_point;
  size_t point_len = point != NULL ? strlen (point) : 0;
  const char *dot;
  char tmp[128];
  char *tmp_end = NULL;
  double v;

  dot = strchr (s, '.');
  if (point_len == 0 || strcmp (point, ".") == 0 || dot == NULL
      || strlen (s) + point_len >= sizeof tmp)
    return strtod (s, end);
  /* The same text with the locale's point in place of the '.'. */
  memcpy (tmp, s, (size_t) (dot - s));
  memcpy (tmp + (dot - s), point, point_len);
  strcpy (tmp + (dot - s) + point_len, dot + 1);
  v = strtod (tmp, &tmp_end);
  if (end != NULL)
    {
      size_t used = (size_t) (tmp_end - tmp);

      /* Back to positions in s: past the point, the locale's is point_len bytes to s's 1. */
      if (used > (size_t) (dot - s))
        used = used >= (size_t) (dot - s) + point_len ? used - (point_len - 1)
                                                      : (size_t) (dot - s);
      *end = (char *) s + used;
    }
  return v;
}

int
ms_utf8_sequence_length (const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  int len;
  uint32_t cp;

  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    len = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    len = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    len = 4, cp = c & 0x07;
  else
    return 0;
  if ((size_t) len > n)
    return 0;
  for (int i = 1; i < len; i++)
    {
      if ((s[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i] & 0x3f);
    }
  /* Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8. */
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff
      || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

void
ms_json_string (FILE *out, const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t n = strlen (s);

  fputc ('"', out);
  while (n > 0)
    {
      unsigned char c = *p;
      int len;

      if (c == '"' || c == '\\')
        {
          fputc ('\\', out);
          fputc (c, out);
          p++, n--;
          continue;
        }
      if (c < 0x20 || c == 0x7f)
        {
          switch (c)
            {
            case '\n': fputs ("\\n", out); break;
            case '\t': fputs ("\\t", out); break;
            case '\r': fputs ("\\r", out); break;
            default: fprintf (out, "\\u%04x", c); break;
            }
          p++, n--;
          continue;
        }
      len = ms_utf8_sequence_length (p, n);
      if (len == 0)
        {
          fprintf (out, "\\u%04x", c);
          p++, n--;
          continue;
        }
      fwrite (p, 1, (size_t) len, out);
      p += len, n -= (size_t) len;
    }
  fputc ('"', out);
}

void
ms_json_double (FILE *out, double v, int decimals)
{
  char buf[64];
  char *end;

  if (!isfinite (v))
    {
      fputs ("null", out);
      return;
    }
  ms_c_format_double (buf, sizeof buf, 'f', decimals, v);
  if (strchr (buf, '.') != NULL)
    {
      end = buf + strlen (buf) - 1;
      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  if (strcmp (buf, "-0") == 0)
    strcpy (buf, "0");
  fputs (buf, out);
}

void
ms_json_kib (FILE *out, int64_t v, int negative_is_null)
{
  if (v < 0 && negative_is_null)
    fputs ("null", out);
  else
    fprintf (out, "%" PRId64, v);
}
