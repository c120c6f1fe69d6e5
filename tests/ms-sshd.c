/* SPDX-License-Identifier: MIT */
/* A real OpenSSH server for tests, in a temporary directory of its own. */

#include "config.h"

#include "ms-sshd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ms-test.h"

/* sshd refuses to start from a relative path. */
#define SSHD_PATH "/usr/sbin/sshd"
#define START_TIMEOUT_S 20
#define START_ATTEMPTS 3

struct _MsSshd
{
  char *dir;
  char *cache_dir;
  char *bare_cache_dir;
  char *client_config;
  char *log_path;
  guint16 port;
  guint16 bare_port; /* the same server, its sessions without a probe */
  pid_t pid;
};

/* A port nothing listens on right now (the kernel's choice for a socket bound to port 0). */
static guint16
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

static void
keygen (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path,
                         NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("ssh-keygen failed for %s: %s", name, err);
}

static char *
read_public_key (const char *dir,
                 const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.pub", dir, name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strstrip (text);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

/* A known_hosts line for 127.0.0.1 at port, with the public key (type, key, comment) given. */
static char *
known_host (guint16     port,
            const char *public_key)
{
  return g_strdup_printf ("[127.0.0.1]:%u %s\n", port, public_key);
}

static void
write_configs (MsSshd     *sshd,
               guint16     closed_port)
{
  g_autofree char *host_key = read_public_key (sshd->dir, "host_key");
  g_autofree char *other_key = read_public_key (sshd->dir, "other_host_key");
  g_autofree char *user_key = read_public_key (sshd->dir, "user_key");
  g_autofree char *known_main = known_host (sshd->port, host_key);
  g_autofree char *known_bare = known_host (sshd->bare_port, host_key);
  g_autofree char *known = g_strconcat (known_main, known_bare, NULL);
  g_autofree char *known_changed = known_host (sshd->port, other_key);
  g_autofree char *authorized = g_strdup_printf ("%s\n", user_key);
  g_autofree char *server = NULL;
  g_autofree char *client = NULL;
  const char *d = sshd->dir;

  write_file (d, "known_hosts", known);
  write_file (d, "known_hosts_changed", known_changed);
  write_file (d, "known_hosts_empty", "");
  write_file (d, "authorized_keys", authorized);

  /* Values are quoted: TMPDIR may hold a space. */
  server = g_strdup_printf (
    "Port %u\n"
    "Port %u\n"
    "ListenAddress 127.0.0.1\n"
    "HostKey \"%s/host_key\"\n"
    "AuthorizedKeysFile \"%s/authorized_keys\"\n"
    "PidFile \"%s/sshd.pid\"\n"
    "UsePAM no\n"
    "StrictModes no\n"
    "PubkeyAuthentication yes\n"
    "PasswordAuthentication no\n"
    "KbdInteractiveAuthentication no\n"
    "PermitRootLogin prohibit-password\n"
    "AllowTcpForwarding no\n"
    "AllowAgentForwarding no\n"
    "X11Forwarding no\n"
    "PrintMotd no\n"
    "PrintLastLog no\n"
    "MaxStartups 64\n"
    "LogLevel INFO\n"
    /* HOME too: the login shell then reads no start-up file of the real user's (a bashrc that
     * takes seconds, or changes PATH). */
    "SetEnv \"PATH=%s/bin:/usr/bin:/bin\" \"XDG_CACHE_HOME=%s\" \"HOME=%s/home\"\n"
    /* The bare machine: no probe on PATH, a cache of its own (a Match block's values win). */
    "Match LocalPort %u\n"
    "  SetEnv \"PATH=/usr/bin:/bin\" \"XDG_CACHE_HOME=%s\" \"HOME=%s/home\"\n",
    sshd->port, sshd->bare_port, d, d, d, d, sshd->cache_dir, d, sshd->bare_port,
    sshd->bare_cache_dir, d);
  write_file (d, "sshd_config", server);

  /* The first value wins in ssh_config, but IdentityFile adds up: the user key is kept from the
   * refused-key alias by a negated pattern. */
  client = g_strdup_printf (
    "Host " MS_SSHD_HOST " " MS_SSHD_HOST_CHANGED_KEY " " MS_SSHD_HOST_UNKNOWN_KEY " "
    MS_SSHD_HOST_REFUSED_KEY "\n"
    "  Hostname 127.0.0.1\n  Port %u\n"
    "Host " MS_SSHD_HOST_CLOSED_PORT "\n"
    "  Hostname 127.0.0.1\n  Port %u\n"
    "Host " MS_SSHD_HOST_BARE "\n"
    "  Hostname 127.0.0.1\n  Port %u\n"
    "Host " MS_SSHD_HOST_CHANGED_KEY "\n"
    "  UserKnownHostsFile \"%s/known_hosts_changed\"\n"
    "Host " MS_SSHD_HOST_UNKNOWN_KEY "\n"
    "  UserKnownHostsFile \"%s/known_hosts_empty\"\n  StrictHostKeyChecking ask\n"
    "Host " MS_SSHD_HOST_REFUSED_KEY "\n"
    "  IdentityFile \"%s/stranger_key\"\n"
    "Host * !" MS_SSHD_HOST_REFUSED_KEY "\n"
    "  IdentityFile \"%s/user_key\"\n"
    "Host *\n"
    "  UserKnownHostsFile \"%s/known_hosts\"\n"
    "  GlobalKnownHostsFile /dev/null\n"
    "  StrictHostKeyChecking yes\n"
    "  UpdateHostKeys no\n"
    "  CheckHostIP no\n"
    "  IdentitiesOnly yes\n"
    "  IdentityAgent none\n"
    "  BatchMode yes\n"
    "  ConnectTimeout 10\n"
    /* The cheapest key exchange: tests make many connections on busy machines. */
    "  KexAlgorithms curve25519-sha256\n",
    sshd->port, closed_port, sshd->bare_port, d, d, d, d, d);
  write_file (d, "ssh_config", client);
}

static void
child_setup (gpointer data)
{
  pid_t parent = GPOINTER_TO_INT (data);

  /* The watchdog: sshd never outlives the test, whatever ends it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != parent)
    _exit (1);
}

static gboolean
log_says_listening (MsSshd *sshd)
{
  g_autofree char *log = ms_sshd_dup_log (sshd);
  g_autofree char *main_port = g_strdup_printf ("Server listening on 127.0.0.1 port %u.",
                                                sshd->port);
  g_autofree char *bare_port = g_strdup_printf ("Server listening on 127.0.0.1 port %u.",
                                                sshd->bare_port);

  return log != NULL && strstr (log, main_port) != NULL && strstr (log, bare_port) != NULL;
}

/* TRUE once it listens; FALSE when it exited (its port was taken meanwhile, say). */
static gboolean
spawn_sshd (MsSshd *sshd)
{
  g_autofree char *config = g_build_filename (sshd->dir, "sshd_config", NULL);
  const char *argv[] = { SSHD_PATH, "-D", "-e", "-f", config, NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int log_fd;
  GPid pid;

  log_fd = open (sshd->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (log_fd, >=, 0);
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD
                                    | G_SPAWN_STDIN_FROM_DEV_NULL,
                                    child_setup, GINT_TO_POINTER (getpid ()),
                                    -1, -1, log_fd, NULL, NULL, 0, &pid, NULL, NULL, NULL,
                                    &error);
  close (log_fd);
  g_assert_no_error (error);
  sshd->pid = pid;

  deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      int status;

      if (log_says_listening (sshd))
        return TRUE;
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          sshd->pid = 0;
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = ms_sshd_dup_log (sshd);

          g_error ("sshd did not listen within %d s; its log:\n%s", START_TIMEOUT_S, log);
        }
      g_usleep (10 * 1000);
    }
}

MsSshd *
ms_sshd_start (const char *probe_on_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = NULL;
  MsSshd *sshd = g_new0 (MsSshd, 1);

  if (!g_file_test (SSHD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s is missing: install openssh-server (build-aux/deps test does)", SSHD_PATH);
  /* As root, sshd wants its privilege separation directory, which Debian makes only when it
   * starts its own service. */
  if (geteuid () == 0 && g_mkdir_with_parents ("/run/sshd", 0755) != 0)
    g_error ("cannot make /run/sshd: %s", g_strerror (errno));

  sshd->dir = g_dir_make_tmp ("memscope-sshd-XXXXXX", &error);
  g_assert_no_error (error);
  sshd->cache_dir = g_build_filename (sshd->dir, "cache", NULL);
  sshd->bare_cache_dir = g_build_filename (sshd->dir, "bare-cache", NULL);
  sshd->client_config = g_build_filename (sshd->dir, "ssh_config", NULL);
  sshd->log_path = g_build_filename (sshd->dir, "sshd.log", NULL);
  bin = g_build_filename (sshd->dir, "bin", NULL);
  g_assert_cmpint (g_mkdir (sshd->cache_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (sshd->bare_cache_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (bin, 0700), ==, 0);
  {
    g_autofree char *home = g_build_filename (sshd->dir, "home", NULL);

    g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  }
  ms_sshd_set_probe_on_path (sshd, probe_on_path);

  keygen (sshd->dir, "host_key");
  keygen (sshd->dir, "other_host_key");
  keygen (sshd->dir, "user_key");
  keygen (sshd->dir, "stranger_key");

  for (guint attempt = 1;; attempt++)
    {
      guint16 closed_port;

      /* Three different ports (the kernel may hand out one twice). */
      sshd->port = free_port ();
      do
        sshd->bare_port = free_port ();
      while (sshd->bare_port == sshd->port);
      do
        closed_port = free_port ();
      while (closed_port == sshd->port || closed_port == sshd->bare_port);
      write_configs (sshd, closed_port);
      if (spawn_sshd (sshd))
        break;
      if (attempt == START_ATTEMPTS)
        {
          g_autofree char *log = ms_sshd_dup_log (sshd);

          g_error ("sshd exited at start %u times; its log:\n%s", attempt, log);
        }
    }
  return sshd;
}

void
ms_sshd_set_probe_on_path (MsSshd     *sshd,
                           const char *probe)
{
  g_autofree char *link = g_build_filename (sshd->dir, "bin", "memscope-probe", NULL);

  if (g_unlink (link) != 0)
    g_assert_cmpint (errno, ==, ENOENT);
  if (probe != NULL)
    g_assert_cmpint (symlink (probe, link), ==, 0);
}

/* The listener's children: one per connection. */
static GArray *
children_of (pid_t parent)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      ms_stat_t st;
      pid_t pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      pid = (pid_t) g_ascii_strtoll (name, NULL, 10);
      if (ms_test_read_stat (pid, &st) && st.ppid == parent)
        g_array_append_val (pids, pid);
    }
  return pids;
}

guint
ms_sshd_count_connections (MsSshd *sshd)
{
  g_autoptr(GArray) pids = NULL;

  g_return_val_if_fail (sshd != NULL && sshd->pid > 0, 0);

  pids = children_of (sshd->pid);
  return pids->len;
}

guint
ms_sshd_drop_connections (MsSshd *sshd)
{
  g_autoptr(GArray) pids = NULL;

  g_return_val_if_fail (sshd != NULL && sshd->pid > 0, 0);

  pids = children_of (sshd->pid);
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), SIGKILL);
  return pids->len;
}

void
ms_sshd_stop (MsSshd *sshd)
{
  if (sshd == NULL)
    return;
  if (sshd->pid > 0)
    {
      ms_sshd_drop_connections (sshd);
      kill (sshd->pid, SIGTERM);
      while (waitpid (sshd->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  ms_test_remove_tree (sshd->dir);
  g_free (sshd->dir);
  g_free (sshd->cache_dir);
  g_free (sshd->bare_cache_dir);
  g_free (sshd->client_config);
  g_free (sshd->log_path);
  g_free (sshd);
}

const char *
ms_sshd_get_client_config (MsSshd *sshd)
{
  return sshd->client_config;
}

guint16
ms_sshd_get_port (MsSshd *sshd)
{
  return sshd->port;
}

pid_t
ms_sshd_get_pid (MsSshd *sshd)
{
  return sshd->pid;
}

const char *
ms_sshd_get_dir (MsSshd *sshd)
{
  return sshd->dir;
}

const char *
ms_sshd_get_cache_dir (MsSshd *sshd)
{
  return sshd->cache_dir;
}

const char *
ms_sshd_get_bare_cache_dir (MsSshd *sshd)
{
  return sshd->bare_cache_dir;
}

char *
ms_sshd_dup_log (MsSshd *sshd)
{
  char *log = NULL;

  if (!g_file_get_contents (sshd->log_path, &log, NULL, NULL))
    return NULL;
  return log;
}
