/* SPDX-License-Identifier: MIT */
/* The environment's seams: read once, changed by tests only through the private setter. */
#include "config.h"

#include "memscope-seams-private.h"

static void
test_read_once (void)
{
  const char *first;
  g_autofree char *state = NULL;
  g_autofree char *default_state = g_build_filename (g_get_user_state_dir (), "memscope", NULL);

  /* main() set these before anything asked (see below). */
  first = memscope_proc_root ();
  g_assert_cmpstr (first, ==, "/fixture/proc");
  g_assert_cmpstr (memscope_passwd_path (), ==, "/etc/passwd");
  g_assert_cmpstr (memscope_sys_root (), ==, "/sys");
  g_assert_cmpstr (memscope_host_probe (), ==, "/fixture/memscope-probe");
  g_assert_null (memscope_ssh_config ());

  /* A change of the environment later in the run is not seen. */
  g_setenv ("MEMSCOPE_PROC_ROOT", "/elsewhere", TRUE);
  g_setenv ("MEMSCOPE_PASSWD", "/elsewhere/passwd", TRUE);
  g_unsetenv ("MEMSCOPE_HOST_PROBE");
  g_setenv ("MEMSCOPE_SSH_CONFIG", "/elsewhere/ssh_config", TRUE);
  g_assert_cmpstr (memscope_proc_root (), ==, "/fixture/proc");
  g_assert_cmpstr (memscope_passwd_path (), ==, "/etc/passwd");
  g_assert_cmpstr (memscope_host_probe (), ==, "/fixture/memscope-probe");
  g_assert_null (memscope_ssh_config ());

  /* The setter is; what was handed out before stays valid. */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", "/other/proc");
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", "/other/sys");
  g_assert_cmpstr (memscope_proc_root (), ==, "/other/proc");
  g_assert_cmpstr (memscope_sys_root (), ==, "/other/sys");
  g_assert_cmpstr (first, ==, "/fixture/proc");

  /* NULL and "" give the defaults. */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", "");
  g_assert_cmpstr (memscope_proc_root (), ==, "/proc");
  g_assert_cmpstr (memscope_sys_root (), ==, "/sys");

  /* No host probe and no ssh configuration of memscope's own are NULL. */
  memscope_seams_set ("MEMSCOPE_SSH_CONFIG", "/fixture/ssh_config");
  g_assert_cmpstr (memscope_ssh_config (), ==, "/fixture/ssh_config");
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", "");
  memscope_seams_set ("MEMSCOPE_SSH_CONFIG", NULL);
  g_assert_null (memscope_host_probe ());
  g_assert_null (memscope_ssh_config ());

  memscope_seams_set ("MEMSCOPE_STATE_DIR", "/state");
  state = memscope_state_dir ();
  g_assert_cmpstr (state, ==, "/state");
  g_clear_pointer (&state, g_free);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", NULL);
  state = memscope_state_dir ();
  g_assert_cmpstr (state, ==, default_state);
}

static void
test_unknown_name (void)
{
  g_test_expect_message ("memscope", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
  memscope_seams_set ("MEMSCOPE_NO_SUCH_SEAM", "/x");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (memscope_proc_root (), ==, "/proc");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("MEMSCOPE_PROC_ROOT", "/fixture/proc", TRUE);
  g_unsetenv ("MEMSCOPE_PASSWD");
  g_setenv ("MEMSCOPE_SYS_ROOT", "", TRUE);
  g_setenv ("MEMSCOPE_HOST_PROBE", "/fixture/memscope-probe", TRUE);
  g_setenv ("MEMSCOPE_SSH_CONFIG", "", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seams/read-once", test_read_once);
  g_test_add_func ("/seams/unknown-name", test_unknown_name);
  return g_test_run ();
}
