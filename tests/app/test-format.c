/* SPDX-License-Identifier: MIT */
/* The one formatting module: sizes at the unit boundaries, signed sizes with a real minus sign,
 * rates, durations, ages and shares, and "—" for every kind of unknown.  Run in English and, with
 * LANGUAGE=de and the build's translations, in German. */

#include "config.h"

#include <math.h>

#include "memscope-explain.h"
#include "memscope-format.h"
#include "ms-test.h"
#include "ms-types.h"

static gboolean german;

/* GLib puts a no-break space between number and unit in some versions: compared as a space. */
static char *
plain (char *text)
{
  GString *s = g_string_new (text);

  g_string_replace (s, "\u00a0", " ", 0);
  g_free (text);
  return g_string_free (s, FALSE);
}

#define ASSERT_TEXT(call, expected) \
  G_STMT_START { \
    g_autofree char *text_ = plain (call); \
    g_assert_cmpstr (text_, ==, (expected)); \
  } G_STMT_END

#define ASSERT_ENDS(call, suffix) \
  G_STMT_START { \
    g_autofree char *text_ = plain (call); \
    if (!g_str_has_suffix (text_, (suffix))) \
      g_error ("%s: \"%s\" does not end in \"%s\"", #call, text_, (suffix)); \
  } G_STMT_END

static void
test_unknown (void)
{
  /* One look for every unknown. */
  g_assert_cmpstr (MEMSCOPE_FORMAT_UNKNOWN, ==, "\u2014");
  ASSERT_TEXT (memscope_format_size (MS_UNKNOWN_KIB), "—");
  ASSERT_TEXT (memscope_format_size (-5), "—");
  ASSERT_TEXT (memscope_format_size (G_MININT64), "—");
  ASSERT_TEXT (memscope_format_rate (NAN), "—");
  ASSERT_TEXT (memscope_format_rate (INFINITY), "—");
  ASSERT_TEXT (memscope_format_signed_rate (NAN), "—");
  ASSERT_TEXT (memscope_format_signed_rate (-INFINITY), "—");
  ASSERT_TEXT (memscope_format_duration (NAN), "—");
  ASSERT_TEXT (memscope_format_age (NAN), "—");
  ASSERT_TEXT (memscope_format_age (-1), "—");
  ASSERT_TEXT (memscope_format_share (MS_UNKNOWN_KIB, 100), "—");
  ASSERT_TEXT (memscope_format_share (5, 0), "—");
  ASSERT_TEXT (memscope_format_share (5, -1), "—");
}

static void
test_size (void)
{
  ASSERT_TEXT (memscope_format_size (0), "0");
  ASSERT_TEXT (memscope_format_size (1), "1.0 KiB");
  ASSERT_TEXT (memscope_format_size (1023), "1023.0 KiB");
  ASSERT_TEXT (memscope_format_size (1024), "1.0 MiB");
  ASSERT_TEXT (memscope_format_size (1536), "1.5 MiB");
  ASSERT_TEXT (memscope_format_size (1024 * 1024 - 1), "1024.0 MiB");
  ASSERT_TEXT (memscope_format_size (1024 * 1024), "1.0 GiB");
  ASSERT_TEXT (memscope_format_size ((gint64) 3 * 1024 * 1024 / 2), "1.5 GiB");
  /* Past 8 EiB the bytes overflow; the reading still prints as what it says. */
  ASSERT_ENDS (memscope_format_size (G_MAXINT64), "EiB");
}

static void
test_signed_size (void)
{
  ASSERT_TEXT (memscope_format_signed_size (0), "0");
  ASSERT_TEXT (memscope_format_signed_size (1024), "+1.0 MiB");
  /* A real minus sign (U+2212), not a hyphen. */
  ASSERT_TEXT (memscope_format_signed_size (-512), "\u2212512.0 KiB");
  ASSERT_TEXT (memscope_format_signed_size (-1024 * 1024), "−1.0 GiB");
  /* No unknown here: a negative change is a shrink, even the largest one. */
  ASSERT_ENDS (memscope_format_signed_size (G_MININT64), "EiB");
  {
    g_autofree char *most = memscope_format_signed_size (G_MININT64);

    g_assert_true (g_str_has_prefix (most, "−"));
  }
}

static void
test_rate (void)
{
  ASSERT_TEXT (memscope_format_rate (8192), "8.0 MiB/s");
  ASSERT_TEXT (memscope_format_rate (-8192), "8.0 MiB/s");
  ASSERT_TEXT (memscope_format_rate (0.5), "512 bytes/s");
  ASSERT_TEXT (memscope_format_signed_rate (1228.8), "+1.2 MiB/s");
  ASSERT_TEXT (memscope_format_signed_rate (-300), "−300.0 KiB/s");
  ASSERT_TEXT (memscope_format_signed_rate (0), "+0 bytes/s");
}

static void
test_duration (void)
{
  if (german)
    {
      ASSERT_TEXT (memscope_format_duration (3 * 86400 + 4 * 3600), "3 Tg. 4 Std.");
      ASSERT_TEXT (memscope_format_duration (INFINITY), "unabsehbarer Zeit");
      return;
    }
  ASSERT_TEXT (memscope_format_duration (0), "0 s");
  ASSERT_TEXT (memscope_format_duration (-5), "0 s");
  ASSERT_TEXT (memscope_format_duration (45), "45 s");
  ASSERT_TEXT (memscope_format_duration (59.7), "1 min");
  ASSERT_TEXT (memscope_format_duration (4 * 60 + 5), "4 min 5 s");
  ASSERT_TEXT (memscope_format_duration (12 * 60), "12 min");
  ASSERT_TEXT (memscope_format_duration (2 * 3600 + 10 * 60), "2 h 10 min");
  ASSERT_TEXT (memscope_format_duration (3 * 86400 + 4 * 3600), "3 d 4 h");
  ASSERT_TEXT (memscope_format_duration (INFINITY), "a long time");
}

static void
test_clock (void)
{
  ASSERT_TEXT (memscope_format_clock (0), "0:00:00");
  ASSERT_TEXT (memscope_format_clock (100.9), "0:01:40");
  ASSERT_TEXT (memscope_format_clock (12 * 3600 + 5), "12:00:05");
  ASSERT_TEXT (memscope_format_clock (-3), "0:00:00");
  ASSERT_TEXT (memscope_format_clock (NAN), "—");
  /* Far beyond a day, the hours go on counting instead of overflowing. */
  ASSERT_TEXT (memscope_format_clock (100 * 3600.0), "100:00:00");
  ASSERT_TEXT (memscope_format_clock (1e300), "596523:14:07");
}

static void
test_age (void)
{
  if (german)
    {
      ASSERT_TEXT (memscope_format_age (1), "1 Sekunde");
      ASSERT_TEXT (memscope_format_age (45), "45 Sekunden");
      /* As in "seit 5 Tagen", the only place an age is shown: dative plural. */
      ASSERT_TEXT (memscope_format_age (5 * 86400), "5 Tagen");
      return;
    }
  ASSERT_TEXT (memscope_format_age (0), "0 seconds");
  ASSERT_TEXT (memscope_format_age (1), "1 second");
  ASSERT_TEXT (memscope_format_age (59.9), "59 seconds");
  ASSERT_TEXT (memscope_format_age (60), "1 min");
  ASSERT_TEXT (memscope_format_age (3 * 60), "3 min");
  ASSERT_TEXT (memscope_format_age (2 * 3600 + 10 * 60), "2 h 10 min");
  ASSERT_TEXT (memscope_format_age (47 * 3600), "47 h 0 min");
  ASSERT_TEXT (memscope_format_age (2 * 86400), "2 days");
  ASSERT_TEXT (memscope_format_age (5 * 86400 + 3600), "5 days");
  /* A start time far in the past does not overflow the day count. */
  ASSERT_ENDS (memscope_format_age (1e300), " days");
}

static void
test_share (void)
{
  ASSERT_TEXT (memscope_format_share (0, 1000), "0 %");
  ASSERT_TEXT (memscope_format_share (1, 1000), "<1 %");
  ASSERT_TEXT (memscope_format_share (6, 1000), "1 %");
  ASSERT_TEXT (memscope_format_share (50, 100), "50 %");
  ASSERT_TEXT (memscope_format_share (100, 100), "100 %");
  /* A part larger than its total (readings taken moments apart) stops at the whole. */
  ASSERT_TEXT (memscope_format_share (150, 100), "100 %");
  ASSERT_TEXT (memscope_format_share (G_MAXINT64, G_MAXINT64), "100 %");
}

/* Tag explanations are sentences: upper-case first; SPIKE says the levels its jump went between
 * (the Delta column counts from the baseline, a different figure); ZOMBIE names the parent, made
 * safe to show. */
static void
test_explain (void)
{
  ms_tag_facts_t facts = {
    .tags = MS_TAG_SPIKE,
    .leak_rate_kib_s = NAN,
    .leak_duration_s = NAN,
    .leak_exhaust_s = NAN,
    .spike_jump_kib = 263066,
    .spike_window_s = 5,
    .spike_from_kib = 146534,
  };

  ASSERT_TEXT (memscope_explain_tags (&facts),
               "Jumped by 256.9 MiB within 5 s (from 143.1 MiB to 400.0 MiB)");
  facts.spike_from_kib = NAN;
  ASSERT_TEXT (memscope_explain_tags (&facts), "Jumped by 256.9 MiB within 5 s");
  facts.tags = MS_TAG_ZOMBIE;
  facts.zombie_ppid = 812;
  g_strlcpy (facts.zombie_parent, "make\nme", sizeof facts.zombie_parent);
  ASSERT_TEXT (memscope_explain_tags (&facts),
               "Zombie: exited, not yet reaped by its parent (make me, pid 812)");
  facts.zombie_parent[0] = '\0';
  ASSERT_TEXT (memscope_explain_tags (&facts),
               "Zombie: exited, not yet reaped by its parent (parent pid 812)");
  facts.tags = MS_TAG_LEAK | MS_TAG_ZOMBIE;
  facts.leak_rate_kib_s = 1024;
  facts.leak_duration_s = 90;
  facts.zombie_ppid = 0;
  ASSERT_TEXT (memscope_explain_tags (&facts), "Growing 1.0 MiB/s for 1 min 30 s, floor rising; "
                                               "zombie: exited, not yet reaped by its parent");
  facts.tags = 0;
  g_assert_null (memscope_explain_tags (&facts));
}

int
main (int argc, char **argv)
{

  german = ms_test_use_translations ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/unknown", test_unknown);
  /* Unit names come from GLib's own translations, not this build's: sizes are checked in English. */
  if (!german)
    {
      g_test_add_func ("/format/size", test_size);
      g_test_add_func ("/format/signed-size", test_signed_size);
      g_test_add_func ("/format/rate", test_rate);
      g_test_add_func ("/format/explain", test_explain);
    }
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/age", test_age);
  g_test_add_func ("/format/clock", test_clock);
  g_test_add_func ("/format/share", test_share);
  return g_test_run ();
}
