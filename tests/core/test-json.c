/* SPDX-License-Identifier: MIT */
/* JSON writers: strings stay valid UTF-8 whatever bytes a process name holds. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "json.h"
#include "ms-test.h"

static char *
capture_string (const char *s)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  ms_json_string (f, s);
  fclose (f);
  return buf;
}

static char *
capture_double (double v, int decimals)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  ms_json_double (f, v, decimals);
  fclose (f);
  return buf;
}

static void
test_strings (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "bash", "\"bash\"" },
    { "a \"q\" \\ b", "\"a \\\"q\\\" \\\\ b\"" },
    { "new\nline\ttab\r", "\"new\\nline\\ttab\\r\"" },
    { "\x01\x7f", "\"\\u0001\\u007f\"" },
    { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },                /* valid UTF-8 kept */
    { "bad\xff\xfe", "\"bad\\u00ff\\u00fe\"" },           /* invalid bytes as code points */
    { "cut\xe2\x82", "\"cut\\u00e2\\u0082\"" },           /* truncated sequence */
    { "over\xc0\xaf", "\"over\\u00c0\\u00af\"" },         /* overlong form */
    { "sur\xed\xa0\x80", "\"sur\\u00ed\\u00a0\\u0080\"" }, /* surrogate */
    { "\xf0\x9f\x90\x98", "\"\xf0\x9f\x90\x98\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = capture_string (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
}

static void
test_numbers (void)
{
  g_autofree char *a = capture_double (1.5, 2);
  g_autofree char *b = capture_double (NAN, 2);
  g_autofree char *c = capture_double (3.0, 3);
  g_autofree char *d = capture_double (-0.0001, 2);
  g_autofree char *e = capture_double (INFINITY, 1);

  g_assert_cmpstr (a, ==, "1.5");
  g_assert_cmpstr (b, ==, "null");
  g_assert_cmpstr (c, ==, "3");
  g_assert_cmpstr (d, ==, "0");
  g_assert_cmpstr (e, ==, "null");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/strings", test_strings);
  g_test_add_func ("/json/numbers", test_numbers);
  return g_test_run ();
}
