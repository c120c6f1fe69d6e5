/* SPDX-License-Identifier: MIT */
/* Fuzz target: smaps grouping, the growth diff between two parses, and the groups' trip through
 * a stream reply. */
#include "config.h"

#include <string.h>

#include "smaps-groups.h"
#include "stream.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The total is the sum of the groups, and every group is found under its own kind and name. */
static void
check_groups (const ms_smaps_groups_t *g)
{
  ms_smaps_group_t sum;
  size_t mappings = 0;

  memset (&sum, 0, sizeof sum);
  for (size_t i = 0; i < g->n_groups; i++)
    {
      const ms_smaps_group_t *e = &g->groups[i];

      if (e->rss_kib < 0 || e->pss_kib < 0 || e->swap_kib < 0 || e->size_kib < 0
          || e->private_kib < 0 || e->mappings == 0 || e->name[e->name_len] != '\0')
        __builtin_trap ();
      if (ms_smaps_groups_find (g, e->kind, e->name, e->name_len) != e)
        __builtin_trap ();
      sum.rss_kib += e->rss_kib;
      sum.swap_kib += e->swap_kib;
      mappings += e->mappings;
    }
  if (sum.rss_kib != g->total.rss_kib || sum.swap_kib != g->total.swap_kib
      || mappings != g->n_mappings)
    __builtin_trap ();
}

static void
check_stream (const ms_smaps_groups_t *g)
{
  ms_stream_buf_t b;
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  ms_stream_hello_t h;
  ms_stream_reply_t reply = { 1, 0, 2, 3 };
  static ms_stream_frame_t f;
  char err[256];

  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "fuzz", 0);
  if (d == NULL || ms_stream_encode_hello (&b, &h) != 0
      || ms_stream_decode_frame (d, b.data + 4, b.len - 4, 1, &f, err, sizeof err) != MS_STREAM_OK)
    __builtin_trap ();
  ms_stream_buf_reset (&b);
  if (ms_stream_encode_smaps_reply (&b, &reply, g) == 0)
    {
      ms_stream_status_t st = ms_stream_decode_frame (d, b.data + 4, b.len - 4, 2, &f, err,
                                                      sizeof err);

      /* Names holding a NUL byte cannot travel (the kernel never writes one). */
      if (st == MS_STREAM_OK)
        {
          if (f.groups == NULL || f.groups->n_groups != g->n_groups
              || f.groups->total.rss_kib != g->total.rss_kib)
            __builtin_trap ();
        }
      else if (st != MS_STREAM_BAD)
        __builtin_trap ();
    }
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  ms_smaps_groups_t before, now;
  ms_smaps_diff_t diff;
  const char *mid;

  ms_smaps_groups_init (&before);
  ms_smaps_groups_init (&now);
  ms_smaps_diff_init (&diff);

  if (ms_smaps_groups_parse (text, size, &now) == 0)
    {
      check_groups (&now);
      check_stream (&now);
      /* The first half of the text as the earlier reading. */
      mid = memchr (text + size / 2, '\n', size - size / 2);
      if (mid != NULL && ms_smaps_groups_parse (text, (size_t) (mid - text), &before) == 0)
        {
          if (ms_smaps_groups_diff (&before, &now, &diff) != 0)
            __builtin_trap ();
          if (diff.n_changes < now.n_groups || diff.n_changes > now.n_groups + before.n_groups)
            __builtin_trap ();
          for (size_t i = 0; i + 1 < diff.n_changes; i++)
            if (diff.changes[i].growth_kib < diff.changes[i + 1].growth_kib)
              __builtin_trap ();
        }
    }
  else if (now.error == NULL || now.error_line == 0)
    __builtin_trap ();

  ms_smaps_diff_clear (&diff);
  ms_smaps_groups_clear (&before);
  ms_smaps_groups_clear (&now);
  return 0;
}
