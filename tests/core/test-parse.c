/* SPDX-License-Identifier: MIT */
/* The /proc parsers on kernel-shaped text, hostile names, truncated and overflowing input. */
#include "config.h"

#include <string.h>

#include "ms-test.h"
#include "parse.h"

#define LEN(s) (sizeof (s) - 1)

static void
test_stat_plain (void)
{
  static const char text[] =
    "4242 (bash) S 4000 4242 4242 34816 4300 4194560 2000 9000 0 3 150 75 10 5 20 0 1 0 "
    "123456 9000000 1234 18446744073709551615 1 1 0 0 0 0 65536 3670020 1266777851 0 0 0 17 1 0 "
    "0 0 0 0\n";
  ms_stat_t st;

  g_assert_cmpint (ms_parse_stat (text, LEN (text), &st), ==, 0);
  g_assert_cmpint (st.pid, ==, 4242);
  g_assert_cmpstr (st.comm, ==, "bash");
  g_assert_cmpint (st.state, ==, 'S');
  g_assert_cmpint (st.ppid, ==, 4000);
  g_assert_cmpuint (st.flags, ==, 4194560);
  g_assert_cmpuint (st.utime, ==, 150);
  g_assert_cmpuint (st.stime, ==, 75);
  g_assert_cmpint (st.threads, ==, 1);
  g_assert_cmpuint (st.starttime, ==, 123456);
  g_assert_cmpuint (st.rss_pages, ==, 1234);
  g_assert_false (st.flags & MS_PF_KTHREAD);
}

static void
test_stat_hostile_comm (void)
{
  /* The name holds ") (", a comma, a quote and a newline: only the last ')' ends it. */
  static const char text[] = "77 (a) (b, \"c\nd) Z 1 77 77 0 -1 4194308 0 0 0 0 1 2 0 0 20 0 1 0 "
                             "999 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
  ms_stat_t st;

  g_assert_cmpint (ms_parse_stat (text, LEN (text), &st), ==, 0);
  g_assert_cmpstr (st.comm, ==, "a) (b, \"c\nd");
  g_assert_cmpint (st.state, ==, 'Z');
  g_assert_cmpuint (st.starttime, ==, 999);
}

