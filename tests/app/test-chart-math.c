/* SPDX-License-Identifier: MIT */
/* The inspect panel's layout maths: tick choice, scaling, empty and one-sample histories, huge
 * values, shares. */

#include "config.h"

#include <glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "memscope-chart-math.h"

#define KIB 1.0
#define MIB 1024.0
#define GIB (1024.0 * 1024.0)

static gboolean
is_power_of_two (double x)
{
  int exponent;
  double mantissa = frexp (x, &exponent);

  return x > 0 && mantissa == 0.5;
}

/* Checks what every size axis must satisfy, whatever its input. */
static void
check_size_axis (const MemscopeAxis *axis,
                 double              min_kib,
                 double              max_kib,
                 guint               max_ticks)
{
  g_assert_true (isfinite (axis->lo) && isfinite (axis->hi) && isfinite (axis->step));
  g_assert_cmpfloat (axis->hi, >, axis->lo);
  g_assert_cmpfloat (axis->lo, <=, MAX (min_kib, 0));
  g_assert_cmpfloat (axis->hi, >=, max_kib);
  g_assert_true (is_power_of_two (axis->step));
  g_assert_cmpuint (axis->n_ticks, >=, 2);
  g_assert_cmpuint (axis->n_ticks, <=, max_ticks);
  for (guint i = 0; i < axis->n_ticks; i++)
    {
      g_assert_cmpfloat (axis->ticks[i], >=, axis->lo);
      g_assert_cmpfloat (axis->ticks[i], <=, axis->hi);
      g_assert_cmpfloat (fmod (axis->ticks[i], axis->step), ==, 0);
      if (i > 0)
        g_assert_cmpfloat (axis->ticks[i] - axis->ticks[i - 1], ==, axis->step);
    }
}

