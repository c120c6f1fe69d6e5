/* SPDX-License-Identifier: MIT */
/* The one place numbers become words; see memscope-format.h for what "unknown" looks like. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "detector.h"
#include "memscope-chart-math.h"
#include "memscope-format.h"

/* The minus sign, not a hyphen. */
#define MINUS "−"

static char *
magnitude_text (guint64 kib)
{
  if (kib == 0)
    return g_strdup ("0");
  /* Past 8 EiB the byte count overflows: a corrupt reading still prints as what it says. */
  if (kib > G_MAXINT64 / 1024)
    return memscope_chart_format_size_tick ((double) kib, 0);
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

char *
memscope_format_size (gint64 kib)
{
  if (kib < 0)
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  return magnitude_text ((guint64) kib);
}

char *
memscope_format_signed_size (gint64 kib)
{
  g_autofree char *size = NULL;

  if (kib == 0)
    return g_strdup ("0");
  /* -G_MININT64 does not fit in a gint64; in a guint64 it does. */
  size = magnitude_text (kib < 0 ? (guint64) -(kib + 1) + 1 : (guint64) kib);
  return g_strconcat (kib < 0 ? MINUS : "+", size, NULL);
}

static char *
rate_magnitude_text (double kib_s)
{
  double bytes = fabs (kib_s) * 1024.0;

  return g_format_size_full ((guint64) MIN (bytes, (double) G_MAXINT64), G_FORMAT_SIZE_IEC_UNITS);
}

char *
memscope_format_rate (double kib_s)
{
  g_autofree char *size = NULL;

  if (!isfinite (kib_s))
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  size = rate_magnitude_text (kib_s);
  /* Translators: a growth rate, e.g. "8.0 MiB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

char *
memscope_format_signed_rate (double kib_s)
{
  g_autofree char *size = NULL;

  if (!isfinite (kib_s))
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  size = rate_magnitude_text (kib_s);
  /* TRANSLATORS: a growth rate, e.g. "+1.2 MiB/s" */
  return g_strdup_printf (_("%s%s/s"), kib_s < 0 ? MINUS : "+", size);
}

char *
memscope_format_duration (double seconds)
{
  long major, minor;

  if (isnan (seconds))
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  /* The core decides the units and rounds, so every language says the same amount. */
  switch (ms_duration_split (seconds, &major, &minor))
    {
    case MS_DURATION_SECONDS:
      /* Translators: a duration in seconds, e.g. "45 s" */
      return g_strdup_printf (_("%ld s"), major);
    case MS_DURATION_MINUTES_SECONDS:
      /* Translators: a duration in minutes and seconds, e.g. "4 min 5 s" */
      return g_strdup_printf (_("%ld min %ld s"), major, minor);
    case MS_DURATION_MINUTES:
      /* Translators: a duration in minutes, e.g. "12 min" */
      return g_strdup_printf (_("%ld min"), major);
    case MS_DURATION_HOURS_MINUTES:
      /* Translators: a duration in hours and minutes, e.g. "2 h 10 min" */
      return g_strdup_printf (_("%ld h %ld min"), major, minor);
    case MS_DURATION_DAYS_HOURS:
      /* Translators: a duration in days and hours, e.g. "3 d 4 h" */
      return g_strdup_printf (_("%ld d %ld h"), major, minor);
    case MS_DURATION_FOREVER:
    default:
      /* Translators: a duration too long to measure, as in "memory runs out in a long time" */
      return g_strdup (_("a long time"));
    }
}

char *
memscope_format_clock (double seconds)
{
  double t;

  if (isnan (seconds))
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  t = floor (CLAMP (seconds, 0, (double) G_MAXINT));
  return g_strdup_printf ("%d:%02d:%02d", (int) (t / 3600), (int) (t / 60) % 60,
                          (int) fmod (t, 60));
}

char *
memscope_format_age (double seconds)
{
  int days;

  if (isnan (seconds) || seconds < 0)
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%d second", "%d seconds", (int) seconds), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  if (seconds < 86400 * 2)
    return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600),
                            (int) (seconds / 60) % 60);
  days = (int) MIN (seconds / 86400, (double) G_MAXINT);
  return g_strdup_printf (ngettext ("%d day", "%d days", days), days);
}

char *
memscope_format_share (gint64 part_kib,
                       gint64 total_kib)
{
  double share;

  if (part_kib < 0 || total_kib <= 0)
    return g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  share = memscope_chart_share (part_kib, total_kib);
  if (part_kib > 0 && share < 0.005)
    return g_strdup (_("<1 %"));
  /* TRANSLATORS: a share of a total, e.g. "45 %" */
  return g_strdup_printf (_("%.0f %%"), share * 100);
}
