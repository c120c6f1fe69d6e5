/* SPDX-License-Identifier: MIT */
/* smaps grouping: kinds and names on kernel-shaped fixtures, growth diffs, thousands of
 * mappings, bad text, and reading live and fixture processes (reused pid, EACCES, gone). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "ms-test.h"
#include "parse.h"
#include "smaps-groups.h"

#define LEN(s) (sizeof (s) - 1)

static const ms_smaps_group_t *
find (const ms_smaps_groups_t *g, ms_smaps_kind_t kind, const char *name)
{
  return ms_smaps_groups_find (g, kind, name, strlen (name));
}

/* An oracle that does not share the parser's code: sums one field over every line. */
static gint64
naive_sum (const char *text, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gsize key_len = strlen (key);
  gint64 sum = 0;

  for (char **l = lines; *l; l++)
    if (strncmp (*l, key, key_len) == 0 && (*l)[key_len] == ':')
      sum += g_ascii_strtoll (*l + key_len + 1, NULL, 10);
  return sum;
}

static gsize
naive_mappings (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gsize n = 0;

  for (char **l = lines; *l; l++)
    if (g_ascii_isxdigit ((*l)[0]) && !g_ascii_isupper ((*l)[0]))
      n++;
  return n;
}

static void
check_group (const ms_smaps_groups_t *g, ms_smaps_kind_t kind, const char *name, guint mappings,
             gint64 size, gint64 rss, gint64 pss, gint64 swap, gint64 priv)
{
  const ms_smaps_group_t *e = find (g, kind, name);

  if (e == NULL)
    g_error ("no %s group \"%s\"", ms_smaps_kind_name (kind), name);
  g_assert_cmpstr (e->name, ==, name);
  g_assert_cmpuint (e->name_len, ==, strlen (name));
  g_assert_cmpuint (e->mappings, ==, mappings);
  g_assert_cmpint (e->size_kib, ==, size);
  g_assert_cmpint (e->rss_kib, ==, rss);
  g_assert_cmpint (e->pss_kib, ==, pss);
  g_assert_cmpint (e->swap_kib, ==, swap);
  g_assert_cmpint (e->private_kib, ==, priv);
}

