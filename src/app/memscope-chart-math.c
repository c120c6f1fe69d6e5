/* SPDX-License-Identifier: MIT */
/* Layout maths of the inspect panel's gauges and trend graph and of the timeline: axis ticks,
 * scaling and summaries. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-chart-math.h"

const double memscope_chart_windows_s[MEMSCOPE_CHART_N_WINDOWS] = { 60, 300, 900, 3600 };

/* Past this a size axis stops growing: 2^62 KiB is beyond any machine and keeps sums finite. */
#define SIZE_CEILING_KIB 4611686018427387904.0

/* Round times a person reads at a glance; the last ones only matter for very narrow graphs. */
static const double time_steps_s[] = {
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400,
};

static guint
clamp_ticks (guint max_ticks)
{
  return CLAMP (max_ticks, 2, MEMSCOPE_CHART_MAX_TICKS);
}

void
memscope_chart_time_axis (double        window_s,
                          guint         max_ticks,
                          MemscopeAxis *out)
{
  double step = time_steps_s[G_N_ELEMENTS (time_steps_s) - 1];
  guint n;

  g_return_if_fail (out != NULL);

  if (!isfinite (window_s) || window_s <= 0)
    window_s = 60;
  max_ticks = clamp_ticks (max_ticks);

  /* A step that divides the window puts a tick at both ends; otherwise the finest that fits. */
  for (int pass = 0; pass < 2; pass++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (time_steps_s) && !found; i++)
        if (floor (window_s / time_steps_s[i]) + 1 <= max_ticks
            && (pass == 1 || fmod (window_s, time_steps_s[i]) == 0))
          {
            step = time_steps_s[i];
            found = TRUE;
          }
      if (found)
        break;
    }
  /* Windows longer than the longest step's reach still fit: stretch the step. */
  while (floor (window_s / step) + 1 > max_ticks)
    step *= 2;

  out->lo = -window_s;
  out->hi = 0;
  out->step = step;
  n = (guint) floor (window_s / step) + 1;
  n = MIN (n, MEMSCOPE_CHART_MAX_TICKS);
  out->n_ticks = n;
  /* Oldest first, so ticks run left to right; the last is now. */
  for (guint i = 0; i < n; i++)
    out->ticks[i] = -(double) (n - 1 - i) * step;
}

static double
sanitize_kib (double kib)
{
  if (!isfinite (kib) || kib < 0)
    return kib > 0 ? SIZE_CEILING_KIB : 0;
  return MIN (kib, SIZE_CEILING_KIB);
}

static guint
size_tick_count (double lo_kib,
                 double hi_kib,
                 double step_kib)
{
  double n = floor (hi_kib / step_kib) - ceil (lo_kib / step_kib) + 1;

  return n < 0 ? 0 : n > 1e6 ? 1000000 : (guint) n;
}

void
memscope_chart_size_axis (double        min_kib,
                          double        max_kib,
                          guint         max_ticks,
                          MemscopeAxis *out)
{
  double step = 1;
  double lo, hi;
  guint n;

  g_return_if_fail (out != NULL);

  max_ticks = clamp_ticks (max_ticks);
  min_kib = sanitize_kib (min_kib);
  max_kib = sanitize_kib (max_kib);
  if (min_kib > max_kib)
    {
      double swap = min_kib;

      min_kib = max_kib;
      max_kib = swap;
    }

  /* A flat line or a single sample still gets an axis: a band around its value, so a later
   * change shows as movement rather than as the axis jumping from nothing. */
  if (max_kib - min_kib < 1)
    {
      double half = MAX (max_kib * 0.05, 512.0);

      min_kib = MAX (min_kib - half, 0);
      max_kib = max_kib + half;
    }

  /* The smallest power-of-two step whose rounded-out range holds at most max_ticks ticks. */
  {
    double guess = (max_kib - min_kib) / (double) (max_ticks - 1);

    if (guess > 1)
      step = exp2 (floor (log2 (guess)));
  }
  for (;;)
    {
      lo = floor (min_kib / step) * step;
      hi = ceil (max_kib / step) * step;
      if (hi <= lo)
        hi = lo + step;
      if (size_tick_count (lo, hi, step) <= max_ticks)
        break;
      step *= 2;
    }

  out->lo = lo;
  out->hi = hi;
  out->step = step;
  n = size_tick_count (lo, hi, step);
  out->n_ticks = MIN (n, MEMSCOPE_CHART_MAX_TICKS);
  for (guint i = 0; i < out->n_ticks; i++)
    out->ticks[i] = lo + (double) i * step;
}

