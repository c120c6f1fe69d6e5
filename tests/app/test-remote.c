/* SPDX-License-Identifier: MIT */
/* Remote machines: destinations, ssh's command line and faults, and memscope-probe stream and the
 * probe copy through a real sshd started by the test. */

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-remote-private.h"
#include "memscope-seams.h"
#include "ms-sshd.h"
#include "ms-test.h"
#include "stream.h"

/* Every fault must be reported within this long (the issue's promise to the user). */
#define FAULT_DEADLINE_S 10
#define WAIT_S 30

static MsSshd *sshd;
static char *probe_path;
static char *static_probe_path;

/* Destinations ------------------------------------------------------------------------------- */

typedef struct
{
  const char *text;
  const char *user, *host;
  guint16 port;
  const char *canonical, *display;
} Good;

static const Good good[] = {
  { "box", NULL, "box", 0, "box", "box" },
  { "  box\t", NULL, "box", 0, "box", "box" },
  { "alice@box.example.org", "alice", "box.example.org", 0, "alice@box.example.org",
    "alice@box.example.org" },
  { "my_alias-2", NULL, "my_alias-2", 0, "my_alias-2", "my_alias-2" },
  { "192.0.2.7", NULL, "192.0.2.7", 0, "192.0.2.7", "192.0.2.7" },
  { "[::1]", NULL, "::1", 0, "::1", "::1" },
  { "::1", NULL, "::1", 0, "::1", "::1" },
  { "bob@[fe80::1%eth0]", "bob", "fe80::1%eth0", 0, "bob@[fe80::1%eth0]", "bob@fe80::1%eth0" },
  { "user@domain@box", "user@domain", "box", 0, "user@domain@box", "user@domain@box" },
  { "ssh://box", NULL, "box", 0, "box", "box" },
  { "ssh://box/", NULL, "box", 0, "box", "box" },
  { "SSH://carol@box:2222", "carol", "box", 2222, "ssh://carol@box:2222", "carol@box:2222" },
  { "ssh://[::1]:2222", NULL, "::1", 2222, "ssh://[::1]:2222", "[::1]:2222" },
  { "ssh://dave@[2001:db8::5]", "dave", "2001:db8::5", 0, "dave@[2001:db8::5]",
    "dave@2001:db8::5" },
  { "ssh://d%40ve@box:65535", "d@ve", "box", 65535, "ssh://d%40ve@box:65535", "d@ve@box:65535" },
};

typedef struct
{
  const char *text;
  const char *message_part;
} Bad;

static const Bad bad[] = {
  { "", "No machine" },
  { "   ", "No machine" },
  { "-oProxyCommand=sh -c id", "space" },
  { "-oProxyCommand=evil", "option" },
  { "--", "option" },
  { "alice@-box", "option" },
  { "-alice@box", "option" },
  { "ssh://-box", "option" },
  { "ssh://-l@box", "option" },
  { "box\nother", "control character" },
  { "box\x1b[31m", "control character" },
  { "box\x7f", "control character" },
  { "bo x", "space" },
  { "box;reboot", "“;”" },
  { "$(reboot)@box", "“$”" },
  { "box`id`", "“`”" },
  { "box:22", "ssh://HOST:PORT" },
  { "ssh://box:0", "between 1 and 65535" },
  { "ssh://box:65536", "between 1 and 65535" },
  { "ssh://box:99999999999999999999", "between 1 and 65535" },
  { "ssh://box:", "empty" },
  { "ssh://box:22x", "not a number" },
  { "ssh://box/path", "path" },
  { "ssh://alice:secret@box", "password" },
  { "ssh://::1:22", "brackets" },
  { "ssh://[::1", "not closed" },
  { "ssh://[::1]x", "Only “:PORT”" },
  { "ssh://[box]:22", "IPv6" },
  { "[box]", "IPv6" },
  { "[::1]:22", "ssh://[ADDRESS]:PORT" },
  { "@box", "empty" },
  { "alice@", "empty" },
  { "ssh://", "empty" },
  { "sftp://box", "Only ssh://" },
  { "ssh://%ff%fe@box", "not valid" },
  { "ssh://a%00b@box", "broken" },
  { "ssh://a%0ab@box", "control character" },
  { "box/../x", "“/”" },
  { "b\xc3\x28", "not valid text" },
  { "b\xcb\xa1!o", "“ˡ”" },
  { "[:c]", "IPv6" },
  { "[:]", "IPv6" },
  { "ssh://[fe80::1%]:22", "IPv6" },
};