static void
test_fixture_groups (void)
{
  gsize len;
  g_autofree char *text = ms_test_data_read ("smaps/before", &len);
  ms_smaps_groups_t g;
  gint64 rss = 0, pss = 0, swap = 0, priv = 0, size = 0;
  guint mappings = 0;

  ms_smaps_groups_init (&g);
  g_assert_cmpint (ms_smaps_groups_parse (text, len, &g), ==, 0);
  g_assert_null (g.error);
  g_assert_cmpuint (g.n_mappings, ==, naive_mappings (text));
  g_assert_cmpuint (g.n_mappings, ==, 23);
  g_assert_cmpuint (g.n_groups, ==, 16);

  /* A program's three mappings are one file; a library's four likewise. */
  check_group (&g, MS_SMAPS_FILE, "/usr/bin/demo", 3, 88, 84, 84, 0, 84);
  check_group (&g, MS_SMAPS_FILE, "/usr/lib/x86_64-linux-gnu/libc.so.6", 4, 2148, 1496, 201, 0, 16);
  check_group (&g, MS_SMAPS_FILE, "/usr/lib/x86_64-linux-gnu/libm.so.6", 1, 512, 100, 10, 0, 0);
  check_group (&g, MS_SMAPS_FILE, "/home/u/My Documents/data file.bin", 1, 40, 40, 40, 0, 40);
  check_group (&g, MS_SMAPS_HEAP, "[heap]", 1, 10240, 8000, 8000, 1000, 8000);
  check_group (&g, MS_SMAPS_STACK, "[stack]", 1, 132, 48, 48, 0, 48);
  check_group (&g, MS_SMAPS_ANON, "", 2, 5120, 3072, 3072, 512, 3072);
  check_group (&g, MS_SMAPS_ANON_NAMED, "jemalloc", 2, 10240, 5120, 5120, 0, 5120);
  check_group (&g, MS_SMAPS_MEMFD, "wayland-shm", 1, 4096, 4096, 2048, 0, 0);
  check_group (&g, MS_SMAPS_SHMEM, "/dev/shm/pulse-shm-1234", 1, 65536, 512, 256, 0, 0);
  check_group (&g, MS_SMAPS_SHMEM, "/SYSV0000002a", 1, 2048, 2048, 1024, 0, 0);
  check_group (&g, MS_SMAPS_SHMEM, "/dev/zero", 1, 1024, 256, 256, 0, 0);
  check_group (&g, MS_SMAPS_DELETED, "/tmp/cache.db", 1, 1000, 800, 800, 0, 800);
  check_group (&g, MS_SMAPS_SPECIAL, "[vvar]", 1, 16, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_SPECIAL, "[vdso]", 1, 8, 8, 0, 0, 0);
  check_group (&g, MS_SMAPS_SPECIAL, "[vsyscall]", 1, 4, 0, 0, 0, 0);
  /* Kind is part of the key: the same name under another kind is another group. */
  g_assert_null (find (&g, MS_SMAPS_FILE, "[heap]"));
  g_assert_null (find (&g, MS_SMAPS_FILE, "/memfd:wayland-shm (deleted)"));

  /* The groups and the total agree with a line-by-line sum of the text. */
  for (gsize i = 0; i < g.n_groups; i++)
    {
      rss += g.groups[i].rss_kib;
      pss += g.groups[i].pss_kib;
      swap += g.groups[i].swap_kib;
      priv += g.groups[i].private_kib;
      size += g.groups[i].size_kib;
      mappings += g.groups[i].mappings;
    }
  g_assert_cmpint (rss, ==, naive_sum (text, "Rss"));
  g_assert_cmpint (pss, ==, naive_sum (text, "Pss"));
  g_assert_cmpint (swap, ==, naive_sum (text, "Swap"));
  g_assert_cmpint (priv, ==, naive_sum (text, "Private_Clean") + naive_sum (text, "Private_Dirty"));
  g_assert_cmpint (size, ==, naive_sum (text, "Size"));
  g_assert_cmpint (g.total.rss_kib, ==, rss);
  g_assert_cmpint (g.total.pss_kib, ==, pss);
  g_assert_cmpint (g.total.size_kib, ==, size);
  g_assert_cmpuint (g.total.mappings, ==, mappings);
  /* First appearance order: the program first, the vsyscall page last. */
  g_assert_cmpstr (g.groups[0].name, ==, "/usr/bin/demo");
  g_assert_cmpstr (g.groups[g.n_groups - 1].name, ==, "[vsyscall]");
  ms_smaps_groups_clear (&g);
}

