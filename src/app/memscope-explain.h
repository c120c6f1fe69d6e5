/* SPDX-License-Identifier: MIT */
/* The words for the detector's numbers, in the user's language: tag explanations, rates, sizes,
 * durations and the time until memory runs out.  Safe to call from any thread. */
#pragma once

#include <glib.h>

#include "detector.h"

G_BEGIN_DECLS

/* "1.2 GiB" (negative counts as 0). */
char *memscope_explain_size     (double                kib);

/* "8.0 MiB/s"; "?" when not finite. */
char *memscope_explain_rate     (double                kib_s);

/* "45 s", "4 min 5 s", "12 min", "2 h 10 min", "3 d 4 h" in English, with the units and their
 * order as the translation says. */
char *memscope_explain_duration (double                seconds);

/* "At this rate available memory runs out in 8 min 32 s." */
char *memscope_explain_exhaust  (double                seconds);

/* Why a process carries its tags, e.g. "growing 8.0 MiB/s for 1 min 30 s, floor rising;
 * available memory runs out in 8 min 32 s at this rate"; NULL when no tag is set. */
char *memscope_explain_tags     (const ms_tag_facts_t *facts);

G_END_DECLS
