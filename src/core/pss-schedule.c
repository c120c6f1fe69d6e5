/* SPDX-License-Identifier: MIT */
/* Which processes get their PSS read this tick: deadlines first, then growers and newcomers. */

#include "config.h"

#include <math.h>

#include "pss-schedule.h"

/* Headroom over the bare demand, so deadlines that bunch up (a burst of new processes, a first
 * pass over every process) are still met. */
#define HEADROOM 1.25

double
ms_pss_deadline_s (const ms_pss_cand_t *c, double max_age_s)
{
  if (c->read_s < 0)
    return c->first_seen_s + max_age_s;
  return c->read_s + (c->moved_kib != 0 ? max_age_s : 2 * max_age_s);
}

/* Higher goes first; negative: not read this tick. */
static double
score (const ms_pss_cand_t *c, double now_s, double horizon_s, double max_age_s)
{
  double slack_s;

  if (!c->readable)
    return -1.0;
  if (c->priority)
    return 1e18;
  if (c->retry)
    return 0.5;
  slack_s = ms_pss_deadline_s (c, max_age_s) - now_s;
  if (slack_s <= horizon_s)
    return 1e12 - slack_s; /* due: earliest deadline first */
  if (c->read_s < 0)
    /* Shown as unknown until read: worth a spare read, the longest waiting first, but never
     * ahead of a deadline (a stream of newcomers must not starve everyone else). */
    return 1.0 + (now_s - c->first_seen_s) / max_age_s;
  if (c->moved_kib == 0)
    return -1.0;
  /* Fast growers first, then the oldest readings. */
  return (double) c->moved_kib / 1024.0 + (now_s - c->read_s) / max_age_s;
}

size_t
ms_pss_schedule (const ms_pss_cand_t *cands, size_t n, double now_s, double interval_s,
                 const ms_pss_sched_opts_t *opts, double *credit, int32_t *out)
{
  double max_age_s = opts->max_age_s > 0 ? opts->max_age_s : 30.0;
  double horizon_s = interval_s > 0 ? interval_s : 1.0;
  double rate_per_s = 0.0, want;
  size_t n_due = 0, budget, n_best = 0;
  double best_score[256];

  if (opts->max_budget == 0)
    return 0;

  /* The demand: reads per second that keep every deadline, and the reads due right now. */
  for (size_t i = 0; i < n; i++)
    {
      const ms_pss_cand_t *c = &cands[i];

      if (!c->readable || c->retry)
        continue;
      rate_per_s += (c->read_s >= 0 && c->moved_kib == 0) ? 0.5 / max_age_s : 1.0 / max_age_s;
      if (c->priority || ms_pss_deadline_s (c, max_age_s) - now_s <= horizon_s)
        n_due++;
    }
  want = rate_per_s * horizon_s * HEADROOM + (credit != NULL ? *credit : 0.0);
  budget = (size_t) floor (want);
  if (credit != NULL)
    *credit = want > (double) budget ? want - (double) budget : 0.0;
  if (budget < opts->base_budget)
    budget = opts->base_budget;
  if (budget < n_due)
    budget = n_due;
  if (budget > opts->max_budget)
    budget = opts->max_budget;
  if (budget > sizeof best_score / sizeof best_score[0])
    budget = sizeof best_score / sizeof best_score[0];

  /* A partial selection of the `budget` highest scores, without sorting every process. */
  for (size_t i = 0; i < n; i++)
    {
      double s = score (&cands[i], now_s, horizon_s, max_age_s);
      size_t pos;

      if (s < 0 || (n_best == budget && s <= best_score[n_best - 1]))
        continue;
      pos = n_best < budget ? n_best++ : budget - 1;
      while (pos > 0 && best_score[pos - 1] < s)
        {
          out[pos] = out[pos - 1];
          best_score[pos] = best_score[pos - 1];
          pos--;
        }
      out[pos] = (int32_t) i;
      best_score[pos] = s;
    }
  return n_best;
}