static void
test_kinds (void)
{
  static const char text[] =
    "7f0000000000-7f0000001000 rw-p 00000000 00:00 0                          [stack:1234]\n"
    "Rss:                   4 kB\n"
    "7f0000002000-7f0000003000 rw-p 00000000 00:00 0                          [stack]\n"
    "Rss:                   4 kB\n"
    "7f0000004000-7f0000204000 rw-p 00000000 00:0f 9                          /anon_hugepage (deleted)\n"
    "Rss:                2048 kB\n"
    "7f0000300000-7f0000301000 rw-s 00000000 00:01 3                          [anon_shmem:gpu ring]\n"
    "7f0000400000-7f0000401000 rw-s 00000000 00:01 3                          /memfd:no-suffix\n"
    "7f0000500000-7f0000501000 r--p 00000000 fe:00 3                          /var/lib/x (deleted)\n"
    "7f0000600000-7f0000601000 r--p 00000000 fe:00 3                          /SYSVnothex0 (deleted)\n"
    "7f0000700000-7f0000701000 r--p 00000000 fe:00 3                          [uprobes]\n"
    "7f0000800000-7f0000801000 rw-p 00000000 00:00 0                          [anon:]\n"
    "7f0000900000-7f0000901000 rw-p 00000000 00:00 0\n" /* anonymous without the trailing space */
    "7f0000a00000-7f0000a01000 rw-p 00000000 00:00 0                          [anon:a b]c]\n"
    "7f0000b00000-7f0000b01000 rw-s 00000000 00:05 3                          /dev/zero\n";
  ms_smaps_groups_t g;

  ms_smaps_groups_init (&g);
  g_assert_cmpint (ms_smaps_groups_parse (text, LEN (text), &g), ==, 0);
  /* Old kernels' per-thread stacks are one stack. */
  check_group (&g, MS_SMAPS_STACK, "[stack]", 2, 8, 8, 0, 0, 0);
  check_group (&g, MS_SMAPS_ANON, "/anon_hugepage", 1, 2048, 2048, 0, 0, 0);
  check_group (&g, MS_SMAPS_SHMEM, "[anon_shmem:gpu ring]", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_MEMFD, "no-suffix", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_DELETED, "/var/lib/x", 1, 4, 0, 0, 0, 0);
  /* Not a SysV key, so just a deleted file. */
  check_group (&g, MS_SMAPS_DELETED, "/SYSVnothex0", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_SPECIAL, "[uprobes]", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_ANON_NAMED, "", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_ANON, "", 1, 4, 0, 0, 0, 0);
  check_group (&g, MS_SMAPS_ANON_NAMED, "a b]c", 1, 4, 0, 0, 0, 0);
  /* /dev/zero still linked is a device mapping, not shared anonymous memory. */
  check_group (&g, MS_SMAPS_FILE, "/dev/zero", 1, 4, 0, 0, 0, 0);
  g_assert_cmpuint (g.n_groups, ==, 11);

  g_assert_cmpstr (ms_smaps_kind_name (MS_SMAPS_ANON_NAMED), ==, "anon_named");
  g_assert_cmpstr (ms_smaps_kind_name (MS_SMAPS_MEMFD), ==, "memfd");
  g_assert_cmpstr (ms_smaps_kind_name (MS_SMAPS_N_KINDS), ==, "unknown");
  ms_smaps_groups_clear (&g);
}

static void
test_diff (void)
{
  gsize len_a, len_b;
  g_autofree char *a = ms_test_data_read ("smaps/before", &len_a);
  g_autofree char *b = ms_test_data_read ("smaps/after", &len_b);
  ms_smaps_groups_t before, now;
  ms_smaps_diff_t d;
  const ms_smaps_change_t *c;

  ms_smaps_groups_init (&before);
  ms_smaps_groups_init (&now);
  ms_smaps_diff_init (&d);
  g_assert_cmpint (ms_smaps_groups_parse (a, len_a, &before), ==, 0);
  g_assert_cmpint (ms_smaps_groups_parse (b, len_b, &now), ==, 0);
  g_assert_cmpint (ms_smaps_groups_diff (&before, &now, &d), ==, 0);
  /* 16 groups before, the memfd gone and [anon:cache] new. */
  g_assert_cmpuint (d.n_changes, ==, 17);

  c = &d.changes[0];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_HEAP);
  g_assert_cmpint (c->rss_delta_kib, ==, 10000);
  g_assert_cmpint (c->swap_delta_kib, ==, 500);
  g_assert_cmpint (c->growth_kib, ==, 10500);
  g_assert_cmpint (c->size_delta_kib, ==, 10240);
  g_assert_cmpint (c->rss_kib, ==, 18000);
  g_assert_false (c->appeared || c->gone);

  c = &d.changes[1];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_ANON);
  g_assert_cmpint (c->growth_kib, ==, 5120);
  g_assert_cmpuint (c->mappings, ==, 3);

  /* A group that appears counts from zero. */
  c = &d.changes[2];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_ANON_NAMED);
  g_assert_cmpstr (c->name, ==, "cache");
  g_assert_true (c->appeared);
  g_assert_cmpint (c->growth_kib, ==, 3000);
  g_assert_cmpint (c->rss_delta_kib, ==, c->rss_kib);

  c = &d.changes[3];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_STACK);
  g_assert_cmpint (c->growth_kib, ==, 16);

  /* Unchanged groups sit in the middle, larger first. */
  for (gsize i = 4; i < d.n_changes - 2; i++)
    {
      g_assert_cmpint (d.changes[i].growth_kib, ==, 0);
      if (i + 1 < d.n_changes - 2)
        g_assert_cmpint (d.changes[i].rss_kib, >=, d.changes[i + 1].rss_kib);
    }

  /* Shrinkers last; a group that is gone counts to zero and keeps its name. */
  c = &d.changes[d.n_changes - 2];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_DELETED);
  g_assert_cmpint (c->growth_kib, ==, -200);
  c = &d.changes[d.n_changes - 1];
  g_assert_cmpint (c->kind, ==, MS_SMAPS_MEMFD);
  g_assert_cmpstr (c->name, ==, "wayland-shm");
  g_assert_true (c->gone);
  g_assert_cmpint (c->rss_kib, ==, 0);
  g_assert_cmpint (c->mappings, ==, 0);
  g_assert_cmpint (c->growth_kib, ==, -4096);
  g_assert_cmpint (c->pss_delta_kib, ==, -2048);

  /* Against itself, nothing grew. */
  g_assert_cmpint (ms_smaps_groups_diff (&now, &now, &d), ==, 0);
  g_assert_cmpuint (d.n_changes, ==, now.n_groups);
  for (gsize i = 0; i < d.n_changes; i++)
    g_assert_true (d.changes[i].growth_kib == 0 && !d.changes[i].appeared && !d.changes[i].gone);

  /* A copy kept as the baseline does not change when the original is parsed again. */
  {
    ms_smaps_groups_t kept;

    ms_smaps_groups_init (&kept);
    g_assert_cmpint (ms_smaps_groups_copy (&kept, &before), ==, 0);
    g_assert_cmpint (ms_smaps_groups_parse (b, len_b, &before), ==, 0);
    g_assert_cmpint (ms_smaps_groups_diff (&kept, &now, &d), ==, 0);
    g_assert_cmpuint (d.n_changes, ==, 17);
    g_assert_cmpint (d.changes[0].growth_kib, ==, 10500);
    g_assert_cmpstr (d.changes[d.n_changes - 1].name, ==, "wayland-shm");
    g_assert_cmpint (kept.total.rss_kib, ==, naive_sum (a, "Rss"));
    g_assert_cmpuint (kept.n_mappings, ==, 23);
    ms_smaps_groups_clear (&kept);
  }

  ms_smaps_diff_clear (&d);
  ms_smaps_groups_clear (&before);
  ms_smaps_groups_clear (&now);
}

