/* SPDX-License-Identifier: MIT */
/* The detector's findings in the user's language: tag explanations and the time until memory runs
 * out, with numbers as memscope-format.h writes them.  Safe to call from any thread. */
#pragma once

#include <glib.h>

#include "detector.h"

G_BEGIN_DECLS

/* "At this rate available memory runs out in 8 min 32 s." */
char *memscope_explain_exhaust  (double                seconds);

/* Why a process carries its tags, e.g. "Growing 8.0 MiB/s for 1 min 30 s, floor rising;
 * available memory runs out in 8 min 32 s at this rate"; NULL when no tag is set. */
char *memscope_explain_tags     (const ms_tag_facts_t *facts);

G_END_DECLS