static void
test_parse_good (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MemscopeRemoteDestination) dest = NULL;
      g_autoptr(MemscopeRemoteDestination) again = NULL;
      g_autofree char *canonical = NULL;
      g_autofree char *display = NULL;

      g_test_message ("%s", good[i].text);
      dest = memscope_remote_destination_parse (good[i].text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dest->user, ==, good[i].user);
      g_assert_cmpstr (dest->host, ==, good[i].host);
      g_assert_cmpuint (dest->port, ==, good[i].port);
      canonical = memscope_remote_destination_to_string (dest);
      display = memscope_remote_destination_dup_display_name (dest);
      g_assert_cmpstr (canonical, ==, good[i].canonical);
      g_assert_cmpstr (display, ==, good[i].display);
      /* What is stored parses back to the same machine. */
      again = memscope_remote_destination_parse (canonical, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->user, ==, dest->user);
      g_assert_cmpstr (again->host, ==, dest->host);
      g_assert_cmpuint (again->port, ==, dest->port);
    }
}

static void
test_parse_bad (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MemscopeRemoteDestination) dest = NULL;
      g_autofree char *shown = g_strescape (bad[i].text, NULL);

      dest = memscope_remote_destination_parse (bad[i].text, &error);
      g_test_message ("%s → %s", shown, error != NULL ? error->message : "(accepted)");
      g_assert_null (dest);
      g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, bad[i].message_part));
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (memscope_remote_destination_parse (NULL, &error));
    g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION);
  }
}

/* The command line --------------------------------------------------------------------------- */

static void
test_argv (void)
{
  g_autoptr(MemscopeRemoteDestination) dest =
    memscope_remote_destination_parse ("ssh://carol@[::1]:2222", NULL);
  g_autoptr(MemscopeRemoteDestination) plain = memscope_remote_destination_parse ("box", NULL);
  g_auto(GStrv) argv = memscope_remote_build_stream_argv (dest);
  g_auto(GStrv) plain_argv = memscope_remote_build_argv (plain, "uname -m");
  guint n = g_strv_length (argv), n_plain = g_strv_length (plain_argv);
  const char *config = memscope_ssh_config ();

  g_assert_cmpstr (argv[0], ==, "ssh");
  g_assert_cmpstr (argv[1], ==, "-T");
  g_assert_true (g_strv_contains ((const char * const *) argv, "BatchMode=yes"));
  g_assert_true (g_strv_contains ((const char * const *) argv, "ConnectTimeout=8"));
  /* The user, port and configuration go as options; the host, then "--", then the command. */
  for (guint i = 0; i + 1 < n; i++)
    {
      if (g_str_equal (argv[i], "-p"))
        g_assert_cmpstr (argv[i + 1], ==, "2222");
      if (g_str_equal (argv[i], "-l"))
        g_assert_cmpstr (argv[i + 1], ==, "carol");
      if (g_str_equal (argv[i], "-F"))
        g_assert_cmpstr (argv[i + 1], ==, config);
    }
  g_assert_nonnull (config);
  g_assert_true (g_strv_contains ((const char * const *) argv, "-F"));
  g_assert_cmpstr (argv[n - 3], ==, "::1");
  g_assert_cmpstr (argv[n - 2], ==, "--");
  g_assert_cmpstr (argv[n - 1], ==, memscope_remote_get_stream_command ());
  g_assert_false (g_strv_contains ((const char * const *) plain_argv, "-p"));
  g_assert_false (g_strv_contains ((const char * const *) plain_argv, "-l"));
  g_assert_cmpstr (plain_argv[n_plain - 3], ==, "box");
  g_assert_cmpstr (plain_argv[n_plain - 1], ==, "uname -m");

  /* Any login shell passes the command to sh unchanged: one line, one pair of single quotes. */
  {
    const char *command = memscope_remote_get_stream_command ();

    g_assert_true (g_str_has_prefix (command, "exec sh -c '"));
    g_assert_true (g_str_has_suffix (command, "'"));
    g_assert_null (strchr (command, '\n'));
    g_assert_null (strchr (command, '\\'));
    g_assert_null (strchr (command, '!'));
    guint quotes = 0;

    for (const char *p = command; *p != '\0'; p++)
      quotes += *p == '\'';
    g_assert_cmpuint (quotes, ==, 2);
  }
}

/* Faults from canned ssh output -------------------------------------------------------------- */

typedef struct
{
  int exit_code; /* -1: killed by SIGKILL */
  const char *stderr_text;
  MemscopeRemoteFault fault;
} Canned;