static void
test_many_mappings (void)
{
  GString *text = g_string_new (NULL);
  const guint n_libs = 6000, n_anon = 4000;
  guint64 addr = 0x7f0000000000ull;
  ms_smaps_groups_t g;
  guint64 allocs;
  gint64 t0, t1;

  for (guint i = 0; i < n_libs; i++)
    for (guint part = 0; part < 3; part++, addr += 0x2000)
      g_string_append_printf (text,
                              "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER
                              "x r-xp 00000000 fe:00 %u                     /usr/lib/plugins/libp%u.so\n"
                              "Size:                  8 kB\nRss:                   %u kB\n"
                              "Pss:                   1 kB\nSwap:                  0 kB\n"
                              "VmFlags: rd ex mr mw me\n",
                              addr, addr + 0x2000, i, i, part + 1);
  for (guint i = 0; i < n_anon; i++, addr += 0x1000)
    g_string_append_printf (text,
                            "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER
                            "x rw-p 00000000 00:00 0 \nRss:                   4 kB\n"
                            "Private_Dirty:         4 kB\n",
                            addr, addr + 0x1000);

  ms_smaps_groups_init (&g);
  t0 = g_get_monotonic_time ();
  g_assert_cmpint (ms_smaps_groups_parse (text->str, text->len, &g), ==, 0);
  t1 = g_get_monotonic_time ();
  g_test_message ("%u mappings (%zu bytes) grouped in %.2f ms", n_libs * 3 + n_anon, text->len,
                  (double) (t1 - t0) / 1000.0);
  g_assert_cmpuint (g.n_mappings, ==, n_libs * 3 + n_anon);
  g_assert_cmpuint (g.n_groups, ==, n_libs + 1);
  for (guint i = 0; i < n_libs; i += 997)
    {
      g_autofree char *name = g_strdup_printf ("/usr/lib/plugins/libp%u.so", i);

      check_group (&g, MS_SMAPS_FILE, name, 3, 24, 6, 3, 0, 0);
    }
  check_group (&g, MS_SMAPS_ANON, "", n_anon, 4 * n_anon, 4 * n_anon, 0, 0, 4 * n_anon);

  /* Re-reading the same process (every few seconds while the panel is open) reuses the storage. */
  allocs = ms_alloc_count ();
  g_assert_cmpint (ms_smaps_groups_parse (text->str, text->len, &g), ==, 0);
  g_assert_cmpuint (ms_alloc_count (), ==, allocs);
  g_assert_cmpuint (g.n_groups, ==, n_libs + 1);
  ms_smaps_groups_clear (&g);
  g_string_free (text, TRUE);
}

