/* SPDX-License-Identifier: MIT */
/* The words for the detector's numbers, in the user's language: tag explanations, rates, sizes,
 * durations and the time until memory runs out.  Safe to call from any thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-explain.h"

char *
memscope_explain_size (double kib)
{
  double bytes = isfinite (kib) && kib > 0 ? kib * 1024.0 : 0.0;

  return g_format_size_full ((guint64) MIN (bytes, (double) G_MAXINT64),
                             G_FORMAT_SIZE_IEC_UNITS);
}

char *
memscope_explain_rate (double kib_s)
{
  g_autofree char *size = NULL;

  if (!isfinite (kib_s))
    return g_strdup ("?");
  size = memscope_explain_size (kib_s);
  /* Translators: a growth rate, e.g. "8.0 MiB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

char *
memscope_explain_duration (double seconds)
{
  long major, minor;

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
memscope_explain_exhaust (double seconds)
{
  g_autofree char *when = memscope_explain_duration (seconds);

  /* Translators: %s is a duration ("8 min 32 s"). */
  return g_strdup_printf (_("At this rate available memory runs out in %s."), when);
}

char *
memscope_explain_tags (const ms_tag_facts_t *facts)
{
  GString *text;

  g_return_val_if_fail (facts != NULL, NULL);

  if (facts->tags == 0)
    return NULL;
  text = g_string_new (NULL);
  if (facts->tags & MS_TAG_LEAK)
    {
      g_autofree char *rate = memscope_explain_rate (facts->leak_rate_kib_s);
      g_autofree char *since = memscope_explain_duration (facts->leak_duration_s);

      /* Translators: why a process is tagged LEAK; the first %s is a growth rate ("8.0 MiB/s"),
       * the second a duration ("1 min 30 s").  The floor is the lowest memory use over each few
       * seconds: it rises too, so the growth is not a passing peak.  Use %2$s and %1$s to swap
       * them. */
      g_string_append_printf (text, _("growing %s for %s, floor rising"), rate, since);
      if (isfinite (facts->leak_exhaust_s))
        {
          g_autofree char *until = memscope_explain_duration (facts->leak_exhaust_s);

          g_string_append (text, "; ");
          /* Translators: follows the LEAK explanation; %s is a duration ("8 min 32 s"). */
          g_string_append_printf (text, _("available memory runs out in %s at this rate"),
                                  until);
        }
    }
  if (facts->tags & MS_TAG_SPIKE)
    {
      g_autofree char *jump = memscope_explain_size (facts->spike_jump_kib);
      g_autofree char *within = memscope_explain_duration (facts->spike_window_s);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: why a process is tagged SPIKE; the first %s is a size ("120 MiB"), the
       * second a duration ("5 s").  Use %2$s and %1$s to swap them. */
      g_string_append_printf (text, _("jumped by %s within %s"), jump, within);
    }
  if (facts->tags & MS_TAG_ZOMBIE)
    {
      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: why a process is tagged ZOMBIE. */
      g_string_append (text, _("zombie: exited, not yet reaped by its parent"));
    }
  return g_string_free (text, FALSE);
}
