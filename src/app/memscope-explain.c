/* SPDX-License-Identifier: MIT */
/* The detector's findings in the user's language: tag explanations and the time until memory runs
 * out, with numbers as memscope-format.h writes them.  Safe to call from any thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-alerts.h"
#include "memscope-explain.h"
#include "memscope-format.h"

char *
memscope_explain_exhaust (double seconds)
{
  g_autofree char *when = memscope_format_duration (seconds);

  /* Translators: %s is a duration ("8 min 32 s"). */
  return g_strdup_printf (_("At this rate available memory runs out in %s."), when);
}

/* An explanation is a sentence: it starts upper-case in any language that has cases. */
static void
capitalize_first (GString *text)
{
  gunichar first, title;
  char utf8[6];
  gsize len;

  if (text->len == 0 || !g_utf8_validate (text->str, -1, NULL))
    return;
  first = g_utf8_get_char (text->str);
  title = g_unichar_totitle (first);
  if (title == first)
    return;
  len = (gsize) (g_utf8_next_char (text->str) - text->str);
  g_string_erase (text, 0, (gssize) len);
  g_string_insert_len (text, 0, utf8, g_unichar_to_utf8 (title, utf8));
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
      /* The jump is measured within seconds; the Delta column counts from the baseline: the
       * footprint before and after says which is which. */
      if (isfinite (facts->spike_from_kib) && isfinite (facts->spike_jump_kib))
        {
          g_autofree char *from = memscope_format_size ((gint64) MAX (facts->spike_from_kib, 0));
          g_autofree char *to = memscope_format_size ((gint64) MAX (facts->spike_from_kib
                                                                    + facts->spike_jump_kib, 0));

          g_string_append_c (text, ' ');
          /* Translators: follows the SPIKE explanation; the process's memory before and after
           * the jump ("from 143 MiB to 400 MiB").  Use %2$s and %1$s to swap them. */
          g_string_append_printf (text, _("(from %s to %s)"), from, to);
        }
    }
  if (facts->tags & MS_TAG_ZOMBIE)
    {
      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: why a process is tagged ZOMBIE. */
      g_string_append (text, _("zombie: exited, not yet reaped by its parent"));
      if (facts->zombie_ppid > 0 && facts->zombie_parent[0] != '\0')
        {
          g_autofree char *parent = memscope_alerts_display_name (facts->zombie_parent);

          g_string_append_c (text, ' ');
          /* Translators: follows the ZOMBIE explanation, naming the parent: its name and pid. */
          g_string_append_printf (text, _("(%s, pid %d)"), parent, (int) facts->zombie_ppid);
        }
      else if (facts->zombie_ppid > 0)
        {
          g_string_append_c (text, ' ');
          /* Translators: follows the ZOMBIE explanation: the parent's pid, its name unknown. */
          g_string_append_printf (text, _("(parent pid %d)"), (int) facts->zombie_ppid);
        }
    }
  capitalize_first (text);
  return g_string_free (text, FALSE);
}