static const Canned canned[] = {
  { 0, "", MEMSCOPE_REMOTE_FAULT_NONE },
  { 255, "ssh: connect to host 127.0.0.1 port 9: Connection refused\r\n",
    MEMSCOPE_REMOTE_FAULT_REFUSED },
  { 255, "ssh: connect to host 10.1.2.3 port 22: Connection timed out\r\n",
    MEMSCOPE_REMOTE_FAULT_UNREACHABLE },
  { 255, "ssh: connect to host 10.1.2.3 port 22: No route to host\r\n",
    MEMSCOPE_REMOTE_FAULT_UNREACHABLE },
  { 255, "ssh: Could not resolve hostname x.invalid: Name or service not known\r\n",
    MEMSCOPE_REMOTE_FAULT_UNRESOLVED },
  { 255, "ssh: Could not resolve hostname x: Temporary failure in name resolution\r\n",
    MEMSCOPE_REMOTE_FAULT_UNRESOLVED },
  { 255, "@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
         "Host key verification failed.\r\n", MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED },
  { 255, "Host key verification failed.\r\n", MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN },
  { 255, "No ED25519 host key is known for [127.0.0.1]:5 and you have requested strict "
         "checking.\r\nHost key verification failed.\r\n",
    MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN },
  { 255, "alice@127.0.0.1: Permission denied (publickey).\r\n",
    MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED },
  { 255, "Connection to 127.0.0.1 closed by remote host.\r\n", MEMSCOPE_REMOTE_FAULT_DROPPED },
  { 255, "Timeout, server 10.1.2.3 not responding.\r\n", MEMSCOPE_REMOTE_FAULT_DROPPED },
  { 255, "", MEMSCOPE_REMOTE_FAULT_DROPPED },
  { 255, "kex_exchange_identification: banner line contains invalid characters\r\n",
    MEMSCOPE_REMOTE_FAULT_OTHER },
  { -1, "", MEMSCOPE_REMOTE_FAULT_DROPPED },
  { 117, "memscope-probe: not found on this machine\n", MEMSCOPE_REMOTE_FAULT_NO_PROBE },
  { 3, "memscope-probe stream: request 1 (hello): the peer speaks protocol version 2.0; this "
       "side speaks 1.2\n", MEMSCOPE_REMOTE_FAULT_PROBE_VERSION },
  { 3, "something else\n", MEMSCOPE_REMOTE_FAULT_PROBE_ENDED },
  { 1, "memscope-probe stream: cannot open /proc\n", MEMSCOPE_REMOTE_FAULT_PROBE_ENDED },
  { 127, "", MEMSCOPE_REMOTE_FAULT_NO_CLIENT },
};

static void
test_classify (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("box", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (canned); i++)
    {
      int status = canned[i].exit_code < 0 ? SIGKILL : canned[i].exit_code << 8;
      MemscopeRemoteFault fault = memscope_remote_classify (status, canned[i].stderr_text);
      g_autofree char *message = memscope_remote_describe (fault, dest, status,
                                                           canned[i].stderr_text);

      g_test_message ("%d %s → %d %s", canned[i].exit_code, canned[i].stderr_text, fault, message);
      g_assert_cmpint (fault, ==, canned[i].fault);
      g_assert_true (g_utf8_validate (message, -1, NULL));
      g_assert_cmpuint (strlen (message), >, 10);
    }
  {
    g_autofree char *message = memscope_remote_describe (MEMSCOPE_REMOTE_FAULT_PROBE_ENDED, dest,
                                                         1 << 8, "memscope-probe stream: "
                                                         "cannot open /proc\n");

    g_assert_nonnull (strstr (message, "cannot open /proc"));
    g_assert_nonnull (strstr (message, "status 1"));
  }
  /* A remote probe killed by a signal looks to ssh like a silent drop: the message says both. */
  {
    g_autofree char *message = memscope_remote_describe (MEMSCOPE_REMOTE_FAULT_DROPPED, dest,
                                                         255 << 8, "");

    g_assert_nonnull (strstr (message, "memscope-probe there was killed"));
  }
  /* The advice to run ssh once is a command line ssh takes: a port as -p, IPv6 bare, a zone
   * as it is. */
  {
    const struct { const char *destination; const char *command; } advice[] = {
      { "box", "“ssh box”" },
      { "ssh://alice@box:2222", "“ssh -p 2222 alice@box”" },
      { "[::1]", "“ssh ::1”" },
      { "bob@[fe80::1%eth0]", "“ssh bob@fe80::1%eth0”" },
      { "ssh://[2001:db8::7]:2200", "“ssh -p 2200 2001:db8::7”" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (advice); i++)
      {
        g_autoptr(MemscopeRemoteDestination) where =
          memscope_remote_destination_parse (advice[i].destination, NULL);
        g_autofree char *unknown = NULL;
        g_autofree char *refused = NULL;

        g_assert_nonnull (where);
        unknown = memscope_remote_describe (MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN, where,
                                            255 << 8, "");
        refused = memscope_remote_describe (MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED, where,
                                            255 << 8, "");
        g_test_message ("%s: %s", advice[i].destination, unknown);
        g_assert_nonnull (strstr (unknown, advice[i].command));
        g_assert_nonnull (strstr (refused, advice[i].command));
      }
  }
  g_assert_true (memscope_remote_fault_can_copy (MEMSCOPE_REMOTE_FAULT_NO_PROBE));
  g_assert_true (memscope_remote_fault_can_copy (MEMSCOPE_REMOTE_FAULT_PROBE_VERSION));
  g_assert_false (memscope_remote_fault_can_copy (MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED));
}

/* Through a real sshd ------------------------------------------------------------------------ */

static void
clear_remote_cache (void)
{
  g_autofree char *dir = g_build_filename (ms_sshd_get_cache_dir (sshd), "memscope", NULL);

  ms_test_remove_tree (dir);
}

/* Runs a remote command through ssh; returns its stdout or NULL with error. */
static char *
run_remote (const char *destination,
            const char *command,
            GError    **error)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (destination,
                                                                                 NULL);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (dest);
  memscope_remote_run_async (dest, command, NULL, NULL, ms_test_async_done_cb, &result);
  return memscope_remote_run_finish (ms_test_await (&result, WAIT_S), error);
}