static void
test_stat_kernel_thread (void)
{
  static const char text[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 3 0 0 20 0 1 0 2 0 0 "
                             "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 0 0 0 0 0\n";
  ms_stat_t st;

  g_assert_cmpint (ms_parse_stat (text, LEN (text), &st), ==, 0);
  g_assert_true (st.flags & MS_PF_KTHREAD);
  g_assert_cmpuint (st.rss_pages, ==, 0);
}

static void
test_stat_bad (void)
{
  static const char *const bad[] = {
    "",
    "12",
    "12 (unterminated S 1 2 3",
    "12 (trunc) S 1 12 12 0 -1 4194304 100 0 0",
    "x (name) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0",
    /* starttime past 64 bits */
    "12 (big) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999999 0 0\n",
    "-5 (neg) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n",
  };
  ms_stat_t st;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_cmpint (ms_parse_stat (bad[i], strlen (bad[i]), &st), ==, -1);
}

static void
test_status (void)
{
  g_autofree char *text = ms_test_data_read ("proc/basic/112/status", NULL);
  ms_status_t st;

  g_assert_cmpint (ms_parse_status (text, strlen (text), &st), ==, 0);
  g_assert_true (st.has_uid);
  g_assert_cmpuint (st.uid, ==, 1000);
  g_assert_true (st.has_vm);
  g_assert_cmpint (st.rss_kib, ==, 10240);
  g_assert_cmpint (st.anon_kib, ==, 10240);
  g_assert_cmpint (st.swap_kib, ==, 524288);
  g_assert_cmpint (st.hwm_kib, ==, 600000);
  g_assert_cmpint (st.threads, ==, 1);
}

static void
test_status_kernel_thread (void)
{
  g_autofree char *text = ms_test_data_read ("proc/basic/2/status", NULL);
  ms_status_t st;

  g_assert_cmpint (ms_parse_status (text, strlen (text), &st), ==, 0);
  g_assert_false (st.has_vm);
  g_assert_cmpint (st.rss_kib, ==, 0);
}

static void
test_status_bad (void)
{
  static const char overflow[] = "Uid:\t0\t0\t0\t0\nVmRSS:\t99999999999999999999999 kB\n";
  static const char truncated[] = "Name:\tx\nState:\tS (sleeping)\nTgi";
  static const char uid_too_big[] = "Uid:\t4294967296\t0\t0\t0\n";
  ms_status_t st;

  g_assert_cmpint (ms_parse_status ("", 0, &st), ==, -1);
  g_assert_cmpint (ms_parse_status (overflow, LEN (overflow), &st), ==, -1);
  g_assert_cmpint (ms_parse_status (truncated, LEN (truncated), &st), ==, -1);
  g_assert_cmpint (ms_parse_status (uid_too_big, LEN (uid_too_big), &st), ==, -1);
}

static void
test_smaps_rollup (void)
{
  g_autofree char *text = ms_test_data_read ("proc/basic/100/smaps_rollup", NULL);
  ms_smaps_sum_t sum;

  g_assert_cmpint (ms_parse_smaps_sum (text, strlen (text), &sum), ==, 0);
  g_assert_cmpint (sum.mappings, ==, 1);
  g_assert_cmpint (sum.rss_kib, ==, 20480);
  g_assert_cmpint (sum.pss_kib, ==, 15360);
  g_assert_cmpint (sum.uss_kib, ==, 4096 + 16384);
  g_assert_cmpint (sum.swap_pss_kib, ==, 1024);
}

static void
test_smaps_full (void)
{
  gsize len;
  g_autofree char *text = ms_test_data_read ("proc/basic/104/smaps", &len);
  ms_smaps_sum_t sum;

  /* Big enough that a reader stopping at the first few KiB would get it wrong. */
  g_assert_cmpuint (len, >, 256 * 1024);
  g_assert_cmpint (ms_parse_smaps_sum (text, len, &sum), ==, 0);
  g_assert_cmpint (sum.mappings, ==, 600);
  g_assert_cmpint (sum.pss_kib, ==, 600 * 7);
  g_assert_cmpint (sum.rss_kib, ==, 600 * 10);
  g_assert_cmpint (sum.uss_kib, ==, 600 * 6);
  g_assert_cmpint (sum.swap_pss_kib, ==, 600);
  /* Cut in the middle: still sums what is there, never reads past the end. */
  g_assert_cmpint (ms_parse_smaps_sum (text, len / 2, &sum), ==, 0);
  g_assert_cmpint (sum.pss_kib, <, 600 * 7);
  g_assert_cmpint (ms_parse_smaps_sum ("", 0, &sum), ==, -1);
}

static void
test_meminfo (void)
{
  g_autofree char *text = ms_test_data_read ("proc/basic/meminfo", NULL);
  static const char partial[] = "MemTotal: 100 kB\nMemFree: 50 kB\n";
  ms_meminfo_t mem;

  g_assert_cmpint (ms_parse_meminfo (text, strlen (text), &mem), ==, 0);
  g_assert_cmpint (mem.mem_total_kib, ==, 16303428);
  g_assert_cmpint (mem.mem_available_kib, ==, 12000000);
  g_assert_cmpint (mem.cached_kib, ==, 3145728);
  g_assert_cmpint (mem.swap_total_kib, ==, 2097148);
  g_assert_cmpint (mem.swap_free_kib, ==, 1048574);
  g_assert_cmpint (mem.shmem_kib, ==, 262144);
  /* Older kernels without MemAvailable are not supported: say so rather than guess. */
  g_assert_cmpint (ms_parse_meminfo (partial, LEN (partial), &mem), ==, -1);
}

static void
test_pressure (void)
{
  static const char text[] = "some avg10=1.50 avg60=0.25 avg300=0.00 total=12345\n"
                             "full avg10=0.75 avg60=0.10 avg300=0.00 total=678\n";
  static const char some_only[] = "some avg10=2.00 avg60=1.00 avg300=0.00 total=1\n";
  ms_pressure_t p;

  g_assert_cmpint (ms_parse_pressure (text, LEN (text), &p), ==, 0);
  g_assert_true (p.valid);
  g_assert_cmpfloat_with_epsilon (p.some_avg10, 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.some_avg60, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.full_avg10, 0.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.full_avg60, 0.10, 1e-9);
  g_assert_cmpint (ms_parse_pressure (some_only, LEN (some_only), &p), ==, 0);
  g_assert_cmpfloat (p.full_avg10, ==, 0.0);
  g_assert_cmpint (ms_parse_pressure ("", 0, &p), ==, -1);
  g_assert_false (p.valid);
}

static void
test_key_u64 (void)
{
  g_autofree char *stat = ms_test_data_read ("proc/basic/stat", NULL);
  g_autofree char *vmstat = ms_test_data_read ("proc/basic/vmstat", NULL);
  uint64_t v = 0;

  g_assert_cmpint (ms_parse_key_u64 (stat, strlen (stat), "btime", &v), ==, 0);
  g_assert_cmpuint (v, ==, 1700000000);
  g_assert_cmpint (ms_parse_key_u64 (vmstat, strlen (vmstat), "oom_kill", &v), ==, 0);
  g_assert_cmpuint (v, ==, 3);
  g_assert_cmpint (ms_parse_key_u64 (vmstat, strlen (vmstat), "oom", &v), ==, -1);
}

static void
test_cmdline (void)
{
  static const char args[] = "/usr/bin/python3\0-m\0http.server\0\0";
  char out[64], tiny[8];

  ms_parse_cmdline (args, LEN (args), out, sizeof out);
  g_assert_cmpstr (out, ==, "/usr/bin/python3 -m http.server");
  ms_parse_cmdline (args, LEN (args), tiny, sizeof tiny);
  g_assert_cmpstr (tiny, ==, "/usr/bi");
  ms_parse_cmdline ("", 0, out, sizeof out);
  g_assert_cmpstr (out, ==, "");
}

static void
test_cgroup (void)
{
  static const struct
  {
    const char *text;
    const char *app_id;
  } cases[] = {
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
      "app-gnome-org.mozilla.firefox-4242.scope\n",
      "org.mozilla.firefox" },
    { "12:memory:/user.slice\n1:name=systemd:/user.slice/user-1000.slice/user@1000.service/"
      "app.slice/app-flatpak-org.gnome.Maps-98765.scope\n0::/\n",
      "org.gnome.Maps" },
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.kde.konsole-1234.scope\n",
      "org.kde.konsole" },
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
      "app-gnome-my\\x2dtool-77.scope\n",
      "my-tool" },
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
      "app-gnome-org.gnome.Nautilus@123.service\n",
      "org.gnome.Nautilus" },
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
      "snap.firefox.firefox-0b1e2c3d-aaaa-bbbb-cccc-1234567890ab.scope\n",
      "firefox" },
    { "0::/user.slice/user-1000.slice/session-2.scope\n", NULL },
    { "0::/system.slice/cron.service\n", NULL },
    { "", NULL },
    { "garbage without colons\n", NULL },
  };
  char app_id[MS_GROUP_MAX];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int rc = ms_parse_cgroup_app (cases[i].text, strlen (cases[i].text), app_id, sizeof app_id);

      if (cases[i].app_id == NULL)
        g_assert_cmpint (rc, ==, -1);
      else
        {
          g_assert_cmpint (rc, ==, 0);
          g_assert_cmpstr (app_id, ==, cases[i].app_id);
        }
    }
}

