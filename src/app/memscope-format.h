/* SPDX-License-Identifier: MIT */
/* The one place numbers become words: sizes, signed sizes, rates, durations, ages and shares,
 * in the user's language.  GTK-free and safe to call from any thread.
 *
 * Unknown has one meaning and one look: a size below zero (MS_UNKNOWN_KIB, or any other negative
 * reading), a rate or duration that is not a number (NAN; for a rate, infinite too), an age below zero and a share of an
 * unknown part or of no total all show as MEMSCOPE_FORMAT_UNKNOWN, "—" (U+2014 EM DASH).
 * Signed sizes and rates have no unknown: below zero is shrinking, shown with a real minus
 * sign "−" (U+2212). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MEMSCOPE_FORMAT_UNKNOWN "—"

/* "0", "512.0 KiB", "1.5 GiB"; "—" when below zero. */
char *memscope_format_size        (gint64 kib);

/* "0", "+1.5 MiB", "−512.0 KiB". */
char *memscope_format_signed_size (gint64 kib);

/* "8.0 MiB/s" (the magnitude; below zero counts as its size); "—" when not finite. */
char *memscope_format_rate        (double kib_s);

/* "+1.2 MiB/s", "−300.0 KiB/s"; "—" when not finite. */
char *memscope_format_signed_rate (double kib_s);

/* How long something lasts: "45 s", "4 min 5 s", "12 min", "2 h 10 min", "3 d 4 h" in English,
 * with the units and their order as the translation says; "a long time" when infinite, "—" when
 * NAN.  Below zero counts as 0. */
char *memscope_format_duration    (double seconds);

/* A time on a recording's clock or a length as hours, minutes and seconds: "0:01:40",
 * "12:00:05"; below zero counts as 0, "—" when NAN. */
char *memscope_format_clock       (double seconds);

/* How long a process has been running, as people say it: "45 seconds", "3 min", "2 h 10 min",
 * "5 days"; "—" when below zero or NAN. */
char *memscope_format_age         (double seconds);

/* part / total: "45 %", "<1 %" (some, but under one percent), "0 %", at most "100 %"; "—" when
 * the part is unknown (below zero) or there is no total. */
char *memscope_format_share       (gint64 part_kib,
                                   gint64 total_kib);

G_END_DECLS
