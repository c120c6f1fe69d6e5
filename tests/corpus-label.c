/* SPDX-License-Identifier: MIT */
/* Reads the JSON label of one recorded corpus trace: which process leaks, from when, and how. */
#include "config.h"

#include "corpus-label.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *s;
  size_t len, pos;
  const char *name;
  char *err;
  size_t err_len;
} lex_t;

typedef enum
{
  V_STRING,
  V_NUMBER,
  V_TRUE,
  V_FALSE,
  V_NULL
} vtype_t;

static int fail (lex_t *lx, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static int
fail (lex_t *lx, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (lx->err_len == 0)
    return -1;
  n = snprintf (lx->err, lx->err_len, "%s: byte %zu: ", lx->name, lx->pos);
  if (n < 0 || (size_t) n >= lx->err_len)
    return -1;
  va_start (ap, fmt);
  vsnprintf (lx->err + n, lx->err_len - (size_t) n, fmt, ap);
  va_end (ap);
  return -1;
}

static void
skip_space (lex_t *lx)
{
  while (lx->pos < lx->len
         && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' || lx->s[lx->pos] == '\n'
             || lx->s[lx->pos] == '\r'))
    lx->pos++;
}

static int
hex4 (lex_t *lx, unsigned *out)
{
  unsigned v = 0;

  if (lx->len - lx->pos < 4)
    return fail (lx, "a \\u escape needs four hex digits");
  for (int i = 0; i < 4; i++)
    {
      char c = lx->s[lx->pos++];

      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= (unsigned) (c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= (unsigned) (c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= (unsigned) (c - 'A' + 10);
      else
        return fail (lx, "a \\u escape needs four hex digits");
    }
  *out = v;
  return 0;
}

/* Reads a string after its opening quote into buf (terminated); escapes other than \uXXXX are
 * the usual ones, a \u escape outside ASCII becomes '?' (labels name programs in ASCII). */
static int
read_string (lex_t *lx, char *buf, size_t cap)
{
  size_t n = 0;

  for (;;)
    {
      char c;

      if (lx->pos >= lx->len)
        return fail (lx, "unterminated string");
      c = lx->s[lx->pos++];
      if (c == '"')
        break;
      if ((unsigned char) c < 0x20)
        return fail (lx, "control character inside a string");
      if (c == '\\')
        {
          if (lx->pos >= lx->len)
            return fail (lx, "unterminated string");
          c = lx->s[lx->pos++];
          switch (c)
            {
            case '"': case '\\': case '/': break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
              {
                unsigned v = 0;

                if (hex4 (lx, &v) < 0)
                  return -1;
                c = v >= 0x20 && v < 0x80 ? (char) v : '?';
                break;
              }
            default:
              return fail (lx, "unknown escape \\%c", c);
            }
        }
      if (n + 1 >= cap)
        return fail (lx, "string longer than %zu bytes", cap - 1);
      buf[n++] = c;
    }
  buf[n] = '\0';
  return 0;
}

static int
read_value (lex_t *lx, vtype_t *type, char *buf, size_t cap, double *num)
{
  static const struct
  {
    const char *word;
    vtype_t type;
  } words[] = { { "true", V_TRUE }, { "false", V_FALSE }, { "null", V_NULL } };
  char c;

  skip_space (lx);
  if (lx->pos >= lx->len)
    return fail (lx, "a value is missing");
  c = lx->s[lx->pos];
  if (c == '"')
    {
      lx->pos++;
      *type = V_STRING;
      return read_string (lx, buf, cap);
    }
  if (c == '{' || c == '[')
    return fail (lx, "nested objects and arrays are not part of a label");
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    {
      size_t wl = strlen (words[i].word);

      if (lx->len - lx->pos >= wl && memcmp (lx->s + lx->pos, words[i].word, wl) == 0)
        {
          lx->pos += wl;
          *type = words[i].type;
          return 0;
        }
    }
  if (c == '-' || (c >= '0' && c <= '9'))
    {
      char tmp[64];
      size_t n = 0;
      char *end;

      while (lx->pos < lx->len && n + 1 < sizeof tmp
             && strchr ("+-.eE0123456789", lx->s[lx->pos]) != NULL)
        tmp[n++] = lx->s[lx->pos++];
      tmp[n] = '\0';
      errno = 0;
      *num = strtod (tmp, &end);
      if (end == tmp || *end != '\0' || errno != 0 || !isfinite (*num))
        return fail (lx, "\"%s\" is not a number", tmp);
      *type = V_NUMBER;
      return 0;
    }
  return fail (lx, "unexpected character '%c'", c);
}

enum
{
  HAVE_TRACE = 1 << 0,
  HAVE_PID = 1 << 1,
  HAVE_START = 1 << 2,
  HAVE_LEAK = 1 << 3,
  HAVE_KIND = 1 << 4,
  HAVE_RUNTIME = 1 << 5,
  HAVE_SET = 1 << 6,
  HAVE_LEAK_START = 1 << 7,
};

static int
want_type (lex_t *lx, const char *key, vtype_t got, vtype_t want)
{
  static const char *const names[] = { "a string", "a number", "true", "false", "null" };

  if (got == want || (want == V_TRUE && got == V_FALSE))
    return 0;
  return fail (lx, "\"%s\" must be %s, not %s", key,
               want == V_TRUE ? "true or false" : names[want], names[got]);
}

int
ms_label_parse (const char *text, size_t len, const char *name, ms_label_t *out, char *err,
                size_t err_len)
{
  lex_t lx = { text, len, 0, name, err, err_len };
  unsigned have = 0;
  char key[64], sval[256];

  if (err_len > 0)
    err[0] = '\0';
  memset (out, 0, sizeof *out);
  out->leak_start_s = NAN;
  out->leak_end_s = NAN;
  out->rate_kib_s = NAN;
  skip_space (&lx);
  if (lx.pos >= len || text[lx.pos] != '{')
    return fail (&lx, "a label is one JSON object");
  lx.pos++;
  skip_space (&lx);
  if (lx.pos < len && text[lx.pos] == '}')
    lx.pos++;
  else
    for (;;)
      {
        vtype_t type = V_NULL;
        double num = 0;

        skip_space (&lx);
        if (lx.pos >= len || text[lx.pos] != '"')
          return fail (&lx, "a key (a quoted string) is expected");
        lx.pos++;
        if (read_string (&lx, key, sizeof key) < 0)
          return -1;
        skip_space (&lx);
        if (lx.pos >= len || text[lx.pos] != ':')
          return fail (&lx, "':' is expected after \"%s\"", key);
        lx.pos++;
        if (read_value (&lx, &type, sval, sizeof sval, &num) < 0)
          return -1;

#define STRING_KEY(k, field, bit)                                                                \
  else if (strcmp (key, k) == 0)                                                                 \
  {                                                                                              \
    if (want_type (&lx, key, type, V_STRING) < 0)                                                \
      return -1;                                                                                 \
    if (strlen (sval) >= sizeof out->field)                                                      \
      return fail (&lx, "\"%s\" is longer than %zu bytes", key, sizeof out->field - 1);          \
    strcpy (out->field, sval);                                                                   \
    have |= bit;                                                                                 \
  }
        if (0)
          ;
        STRING_KEY ("trace", trace, HAVE_TRACE)
        STRING_KEY ("kind", kind, HAVE_KIND)
        STRING_KEY ("runtime", runtime, HAVE_RUNTIME)
        STRING_KEY ("set", set, HAVE_SET)
        STRING_KEY ("runtime_version", runtime_version, 0)
        else if (strcmp (key, "comm") == 0)
        {
          if (type == V_NULL)
            out->comm[0] = '\0';
          else if (want_type (&lx, key, type, V_STRING) < 0)
            return -1;
          else if (strlen (sval) >= sizeof out->comm)
            return fail (&lx, "\"comm\" is longer than %zu bytes", sizeof out->comm - 1);
          else
            memcpy (out->comm, sval, strlen (sval) + 1);
        }
        else if (strcmp (key, "pid") == 0)
        {
          if (want_type (&lx, key, type, V_NUMBER) < 0)
            return -1;
          if (!(num >= 1 && num <= 2147483647.0) || num != floor (num))
            return fail (&lx, "\"pid\" must be a whole number from 1");
          out->pid = (int32_t) num;
          have |= HAVE_PID;
        }
        else if (strcmp (key, "starttime") == 0)
        {
          if (want_type (&lx, key, type, V_NUMBER) < 0)
            return -1;
          if (!(num >= 0 && num < 1.8e19) || num != floor (num))
            return fail (&lx, "\"starttime\" must be a whole number of 0 or more");
          out->starttime = (uint64_t) num;
          have |= HAVE_START;
        }
        else if (strcmp (key, "leak") == 0)
        {
          if (want_type (&lx, key, type, V_TRUE) < 0)
            return -1;
          out->leak = type == V_TRUE;
          have |= HAVE_LEAK;
        }
        else if (strcmp (key, "gc_floor") == 0)
        {
          if (want_type (&lx, key, type, V_TRUE) < 0)
            return -1;
          out->gc_floor = type == V_TRUE;
        }
        else if (strcmp (key, "leak_start_s") == 0 || strcmp (key, "rate_kib_s") == 0
                 || strcmp (key, "leak_end_s") == 0)
        {
          double *field = strcmp (key, "rate_kib_s") == 0 ? &out->rate_kib_s
                          : strcmp (key, "leak_end_s") == 0 ? &out->leak_end_s
                                                            : &out->leak_start_s;

          if (type == V_NULL)
            *field = NAN;
          else if (want_type (&lx, key, type, V_NUMBER) < 0)
            return -1;
          else if (!(num >= 0))
            return fail (&lx, "\"%s\" must not be negative", key);
          else
            *field = num;
          if (field == &out->leak_start_s && type != V_NULL)
            have |= HAVE_LEAK_START;
        }
#undef STRING_KEY
        skip_space (&lx);
        if (lx.pos < len && text[lx.pos] == ',')
          {
            lx.pos++;
            continue;
          }
        if (lx.pos < len && text[lx.pos] == '}')
          {
            lx.pos++;
            break;
          }
        return fail (&lx, "',' or '}' is expected");
      }
  skip_space (&lx);
  if (lx.pos != len)
    return fail (&lx, "text after the label's object");
  {
    static const struct
    {
      unsigned bit;
      const char *key;
    } required[] = {
      { HAVE_TRACE, "trace" }, { HAVE_PID, "pid" },   { HAVE_START, "starttime" },
      { HAVE_LEAK, "leak" },   { HAVE_KIND, "kind" }, { HAVE_RUNTIME, "runtime" },
      { HAVE_SET, "set" },
    };

    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
      if (!(have & required[i].bit))
        return fail (&lx, "the key \"%s\" is missing", required[i].key);
  }
  if (out->leak && !(have & HAVE_LEAK_START))
    return fail (&lx, "a leak needs \"leak_start_s\"");
  if (!out->leak)
    out->leak_start_s = out->leak_end_s = NAN;
  if (out->leak_end_s < out->leak_start_s)
    return fail (&lx, "\"leak_end_s\" is before \"leak_start_s\"");
  if (strchr (out->trace, '/') != NULL || strcmp (out->trace, "..") == 0 || out->trace[0] == '\0')
    return fail (&lx, "\"trace\" must name a file beside the label");
  return 0;
}
