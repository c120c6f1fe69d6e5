/* SPDX-License-Identifier: MIT */
/* Layout maths of the inspect panel's gauges and trend graph and of the timeline: axis ticks,
 * scaling and summaries. */
#pragma once

#include <glib.h>

#include "history.h"

G_BEGIN_DECLS

/* The trend graph's windows: the last 1, 5, 15 or 60 minutes. */
#define MEMSCOPE_CHART_N_WINDOWS 4
extern const double memscope_chart_windows_s[MEMSCOPE_CHART_N_WINDOWS];

#define MEMSCOPE_CHART_MAX_TICKS 16

/* One axis: the range it shows and where its labelled ticks are, in data units (seconds relative
 * to now, or KiB). */
typedef struct
{
  double lo;
  double hi;
  double step;
  guint  n_ticks;
  double ticks[MEMSCOPE_CHART_MAX_TICKS];
} MemscopeAxis;

/* A time axis from -window_s to 0 (now) with at most max_ticks ticks on round times (10 s,
 * 1 min, 5 min, 15 min ...).  A window_s <= 0 or not finite is taken as 60 s. */
void    memscope_chart_time_axis        (double        window_s,
                                         guint         max_ticks,
                                         MemscopeAxis *out);

/* A size axis covering [min_kib, max_kib] with ticks on binary-round sizes (powers of two of KiB:
 * 256 KiB, 1 MiB, 512 MiB, 2 GiB ...), at most max_ticks of them (2 to MEMSCOPE_CHART_MAX_TICKS).
 * An empty range (one sample, a flat line) is widened around its value; negative or not finite
 * bounds are treated as 0; huge values stay finite. */
void    memscope_chart_size_axis        (double        min_kib,
                                         double        max_kib,
                                         guint         max_ticks,
                                         MemscopeAxis *out);

/* Pixel position of value on an axis drawn from pixel_lo (at axis->lo) to pixel_hi (at
 * axis->hi); values outside the range map outside the pixels. */
double  memscope_chart_scale            (const MemscopeAxis *axis,
                                         double              value,
                                         double              pixel_lo,
                                         double              pixel_hi);
/* The inverse: the value at a pixel. */
double  memscope_chart_unscale          (const MemscopeAxis *axis,
                                         double              pixel,
                                         double              pixel_lo,
                                         double              pixel_hi);

/* "512 MiB", "1.5 GiB", "0": a size tick, with as many decimals as the step needs. */
char   *memscope_chart_format_size_tick (double kib,
                                         double step_kib);
/* "now", "−30 s", "−5 min", "−1 h": a time tick, seconds relative to now (<= 0). */
char   *memscope_chart_format_time_tick (double offset_s);

/* The timeline's size axis: from 0 up to a round size at or above max_kib, in one unit (KiB,
 * MiB, GiB ... the largest that max_kib holds twice) with steps of 1, 2 or 5 times a power of
 * ten of it, at most max_ticks ticks (2 to MEMSCOPE_CHART_MAX_TICKS) starting at 0.  Returns that
 * unit in KiB.  A max_kib not above 0 or not finite is taken as 1 MiB. */
double  memscope_chart_zero_size_axis   (double        max_kib,
                                         guint         max_ticks,
                                         MemscopeAxis *out);
/* "0", "4 GiB", "1.5 GiB": a tick of such an axis, in its unit, with the decimals its step
 * needs (so every tick of one axis reads alike). */
char   *memscope_chart_format_size_in   (double kib,
                                         double unit_kib,
                                         double step_kib);

/* The top of the timeline's scale: the data's maximum with a little headroom, raised to the
 * machine's total (total_kib; <= 0 unknown) when the data reaches two thirds of it, so the
 * total shows as a reference without flattening small data. */
double  memscope_chart_timeline_top     (double data_max_kib,
                                         double total_kib);

/* A time axis over [lo_s, hi_s] (seconds on any clock, lo_s < hi_s) with ticks at the multiples
 * of one round step (1 s ... 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 4, 8, 12 h, 1 day ...) that
 * fall inside, at most max_ticks of them.  Windows of 3 minutes or more take whole minutes,
 * of 3 hours or more whole hours, of 3 days or more whole days, so that every tick reads in one
 * unit (memscope_chart_time_unit).  Bad input is taken as the last minute. */
void    memscope_chart_nice_time_axis   (double        lo_s,
                                         double        hi_s,
                                         guint         max_ticks,
                                         MemscopeAxis *out);
/* The unit an axis's ticks are written in: 1, 60, 3600 or 86400 s (the largest the step is a
 * multiple of, no larger than the window allows). */
double  memscope_chart_time_unit        (const MemscopeAxis *axis);
/* A tick of such an axis in its unit: relative ticks (seconds before now, <= 0) read "−45 min"
 * and "now"; elapsed ones (seconds since a start, >= 0) "45 min" and "0". */
char   *memscope_chart_format_time_in   (double   offset_s,
                                         double   unit_s,
                                         gboolean relative);

/* value / total clamped to [0, 1]; 0 when total <= 0 or value unknown (< 0). */
double  memscope_chart_share            (gint64 value_kib,
                                         gint64 total_kib);

typedef enum
{
  MEMSCOPE_SERIES_FOOTPRINT,
  MEMSCOPE_SERIES_RSS,
  MEMSCOPE_SERIES_PSS,
  MEMSCOPE_SERIES_SWAP,
  MEMSCOPE_N_SERIES
} MemscopeSeries;

/* The value of one series at a point; -1 when unknown (PSS not read). */
gint64  memscope_chart_point_value      (const ms_history_point_t *point,
                                         MemscopeSeries            series);

typedef struct
{
  guint  n;        /* known values counted */
  gint64 min_kib;
  gint64 max_kib;
  gint64 current_kib; /* the last known value */
} MemscopeSeriesStats;

/* Minimum, maximum and last known value of one series over the points with time >= since_s;
 * n is 0 (and the sizes -1) when there is none. */
void    memscope_chart_series_stats     (const ms_history_point_t *points,
                                         gsize                     n_points,
                                         MemscopeSeries            series,
                                         double                    since_s,
                                         MemscopeSeriesStats      *out);

/* Index of the point nearest to time_s in points sorted by time, or -1 when there are none. */
gssize  memscope_chart_nearest_point    (const ms_history_point_t *points,
                                         gsize                     n_points,
                                         double                    time_s);

/* The fitted leak line through (now_s, now_kib) at rate_kib_s, evaluated at time_s. */
double  memscope_chart_leak_line        (double now_s,
                                         double now_kib,
                                         double rate_kib_s,
                                         double time_s);

/* Width in pixels of a bar showing value out of total in a trough of trough_px: at least
 * min_px when value is above 0, never more than trough_px. */
double  memscope_chart_bar_width        (gint64 value_kib,
                                         gint64 total_kib,
                                         double trough_px,
                                         double min_px);

G_END_DECLS