/* Starts the stream over ssh, reads the probe's hello and ends it by closing its input. */
static void
assert_stream_says_hello (const char *destination)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (destination,
                                                                                 NULL);
  g_auto(GStrv) argv = memscope_remote_build_stream_argv (dest);
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  ms_stream_reader_t *reader = ms_stream_reader_new (0);
  ms_stream_decoder_t *decoder = ms_stream_decoder_new ();
  ms_stream_frame_t frame;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  const uint8_t *payload = NULL;
  size_t len = 0;
  uint64_t number = 0;
  char err[256];
  int fd, got = 0;

  ssh = g_subprocess_newv ((const char * const *) argv,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (ssh)));
  while ((got = ms_stream_reader_next (reader, &payload, &len, &number, err, sizeof err)) == 0)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      ssize_t n;

      g_assert_cmpint (left_ms, >, 0);
      if (poll (&pfd, 1, (int) left_ms) <= 0)
        continue;
      n = ms_stream_reader_read_fd (reader, fd);
      g_assert_cmpint (n, >, 0);
    }
  g_assert_cmpint (got, ==, 1);
  g_assert_cmpint (ms_stream_decode_frame (decoder, payload, len, number, &frame, err, sizeof err),
                   ==, MS_STREAM_OK);
  g_assert_cmpint (frame.type, ==, MS_FRAME_HELLO);
  g_assert_cmpuint (frame.hello.major, ==, MS_STREAM_VERSION_MAJOR);
  g_assert_true (g_str_has_prefix (frame.hello.software, "memscope-probe "));

  /* End of input ends the probe, then ssh, cleanly; what it sent meanwhile is read and dropped
   * (a full pipe would hold the probe in a write). */
  g_output_stream_close (g_subprocess_get_stdin_pipe (ssh), NULL, NULL);
  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[65536];
      ssize_t n;

      g_assert_cmpint (left_ms, >, 0);
      if (poll (&pfd, 1, (int) left_ms) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n == 0)
        break;
      g_assert_true (n > 0 || errno == EINTR);
    }
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_wait_async (ssh, NULL, ms_test_async_done_cb, &result);
    g_assert_true (g_subprocess_wait_finish (ssh, ms_test_await (&result, WAIT_S), &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (memscope_remote_classify (g_subprocess_get_status (ssh), NULL), ==,
                   MEMSCOPE_REMOTE_FAULT_NONE);
  ms_stream_decoder_free (decoder);
  ms_stream_reader_free (reader);
}

static void
test_ssh_stream (void)
{
  clear_remote_cache ();
  ms_sshd_set_probe_on_path (sshd, probe_path);
  assert_stream_says_hello (MS_SSHD_HOST);
  /* The same through ssh://USER@HOST:PORT with the address and port spelled out. */
  {
    g_autofree char *uri = g_strdup_printf ("ssh://%s@127.0.0.1:%u", g_get_user_name (),
                                            ms_sshd_get_port (sshd));
    g_autofree char *out = run_remote (uri, "echo remote-ok", NULL);

    g_assert_cmpstr (out, ==, "remote-ok\n");
  }
  ms_sshd_set_probe_on_path (sshd, NULL);
}

static void
assert_fault (const char          *destination,
              MemscopeRemoteFault  fault,
              const char          *message_part)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *out = run_remote (destination, "true", &error);
  double took_s = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  g_test_message ("%s → %s (%.2f s)", destination, error != NULL ? error->message : "(ok)",
                  took_s);
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, (int) fault);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpfloat (took_s, <, FAULT_DEADLINE_S);
}

