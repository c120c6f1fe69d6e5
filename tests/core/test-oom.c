/* SPDX-License-Identifier: MIT */
/* OOM kills derived from the kernel's counter: zero is a reading, not "unknown"; a counter first
 * read above zero, one that cannot be read and one that went down report nothing. */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "oom.h"

/* A reading: -1 for a counter that could not be read. */
#define UNREADABLE (-1)

/* Feeds the readings through one tracker and checks the kills derived at each. */
static void
check_readings (const gint64 *readings, const guint64 *want, gsize n)
{
  ms_oom_tracker_t tracker;

  ms_oom_tracker_init (&tracker);
  for (gsize i = 0; i < n; i++)
    {
      ms_snapshot_t snap;

      memset (&snap, 0, sizeof snap);
      snap.new_oom_kills = 12345; /* whatever was there is replaced */
      snap.oom_counter.valid = readings[i] != UNREADABLE;
      snap.oom_counter.count = readings[i] != UNREADABLE ? (guint64) readings[i] : 0;
      g_assert_cmpuint (ms_oom_derive (&tracker, &snap), ==, want[i]);
      g_assert_cmpuint (snap.new_oom_kills, ==, want[i]);
    }
}

/* The first kill since boot takes the counter from 0 to 1. */
static void
test_first_kill (void)
{
  static const gint64 readings[] = { 0, 0, 1, 1, 4 };
  static const guint64 want[] = { 0, 0, 1, 0, 3 };

  check_readings (readings, want, G_N_ELEMENTS (readings));
}

/* Kills before the first reading are history, not news. */
static void
test_first_readable_above_zero (void)
{
  static const gint64 readings[] = { 5, 5, 5, 6 };
  static const guint64 want[] = { 0, 0, 0, 1 };
  static const gint64 late[] = { UNREADABLE, UNREADABLE, 5, 5, 7 };
  static const guint64 late_want[] = { 0, 0, 0, 0, 2 };

  check_readings (readings, want, G_N_ELEMENTS (readings));
  check_readings (late, late_want, G_N_ELEMENTS (late));
}

static void
test_unreadable (void)
{
  static const gint64 never[] = { UNREADABLE, UNREADABLE, UNREADABLE };
  static const guint64 none[] = { 0, 0, 0 };
  /* Kills while the counter could not be read are counted once it can, and once only. */
  static const gint64 gap[] = { 3, UNREADABLE, UNREADABLE, 5, 5 };
  static const guint64 gap_want[] = { 0, 0, 0, 2, 0 };

  check_readings (never, none, G_N_ELEMENTS (never));
  check_readings (gap, gap_want, G_N_ELEMENTS (gap));
}

/* A counter that went down belongs to another boot: the new reading is the new start. */
static void
test_went_down (void)
{
  static const gint64 readings[] = { 9, 2, 3 };
  static const guint64 want[] = { 0, 0, 1 };

  check_readings (readings, want, G_N_ELEMENTS (readings));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/oom/first-kill", test_first_kill);
  g_test_add_func ("/oom/first-readable-above-zero", test_first_readable_above_zero);
  g_test_add_func ("/oom/unreadable", test_unreadable);
  g_test_add_func ("/oom/went-down", test_went_down);
  return g_test_run ();
}