double
memscope_chart_scale (const MemscopeAxis *axis,
                      double              value,
                      double              pixel_lo,
                      double              pixel_hi)
{
  g_return_val_if_fail (axis != NULL, pixel_lo);

  if (!(axis->hi > axis->lo))
    return pixel_lo;
  return pixel_lo + (value - axis->lo) / (axis->hi - axis->lo) * (pixel_hi - pixel_lo);
}

double
memscope_chart_unscale (const MemscopeAxis *axis,
                        double              pixel,
                        double              pixel_lo,
                        double              pixel_hi)
{
  g_return_val_if_fail (axis != NULL, 0);

  if (pixel_hi == pixel_lo)
    return axis->lo;
  return axis->lo + (pixel - pixel_lo) / (pixel_hi - pixel_lo) * (axis->hi - axis->lo);
}

/* Decimals needed to write x exactly (3 meaning "more than two"). */
static int
decimals_for (double x)
{
  for (int d = 0; d < 3; d++)
    {
      double scaled = x * pow (10, d);

      if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, fabs (scaled)))
        return d;
    }
  return 3;
}

/* Binary units from KiB: size_units[u] is 1024^u KiB. */
static const char *const size_units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

char *
memscope_chart_format_size_tick (double kib,
                                 double step_kib)
{
  double unit = 1;
  guint u = 0;
  double x;
  int d;

  if (!isfinite (kib) || fabs (kib) < 0.5)
    return g_strdup ("0");

  while (u + 1 < G_N_ELEMENTS (size_units) && fabs (kib) >= unit * 1024)
    {
      unit *= 1024;
      u++;
    }
  /* A step too fine for two decimals of this unit (a narrow range high up): a smaller unit, so
   * neighbouring ticks never print the same text. */
  if (isfinite (step_kib) && step_kib > 0)
    while (u > 0 && decimals_for (step_kib / unit) > 2)
      {
        unit /= 1024;
        u--;
      }
  x = kib / unit;
  d = MIN (decimals_for (x), 2);
  if (isfinite (step_kib) && step_kib > 0)
    d = MAX (d, MIN (decimals_for (step_kib / unit), 2));
  return g_strdup_printf ("%.*f %s", d, x, size_units[u]);
}

char *
memscope_chart_format_time_tick (double offset_s)
{
  double ago = round (fabs (offset_s));
  double unit_s = 1;

  /* Each tick in the largest unit it is a whole number of, as the fixed-unit axis says it. */
  if (isfinite (ago) && ago >= 3600 && fmod (ago, 3600) == 0)
    unit_s = 3600;
  else if (isfinite (ago) && ago >= 60 && fmod (ago, 60) == 0)
    unit_s = 60;
  return memscope_chart_format_time_in (isfinite (offset_s) ? -ago : offset_s, unit_s, TRUE);
}

double
memscope_chart_zero_size_axis (double        max_kib,
                               guint         max_ticks,
                               MemscopeAxis *out)
{
  static const double multiples[] = { 1, 2, 5, 10 };
  double unit = 1, value, magnitude, step = 1, top;
  guint n;

  g_return_val_if_fail (out != NULL, 1);

  max_ticks = clamp_ticks (max_ticks);
  max_kib = sanitize_kib (max_kib);
  if (max_kib <= 0)
    max_kib = 1024;
  /* Past EiB there is no name: stay there. */
  for (int u = 0; u < 6 && max_kib >= 2 * unit * 1024; u++)
    unit *= 1024;
  value = max_kib / unit;
  magnitude = pow (10, floor (log10 (value / (double) (max_ticks - 1))));
  /* Nothing finer than a KiB. */
  if (magnitude * unit < 1)
    magnitude = 1 / unit;
  for (;;)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (multiples) && !found; i++)
        {
          step = multiples[i] * magnitude;
          found = ceil (value / step - 1e-9) + 1 <= max_ticks;
        }
      if (found)
        break;
      magnitude *= 10;
    }
  top = MAX (ceil (value / step - 1e-9), 1) * step;
  n = (guint) llround (top / step) + 1;
  out->lo = 0;
  out->hi = top * unit;
  out->step = step * unit;
  out->n_ticks = MIN (n, MEMSCOPE_CHART_MAX_TICKS);
  for (guint i = 0; i < out->n_ticks; i++)
    out->ticks[i] = (double) i * out->step;
  return unit;
}