static void
test_ssh_faults (void)
{
  g_autofree char *closed = NULL;

  assert_fault (MS_SSHD_HOST_CHANGED_KEY, MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED,
                "host key of " MS_SSHD_HOST_CHANGED_KEY " has changed");
  assert_fault (MS_SSHD_HOST_UNKNOWN_KEY, MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN,
                "Run “ssh " MS_SSHD_HOST_UNKNOWN_KEY "” once");
  assert_fault (MS_SSHD_HOST_REFUSED_KEY, MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED,
                MS_SSHD_HOST_REFUSED_KEY " refused the login");
  assert_fault (MS_SSHD_HOST_CLOSED_PORT, MEMSCOPE_REMOTE_FAULT_REFUSED,
                MS_SSHD_HOST_CLOSED_PORT " refused the connection");
  assert_fault ("nothing-here.invalid", MEMSCOPE_REMOTE_FAULT_UNRESOLVED,
                "“nothing-here.invalid” does not resolve");
  /* The probe is on neither the PATH nor in the cache. */
  ms_sshd_set_probe_on_path (sshd, NULL);
  clear_remote_cache ();
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = run_remote (MS_SSHD_HOST, memscope_remote_get_stream_command (),
                                       &error);

    g_assert_null (out);
    g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_NO_PROBE);
    g_assert_nonnull (strstr (error->message, "not installed on " MS_SSHD_HOST));
  }
}

static void
test_ssh_no_client (void)
{
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *empty = g_dir_make_tmp ("memscope-no-ssh-XXXXXX", NULL);

  g_assert_nonnull (empty);
  g_setenv ("PATH", empty, TRUE);
  assert_fault (MS_SSHD_HOST, MEMSCOPE_REMOTE_FAULT_NO_CLIENT, "No ssh client is installed");
  g_setenv ("PATH", old_path, TRUE);
  g_rmdir (empty);
}

static void
test_ssh_dropped (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (MS_SSHD_HOST,
                                                                                 NULL);
  g_auto(GStrv) argv = memscope_remote_build_argv (dest, "echo up; exec cat");
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err_text = NULL;
  MemscopeRemoteFault fault;

  ssh = g_subprocess_newv ((const char * const *) argv,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ssh));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "up");

  g_assert_cmpuint (ms_sshd_drop_connections (sshd), >=, 1);
  /* ssh notices at once and exits; its input is still open (no end of input ends it). */
  g_subprocess_wait_async (ssh, NULL, ms_test_async_done_cb, &result);
  g_assert_true (g_subprocess_wait_finish (ssh, ms_test_await (&result, FAULT_DEADLINE_S), &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) bytes = NULL;

    bytes = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (ssh), 65536, NULL, &error);
    g_assert_no_error (error);
    err_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  }
  fault = memscope_remote_classify (g_subprocess_get_status (ssh), err_text);
  g_test_message ("dropped: status %d, %s", g_subprocess_get_status (ssh), err_text);
  g_assert_cmpint (fault, ==, MEMSCOPE_REMOTE_FAULT_DROPPED);
  /* A remote command killed by a signal: ssh says nothing and exits 255. */
  {
    g_autoptr(GError) killed_error = NULL;
    g_autofree char *killed = run_remote (MS_SSHD_HOST, "kill -9 $$", &killed_error);

    g_assert_null (killed);
    g_assert_error (killed_error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_DROPPED);
    g_assert_nonnull (strstr (killed_error->message, "was killed"));
  }
  /* sshd itself still listens: the next connection works. */
  {
    g_autofree char *again = run_remote (MS_SSHD_HOST, "echo again", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, "again\n");
  }
}

/* A window of another major version: the remote probe says so on stderr and exits 3. */
static void
test_ssh_probe_version (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (MS_SSHD_HOST,
                                                                                 NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hello_bytes = NULL;
  g_autofree char *out = NULL;
  ms_stream_request_t req = { .type = MS_REQ_HELLO };
  ms_stream_buf_t buf;

  clear_remote_cache ();
  ms_sshd_set_probe_on_path (sshd, probe_path);
  ms_stream_hello_init (&req.hello, "memscope-test", 0);
  req.hello.major = MS_STREAM_VERSION_MAJOR + 1;
  ms_stream_buf_init (&buf);
  g_assert_cmpint (ms_stream_encode_request (&buf, &req), ==, 0);
  hello_bytes = g_bytes_new (buf.data, buf.len);
  ms_stream_buf_clear (&buf);

  memscope_remote_run_async (dest, memscope_remote_get_stream_command (), hello_bytes, NULL,
                             ms_test_async_done_cb, &result);
  out = memscope_remote_run_finish (ms_test_await (&result, WAIT_S), &error);
  g_test_message ("%s", error != NULL ? error->message : "(ok)");
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_PROBE_VERSION);
  g_assert_nonnull (strstr (error->message, "another version of the protocol"));
  ms_sshd_set_probe_on_path (sshd, NULL);
}

