/* SPDX-License-Identifier: MIT */
/* Signals to (pid, starttime): stop and continue seen in the child's state, termination, a wrong
 * starttime refused, EPERM from an unprivileged sender, signals that are not allowed. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ms-test.h"
#include "parse.h"
#include "signals.h"

static char
state_of (pid_t pid)
{
  ms_stat_t st;

  g_assert_true (ms_test_read_stat (pid, &st));
  return st.state;
}

static void
test_stop_continue_terminate (void)
{
  pid_t child = ms_test_spawn_sleeper ();
  guint64 starttime = ms_test_starttime_of (child);
  int status;

  g_assert_cmpint (ms_signal_process ("/proc", child, starttime, SIGSTOP), ==, 0);
  g_assert_cmpint (waitpid (child, &status, WUNTRACED), ==, child);
  g_assert_true (WIFSTOPPED (status));
  g_assert_cmpint (state_of (child), ==, 'T');

  g_assert_cmpint (ms_signal_process ("/proc", child, starttime, SIGCONT), ==, 0);
  g_assert_cmpint (waitpid (child, &status, WCONTINUED), ==, child);
  g_assert_true (WIFCONTINUED (status));
  g_assert_cmpint (state_of (child), !=, 'T');

  g_assert_cmpint (ms_signal_process ("/proc", child, starttime, SIGTERM), ==, 0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);

  /* Gone (and reaped): refused, whatever now holds the pid. */
  g_assert_cmpint (ms_signal_process ("/proc", child, starttime, SIGKILL), ==, -ESRCH);
}

static void
test_kill (void)
{
  pid_t child = ms_test_spawn_sleeper ();
  int status;

  /* SIGKILL reaches a stopped process too. */
  g_assert_cmpint (ms_signal_process ("/proc", child, ms_test_starttime_of (child), SIGSTOP), ==, 0);
  g_assert_cmpint (waitpid (child, &status, WUNTRACED), ==, child);
  g_assert_cmpint (ms_signal_process (NULL, child, ms_test_starttime_of (child), SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
test_wrong_starttime (void)
{
  pid_t child = ms_test_spawn_sleeper ();
  guint64 starttime = ms_test_starttime_of (child);
  int status;

  /* As if the pid had been reused: the process with this pid started at another time. */
  g_assert_cmpint (ms_signal_process ("/proc", child, starttime + 1, SIGKILL), ==, -ESRCH);
  g_assert_cmpint (ms_signal_process ("/proc", child, 0, SIGTERM), ==, -ESRCH);
  g_assert_cmpint (waitpid (child, &status, WNOHANG), ==, 0);
  g_assert_cmpint (state_of (child), !=, 'Z');

  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
}

static void
test_not_allowed (void)
{
  pid_t self = getpid ();
  guint64 starttime = ms_test_starttime_of (self);

  /* Only the four actions of the panel; never process groups or everyone. */
  g_assert_cmpint (ms_signal_process ("/proc", self, starttime, SIGUSR1), ==, -EINVAL);
  g_assert_cmpint (ms_signal_process ("/proc", self, starttime, SIGHUP), ==, -EINVAL);
  g_assert_cmpint (ms_signal_process ("/proc", self, starttime, 0), ==, -EINVAL);
  g_assert_cmpint (ms_signal_process ("/proc", 0, starttime, SIGTERM), ==, -EINVAL);
  g_assert_cmpint (ms_signal_process ("/proc", -1, starttime, SIGTERM), ==, -EINVAL);
  g_assert_cmpint (ms_signal_process ("/proc", -(int32_t) self, starttime, SIGTERM), ==, -EINVAL);
  /* A pid nobody has. */
  g_assert_cmpint (ms_signal_process ("/proc", 0x3ffffff, 1, SIGTERM), ==, -ESRCH);

  g_assert_cmpstr (ms_signal_name (SIGSTOP), ==, "SIGSTOP");
  g_assert_cmpstr (ms_signal_name (SIGKILL), ==, "SIGKILL");
  g_assert_null (ms_signal_name (SIGUSR1));
}

static void
test_fixture_root (void)
{
  g_autofree char *root = ms_test_data_path ("smaps/proc");
  pid_t child = ms_test_spawn_sleeper ();
  int status;

  /* The proc root decides the starttime check: in this tree no such pid exists. */
  g_assert_cmpint (ms_signal_process (root, child, ms_test_starttime_of (child), SIGKILL), ==, -ESRCH);
  g_assert_cmpint (waitpid (child, &status, WNOHANG), ==, 0);
  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
}

static void
test_eperm (void)
{
  pid_t victim = ms_test_spawn_sleeper ();
  guint64 starttime = ms_test_starttime_of (victim);
  pid_t sender;
  int status;

  /* A sender that drops to nobody may not signal a root process. */
  sender = fork ();
  g_assert_cmpint (sender, >=, 0);
  if (sender == 0)
    {
      int rc;

      if (setresgid (65534, 65534, 65534) != 0 || setresuid (65534, 65534, 65534) != 0)
        _exit (2);
      rc = ms_signal_process ("/proc", victim, starttime, SIGTERM);
      _exit (rc == -EPERM ? 0 : rc == 0 ? 3 : 1);
    }
  g_assert_cmpint (waitpid (sender, &status, 0), ==, sender);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  /* The victim lives on. */
  g_assert_cmpint (waitpid (victim, &status, WNOHANG), ==, 0);

  kill (victim, SIGKILL);
  g_assert_cmpint (waitpid (victim, &status, 0), ==, victim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signals/stop-continue-terminate", test_stop_continue_terminate);
  g_test_add_func ("/signals/kill", test_kill);
  g_test_add_func ("/signals/wrong-starttime", test_wrong_starttime);
  g_test_add_func ("/signals/not-allowed", test_not_allowed);
  g_test_add_func ("/signals/fixture-root", test_fixture_root);
  g_test_add_func ("/signals/eperm", test_eperm);
  return g_test_run ();
}