static void
test_time_axis_windows (void)
{
  /* window, ticks allowed, expected step */
  static const struct { double window_s; guint max_ticks; double step_s; } cases[] = {
    { 60, 7, 10 },
    { 60, 4, 30 },
    { 300, 6, 60 },
    { 300, 3, 300 },
    { 900, 4, 300 },
    { 900, 7, 300 },
    { 900, 16, 60 },
    { 3600, 5, 900 },
    { 3600, 7, 600 },
    { 3600, 2, 3600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MemscopeAxis axis;

      memscope_chart_time_axis (cases[i].window_s, cases[i].max_ticks, &axis);
      g_assert_cmpfloat (axis.step, ==, cases[i].step_s);
      g_assert_cmpfloat (axis.lo, ==, -cases[i].window_s);
      g_assert_cmpfloat (axis.hi, ==, 0);
      g_assert_cmpuint (axis.n_ticks, <=, cases[i].max_ticks);
      g_assert_cmpuint (axis.n_ticks, ==, (guint) (cases[i].window_s / cases[i].step_s) + 1);
      /* The last tick is now and the first is the window's start. */
      g_assert_cmpfloat (axis.ticks[axis.n_ticks - 1], ==, 0);
      g_assert_cmpfloat (axis.ticks[0], ==, -cases[i].window_s);
    }
}

static void
test_time_axis_odd_input (void)
{
  MemscopeAxis axis;

  memscope_chart_time_axis (0, 4, &axis);
  g_assert_cmpfloat (axis.lo, ==, -60);
  memscope_chart_time_axis (NAN, 4, &axis);
  g_assert_cmpfloat (axis.lo, ==, -60);
  /* A window far longer than any listed step still respects the tick budget. */
  memscope_chart_time_axis (1e7, 5, &axis);
  g_assert_cmpuint (axis.n_ticks, <=, 5);
  g_assert_cmpuint (axis.n_ticks, >=, 2);
  /* Asking for 0 or 1000 ticks is clamped, not trusted. */
  memscope_chart_time_axis (60, 0, &axis);
  g_assert_cmpuint (axis.n_ticks, ==, 2);
  memscope_chart_time_axis (60, 1000, &axis);
  g_assert_cmpuint (axis.n_ticks, <=, MEMSCOPE_CHART_MAX_TICKS);
}

static void
test_size_axis_typical (void)
{
  MemscopeAxis axis;

  /* A process between 200 and 300 MiB: steps of 32 MiB fit six ticks. */
  memscope_chart_size_axis (200 * MIB, 300 * MIB, 6, &axis);
  check_size_axis (&axis, 200 * MIB, 300 * MIB, 6);
  g_assert_cmpfloat (axis.step, ==, 32 * MIB);
  g_assert_cmpfloat (axis.lo, ==, 192 * MIB);
  g_assert_cmpfloat (axis.hi, ==, 320 * MIB);

  /* 1 to 3 GiB with five ticks: half a gibibyte apart. */
  memscope_chart_size_axis (1 * GIB, 3 * GIB, 5, &axis);
  check_size_axis (&axis, 1 * GIB, 3 * GIB, 5);
  g_assert_cmpfloat (axis.step, ==, 512 * MIB);

  /* Tiny: a few KiB. */
  memscope_chart_size_axis (3 * KIB, 9 * KIB, 4, &axis);
  check_size_axis (&axis, 3, 9, 4);
  g_assert_cmpfloat (axis.step, ==, 4);

  /* Reversed bounds are accepted. */
  memscope_chart_size_axis (300 * MIB, 200 * MIB, 6, &axis);
  check_size_axis (&axis, 200 * MIB, 300 * MIB, 6);
}

static void
test_size_axis_flat_and_empty (void)
{
  MemscopeAxis axis;

  /* One sample (or a flat line): a band around the value, not a zero-height axis. */
  memscope_chart_size_axis (100 * MIB, 100 * MIB, 5, &axis);
  check_size_axis (&axis, 100 * MIB, 100 * MIB, 5);
  g_assert_cmpfloat (axis.lo, <, 100 * MIB);
  g_assert_cmpfloat (axis.hi, >, 100 * MIB);

  /* Empty history: the caller passes 0..0. */
  memscope_chart_size_axis (0, 0, 5, &axis);
  check_size_axis (&axis, 0, 0, 5);
  g_assert_cmpfloat (axis.lo, ==, 0);

  /* Negative (unknown) and NaN bounds become 0. */
  memscope_chart_size_axis (-1, NAN, 5, &axis);
  check_size_axis (&axis, 0, 0, 5);
}

static void
test_size_axis_huge (void)
{
  MemscopeAxis axis;

  /* 4 TiB machines exist; a corrupt reading can be anything up to INT64_MAX. */
  memscope_chart_size_axis (0, 4.0 * 1024 * GIB, 6, &axis);
  check_size_axis (&axis, 0, 4.0 * 1024 * GIB, 6);
  memscope_chart_size_axis (0, (double) G_MAXINT64, 6, &axis);
  g_assert_true (isfinite (axis.hi));
  g_assert_cmpuint (axis.n_ticks, <=, 6);
  memscope_chart_size_axis (1.0, INFINITY, 3, &axis);
  g_assert_true (isfinite (axis.hi) && isfinite (axis.step));
  g_assert_cmpuint (axis.n_ticks, <=, 3);
}

static void
test_size_axis_many_ranges (void)
{
  /* Sweep ranges over many magnitudes: the invariants hold everywhere. */
  for (double lo = 0; lo < 1e12; lo = lo * 7 + 3)
    for (double width = 0; width < 1e12; width = width * 5 + 1)
      for (guint ticks = 2; ticks <= 8; ticks += 3)
        {
          MemscopeAxis axis;

          memscope_chart_size_axis (lo, lo + width, ticks, &axis);
          check_size_axis (&axis, lo, lo + width, ticks);
        }
}

static void
test_scale (void)
{
  MemscopeAxis axis;

  memscope_chart_size_axis (0, 100 * MIB, 5, &axis);
  /* Bottom pixel 200 at lo, top pixel 0 at hi: y grows downwards. */
  g_assert_cmpfloat (memscope_chart_scale (&axis, axis.lo, 200, 0), ==, 200);
  g_assert_cmpfloat (memscope_chart_scale (&axis, axis.hi, 200, 0), ==, 0);
  g_assert_cmpfloat_with_epsilon (memscope_chart_scale (&axis, (axis.lo + axis.hi) / 2, 200, 0),
                                  100, 1e-9);
  g_assert_cmpfloat_with_epsilon (memscope_chart_unscale (&axis, 50, 200, 0),
                                  axis.lo + (axis.hi - axis.lo) * 0.75, 1e-6);

  memscope_chart_time_axis (300, 6, &axis);
  g_assert_cmpfloat (memscope_chart_scale (&axis, -300, 40, 440), ==, 40);
  g_assert_cmpfloat (memscope_chart_scale (&axis, 0, 40, 440), ==, 440);
  g_assert_cmpfloat (memscope_chart_scale (&axis, -150, 40, 440), ==, 240);
  g_assert_cmpfloat (memscope_chart_unscale (&axis, 240, 40, 440), ==, -150);
  /* A degenerate pixel span does not divide by zero. */
  g_assert_cmpfloat (memscope_chart_unscale (&axis, 5, 40, 40), ==, -300);
}

static void
test_format_ticks (void)
{
  static const struct { double kib, step; const char *text; } sizes[] = {
    { 0, 32 * MIB, "0" },
    { 512, 256, "512 KiB" },
    { 192 * MIB, 32 * MIB, "192 MiB" },
    { 1536 * MIB, 512 * MIB, "1.5 GiB" },
    { 1280 * MIB, 256 * MIB, "1.25 GiB" },
    { 2 * GIB, 512 * MIB, "2.0 GiB" },
    { 4.0 * 1024 * GIB, 1024 * GIB, "4 TiB" },
  };
  static const struct { double offset; const char *text; } times[] = {
    { 0, "now" },
    { -30, "−30 s" },
    { -90, "−90 s" },
    { -300, "−5 min" },
    { -3600, "−1 h" },
    { -5400, "−90 min" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *text = memscope_chart_format_size_tick (sizes[i].kib, sizes[i].step);

      g_assert_cmpstr (text, ==, sizes[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *text = memscope_chart_format_time_tick (times[i].offset);

      g_assert_cmpstr (text, ==, times[i].text);
    }

  /* Neighbouring ticks of any axis never print alike. */
  for (double max = 3; max < 1e13; max *= 3.3)
    {
      MemscopeAxis axis;

      memscope_chart_size_axis (max / 3, max, 6, &axis);
      for (guint i = 1; i < axis.n_ticks; i++)
        {
          g_autofree char *a = memscope_chart_format_size_tick (axis.ticks[i - 1], axis.step);
          g_autofree char *b = memscope_chart_format_size_tick (axis.ticks[i], axis.step);

          g_assert_cmpstr (a, !=, b);
        }
      /* A narrow range high up (a flat process of many GiB). */
      memscope_chart_size_axis (max, max * 1.01 + 1, 6, &axis);
      for (guint i = 1; i < axis.n_ticks; i++)
        {
          g_autofree char *a = memscope_chart_format_size_tick (axis.ticks[i - 1], axis.step);
          g_autofree char *b = memscope_chart_format_size_tick (axis.ticks[i], axis.step);

          g_assert_cmpstr (a, !=, b);
        }
    }
}

static void
test_share (void)
{
  /* The share as text is tested with the other formatters, in test-format. */
  g_assert_cmpfloat (memscope_chart_share (150, 100), ==, 1.0);
  g_assert_cmpfloat (memscope_chart_share (G_MAXINT64, G_MAXINT64), ==, 1.0);
  g_assert_cmpfloat (memscope_chart_share (-5, 100), ==, 0.0);

  /* Bars: proportional, a visible sliver for a small non-zero value, never past the trough. */
  g_assert_cmpfloat (memscope_chart_bar_width (25, 100, 200, 2), ==, 50);
  g_assert_cmpfloat (memscope_chart_bar_width (1, 100000, 200, 2), ==, 2);
  g_assert_cmpfloat (memscope_chart_bar_width (0, 100, 200, 2), ==, 0);
  g_assert_cmpfloat (memscope_chart_bar_width (500, 100, 200, 2), ==, 200);
  g_assert_cmpfloat (memscope_chart_bar_width (5, 100, 1, 2), ==, 1);
}

static void
test_series_stats (void)
{
  ms_history_point_t points[] = {
    { 10, 100, 90, 10, -1 },
    { 11, 120, 100, 20, 80 },
    { 12, 90, 85, 5, 70 },
    { 13, 130, 110, 20, -1 },
  };
  MemscopeSeriesStats stats;

  memscope_chart_series_stats (points, G_N_ELEMENTS (points), MEMSCOPE_SERIES_FOOTPRINT, 0,
                               &stats);
  g_assert_cmpuint (stats.n, ==, 4);
  g_assert_cmpint (stats.min_kib, ==, 90);
  g_assert_cmpint (stats.max_kib, ==, 130);
  g_assert_cmpint (stats.current_kib, ==, 130);

  /* PSS is unknown in some points: those are skipped, current is the last known. */
  memscope_chart_series_stats (points, G_N_ELEMENTS (points), MEMSCOPE_SERIES_PSS, 0, &stats);
  g_assert_cmpuint (stats.n, ==, 2);
  g_assert_cmpint (stats.min_kib, ==, 70);
  g_assert_cmpint (stats.max_kib, ==, 80);
  g_assert_cmpint (stats.current_kib, ==, 70);

  /* Only the window counts. */
  memscope_chart_series_stats (points, G_N_ELEMENTS (points), MEMSCOPE_SERIES_SWAP, 12, &stats);
  g_assert_cmpuint (stats.n, ==, 2);
  g_assert_cmpint (stats.min_kib, ==, 5);

  /* Empty history. */
  memscope_chart_series_stats (NULL, 0, MEMSCOPE_SERIES_RSS, 0, &stats);
  g_assert_cmpuint (stats.n, ==, 0);
  g_assert_cmpint (stats.current_kib, ==, -1);
}

static void
test_nearest_point (void)
{
  ms_history_point_t points[] = {
    { 10, 1, 1, 0, -1 },
    { 11, 2, 2, 0, -1 },
    { 15, 3, 3, 0, -1 },
  };

  g_assert_cmpint (memscope_chart_nearest_point (NULL, 0, 5), ==, -1);
  g_assert_cmpint (memscope_chart_nearest_point (points, 1, 500), ==, 0);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 0), ==, 0);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 10.4), ==, 0);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 10.6), ==, 1);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 12.9), ==, 1);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 13.1), ==, 2);
  g_assert_cmpint (memscope_chart_nearest_point (points, 3, 99), ==, 2);
}