static void
test_bad_text (void)
{
  static const struct
  {
    const char *text;
    size_t line;
    size_t groups_before;
  } bad[] = {
    { "Rss:   4 kB\n", 1, 0 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss:   four kB\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss:   -4 kB\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss:   4 MB\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss:   4\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss: 9223372036854775807 kB\nRss: 1 kB\n", 3, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 \nRss: 99999999999999999999 kB\n", 2, 1 },
    { "7f01-7f00 rw-p 0 00:00 0 \n", 1, 0 },
    { "7f00-7f01 rw-p 0 00:00\n", 1, 0 },
    { "7f00 rw-p 0 00:00 0\n", 1, 0 },
    { "7f00-7f01 rw-p 0 00:00 0 x\nhello\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 x\n: 4 kB\n", 2, 1 },
    { "7f00-7f01 rw-p 0 00:00 0 x\n7f00-7f01 rw-p 0 00:00 0 y\nRss 4 kB\n", 3, 2 },
    { "11112222333344445-11112222333344446 rw-p 0 00:00 0\n", 1, 0 },
  };
  ms_smaps_groups_t g;

  ms_smaps_groups_init (&g);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_cmpint (ms_smaps_groups_parse (bad[i].text, strlen (bad[i].text), &g), ==, -1);
      g_assert_nonnull (g.error);
      g_assert_cmpuint (g.error_line, ==, bad[i].line);
      /* What was read before the bad line stays. */
      g_assert_cmpuint (g.n_groups, ==, bad[i].groups_before);
    }

  /* Empty text (a kernel thread, a zombie) is no mappings, not an error; so is a last line
   * without its newline; blank lines and unknown fields are skipped. */
  g_assert_cmpint (ms_smaps_groups_parse ("", 0, &g), ==, 0);
  g_assert_cmpuint (g.n_groups, ==, 0);
  g_assert_null (g.error);
  {
    static const char last[] = "7f00-7f01 rw-p 0 00:00 0 x\n\nNew_Field: 3 pages\nRss: 4 kB";

    g_assert_cmpint (ms_smaps_groups_parse (last, LEN (last), &g), ==, 0);
  }
  g_assert_cmpuint (g.n_groups, ==, 1);
  g_assert_cmpint (g.groups[0].rss_kib, ==, 4);
  /* Stops at len: the bytes after it are not read. */
  g_assert_cmpint (ms_smaps_groups_parse ("7f00-7f01 rw-p 0 00:00 0 x\nRss: 4 kB\nRss: 8 kB\n", 37,
                                          &g), ==, 0);
  g_assert_cmpint (g.groups[0].rss_kib, ==, 4);
  ms_smaps_groups_clear (&g);
}

