/* SPDX-License-Identifier: MIT */
/* Layout maths of the inspect panel's gauges and trend graph: axis ticks, scaling and summaries. */

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

char *
memscope_chart_format_size_tick (double kib,
                                 double step_kib)
{
  static const char *units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
  double unit = 1;
  guint u = 0;
  double x;
  int d;

  if (!isfinite (kib) || fabs (kib) < 0.5)
    return g_strdup ("0");

  while (u + 1 < G_N_ELEMENTS (units) && fabs (kib) >= unit * 1024)
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
  return g_strdup_printf ("%.*f %s", d, x, units[u]);
}

char *
memscope_chart_format_time_tick (double offset_s)
{
  double ago = round (fabs (offset_s));

  if (!isfinite (offset_s) || ago < 0.5)
    return g_strdup (_("now"));
  /* The minus sign, not a hyphen: it reads as "before now". */
  if (ago >= 3600 && fmod (ago, 3600) == 0)
    return g_strdup_printf (_("−%.0f h"), ago / 3600);
  if (ago >= 60 && fmod (ago, 60) == 0)
    return g_strdup_printf (_("−%.0f min"), ago / 60);
  return g_strdup_printf (_("−%.0f s"), ago);
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