static void
test_leak_line (void)
{
  /* 1 MiB/s through 500 MiB now: a minute ago it was at 440 MiB. */
  g_assert_cmpfloat (memscope_chart_leak_line (100, 500 * MIB, MIB, 40), ==, 440 * MIB);
  g_assert_cmpfloat (memscope_chart_leak_line (100, 500, NAN, 40), ==, 500);
}

/* Whether x is 1, 2 or 5 times a power of ten. */
static gboolean
is_one_two_five (double x)
{
  double mantissa = x / pow (10, floor (log10 (x) + 1e-9));

  return fabs (mantissa - 1) < 1e-9 || fabs (mantissa - 2) < 1e-9 || fabs (mantissa - 5) < 1e-9;
}

/* The text after the number ("GiB", "min"), or "" for a bare number. */
static const char *
unit_of (const char *text)
{
  const char *space = strrchr (text, ' ');

  return space != NULL ? space + 1 : "";
}

/* The timeline's size axis starts at 0, reaches the data, and reads in one unit at 1-2-5 steps. */
static void
test_zero_size_axis (void)
{
  static const struct { double max_kib; guint max_ticks; const char *labels; } cases[] = {
    { 16.8 * GIB, 5, "0|5 GiB|10 GiB|15 GiB|20 GiB" },
    { 800 * MIB, 5, "0|200 MiB|400 MiB|600 MiB|800 MiB" },
    { 1.3 * GIB, 5, "0|500 MiB|1000 MiB|1500 MiB" },
    { 31.3 * GIB, 4, "0|20 GiB|40 GiB" },
    { 3 * GIB, 7, "0|0.5 GiB|1.0 GiB|1.5 GiB|2.0 GiB|2.5 GiB|3.0 GiB" },
    { 0, 3, "0|1000 KiB|2000 KiB" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      MemscopeAxis axis;
      double unit = memscope_chart_zero_size_axis (cases[c].max_kib, cases[c].max_ticks, &axis);
      g_autoptr (GString) labels = g_string_new (NULL);

      for (guint i = 0; i < axis.n_ticks; i++)
        {
          g_autofree char *text = memscope_chart_format_size_in (axis.ticks[i], unit, axis.step);

          g_string_append_printf (labels, "%s%s", i > 0 ? "|" : "", text);
        }
      g_assert_cmpstr (labels->str, ==, cases[c].labels);
    }

  /* Whatever the data: 0 is a tick, the top holds the data, steps are 1-2-5 of one unit, and no
   * two ticks read alike. */
  for (double max = 0.5; max < 1e13; max *= 1.37)
    for (guint ticks = 2; ticks <= 10; ticks++)
      {
        MemscopeAxis axis;
        double unit = memscope_chart_zero_size_axis (max, ticks, &axis);
        g_autofree char *top = NULL;
        g_autofree char *before = NULL;

        g_assert_cmpfloat (axis.lo, ==, 0);
        g_assert_cmpfloat (axis.ticks[0], ==, 0);
        g_assert_cmpfloat (axis.hi, >=, max);
        g_assert_cmpfloat (axis.ticks[axis.n_ticks - 1], ==, axis.hi);
        g_assert_cmpuint (axis.n_ticks, >=, 2);
        g_assert_cmpuint (axis.n_ticks, <=, ticks);
        g_assert_true (is_one_two_five (axis.step / unit));
        /* Not more than one step of headroom over the data. */
        g_assert_cmpfloat (axis.hi - axis.step, <, MAX (max, 1024));
        for (guint i = 1; i < axis.n_ticks; i++)
          {
            g_autofree char *text = memscope_chart_format_size_in (axis.ticks[i], unit, axis.step);

            if (top != NULL)
              g_assert_cmpstr (unit_of (text), ==, unit_of (top));
            else
              top = g_strdup (text);
            g_assert_cmpstr (text, !=, before);
            g_free (before);
            before = g_strdup (text);
          }
      }
}

static void
test_timeline_top (void)
{
  /* Small data: its own scale, the total left off it. */
  g_assert_cmpfloat (memscope_chart_timeline_top (800 * MIB, 16 * GIB), <, 1 * GIB);
  g_assert_cmpfloat (memscope_chart_timeline_top (800 * MIB, 16 * GIB), >, 800 * MIB);
  /* Two thirds of the total and more: the total is on the scale. */
  g_assert_cmpfloat (memscope_chart_timeline_top (11 * GIB, 16 * GIB), >=, 16 * GIB);
  g_assert_cmpfloat (memscope_chart_timeline_top (17 * GIB, 16 * GIB), >=, 17 * GIB);
  /* Unknown total. */
  g_assert_cmpfloat (memscope_chart_timeline_top (11 * GIB, 0), <, 12 * GIB);
  g_assert_true (isfinite (memscope_chart_timeline_top (INFINITY, NAN)));
}

/* Time ticks: on multiples of a round step, inside the window, all in one unit. */
static void
test_nice_time_axis (void)
{
  static const struct { double lo, hi; guint max_ticks; gboolean relative; const char *labels; } cases[] = {
    { -3600, 0, 5, TRUE, "−60 min|−45 min|−30 min|−15 min|now" },
    { -3600, 0, 9, TRUE, "−60 min|−50 min|−40 min|−30 min|−20 min|−10 min|now" },
    { -900, 0, 5, TRUE, "−15 min|−10 min|−5 min|now" },
    { -300, 0, 11, TRUE, "−5 min|−4 min|−3 min|−2 min|−1 min|now" },
    { -60, 0, 7, TRUE, "−60 s|−50 s|−40 s|−30 s|−20 s|−10 s|now" },
    { -217, 0, 5, TRUE, "−3 min|−2 min|−1 min|now" },
    { -6 * 3600, 0, 8, TRUE, "−6 h|−5 h|−4 h|−3 h|−2 h|−1 h|now" },
    { -7 * 86400, 0, 8, TRUE, "−7 d|−6 d|−5 d|−4 d|−3 d|−2 d|−1 d|now" },
    { 0, 2700, 4, FALSE, "0|15 min|30 min|45 min" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      MemscopeAxis axis;
      g_autoptr (GString) labels = g_string_new (NULL);
      double unit;

      memscope_chart_nice_time_axis (cases[c].lo, cases[c].hi, cases[c].max_ticks, &axis);
      unit = memscope_chart_time_unit (&axis);
      for (guint i = 0; i < axis.n_ticks; i++)
        {
          g_autofree char *text = memscope_chart_format_time_in (axis.ticks[i], unit,
                                                                 cases[c].relative);

          g_string_append_printf (labels, "%s%s", i > 0 ? "|" : "", text);
        }
      g_assert_cmpstr (labels->str, ==, cases[c].labels);
    }

  for (double window = 10; window < 8 * 86400; window *= 1.21)
    for (guint ticks = 2; ticks <= 16; ticks += 3)
      {
        MemscopeAxis axis;
        double unit;
        g_autofree char *first = NULL;

        memscope_chart_nice_time_axis (-window, 0, ticks, &axis);
        unit = memscope_chart_time_unit (&axis);
        g_assert_cmpuint (axis.n_ticks, >=, 1);
        g_assert_cmpuint (axis.n_ticks, <=, ticks);
        g_assert_cmpfloat (fmod (axis.step, unit), ==, 0);
        for (guint i = 0; i < axis.n_ticks; i++)
          {
            g_autofree char *text = memscope_chart_format_time_in (axis.ticks[i], unit, TRUE);

            g_assert_cmpfloat (axis.ticks[i], >=, -window);
            g_assert_cmpfloat (axis.ticks[i], <=, 0);
            g_assert_cmpfloat (fabs (fmod (axis.ticks[i], axis.step)), <, 1e-6);
            /* Whole numbers of one unit: no "−7:30", no "−1 h" beside "−45 min". */
            g_assert_null (strchr (text, ':'));
            g_assert_null (strchr (text, '.'));
            if (i + 1 < axis.n_ticks)
              {
                if (first == NULL)
                  first = g_strdup (text);
                g_assert_cmpstr (unit_of (text), ==, unit_of (first));
              }
          }
      }

  /* Bad input: the last minute. */
  {
    MemscopeAxis axis;

    memscope_chart_nice_time_axis (NAN, 0, 5, &axis);
    g_assert_cmpfloat (axis.lo, ==, -60);
    memscope_chart_nice_time_axis (5, 5, 5, &axis);
    g_assert_cmpfloat (axis.hi - axis.lo, ==, 60);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* Tick texts are compared literally: the C locale's decimal point. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart-math/time-axis/windows", test_time_axis_windows);
  g_test_add_func ("/chart-math/time-axis/odd-input", test_time_axis_odd_input);
  g_test_add_func ("/chart-math/size-axis/typical", test_size_axis_typical);
  g_test_add_func ("/chart-math/size-axis/flat-and-empty", test_size_axis_flat_and_empty);
  g_test_add_func ("/chart-math/size-axis/huge", test_size_axis_huge);
  g_test_add_func ("/chart-math/size-axis/many-ranges", test_size_axis_many_ranges);
  g_test_add_func ("/chart-math/scale", test_scale);
  g_test_add_func ("/chart-math/format-ticks", test_format_ticks);
  g_test_add_func ("/chart-math/share", test_share);
  g_test_add_func ("/chart-math/series-stats", test_series_stats);
  g_test_add_func ("/chart-math/nearest-point", test_nearest_point);
  g_test_add_func ("/chart-math/leak-line", test_leak_line);
  g_test_add_func ("/chart-math/zero-size-axis", test_zero_size_axis);
  g_test_add_func ("/chart-math/timeline-top", test_timeline_top);
  g_test_add_func ("/chart-math/nice-time-axis", test_nice_time_axis);

  return g_test_run ();
}
