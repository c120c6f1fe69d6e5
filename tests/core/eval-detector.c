/* SPDX-License-Identifier: MIT */
/* eval-detector: recall, false alarms and latency of the detector on labelled traces. */
#include "config.h"

#include "evaluate.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: eval-detector [--synthetic] [--seed N] [--corpus DIR [--plain DIR]]\n"
           "                     [--set tuning|held-out|all] [--sensitivity X] [--verbose]\n"
           "\n"
           "Runs the leak detector over labelled traces and prints, per pattern (or kind) and\n"
           "per runtime: traces, leaks found / leaks (recall), leaks tagged within their latency\n"
           "bound, leaks still tagged at their end, median and largest latency, false LEAK on\n"
           "non-leaks, SPIKE found / expected and false, ZOMBIE found / expected.\n"
           "\n"
           "  --synthetic        the generated set of tests/tracegen.c (seed 1, the tuning set)\n"
           "  --seed N           also the same shapes drawn from seed N (held out of tuning)\n"
           "  --corpus DIR       a recorded corpus: one JSON label per trace (see\n"
           "                     memscope-probe(1), LABELS); traces may be gzip-compressed\n"
           "  --plain DIR        read X.csv from DIR for a label's X.csv.gz when it is there\n"
           "  --set NAME         judge only the labels of this set (default: each set apart)\n"
           "  --sensitivity X    the detector's sensitivity, 0 to 1 (default 0.5)\n"
           "  --verbose          describe each miss, late tag and false alarm\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 when every trace was read, 1 when one could not be, 2 on bad usage.\n");
}

static double
parse_number (const char *opt, const char *text)
{
  char *end;
  double v;

  errno = 0;
  v = strtod (text, &end);
  if (end == text || *end != '\0' || errno != 0)
    {
      fprintf (stderr, "eval-detector: %s must be a number, not \"%s\"\n", opt, text);
      exit (2);
    }
  return v;
}

static int
synthetic (uint64_t seed, const ms_detector_params_t *params, bool verbose, const char *title)
{
  size_t n = ms_tg_seeded_set (seed, NULL, 0);
  ms_tg_spec_t *set = calloc (n, sizeof *set);
  ms_eval_t *ev = calloc (1, sizeof *ev);

  if (set == NULL || ev == NULL)
    {
      fprintf (stderr, "eval-detector: out of memory\n");
      free (set);
      free (ev);
      return 1;
    }
  ms_tg_seeded_set (seed, set, n);
  ms_eval_init (ev, verbose ? stdout : NULL, "  ");
  ms_eval_synthetic (ev, set, n, params);
  ms_eval_print (ev, stdout, title);
  putchar ('\n');
  free (set);
  free (ev);
  return 0;
}

static int
corpus (const char *dir, const char *plain, const char *set, const ms_detector_params_t *params,
        bool verbose)
{
  ms_eval_t *ev = calloc (1, sizeof *ev);
  char title[512];
  int judged, errors;

  if (ev == NULL)
    return 1;
  ms_eval_init (ev, verbose ? stdout : stderr, verbose ? "  " : "eval-detector: ");
  if (!verbose)
    ev->log = NULL;
  judged = ms_eval_corpus (ev, dir, plain, set, params);
  errors = ev->errors;
  if (judged < 0 || errors > 0)
    {
      /* Say what failed even when not verbose. */
      ms_eval_t *again = calloc (1, sizeof *again);

      if (again != NULL && !verbose)
        {
          ms_eval_init (again, stderr, "eval-detector: ");
          ms_eval_corpus (again, dir, plain, set, params);
        }
      free (again);
    }
  snprintf (title, sizeof title, "recorded corpus %s, set %s: %d traces", dir,
            set != NULL ? set : "all", judged < 0 ? 0 : judged);
  ms_eval_print (ev, stdout, title);
  putchar ('\n');
  free (ev);
  return judged < 0 || errors > 0 ? 1 : 0;
}

int
main (int argc, char **argv)
{
  static const struct option options[] = {
    { "synthetic", no_argument, NULL, 'S' },
    { "seed", required_argument, NULL, 's' },
    { "corpus", required_argument, NULL, 'c' },
    { "plain", required_argument, NULL, 'p' },
    { "set", required_argument, NULL, 't' },
    { "sensitivity", required_argument, NULL, 'x' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool synth = false, verbose = false;
  const char *dir = NULL, *plain = NULL, *set = NULL;
  double sensitivity = 0.5, seed = -1;
  ms_detector_params_t params;
  int status = 0, c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, ":h", options, NULL)) != -1)
    switch (c)
      {
      case 'S': synth = true; break;
      case 's':
        seed = parse_number ("--seed", optarg);
        if (seed < 1 || seed != (double) (uint64_t) seed)
          {
            fprintf (stderr, "eval-detector: --seed must be a whole number from 1\n");
            return 2;
          }
        break;
      case 'c': dir = optarg; break;
      case 'p': plain = optarg; break;
      case 't':
        if (strcmp (optarg, "tuning") != 0 && strcmp (optarg, "held-out") != 0
            && strcmp (optarg, "all") != 0)
          {
            fprintf (stderr, "eval-detector: --set is tuning, held-out or all, not \"%s\"\n",
                     optarg);
            return 2;
          }
        set = optarg;
        break;
      case 'x':
        sensitivity = parse_number ("--sensitivity", optarg);
        if (!(sensitivity >= 0 && sensitivity <= 1))
          {
            fprintf (stderr, "eval-detector: --sensitivity must be from 0 to 1\n");
            return 2;
          }
        break;
      case 'v': verbose = true; break;
      case 'h': usage (stdout); return 0;
      case ':':
        fprintf (stderr, "eval-detector: %s needs a value\n", argv[optind - 1]);
        return 2;
      default:
        fprintf (stderr, "eval-detector: unknown option \"%s\"; see --help\n", argv[optind - 1]);
        return 2;
      }
  if (optind < argc)
    {
      fprintf (stderr, "eval-detector: unexpected argument \"%s\"\n", argv[optind]);
      return 2;
    }
  if (!synth && seed < 0 && dir == NULL)
    {
      fprintf (stderr, "eval-detector: nothing to judge: give --synthetic, --seed or --corpus\n");
      return 2;
    }
  ms_detector_params_init (&params, sensitivity);
  if (synth)
    status |= synthetic (1, &params, verbose, "synthetic set, seed 1 (tuning)");
  if (seed >= 1)
    {
      char title[96];

      snprintf (title, sizeof title, "synthetic set, seed %.0f (held out)", seed);
      status |= synthetic ((uint64_t) seed, &params, verbose, title);
    }
  if (dir != NULL)
    {
      if (set != NULL && strcmp (set, "all") == 0)
        status |= corpus (dir, plain, NULL, &params, verbose);
      else if (set != NULL)
        status |= corpus (dir, plain, set, &params, verbose);
      else
        {
          status |= corpus (dir, plain, "tuning", &params, verbose);
          status |= corpus (dir, plain, "held-out", &params, verbose);
        }
    }
  return status;
}
