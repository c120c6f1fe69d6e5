/* SPDX-License-Identifier: MIT */
/* The detector's findings in the user's language: tag explanations and the time until memory runs
 * out, with numbers as memscope-format.h writes them.  Safe to call from any thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-explain.h"
#include "memscope-format.h"

char *
memscope_explain_exhaust (double seconds)
{
  g_autofree char *when = memscope_format_duration (seconds);

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
      g_autofree char *rate = memscope_format_rate (facts->leak_rate_kib_s);
      g_autofree char *since = memscope_format_duration (facts->leak_duration_s);

      /* Translators: why a process is tagged LEAK; the first %s is a growth rate ("8.0 MiB/s"),
       * the second a duration ("1 min 30 s").  The floor is the lowest memory use over each few
       * seconds: it rises too, so the growth is not a passing peak.  Use %2$s and %1$s to swap
       * them. */
      g_string_append_printf (text, _("growing %s for %s, floor rising"), rate, since);
      if (isfinite (facts->leak_exhaust_s))
        {
          g_autofree char *until = memscope_format_duration (facts->leak_exhaust_s);

          g_string_append (text, "; ");
          /* Translators: follows the LEAK explanation; %s is a duration ("8 min 32 s"). */
          g_string_append_printf (text, _("available memory runs out in %s at this rate"),
                                  until);
        }
    }
  if (facts->tags & MS_TAG_SPIKE)
    {
      g_autofree char *jump = memscope_format_size (isfinite (facts->spike_jump_kib)
                                                        ? (gint64) MAX (facts->spike_jump_kib, 0)
                                                        : MS_UNKNOWN_KIB);
      g_autofree char *within = memscope_format_duration (facts->spike_window_s);

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