static void
test_passwd (void)
{
  static const char good[] = "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash";
  static const char bad_uid[] = "bob:x:12a:1000::/home/bob:/bin/sh";
  char name[MS_USER_MAX];
  uint32_t uid = 0;

  g_assert_cmpint (ms_parse_passwd_line (good, LEN (good), name, sizeof name, &uid), ==, 0);
  g_assert_cmpstr (name, ==, "alice");
  g_assert_cmpuint (uid, ==, 1000);
  g_assert_cmpint (ms_parse_passwd_line (bad_uid, LEN (bad_uid), name, sizeof name, &uid), ==, -1);
  g_assert_cmpint (ms_parse_passwd_line ("# x:y:1:", 8, name, sizeof name, &uid), ==, -1);
  g_assert_cmpint (ms_parse_passwd_line ("", 0, name, sizeof name, &uid), ==, -1);
}

static void
test_scan_numbers (void)
{
  static const char max[] = "18446744073709551615";
  static const char over[] = "18446744073709551616";
  const char *p;
  uint64_t u;
  int64_t i;

  p = max;
  g_assert_true (ms_scan_u64 (&p, max + LEN (max), &u));
  g_assert_cmpuint (u, ==, G_MAXUINT64);
  p = over;
  g_assert_false (ms_scan_u64 (&p, over + LEN (over), &u));
  p = "-9223372036854775808";
  g_assert_true (ms_scan_i64 (&p, p + 20, &i));
  g_assert_cmpint (i, ==, G_MININT64);
  p = "9223372036854775808";
  g_assert_false (ms_scan_i64 (&p, p + 19, &i));
  /* A number cut by the end of the buffer stops there. */
  p = "12345";
  g_assert_true (ms_scan_u64 (&p, p + 3, &u));
  g_assert_cmpuint (u, ==, 123);
}