char *
memscope_chart_format_size_in (double kib,
                               double unit_kib,
                               double step_kib)
{
  guint u = 0;
  int d = 0;

  if (!isfinite (kib) || fabs (kib) < 0.5)
    return g_strdup ("0");
  if (!isfinite (unit_kib) || unit_kib < 1)
    unit_kib = 1;
  while (u + 1 < G_N_ELEMENTS (size_units) && unit_kib >= exp2 (10.0 * (u + 1)))
    u++;
  if (isfinite (step_kib) && step_kib > 0)
    d = MIN (decimals_for (step_kib / unit_kib), 2);
  return g_strdup_printf ("%.*f %s", d, kib / unit_kib, size_units[u]);
}

double
memscope_chart_timeline_top (double data_max_kib,
                             double total_kib)
{
  double top = sanitize_kib (data_max_kib) * 1.05;

  total_kib = sanitize_kib (total_kib);
  if (total_kib > 0 && data_max_kib >= total_kib * 2.0 / 3.0)
    top = MAX (top, total_kib);
  return top;
}

/* Round steps of the timeline, and the unit each belongs to once the window is long. */
static const double nice_time_steps_s[] = {
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
  172800, 604800,
};

void
memscope_chart_nice_time_axis (double        lo_s,
                               double        hi_s,
                               guint         max_ticks,
                               MemscopeAxis *out)
{
  double window, step = 0, quantum = 1, first;
  guint n = 0;

  g_return_if_fail (out != NULL);

  if (!isfinite (lo_s) || !isfinite (hi_s) || !(hi_s > lo_s))
    {
      hi_s = isfinite (hi_s) ? hi_s : 0;
      lo_s = hi_s - 60;
    }
  max_ticks = clamp_ticks (max_ticks);
  window = hi_s - lo_s;
  if (window >= 3 * 86400)
    quantum = 86400;
  else if (window >= 3 * 3600)
    quantum = 3600;
  else if (window >= 180)
    quantum = 60;

  for (guint i = 0; i < G_N_ELEMENTS (nice_time_steps_s) && step == 0; i++)
    if (fmod (nice_time_steps_s[i], quantum) == 0
        && floor (window / nice_time_steps_s[i]) + 1 <= max_ticks)
      step = nice_time_steps_s[i];
  if (step == 0)
    {
      /* Longer than a week per tick: whole weeks, doubled until they fit. */
      step = nice_time_steps_s[G_N_ELEMENTS (nice_time_steps_s) - 1];
      while (floor (window / step) + 1 > max_ticks)
        step *= 2;
    }

  out->lo = lo_s;
  out->hi = hi_s;
  out->step = step;
  first = ceil (lo_s / step - 1e-9) * step;
  for (double t = first; t <= hi_s + 1e-9 * step && n < MEMSCOPE_CHART_MAX_TICKS; t += step)
    out->ticks[n++] = t;
  out->n_ticks = n;
}

double
memscope_chart_time_unit (const MemscopeAxis *axis)
{
  static const double units_s[] = { 86400, 3600, 60 };
  double window;

  g_return_val_if_fail (axis != NULL, 1);

  window = axis->hi - axis->lo;
  for (guint i = 0; i < G_N_ELEMENTS (units_s); i++)
    if (window >= 3 * units_s[i] && fmod (axis->step, units_s[i]) == 0)
      return units_s[i];
  /* Minutes from 2 min up; a shorter window counts seconds. */
  if (window >= 120 && fmod (axis->step, 60) == 0)
    return 60;
  return 1;
}