static void
test_read_fixture (void)
{
  g_autofree char *root = ms_test_data_path ("smaps/proc");
  g_autofree char *missing = ms_test_data_path ("smaps/no-such-dir");
  ms_smaps_groups_t g;

  ms_smaps_groups_init (&g);
  g_assert_cmpint (ms_smaps_groups_read (root, 4242, 123456, &g), ==, 0);
  g_assert_cmpuint (g.n_groups, ==, 16);
  check_group (&g, MS_SMAPS_HEAP, "[heap]", 1, 10240, 8000, 8000, 1000, 8000);
  /* The pid was reused by a process that started at another time. */
  g_assert_cmpint (ms_smaps_groups_read (root, 4242, 123457, &g), ==, -ESRCH);
  g_assert_cmpuint (g.n_groups, ==, 0);
  g_assert_cmpint (ms_smaps_groups_read (root, 4244, 1, &g), ==, -ESRCH);
  /* A process that has begun to exit (PF_EXITING) may be torn down under the reader: its smaps
   * is whole in the fixture, yet the reading counts as gone, never as memory that shrank. */
  g_assert_cmpint (ms_smaps_groups_read (root, 4245, 555, &g), ==, -ESRCH);
  g_assert_cmpuint (g.n_groups, ==, 0);
  /* Another user's process: the kernel refuses smaps, shown here by the fixture's declaration. */
  g_assert_cmpint (ms_smaps_groups_read (root, 4243, 777, &g), ==, -EACCES);
  g_assert_cmpint (ms_smaps_groups_read (root, 0, 777, &g), ==, -EINVAL);
  g_assert_cmpint (ms_smaps_groups_read (root, -1, 777, &g), ==, -EINVAL);
  g_assert_cmpint (ms_smaps_groups_read (missing, 4242, 123456, &g), ==, -ENOENT);
  ms_smaps_groups_clear (&g);
}

static void
test_read_live (void)
{
  int ready[2];
  pid_t child;
  char c;
  guint64 starttime;
  ms_smaps_groups_t g;
  const ms_smaps_group_t *memfd;
  int status;

  g_assert_cmpint (pipe (ready), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      /* 4 MiB of a named memfd, every page touched, then wait to be read. */
      int fd = memfd_create ("ms-test-memfd", 0);
      char *p;

      if (fd < 0 || ftruncate (fd, 4 << 20) != 0)
        _exit (1);
      p = mmap (NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (p == MAP_FAILED)
        _exit (1);
      memset (p, 0x5a, 4 << 20);
      if (write (ready[1], "r", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  close (ready[0]);
  starttime = ms_test_starttime_of (child);

  ms_smaps_groups_init (&g);
  g_assert_cmpint (ms_smaps_groups_read ("/proc", child, starttime, &g), ==, 0);
  memfd = find (&g, MS_SMAPS_MEMFD, "ms-test-memfd");
  g_assert_nonnull (memfd);
  g_assert_cmpint (memfd->size_kib, ==, 4096);
  g_assert_cmpint (memfd->rss_kib, ==, 4096);
  g_assert_cmpuint (g.n_mappings, >, 3);
  g_assert_cmpint (g.total.rss_kib, >=, 4096);
  g_assert_cmpint (ms_smaps_groups_read ("/proc", child, starttime + 1, &g), ==, -ESRCH);

  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  /* Gone: refused, no crash. */
  g_assert_cmpint (ms_smaps_groups_read ("/proc", child, starttime, &g), ==, -ESRCH);
  ms_smaps_groups_clear (&g);
}

static void
test_read_other_user (void)
{
  pid_t parent = getpid (), child;
  guint64 starttime = ms_test_starttime_of (parent);
  int status;

  /* Tests run as root, who reads anything: a child that becomes nobody is refused our smaps. */
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      ms_smaps_groups_t g;
      int rc;

      if (setresgid (65534, 65534, 65534) != 0 || setresuid (65534, 65534, 65534) != 0)
        _exit (2);
      ms_smaps_groups_init (&g);
      rc = ms_smaps_groups_read ("/proc", parent, starttime, &g);
      ms_smaps_groups_clear (&g);
      _exit (rc == -EACCES ? 0 : 1);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/smaps-groups/fixture", test_fixture_groups);
  g_test_add_func ("/smaps-groups/kinds", test_kinds);
  g_test_add_func ("/smaps-groups/diff", test_diff);
  g_test_add_func ("/smaps-groups/many-mappings", test_many_mappings);
  g_test_add_func ("/smaps-groups/bad-text", test_bad_text);
  g_test_add_func ("/smaps-groups/read-fixture", test_read_fixture);
  g_test_add_func ("/smaps-groups/read-live", test_read_live);
  g_test_add_func ("/smaps-groups/read-other-user", test_read_other_user);
  return g_test_run ();
}