static void
test_schedstat (void)
{
  uint64_t run_ns = 0;

  g_assert_cmpint (ms_parse_schedstat ("2519432119 301833 2811\n", 23, &run_ns), ==, 0);
  g_assert_cmpuint (run_ns, ==, 2519432119u);
  /* Cut short, a word, a number past 64 bits, no end of line: not what the kernel writes. */
  g_assert_cmpint (ms_parse_schedstat ("2519432119 301833", 17, &run_ns), ==, -1);
  g_assert_cmpint (ms_parse_schedstat ("x 1 2\n", 6, &run_ns), ==, -1);
  g_assert_cmpint (ms_parse_schedstat ("99999999999999999999 1 2\n", 25, &run_ns), ==, -1);
  g_assert_cmpint (ms_parse_schedstat ("1 2 3", 5, &run_ns), ==, -1);
  g_assert_cmpint (ms_parse_schedstat ("", 0, &run_ns), ==, -1);
}

/* The full name: only a comm that fills 15 bytes is extended, only by a basename it begins. */
static void
test_full_name (void)
{
  char out[MS_NAME_MAX];
  char small[6];

  ms_full_name ("systemd-journal", "/lib/systemd/systemd-journald", "", out, sizeof out);
  g_assert_cmpstr (out, ==, "systemd-journald");
  /* The first word only: arguments are not part of the name. */
  ms_full_name ("systemd-journal", "systemd-journald --user", NULL, out, sizeof out);
  g_assert_cmpstr (out, ==, "systemd-journald");
  /* No command line, no executable, an empty word, a path ending in a slash. */
  ms_full_name ("kworker/0:1H-ev", NULL, NULL, out, sizeof out);
  g_assert_cmpstr (out, ==, "kworker/0:1H-ev");
  ms_full_name ("systemd-journal", "", "/lib/systemd/", out, sizeof out);
  g_assert_cmpstr (out, ==, "systemd-journal");
  /* The same 15 bytes are not an extension. */
  ms_full_name ("systemd-journal", "/x/systemd-journal", NULL, out, sizeof out);
  g_assert_cmpstr (out, ==, "systemd-journal");
  /* Hostile bytes pass through untouched (the app makes them safe to show). */
  ms_full_name ("a)\n\001" "bcdefghijkl", "/b/a)\n\001" "bcdefghijklmnop", NULL, out, sizeof out);
  g_assert_cmpstr (out, ==, "a)\n\001" "bcdefghijklmnop");
  /* Cut to the room given, always terminated. */
  ms_full_name ("systemd-journal", "/lib/systemd/systemd-journald", NULL, small, sizeof small);
  g_assert_cmpstr (small, ==, "syste");
  ms_full_name ("systemd-journal", NULL, NULL, out, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parse/stat/plain", test_stat_plain);
  g_test_add_func ("/parse/stat/hostile-comm", test_stat_hostile_comm);
  g_test_add_func ("/parse/stat/kernel-thread", test_stat_kernel_thread);
  g_test_add_func ("/parse/stat/bad", test_stat_bad);
  g_test_add_func ("/parse/status/plain", test_status);
  g_test_add_func ("/parse/status/kernel-thread", test_status_kernel_thread);
  g_test_add_func ("/parse/status/bad", test_status_bad);
  g_test_add_func ("/parse/smaps/rollup", test_smaps_rollup);
  g_test_add_func ("/parse/smaps/full", test_smaps_full);
  g_test_add_func ("/parse/meminfo", test_meminfo);
  g_test_add_func ("/parse/pressure", test_pressure);
  g_test_add_func ("/parse/key-u64", test_key_u64);
  g_test_add_func ("/parse/cmdline", test_cmdline);
  g_test_add_func ("/parse/cgroup", test_cgroup);
  g_test_add_func ("/parse/passwd", test_passwd);
  g_test_add_func ("/parse/numbers", test_scan_numbers);
  g_test_add_func ("/parse/schedstat", test_schedstat);
  g_test_add_func ("/parse/full-name", test_full_name);
  return g_test_run ();
}