char *
memscope_chart_format_time_in (double   offset_s,
                               double   unit_s,
                               gboolean relative)
{
  double amount;

  if (!isfinite (offset_s) || fabs (offset_s) < 0.5)
    return relative ? g_strdup (_("now")) : g_strdup ("0");
  if (!isfinite (unit_s) || unit_s < 1)
    unit_s = 1;
  amount = round (fabs (offset_s) / unit_s * 100) / 100;
  /* The minus sign, not a hyphen: it reads as "before now". */
  if (unit_s >= 86400)
    return relative ? g_strdup_printf (_("−%g d"), amount) : g_strdup_printf (_("%g d"), amount);
  if (unit_s >= 3600)
    return relative ? g_strdup_printf (_("−%g h"), amount) : g_strdup_printf (_("%g h"), amount);
  if (unit_s >= 60)
    return relative ? g_strdup_printf (_("−%g min"), amount)
                    : g_strdup_printf (_("%g min"), amount);
  return relative ? g_strdup_printf (_("−%g s"), amount) : g_strdup_printf (_("%g s"), amount);
}

double
memscope_chart_share (gint64 value_kib,
                      gint64 total_kib)
{
  if (total_kib <= 0 || value_kib <= 0)
    return 0;
  return CLAMP ((double) value_kib / (double) total_kib, 0.0, 1.0);
}

gint64
memscope_chart_point_value (const ms_history_point_t *point,
                            MemscopeSeries            series)
{
  g_return_val_if_fail (point != NULL, -1);

  switch (series)
    {
    case MEMSCOPE_SERIES_FOOTPRINT: return point->footprint_kib;
    case MEMSCOPE_SERIES_RSS: return point->rss_kib;
    case MEMSCOPE_SERIES_PSS: return point->pss_kib >= 0 ? point->pss_kib : -1;
    case MEMSCOPE_SERIES_SWAP: return point->swap_kib;
    case MEMSCOPE_N_SERIES:
    default: return -1;
    }
}

void
memscope_chart_series_stats (const ms_history_point_t *points,
                             gsize                     n_points,
                             MemscopeSeries            series,
                             double                    since_s,
                             MemscopeSeriesStats      *out)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (points != NULL || n_points == 0);

  out->n = 0;
  out->min_kib = out->max_kib = out->current_kib = -1;
  for (gsize i = 0; i < n_points; i++)
    {
      gint64 v;

      if (points[i].time_s < since_s)
        continue;
      v = memscope_chart_point_value (&points[i], series);
      if (v < 0)
        continue;
      if (out->n == 0 || v < out->min_kib)
        out->min_kib = v;
      if (out->n == 0 || v > out->max_kib)
        out->max_kib = v;
      out->current_kib = v;
      out->n++;
    }
}

gssize
memscope_chart_nearest_point (const ms_history_point_t *points,
                              gsize                     n_points,
                              double                    time_s)
{
  gsize lo = 0, hi;

  if (points == NULL || n_points == 0)
    return -1;

  /* First point at or after time_s, then whichever neighbour is closer. */
  hi = n_points;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (points[mid].time_s < time_s)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == n_points)
    return (gssize) n_points - 1;
  if (lo > 0 && time_s - points[lo - 1].time_s <= points[lo].time_s - time_s)
    return (gssize) lo - 1;
  return (gssize) lo;
}

double
memscope_chart_leak_line (double now_s,
                          double now_kib,
                          double rate_kib_s,
                          double time_s)
{
  if (!isfinite (rate_kib_s))
    return now_kib;
  return now_kib + rate_kib_s * (time_s - now_s);
}

double
memscope_chart_bar_width (gint64 value_kib,
                          gint64 total_kib,
                          double trough_px,
                          double min_px)
{
  double share = memscope_chart_share (value_kib, total_kib);

  if (trough_px <= 0)
    return 0;
  if (share <= 0)
    return 0;
  return CLAMP (share * trough_px, MIN (min_px, trough_px), trough_px);
}