static void
copy_probe (const char *destination,
            GError    **error)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (destination,
                                                                                 NULL);
  g_autoptr(GAsyncResult) result = NULL;

  memscope_remote_copy_probe_async (dest, static_probe_path, NULL, ms_test_async_done_cb, &result);
  memscope_remote_copy_probe_finish (ms_test_await (&result, WAIT_S), error);
}

static void
test_ssh_copy (void)
{
  g_autofree char *copied = g_build_filename (ms_sshd_get_cache_dir (sshd), "memscope",
                                              "memscope-probe", NULL);
  g_autoptr(GError) error = NULL;
  struct stat local, remote;

  ms_sshd_set_probe_on_path (sshd, NULL);
  clear_remote_cache ();

  /* Another architecture: explained, and nothing is copied. */
  memscope_remote_set_local_machine_for_testing ("sparc64");
  copy_probe (MS_SSHD_HOST, &error);
  g_test_message ("%s", error != NULL ? error->message : "(copied)");
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH);
  g_assert_nonnull (strstr (error->message, "built for sparc64"));
  memscope_remote_set_local_machine_for_testing (NULL);
  /* What the remote said: the fixture is this machine. */
  g_assert_nonnull (strstr (error->message, memscope_remote_get_local_machine ()));
  g_assert_false (g_file_test (copied, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The same machine: copied whole and executable, then the stream runs it. */
  copy_probe (MS_SSHD_HOST, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stat (static_probe_path, &local), ==, 0);
  g_assert_cmpint (stat (copied, &remote), ==, 0);
  g_assert_cmpint (remote.st_size, ==, local.st_size);
  g_assert_cmpint (remote.st_mode & 0777, ==, 0755);
  assert_stream_says_hello (MS_SSHD_HOST);

  /* A failed copy reports it and leaves what was there: the cache directory is a file. */
  clear_remote_cache ();
  {
    g_autofree char *blocker = g_build_filename (ms_sshd_get_cache_dir (sshd), "memscope", NULL);

    g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
    copy_probe (MS_SSHD_HOST, &error);
    g_test_message ("%s", error != NULL ? error->message : "(copied)");
    g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_COPY_FAILED);
    g_assert_nonnull (strstr (error->message, "could not be copied to " MS_SSHD_HOST));
    /* The remote's own reason survives ssh ending before it read the probe. */
    g_assert_nonnull (strstr (error->message, "memscope-probe could not be stored in"));
    g_clear_error (&error);
    g_unlink (blocker);
  }

  /* A copy that ends early (here cancelled) leaves the probe that was there whole. */
  copy_probe (MS_SSHD_HOST, &error);
  g_assert_no_error (error);
  {
    g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (MS_SSHD_HOST,
                                                                                   NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;

    memscope_remote_copy_probe_async (dest, static_probe_path, cancellable, ms_test_async_done_cb,
                                      &result);
    g_cancellable_cancel (cancellable);
    g_assert_false (memscope_remote_copy_probe_finish (ms_test_await (&result, WAIT_S), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (stat (copied, &remote), ==, 0);
    g_assert_cmpint (remote.st_size, ==, local.st_size);
    g_assert_cmpint (remote.st_mode & 0777, ==, 0755);
  }
}

/* The probe's processor comes from its ELF header; the remote must run Linux on it. */
static void
test_check_uname (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("far-box", NULL);
  g_autoptr(GMappedFile) file = g_mapped_file_new (static_probe_path, FALSE, NULL);
  g_autoptr(GBytes) probe = NULL;
  g_autoptr(GBytes) script = g_bytes_new_static ("#!/bin/sh\n", 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *same = NULL;
  g_autofree char *other = NULL;

  g_assert_nonnull (file);
  probe = g_mapped_file_get_bytes (file);
  machine = memscope_remote_probe_machine (probe);
  /* Built here for here. */
  g_assert_cmpstr (machine, ==, memscope_remote_get_local_machine ());
  g_assert_null (memscope_remote_probe_machine (script));

  same = g_strdup_printf ("Linux %s\n", machine);
  g_assert_true (memscope_remote_check_uname (dest, same, probe, &error));
  g_assert_no_error (error);

  other = g_strdup_printf ("Linux %s\n", strcmp (machine, "s390x") == 0 ? "aarch64" : "s390x");
  g_assert_false (memscope_remote_check_uname (dest, other, probe, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH);
  g_assert_nonnull (strstr (error->message, "built for"));
  g_assert_nonnull (strstr (error->message, machine));
  g_clear_error (&error);

  g_assert_false (memscope_remote_check_uname (dest, "FreeBSD amd64\n", probe, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH);
  g_assert_nonnull (strstr (error->message, "far-box runs FreeBSD, not Linux"));
  g_clear_error (&error);

  g_assert_false (memscope_remote_check_uname (dest, "", probe, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not Linux"));
  g_clear_error (&error);

  /* A probe memscope cannot place: refused, and said. */
  g_assert_false (memscope_remote_check_uname (dest, same, script, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "an unknown processor"));
  g_clear_error (&error);

  /* The seam: the probe pretends to be for sparc64. */
  memscope_remote_set_local_machine_for_testing ("sparc64");
  g_assert_true (memscope_remote_check_uname (dest, "Linux sparc64", probe, &error));
  g_assert_false (memscope_remote_check_uname (dest, same, probe, &error));
  g_assert_nonnull (strstr (error->message, "built for sparc64"));
  memscope_remote_set_local_machine_for_testing (NULL);
}

/* What a command writes is kept up to a bound, and a command that hangs is ended. */
static void
test_ssh_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start;

  /* Megabytes of output: only the start is kept. */
  out = run_remote (MS_SSHD_HOST, "yes | head -c 3000000", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (out), ==, 4096);
  g_assert_true (g_str_has_prefix (out, "y\ny\n"));
  g_clear_pointer (&out, g_free);

  /* Megabytes on stderr then a failure: the end is kept, and says why. */
  out = run_remote (MS_SSHD_HOST, "yes | head -c 3000000 >&2; echo the-end >&2; exit 3", &error);
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_PROBE_ENDED);
  g_assert_nonnull (strstr (error->message, "status 3: the-end"));
  g_clear_error (&error);

  /* A command that hangs: ended after the limit (here one second), with a clear message. */
  memscope_remote_set_timeout_for_testing (1);
  start = g_get_monotonic_time ();
  out = run_remote (MS_SSHD_HOST, "sleep 20", &error);
  memscope_remote_set_timeout_for_testing (0);
  g_test_message ("%s", error != NULL ? error->message : "(finished)");
  g_assert_null (out);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, MS_SSHD_HOST " did not finish within 1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_ssh_copy_cancel (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse (MS_SSHD_HOST,
                                                                                 NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  clear_remote_cache ();
  memscope_remote_copy_probe_async (dest, static_probe_path, cancellable, ms_test_async_done_cb, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (memscope_remote_copy_probe_finish (ms_test_await (&result, WAIT_S), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Runs the stream command as a login shell would (SHELL -c COMMAND) with the given PATH and cache;
 * returns the exit status, and what it wrote. */
static int
run_stream_command (const char *shell,
                    const char *path,
                    const char *cache,
                    GBytes    **out,
                    char      **err)
{
  const char *argv[] = { shell, "-c", memscope_remote_get_stream_command (), NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  /* No input: a probe that starts says hello and ends at once. */
  g_subprocess_communicate (child, nothing, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  return g_subprocess_get_status (child);
}

static gboolean
says_hello (GBytes *out)
{
  gsize n;
  const guint8 *data = g_bytes_get_data (out, &n);

  /* u32 length, the hello type, then the magic. */
  return n > 9 && memcmp (data + 5, "MSCP", 4) == 0;
}

/* The remote command itself, under each POSIX shell here: no probe → 117; the PATH's; the cache's
 * before the PATH's. */
static void
test_stream_command (void)
{
  const char *shells[] = { "/bin/sh", "/bin/bash", "/usr/bin/dash" };
  g_autofree char *dir = g_dir_make_tmp ("memscope-command-XXXXXX", NULL);
  g_autofree char *bin = g_build_filename (dir, "bin", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *cache_probe = g_build_filename (cache, "memscope", "memscope-probe", NULL);
  g_autofree char *bin_probe = g_build_filename (bin, "memscope-probe", NULL);
  g_autofree char *path = g_strdup_printf ("%s:/usr/bin:/bin", bin);
  g_autofree char *parent = g_path_get_dirname (cache_probe);
  g_autofree char *fake = g_strdup ("#!/bin/sh\necho path-probe \"$@\"\n");

  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (shells); i++)
    {
      g_autoptr(GBytes) out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_test_message ("%s", shells[i]);
      g_unlink (bin_probe);
      g_unlink (cache_probe);
      status = run_stream_command (shells[i], path, cache, &out, &err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, MEMSCOPE_REMOTE_EXIT_NO_PROBE);
      g_assert_nonnull (strstr (err, "memscope-probe: not found"));
      g_clear_pointer (&out, g_bytes_unref);
      g_clear_pointer (&err, g_free);

      /* One on the PATH (a stand-in that says who it is and with what). */
      g_assert_true (g_file_set_contents_full (bin_probe, fake, -1, G_FILE_SET_CONTENTS_NONE,
                                               0755, NULL));
      status = run_stream_command (shells[i], path, cache, &out, &err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                       "path-probe stream\n", 18);
      g_clear_pointer (&out, g_bytes_unref);
      g_clear_pointer (&err, g_free);

      /* A copy in the cache wins over the PATH's. */
      g_assert_cmpint (symlink (probe_path, cache_probe), ==, 0);
      status = run_stream_command (shells[i], path, cache, &out, &err);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (says_hello (out));
    }
  ms_test_remove_tree (dir);
}

/* The window finds the static probe in the build tree it runs from. */
static void
test_find_static_probe (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("MS_BUILDDIR"), "src", "app", "memscope",
                                               NULL);
  g_autofree char *found = memscope_remote_find_static_probe_for (program);
  g_autofree char *elsewhere = g_build_filename (g_getenv ("MS_BUILDDIR"), "tests", "app",
                                                 "test-remote", NULL);
  g_autofree char *installed = memscope_remote_find_static_probe_for (elsewhere);
  g_autofree char *expected = g_build_filename (LIBEXECDIR, "memscope", "memscope-probe-static",
                                                NULL);

  g_assert_cmpstr (found, ==, static_probe_path);
  /* Outside BUILD/src/app it looks where it is installed (not here unless installed). */
  if (installed != NULL)
    g_assert_cmpstr (installed, ==, expected);
  else
    g_assert_false (g_file_test (expected, G_FILE_TEST_IS_EXECUTABLE));
}

/* The fixture's sshd dies with the program that started it, even one killed outright. */
static void
test_sshd_watchdog (void)
{
  g_autofree char *runner = g_build_filename (g_getenv ("MS_BUILDDIR"), "tests", "ms-sshd-run",
                                              NULL);
  const char *argv[] = { runner, NULL };
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gint64 deadline;
  pid_t pid = 0;
  char *line;

  run = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                           &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      g_autofree char *owned = line;

      if (g_str_has_prefix (owned, "pid "))
        pid = (pid_t) g_ascii_strtoll (owned + 4, NULL, 10);
      else if (g_str_has_prefix (owned, "dir "))
        dir = g_strdup (owned + 4);
      else if (g_str_equal (owned, "ready"))
        break;
    }
  g_assert_no_error (error);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, 0), ==, 0);

  g_subprocess_send_signal (run, SIGKILL);
  g_subprocess_wait (run, NULL, &error);
  g_assert_no_error (error);
  /* sshd is not this program's child: wait until it is gone (or a zombie of init's). */
  deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  for (;;)
    {
      ms_stat_t st;

      if (!ms_test_read_stat (pid, &st) || st.state == 'Z')
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  /* A program killed outright cannot clean up: its directory is left to remove. */
  ms_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *build = g_getenv ("MS_BUILDDIR");
  int status;

  ms_test_ignore_sigpipe ();
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (build);
  probe_path = g_build_filename (build, "src", "probe", "memscope-probe", NULL);
  static_probe_path = g_build_filename (build, "src", "probe", "memscope-probe-static", NULL);

  /* One sshd for the program: MEMSCOPE_SSH_CONFIG is read once per process. */
  sshd = ms_sshd_start (NULL);
  g_setenv ("MEMSCOPE_SSH_CONFIG", ms_sshd_get_client_config (sshd), TRUE);

  g_test_add_func ("/remote/parse/good", test_parse_good);
  g_test_add_func ("/remote/parse/bad", test_parse_bad);
  g_test_add_func ("/remote/argv", test_argv);
  g_test_add_func ("/remote/classify", test_classify);
  g_test_add_func ("/remote/find-static-probe", test_find_static_probe);
  g_test_add_func ("/remote/check-uname", test_check_uname);
  g_test_add_func ("/remote/stream-command", test_stream_command);
  g_test_add_func ("/remote/sshd-watchdog", test_sshd_watchdog);
  g_test_add_func ("/remote/ssh/stream", test_ssh_stream);
  g_test_add_func ("/remote/ssh/faults", test_ssh_faults);
  g_test_add_func ("/remote/ssh/no-client", test_ssh_no_client);
  g_test_add_func ("/remote/ssh/dropped", test_ssh_dropped);
  g_test_add_func ("/remote/ssh/probe-version", test_ssh_probe_version);
  g_test_add_func ("/remote/ssh/copy", test_ssh_copy);
  g_test_add_func ("/remote/ssh/copy-cancel", test_ssh_copy_cancel);
  g_test_add_func ("/remote/ssh/bounds", test_ssh_bounds);
  status = g_test_run ();

  ms_sshd_stop (sshd);
  g_free (probe_path);
  g_free (static_probe_path);
  return status;
}
