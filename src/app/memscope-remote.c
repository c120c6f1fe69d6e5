/* SPDX-License-Identifier: MIT */
/* Another machine over the user's own OpenSSH client: destinations, ssh command lines, faults,
 * and copying the static probe. */

#include "config.h"

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-data-dirs.h"
#include "memscope-host-command.h"
#include "memscope-remote-private.h"
#include "memscope-seams.h"

#include "memscope-data-dirs-private.h"

/* ssh sends keepalives after this many idle seconds and gives up after this many unanswered:
 * a dead connection is noticed within about ten seconds. */
#define SERVER_ALIVE_INTERVAL_S 3
#define SERVER_ALIVE_COUNT_MAX 3

/* The remote side runs under the user's login shell, whatever it is (sh, bash, zsh, fish, csh):
 * each command is one line handed to `sh -c` in single quotes, with no single quote, backslash,
 * '!' or newline inside, which every one of those shells passes through unchanged. */
#define REMOTE_CACHE_DIR "d=\"${XDG_CACHE_HOME:-$HOME/.cache}/memscope\"; "
/* The copy in the cache comes first: memscope put it there (the same version as the window), and
 * an old probe on the PATH must not hide it once the user chose to copy. */
#define STREAM_COMMAND                                                                           \
  "exec sh -c '" REMOTE_CACHE_DIR                                                                \
  "if [ -x \"$d/memscope-probe\" ]; then exec \"$d/memscope-probe\" stream; fi; "               \
  "if command -v memscope-probe >/dev/null 2>&1; then exec memscope-probe stream; fi; "         \
  "echo \"memscope-probe: not found on this machine\" >&2; exit " G_STRINGIFY (                  \
    MEMSCOPE_REMOTE_EXIT_NO_PROBE) "'"

G_DEFINE_QUARK (memscope-remote-error-quark, memscope_remote_error)

static char *local_machine_for_testing;
static guint timeout_for_testing_s;

/* What is kept of a command's stdout (its start) and stderr (its end): a flooding remote must not
 * grow memory without bound. */
#define RUN_KEEP 4096
/* A command that takes longer is ended: ssh's own keepalives do not notice a remote command that
 * hangs on a live connection. */
#define RUN_TIMEOUT_S 15
#define COPY_TIMEOUT_S 60
/* After ending ssh on the host, how long to wait for the helper to report its exit. */
#define HOST_EXIT_WAIT_S 2

/* OpenSSH refuses these in user and host names from the command line (they reach shells through
 * %-expansions): refusing them here gives a clear message instead of ssh's. */
static const char shell_metachars[] = "'`\"$\\;&<>|(){}*?[]!#~^";

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION,
                       message);
  return FALSE;
}

/* The character at p (valid UTF-8) as a string, for messages. */
static char *
dup_char (const char *p)
{
  return g_strndup (p, (gsize) (g_utf8_next_char (p) - p));
}

static gboolean
check_user (const char *user,
            GError    **error)
{
  if (*user == '\0')
    return invalid (error, _("The user name before “@” is empty"));
  if (*user == '-')
    return invalid (error, _("A user name cannot begin with “-” (ssh would take it for an option)"));
  for (const char *p = user; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return invalid (error, _("The user name contains a control character"));
      if (*p == ' ')
        return invalid (error, _("The user name contains a space"));
      if (strchr (shell_metachars, *p) != NULL)
        {
          g_autofree char *c = dup_char (p);

          return invalid (error, _("The user name contains “%s”, which ssh does not accept"), c);
        }
    }
  return TRUE;
}

static gboolean
is_ipv6_literal (const char *host)
{
  const char *zone = strchr (host, '%');
  g_autofree char *address = g_strndup (host, zone != NULL ? (gsize) (zone - host) : strlen (host));

  /* Every IPv6 address has two colons at least ("::"); GLib takes a lone ":" too. */
  if (strchr (address, ':') == NULL || strchr (strchr (address, ':') + 1, ':') == NULL
      || !g_hostname_is_ip_address (address))
    return FALSE;
  if (zone != NULL)
    {
      if (zone[1] == '\0')
        return FALSE;
      for (const char *p = zone + 1; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
          return FALSE;
    }
  return TRUE;
}

static gboolean
check_host (const char *host,
            gboolean    bracketed,
            GError    **error)
{
  if (*host == '\0')
    return invalid (error, _("The machine’s name is empty"));
  if (*host == '-')
    return invalid (error, _("A machine’s name cannot begin with “-” (ssh would take it for an option)"));
  if (bracketed || strchr (host, ':') != NULL)
    {
      if (!is_ipv6_literal (host))
        return invalid (error, _("“%s” is not an IPv6 address"), host);
      return TRUE;
    }
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      {
        if ((guchar) *p < 0x20 || *p == 0x7f)
          return invalid (error, _("The machine’s name contains a control character"));
        if (*p == '/')
          return invalid (error, _("The machine’s name contains “/”; a path cannot follow it"));
        {
          g_autofree char *c = dup_char (p);

          return invalid (error, _("The machine’s name contains “%s”, which a host name or ssh "
                                   "alias cannot hold"), c);
        }
      }
  return TRUE;
}

/* Percent-decodes a URI's user part; FALSE on a broken escape. */
static char *
uri_unescape_user (const char *text,
                   gsize       n,
                   GError    **error)
{
  g_autofree char *part = g_strndup (text, n);
  char *decoded = g_uri_unescape_string (part, NULL);

  if (decoded == NULL)
    invalid (error, _("The user name has a broken “%%” escape"));
  else if (!g_utf8_validate (decoded, -1, NULL))
    {
      g_clear_pointer (&decoded, g_free);
      invalid (error, _("The user name is not valid text"));
    }
  return decoded;
}

static gboolean
parse_port (const char *text,
            guint16    *port,
            GError    **error)
{
  guint64 value = 0;

  if (*text == '\0')
    return invalid (error, _("The port after “:” is empty"));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return invalid (error, _("The port “%s” is not a number"), text);
      value = value * 10 + (guint64) (*p - '0');
      if (value > 65535)
        break;
    }
  if (value < 1 || value > 65535)
    return invalid (error, _("The port %s is not between 1 and 65535"), text);
  *port = (guint16) value;
  return TRUE;
}

static MemscopeRemoteDestination *
parse_uri (const char *rest,
           GError    **error)
{
  g_autoptr(MemscopeRemoteDestination) dest = g_new0 (MemscopeRemoteDestination, 1);
  g_autofree char *authority = g_strdup (rest);
  gsize len = strlen (authority);
  char *at, *hostport;
  gboolean bracketed = FALSE;

  /* ssh takes an optional trailing slash and nothing after it. */
  if (len > 0 && authority[len - 1] == '/')
    authority[--len] = '\0';
  if (strchr (authority, '/') != NULL || strchr (authority, '?') != NULL)
    return invalid (error, _("An ssh:// destination cannot have a path")), NULL;

  at = strrchr (authority, '@');
  hostport = authority;
  if (at != NULL)
    {
      if (memchr (authority, ':', (gsize) (at - authority)) != NULL)
        return invalid (error, _("A password cannot be given in the destination; memscope "
                                 "never handles passwords")), NULL;
      dest->user = uri_unescape_user (authority, (gsize) (at - authority), error);
      if (dest->user == NULL || !check_user (dest->user, error))
        return NULL;
      hostport = at + 1;
    }

  if (*hostport == '[')
    {
      char *close = strchr (hostport, ']');

      if (close == NULL)
        return invalid (error, _("The “[” before the address is not closed")), NULL;
      dest->host = g_strndup (hostport + 1, (gsize) (close - hostport - 1));
      bracketed = TRUE;
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, &dest->port, error))
            return NULL;
        }
      else if (close[1] != '\0')
        return invalid (error, _("Only “:PORT” can follow the address")), NULL;
    }
  else
    {
      char *colon = strchr (hostport, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        return invalid (error, _("Write an IPv6 address in brackets: ssh://[ADDRESS]:PORT")), NULL;
      if (colon != NULL)
        {
          dest->host = g_strndup (hostport, (gsize) (colon - hostport));
          if (!parse_port (colon + 1, &dest->port, error))
            return NULL;
        }
      else
        dest->host = g_strdup (hostport);
    }
  if (!check_host (dest->host, bracketed, error))
    return NULL;
  return g_steal_pointer (&dest);
}

static MemscopeRemoteDestination *
parse_plain (const char *text,
             GError    **error)
{
  g_autoptr(MemscopeRemoteDestination) dest = g_new0 (MemscopeRemoteDestination, 1);
  const char *at = strrchr (text, '@');
  const char *host = text;
  gboolean bracketed = FALSE;

  if (at != NULL)
    {
      dest->user = g_strndup (text, (gsize) (at - text));
      if (!check_user (dest->user, error))
        return NULL;
      host = at + 1;
    }
  if (*host == '[')
    {
      gsize n = strlen (host);

      if (n < 2 || host[n - 1] != ']')
        return invalid (error, _("To give a port, write ssh://[ADDRESS]:PORT")), NULL;
      dest->host = g_strndup (host + 1, n - 2);
      bracketed = TRUE;
    }
  else
    {
      const char *colon = strchr (host, ':');

      /* One colon is HOST:PORT, which ssh would take for a host name. */
      if (colon != NULL && strchr (colon + 1, ':') == NULL)
        return invalid (error, _("To give a port, write ssh://HOST:PORT")), NULL;
      dest->host = g_strdup (host);
    }
  if (!check_host (dest->host, bracketed, error))
    return NULL;
  return g_steal_pointer (&dest);
}

MemscopeRemoteDestination *
memscope_remote_destination_parse (const char *text,
                                   GError    **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    return invalid (error, _("No machine was given")), NULL;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return invalid (error, _("No machine was given")), NULL;
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return invalid (error, _("The destination contains a control character")), NULL;
      if (*p == ' ')
        return invalid (error, _("The destination contains a space")), NULL;
    }
  if (*trimmed == '-')
    return invalid (error, _("A destination cannot begin with “-” (ssh would take it for an "
                             "option)")), NULL;
  if (!g_utf8_validate (trimmed, -1, NULL))
    return invalid (error, _("The destination is not valid text")), NULL;
  if (g_ascii_strncasecmp (trimmed, "ssh://", 6) == 0)
    return parse_uri (trimmed + 6, error);
  if (strstr (trimmed, "://") != NULL)
    return invalid (error, _("Only ssh:// destinations are understood")), NULL;
  return parse_plain (trimmed, error);
}

MemscopeRemoteDestination *
memscope_remote_destination_copy (const MemscopeRemoteDestination *dest)
{
  MemscopeRemoteDestination *copy;

  g_return_val_if_fail (dest != NULL, NULL);

  copy = g_new0 (MemscopeRemoteDestination, 1);
  copy->user = g_strdup (dest->user);
  copy->host = g_strdup (dest->host);
  copy->port = dest->port;
  return copy;
}

void
memscope_remote_destination_free (MemscopeRemoteDestination *dest)
{
  if (dest == NULL)
    return;
  g_free (dest->user);
  g_free (dest->host);
  g_free (dest);
}

static void
append_host (GString    *out,
             const char *host,
             gboolean    bracket_ipv6)
{
  if (bracket_ipv6 && strchr (host, ':') != NULL)
    g_string_append_printf (out, "[%s]", host);
  else
    g_string_append (out, host);
}

char *
memscope_remote_destination_to_string (const MemscopeRemoteDestination *dest)
{
  GString *out;

  g_return_val_if_fail (dest != NULL && dest->host != NULL, NULL);

  out = g_string_new (NULL);
  if (dest->port != 0)
    {
      g_string_append (out, "ssh://");
      if (dest->user != NULL)
        {
          g_autofree char *user = g_uri_escape_string (dest->user, NULL, FALSE);

          g_string_append_printf (out, "%s@", user);
        }
      append_host (out, dest->host, TRUE);
      g_string_append_printf (out, ":%u", dest->port);
    }
  else
    {
      if (dest->user != NULL)
        g_string_append_printf (out, "%s@", dest->user);
      append_host (out, dest->host, strchr (dest->host, '%') != NULL || dest->user != NULL);
    }
  return g_string_free (out, FALSE);
}

char *
memscope_remote_destination_dup_display_name (const MemscopeRemoteDestination *dest)
{
  GString *out;

  g_return_val_if_fail (dest != NULL && dest->host != NULL, NULL);

  out = g_string_new (NULL);
  if (dest->user != NULL)
    g_string_append_printf (out, "%s@", dest->user);
  append_host (out, dest->host, dest->port != 0);
  if (dest->port != 0)
    g_string_append_printf (out, ":%u", dest->port);
  return g_string_free (out, FALSE);
}

const char *
memscope_remote_get_stream_command (void)
{
  return STREAM_COMMAND;
}

char **
memscope_remote_build_argv (const MemscopeRemoteDestination *dest,
                            const char                      *remote_command)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *config;

  g_return_val_if_fail (dest != NULL && dest->host != NULL, NULL);
  g_return_val_if_fail (remote_command != NULL, NULL);

  builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, "ssh", "-T", "-x", "-a", "-e", "none",
                           "-o", "BatchMode=yes",
                           "-o", "ConnectTimeout=" G_STRINGIFY (MEMSCOPE_REMOTE_CONNECT_TIMEOUT_S),
                           "-o", "ServerAliveInterval=" G_STRINGIFY (SERVER_ALIVE_INTERVAL_S),
                           "-o", "ServerAliveCountMax=" G_STRINGIFY (SERVER_ALIVE_COUNT_MAX),
                           "-o", "ClearAllForwardings=yes",
                           NULL);
  config = memscope_ssh_config ();
  if (config != NULL)
    g_strv_builder_add_many (builder, "-F", config, NULL);
  if (dest->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", dest->port);

      g_strv_builder_add_many (builder, "-p", port, NULL);
    }
  if (dest->user != NULL)
    g_strv_builder_add_many (builder, "-l", dest->user, NULL);
  g_strv_builder_add_many (builder, dest->host, "--", remote_command, NULL);
  return g_strv_builder_end (builder);
}

char **
memscope_remote_build_stream_argv (const MemscopeRemoteDestination *dest)
{
  return memscope_remote_build_argv (dest, STREAM_COMMAND);
}

static gboolean
has (const char *haystack_lower,
     const char *needle)
{
  return strstr (haystack_lower, needle) != NULL;
}

MemscopeRemoteFault
memscope_remote_classify (int         wait_status,
                          const char *stderr_text)
{
  g_autofree char *text = g_ascii_strdown (stderr_text != NULL ? stderr_text : "", -1);
  int code;

  if (WIFSIGNALED (wait_status))
    return MEMSCOPE_REMOTE_FAULT_DROPPED;
  if (!WIFEXITED (wait_status))
    return MEMSCOPE_REMOTE_FAULT_OTHER;
  code = WEXITSTATUS (wait_status);
  if (code == 0)
    return MEMSCOPE_REMOTE_FAULT_NONE;
  if (code == MEMSCOPE_REMOTE_EXIT_NO_PROBE)
    return MEMSCOPE_REMOTE_FAULT_NO_PROBE;
  if (code == MEMSCOPE_REMOTE_EXIT_PROBE_VERSION && has (text, "protocol version"))
    return MEMSCOPE_REMOTE_FAULT_PROBE_VERSION;
  /* Through HostCommand a missing ssh is an exit status, not a spawn error. */
  if (code == 127 && (g_strstrip (text)[0] == '\0' || has (text, "ssh: not found")
                      || has (text, "ssh: command not found") || has (text, "no such file")))
    return MEMSCOPE_REMOTE_FAULT_NO_CLIENT;
  if (code != MEMSCOPE_REMOTE_EXIT_SSH)
    return MEMSCOPE_REMOTE_FAULT_PROBE_ENDED;

  /* The changed-key warning comes with "Host key verification failed" too: look for it first. */
  if (has (text, "remote host identification has changed")
      || (has (text, "host key for ") && has (text, "has changed")))
    return MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED;
  if (has (text, "host key verification failed") || has (text, "host key is known"))
    return MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN;
  if (has (text, "could not resolve hostname") || has (text, "name or service not known")
      || has (text, "temporary failure in name resolution"))
    return MEMSCOPE_REMOTE_FAULT_UNRESOLVED;
  if (has (text, "connection refused"))
    return MEMSCOPE_REMOTE_FAULT_REFUSED;
  if (has (text, "connection timed out") || has (text, "operation timed out")
      || has (text, "no route to host") || has (text, "network is unreachable")
      || has (text, "timed out during banner exchange"))
    return MEMSCOPE_REMOTE_FAULT_UNREACHABLE;
  if (has (text, "permission denied") || has (text, "too many authentication failures")
      || has (text, "no more authentication methods"))
    return MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED;
  if (text[0] == '\0' || has (text, "closed by") || has (text, "connection reset")
      || has (text, "broken pipe") || has (text, "not responding") || has (text, "client_loop")
      || has (text, "connection closed") || has (text, "disconnect"))
    return MEMSCOPE_REMOTE_FAULT_DROPPED;
  return MEMSCOPE_REMOTE_FAULT_OTHER;
}

MemscopeRemoteFault
memscope_remote_classify_spawn_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, MEMSCOPE_REMOTE_FAULT_OTHER);

  /* HostCommand answers FileNotFound when the host has no ssh. */
  if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_FILE_NOT_FOUND))
    return MEMSCOPE_REMOTE_FAULT_NO_CLIENT;
  return MEMSCOPE_REMOTE_FAULT_OTHER;
}

GError *
memscope_remote_host_spawn_error (const MemscopeRemoteDestination *dest,
                                  const GError                    *error)
{
  g_autoptr(GError) stripped = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  MemscopeRemoteFault fault;

  g_return_val_if_fail (dest != NULL && error != NULL, NULL);

  fault = memscope_remote_classify_spawn_error (error);
  if (fault == MEMSCOPE_REMOTE_FAULT_NO_CLIENT)
    message = memscope_remote_describe (fault, dest, 0, NULL);
  else
    {
      stripped = g_error_copy (error);
      g_dbus_error_strip_remote_error (stripped);
      name = memscope_remote_destination_dup_display_name (dest);
      message = g_strdup_printf (_("Cannot start ssh to reach %s: memscope runs ssh outside its "
                                   "Flatpak sandbox through Flatpak’s session helper "
                                   "(org.freedesktop.Flatpak), which could not start it (%s)"),
                                 name, stripped->message);
    }
  return g_error_new_literal (MEMSCOPE_REMOTE_ERROR, fault, message);
}

/* The last non-empty line of ssh's stderr, without ssh's own prefix. */
static char *
last_line (const char *stderr_text)
{
  g_auto(GStrv) lines = NULL;

  if (stderr_text == NULL)
    return NULL;
  lines = g_strsplit_set (stderr_text, "\r\n", -1);
  for (guint i = g_strv_length (lines); i > 0; i--)
    {
      char *line = g_strstrip (lines[i - 1]);

      if (*line == '\0')
        continue;
      if (g_str_has_prefix (line, "ssh: "))
        line += 5;
      return g_utf8_make_valid (line, -1);
    }
  return NULL;
}

/* The command line a user types to reach dest with ssh: a port as -p and a bare IPv6 address
 * (ssh takes "[::1]" for a host name, and has no form for a zone in its URIs). */
static char *
ssh_command_text (const MemscopeRemoteDestination *dest)
{
  GString *out = g_string_new ("ssh ");

  if (dest->port != 0)
    g_string_append_printf (out, "-p %u ", dest->port);
  if (dest->user != NULL)
    g_string_append_printf (out, "%s@", dest->user);
  g_string_append (out, dest->host);
  return g_string_free (out, FALSE);
}

char *
memscope_remote_describe (MemscopeRemoteFault              fault,
                          const MemscopeRemoteDestination *dest,
                          int                              wait_status,
                          const char                      *stderr_text)
{
  g_autofree char *name = NULL;
  g_autofree char *words = last_line (stderr_text);

  g_return_val_if_fail (dest != NULL, NULL);

  name = memscope_remote_destination_dup_display_name (dest);
  switch (fault)
    {
    case MEMSCOPE_REMOTE_FAULT_NONE:
      return g_strdup_printf (_("The connection to %s ended"), name);
    case MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION:
      return g_strdup_printf (_("“%s” is not a destination memscope can connect to"), name);
    case MEMSCOPE_REMOTE_FAULT_REFUSED:
      return g_strdup_printf (_("%s refused the connection: no SSH server listens on that port"),
                              name);
    case MEMSCOPE_REMOTE_FAULT_UNREACHABLE:
      return g_strdup_printf (_("%s cannot be reached: the connection timed out or there is no "
                                "route to it"), name);
    case MEMSCOPE_REMOTE_FAULT_UNRESOLVED:
      return g_strdup_printf (_("The name “%s” does not resolve to an address: check its spelling "
                                "and your ssh configuration"), dest->host);
    case MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED:
      return g_strdup_printf (_("The host key of %s has changed since it was last recorded in your "
                                "known hosts. Someone may be intercepting the connection, or the "
                                "machine was reinstalled: ask its administrator before you "
                                "update the known hosts file"), name);
    case MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN:
      {
        g_autofree char *command = ssh_command_text (dest);

        /* TRANSLATORS: the second %s is a command line such as "ssh -p 2222 alice@box". */
        return g_strdup_printf (_("%s is not a known host yet. Run “%s” once in a terminal to "
                                  "check and accept its host key, then connect again"),
                                name, command);
      }
    case MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED:
      {
        g_autofree char *command = ssh_command_text (dest);

        /* TRANSLATORS: the second %s is a command line such as "ssh -p 2222 alice@box". */
        return g_strdup_printf (_("%s refused the login. memscope logs in without asking for a "
                                  "password: make sure “%s” logs in with a key (loaded in "
                                  "your ssh agent if it has a passphrase)"), name, command);
      }
    case MEMSCOPE_REMOTE_FAULT_NO_CLIENT:
      return g_strdup (_("No ssh client is installed on this computer: install OpenSSH’s client "
                         "(the “ssh” program) to watch other machines"));
    case MEMSCOPE_REMOTE_FAULT_NO_PROBE:
      return g_strdup_printf (_("memscope-probe is not installed on %s"), name);
    case MEMSCOPE_REMOTE_FAULT_PROBE_VERSION:
      return g_strdup_printf (_("The memscope-probe on %s speaks another version of the protocol "
                                "than this memscope"), name);
    case MEMSCOPE_REMOTE_FAULT_DROPPED:
      /* ssh says nothing when the remote command is killed by a signal (status 255 as for a
       * silent drop), so the two cannot be told apart. */
      if (words == NULL)
        return g_strdup_printf (_("The connection to %s ended: the network dropped it or "
                                  "memscope-probe there was killed"), name);
      return g_strdup_printf (_("The connection to %s was lost: %s"), name, words);
    case MEMSCOPE_REMOTE_FAULT_PROBE_ENDED:
      if (WIFEXITED (wait_status) && words != NULL)
        return g_strdup_printf (_("memscope-probe on %s ended with status %d: %s"), name,
                                WEXITSTATUS (wait_status), words);
      if (WIFEXITED (wait_status))
        return g_strdup_printf (_("memscope-probe on %s ended with status %d"), name,
                                WEXITSTATUS (wait_status));
      return g_strdup_printf (_("memscope-probe on %s ended"), name);
    case MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH:
      return g_strdup_printf (_("%s runs on another kind of processor than the probe memscope "
                                "carries is built for, so it cannot run there"), name);
    case MEMSCOPE_REMOTE_FAULT_NO_STATIC_PROBE:
      return g_strdup (_("This installation of memscope has no static probe to copy"));
    case MEMSCOPE_REMOTE_FAULT_COPY_FAILED:
      if (words != NULL)
        return g_strdup_printf (_("The probe could not be copied to %s: %s"), name, words);
      return g_strdup_printf (_("The probe could not be copied to %s"), name);
    case MEMSCOPE_REMOTE_FAULT_OTHER:
    default:
      if (words != NULL)
        return g_strdup_printf (_("ssh could not connect to %s: %s"), name, words);
      return g_strdup_printf (_("ssh could not connect to %s"), name);
    }
}

gboolean
memscope_remote_fault_can_copy (MemscopeRemoteFault fault)
{
  return fault == MEMSCOPE_REMOTE_FAULT_NO_PROBE || fault == MEMSCOPE_REMOTE_FAULT_PROBE_VERSION;
}

static char *
static_probe_in (const char *build_root)
{
  g_autofree char *path = NULL;

  if (build_root != NULL)
    path = g_build_filename (build_root, "src", "probe", "memscope-probe-static", NULL);
  else
    path = g_build_filename (LIBEXECDIR, "memscope", "memscope-probe-static", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  return g_steal_pointer (&path);
}

char *
memscope_remote_find_static_probe (void)
{
  return static_probe_in (memscope_data_dirs_get_build_root ());
}

char *
memscope_remote_find_static_probe_for (const char *program)
{
  g_autofree char *root = NULL;

  g_return_val_if_fail (program != NULL, NULL);

  root = memscope_data_dirs_find_build_root (program);
  return static_probe_in (root);
}

const char *
memscope_remote_get_local_machine (void)
{
  static char *machine;
  static gsize looked;

  if (local_machine_for_testing != NULL)
    return local_machine_for_testing;
  if (g_once_init_enter (&looked))
    {
      struct utsname name;

      machine = g_strdup (uname (&name) == 0 ? name.machine : "unknown");
      g_once_init_leave (&looked, 1);
    }
  return machine;
}

void
memscope_remote_set_local_machine_for_testing (const char *machine)
{
  g_free (local_machine_for_testing);
  local_machine_for_testing = g_strdup (machine);
}

void
memscope_remote_set_timeout_for_testing (guint seconds)
{
  timeout_for_testing_s = seconds;
}

/* What the static probe runs on, from its own ELF header: the uname -m names of that kind of
 * processor. */
typedef struct
{
  guint16 e_machine;
  guint8 elf_class; /* 1: 32-bit, 2: 64-bit */
  guint8 elf_data;  /* 1: little-endian, 2: big-endian, 0: either */
  const char *names; /* space-separated, the first the usual one */
} ProbeArch;

static const ProbeArch probe_archs[] = {
  { 62, 2, 1, "x86_64 amd64" },
  { 3, 1, 1, "i686 i586 i486 i386" },
  { 183, 2, 1, "aarch64 arm64" },
  { 40, 1, 1, "armv7l armv8l armv6l" },
  { 243, 2, 1, "riscv64" },
  { 21, 2, 1, "ppc64le" },
  { 21, 2, 2, "ppc64" },
  { 22, 2, 2, "s390x" },
  { 258, 2, 1, "loongarch64" },
};

static const ProbeArch *
probe_arch_of (GBytes *probe)
{
  gsize n;
  const guint8 *h = g_bytes_get_data (probe, &n);
  guint16 machine;

  /* e_ident: magic, class, data; e_type (2 bytes), then e_machine. */
  if (n < 20 || memcmp (h, "\177ELF", 4) != 0)
    return NULL;
  if (h[5] == 1)
    machine = (guint16) (h[18] | h[19] << 8);
  else
    machine = (guint16) (h[18] << 8 | h[19]);
  for (gsize i = 0; i < G_N_ELEMENTS (probe_archs); i++)
    if (probe_archs[i].e_machine == machine && probe_archs[i].elf_class == h[4]
        && (probe_archs[i].elf_data == 0 || probe_archs[i].elf_data == h[5]))
      return &probe_archs[i];
  return NULL;
}

char *
memscope_remote_probe_machine (GBytes *probe)
{
  const ProbeArch *arch;

  g_return_val_if_fail (probe != NULL, NULL);

  if (local_machine_for_testing != NULL)
    return g_strdup (local_machine_for_testing);
  arch = probe_arch_of (probe);
  if (arch == NULL)
    return NULL;
  return g_strndup (arch->names, strcspn (arch->names, " "));
}

static gboolean
probe_runs_on (GBytes     *probe,
               const char *machine)
{
  const ProbeArch *arch;
  g_auto(GStrv) names = NULL;

  if (local_machine_for_testing != NULL)
    return g_strcmp0 (machine, local_machine_for_testing) == 0;
  arch = probe_arch_of (probe);
  if (arch == NULL)
    return FALSE;
  names = g_strsplit (arch->names, " ", -1);
  return g_strv_contains ((const char * const *) names, machine);
}

gboolean
memscope_remote_check_uname (const MemscopeRemoteDestination *dest,
                             const char                      *uname_sm,
                             GBytes                          *probe,
                             GError                         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *probe_machine = NULL;
  g_auto(GStrv) words = NULL;
  const char *system;
  const char *machine;

  g_return_val_if_fail (dest != NULL && uname_sm != NULL && probe != NULL, FALSE);

  name = memscope_remote_destination_dup_display_name (dest);
  text = g_utf8_make_valid (uname_sm, -1);
  g_strstrip (text);
  words = g_strsplit_set (text, " \t\r\n", -1);
  system = words[0] != NULL ? words[0] : "";
  machine = words[0] != NULL && words[1] != NULL ? words[g_strv_length (words) - 1] : "";
  if (strcmp (system, "Linux") != 0)
    {
      g_set_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH,
                   /* Translators: the second %s is what uname -s says there, e.g. FreeBSD. */
                   _("%s runs %s, not Linux: memscope-probe reads Linux’s /proc, so it cannot "
                     "watch that machine"),
                   name, *system != '\0' ? system : _("an unknown system"));
      return FALSE;
    }
  if (!probe_runs_on (probe, machine))
    {
      probe_machine = memscope_remote_probe_machine (probe);
      g_set_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH,
                   _("%s is a %s machine and the probe memscope carries is built for %s, so it "
                     "cannot run there. Install memscope-probe on %s from its own distribution "
                     "or build it there"),
                   name, *machine != '\0' ? machine : "?",
                   probe_machine != NULL ? probe_machine : _("an unknown processor"), name);
      return FALSE;
    }
  return TRUE;
}

/* Running one command ------------------------------------------------------------------------ */

typedef struct
{
  MemscopeRemoteDestination *dest;
  int status;
  char *out;
  char *err;
} RunResult;

static void
run_result_free (RunResult *run)
{
  memscope_remote_destination_free (run->dest);
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunResult, run_result_free)

static void
set_fault_error (GTask                           *task,
                 MemscopeRemoteFault              fault,
                 const MemscopeRemoteDestination *dest,
                 int                              wait_status,
                 const char                      *stderr_text)
{
  g_autofree char *message = memscope_remote_describe (fault, dest, wait_status, stderr_text);

  g_task_return_new_error (task, MEMSCOPE_REMOTE_ERROR, fault, "%s", message);
}

/* The task's result is a RunResult whatever the exit status; errors are only cancellation, a
 * missing ssh, ssh that HostCommand could not start and a command that outlived its time. stdin
 * is written, stdout and stderr read and ssh waited for all at once, without blocking: a write
 * that fails (ssh ended early: the remote command failed before reading) loses neither the status
 * nor what ssh said.  Inside a Flatpak ssh runs on the host through HostCommand, on pipes made
 * here, so the user's ssh setup (config, agent, known hosts) applies. */

typedef struct
{
  GSubprocess *subprocess;         /* outside a Flatpak */
  MemscopeHostCommand *host_command; /* inside one */
  GTask *waiting;                  /* held until the host command's exit is known */
  GError *spawn_error;             /* HostCommand could not start ssh */
  guint exit_wait_id;              /* gives up on an exit the helper does not report */
  GOutputStream *stdin_pipe;
  GInputStream *stdout_pipe;
  GInputStream *stderr_pipe;
  int status;
  GCancellable *cancellable;       /* ours: ends the reads if something else holds the pipes */
  GCancellable *write_cancellable; /* ours: ends the write once ssh is gone */
  GCancellable *outer;
  gulong outer_id;
  guint timeout_id;
  guint timeout_s;
  gboolean timed_out;
  guint pending;
  GString *out;
  GString *err;
} RunState;

static void
run_state_free (RunState *state)
{
  if (state->outer_id != 0)
    g_cancellable_disconnect (state->outer, state->outer_id);
  g_clear_object (&state->outer);
  g_clear_handle_id (&state->timeout_id, g_source_remove);
  g_clear_handle_id (&state->exit_wait_id, g_source_remove);
  g_clear_object (&state->subprocess);
  if (state->host_command != NULL)
    g_signal_handlers_disconnect_by_data (state->host_command, state);
  g_clear_object (&state->host_command);
  g_clear_error (&state->spawn_error);
  g_clear_object (&state->stdin_pipe);
  g_clear_object (&state->stdout_pipe);
  g_clear_object (&state->stderr_pipe);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->write_cancellable);
  g_string_free (state->out, TRUE);
  g_string_free (state->err, TRUE);
  g_free (state);
}

static RunState *
run_state_of (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "memscope-run-state");
}

static void
run_step_done (GTask *task)
{
  RunState *state = run_state_of (task);
  RunResult *run;

  g_assert (state->pending > 0);
  if (--state->pending > 0)
    return;
  if (g_cancellable_is_cancelled (state->outer))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("Operation was cancelled"));
      return;
    }
  if (state->spawn_error != NULL)
    {
      g_task_return_error (task, memscope_remote_host_spawn_error (g_task_get_task_data (task),
                                                                   state->spawn_error));
      return;
    }
  if (state->timed_out)
    {
      const MemscopeRemoteDestination *dest = g_task_get_task_data (task);
      g_autofree char *name = memscope_remote_destination_dup_display_name (dest);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               ngettext ("%s did not finish within %u second: memscope ended "
                                         "the connection",
                                         "%s did not finish within %u seconds: memscope ended "
                                         "the connection", state->timeout_s),
                               name, state->timeout_s);
      return;
    }
  run = g_new0 (RunResult, 1);
  run->dest = memscope_remote_destination_copy (g_task_get_task_data (task));
  run->status = state->status;
  run->out = g_strndup (state->out->str, state->out->len);
  run->err = g_strndup (state->err->str, state->err->len);
  g_task_return_pointer (task, run, (GDestroyNotify) run_result_free);
}

static gboolean
run_drain_timeout_cb (gpointer user_data)
{
  RunState *state = user_data;

  state->timeout_id = 0;
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_REMOVE;
}

/* ssh is gone (or given up on): its status is known. */
static void
run_exited (GTask *task,
            int    wait_status)
{
  RunState *state = run_state_of (task);

  state->status = wait_status;
  g_clear_handle_id (&state->timeout_id, g_source_remove);
  /* Nobody reads ssh's stdin any more. What it wrote is still read to the end, but a process it
   * left behind holding its stdout or stderr must not keep the task waiting. */
  g_cancellable_cancel (state->write_cancellable);
  if (state->pending > 1)
    state->timeout_id = g_timeout_add_seconds (2, run_drain_timeout_cb, state);
  run_step_done (task);
}

/* The host command's exit is in (or overdue, or it never started): the step it held ends. */
static void
run_host_exited (RunState *state,
                 int       wait_status)
{
  g_autoptr(GTask) task = g_steal_pointer (&state->waiting);

  g_clear_handle_id (&state->exit_wait_id, g_source_remove);
  if (task != NULL)
    run_exited (task, wait_status);
}

static void
run_host_exited_cb (MemscopeHostCommand *command,
                    int                  wait_status,
                    gpointer             user_data)
{
  run_host_exited (user_data, wait_status);
}

static void
run_host_failed_cb (MemscopeHostCommand *command,
                    const GError        *error,
                    gpointer             user_data)
{
  RunState *state = user_data;

  if (state->spawn_error == NULL)
    state->spawn_error = g_error_copy (error);
  run_host_exited (state, 0);
}

static gboolean
run_exit_overdue_cb (gpointer user_data)
{
  RunState *state = user_data;

  state->exit_wait_id = 0;
  /* Only an ended (cancelled or timed-out) command waits for this: its status is not used. */
  run_host_exited (state, 0);
  return G_SOURCE_REMOVE;
}

/* Ends ssh (cancelled, or out of time): the reads then see the end of their pipes. */
static void
run_abort (RunState *state)
{
  if (state->subprocess != NULL)
    g_subprocess_force_exit (state->subprocess);
  else if (state->waiting != NULL)
    {
      /* Sent once the helper has said the pid if it has not yet. */
      memscope_host_command_send_signal (state->host_command, SIGKILL);
      if (state->exit_wait_id == 0)
        state->exit_wait_id = g_timeout_add_seconds (HOST_EXIT_WAIT_S, run_exit_overdue_cb,
                                                     state);
    }
}

static void
run_outer_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  run_abort (user_data);
}

static gboolean
run_timeout_cb (gpointer user_data)
{
  RunState *state = user_data;

  state->timeout_id = 0;
  state->timed_out = TRUE;
  run_abort (state);
  return G_SOURCE_REMOVE;
}

static void run_read (GTask *task, GInputStream *stream);

static void
run_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunState *state = run_state_of (task);
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (stream, result, NULL);
  gsize n = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  if (n == 0)
    {
      run_step_done (task);
      return;
    }
  if (stream == state->stdout_pipe)
    {
      /* The start is the answer (uname's line); the rest is dropped. */
      if (state->out->len < RUN_KEEP)
        g_string_append_len (state->out, g_bytes_get_data (bytes, NULL),
                             MIN (n, RUN_KEEP - state->out->len));
    }
  else
    {
      /* Only the end says why it failed. */
      g_string_append_len (state->err, g_bytes_get_data (bytes, NULL), n);
      if (state->err->len > RUN_KEEP)
        g_string_erase (state->err, 0, (gssize) (state->err->len - RUN_KEEP));
    }
  run_read (g_steal_pointer (&task), stream);
}

static void
run_read (GTask        *task,
          GInputStream *stream)
{
  RunState *state = run_state_of (task);

  g_input_stream_read_bytes_async (stream, 8192, G_PRIORITY_DEFAULT, state->cancellable,
                                   run_read_cb, task);
}

static void
run_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* A failed write (EPIPE) is not the fault: ssh's status and stderr say what it was. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_output_stream_close (G_OUTPUT_STREAM (object), NULL, NULL);
  run_step_done (task);
}

static void
run_waited_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run_exited (task, g_subprocess_get_status (G_SUBPROCESS (object)));
}

/* Starts argv on the host on pipes of ours; FALSE with error when HostCommand cannot be asked
 * (no session bus, no pipes). */
static gboolean
run_spawn_on_host (RunState            *state,
                   const char * const  *argv,
                   GError             **error)
{
  int to_ssh[2] = { -1, -1 }, from_ssh[2] = { -1, -1 }, errors[2] = { -1, -1 };
  gboolean ok = FALSE;

  if (g_unix_open_pipe (to_ssh, FD_CLOEXEC, error)
      && g_unix_open_pipe (from_ssh, FD_CLOEXEC, error)
      && g_unix_open_pipe (errors, FD_CLOEXEC, error))
    {
      state->host_command = memscope_host_command_spawn (argv, to_ssh[0], from_ssh[1],
                                                         errors[1], NULL, error);
      ok = state->host_command != NULL;
    }
  /* The helper has its own copies now (or never will). */
  if (to_ssh[0] >= 0)
    close (to_ssh[0]);
  if (from_ssh[1] >= 0)
    close (from_ssh[1]);
  if (errors[1] >= 0)
    close (errors[1]);
  if (!ok)
    {
      if (to_ssh[1] >= 0)
        close (to_ssh[1]);
      if (from_ssh[0] >= 0)
        close (from_ssh[0]);
      if (errors[0] >= 0)
        close (errors[0]);
      return FALSE;
    }
  /* A probe of a megabyte goes into the pipe as ssh takes it, without blocking the main loop. */
  g_unix_set_fd_nonblocking (to_ssh[1], TRUE, NULL);
  g_unix_set_fd_nonblocking (from_ssh[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (errors[0], TRUE, NULL);
  state->stdin_pipe = g_unix_output_stream_new (to_ssh[1], TRUE);
  state->stdout_pipe = g_unix_input_stream_new (from_ssh[0], TRUE);
  state->stderr_pipe = g_unix_input_stream_new (errors[0], TRUE);
  return TRUE;
}

static void
run_command_async (const MemscopeRemoteDestination *dest,
                   const char                      *remote_command,
                   GBytes                          *stdin_bytes,
                   guint                            timeout_s,
                   GCancellable                    *cancellable,
                   GAsyncReadyCallback              callback,
                   gpointer                         user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  RunState *state;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, run_command_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, memscope_remote_destination_copy (dest),
                        (GDestroyNotify) memscope_remote_destination_free);

  state = g_new0 (RunState, 1);
  state->cancellable = g_cancellable_new ();
  state->write_cancellable = g_cancellable_new ();
  state->out = g_string_new (NULL);
  state->err = g_string_new (NULL);
  state->timeout_s = timeout_for_testing_s != 0 ? timeout_for_testing_s : timeout_s;
  g_object_set_data_full (G_OBJECT (task), "memscope-run-state", state,
                          (GDestroyNotify) run_state_free);

  argv = memscope_remote_build_argv (dest, remote_command);
  if (memscope_host_command_wanted ())
    {
      if (!run_spawn_on_host (state, (const char * const *) argv, &error))
        {
          g_task_return_error (task, memscope_remote_host_spawn_error (dest, error));
          return;
        }
      state->waiting = g_object_ref (task);
      g_signal_connect (state->host_command, "exited", G_CALLBACK (run_host_exited_cb), state);
      g_signal_connect (state->host_command, "spawn-failed", G_CALLBACK (run_host_failed_cb),
                        state);
    }
  else
    {
      state->subprocess = g_subprocess_newv ((const char * const *) argv,
                                             G_SUBPROCESS_FLAGS_STDIN_PIPE
                                             | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                             | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                             &error);
      if (state->subprocess == NULL)
        {
          MemscopeRemoteFault fault = memscope_remote_classify_spawn_error (error);

          if (fault == MEMSCOPE_REMOTE_FAULT_NO_CLIENT)
            set_fault_error (task, fault, dest, 0, NULL);
          else
            g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      state->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (state->subprocess));
      state->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (state->subprocess));
      state->stderr_pipe = g_object_ref (g_subprocess_get_stderr_pipe (state->subprocess));
    }

  state->pending = 4; /* stdin, stdout, stderr, the exit */
  state->timeout_id = g_timeout_add_seconds (state->timeout_s, run_timeout_cb, state);
  if (cancellable != NULL)
    {
      state->outer = g_object_ref (cancellable);
      state->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (run_outer_cancelled_cb),
                                               state, NULL);
    }

  if (stdin_bytes != NULL && g_bytes_get_size (stdin_bytes) > 0)
    g_output_stream_write_all_async (state->stdin_pipe, g_bytes_get_data (stdin_bytes, NULL),
                                     g_bytes_get_size (stdin_bytes), G_PRIORITY_DEFAULT,
                                     state->write_cancellable, run_written_cb,
                                     g_object_ref (task));
  else
    {
      g_output_stream_close (state->stdin_pipe, NULL, NULL);
      state->pending--;
    }
  run_read (g_object_ref (task), state->stdout_pipe);
  run_read (g_object_ref (task), state->stderr_pipe);
  if (state->subprocess != NULL)
    g_subprocess_wait_async (state->subprocess, NULL, run_waited_cb, g_object_ref (task));
}

static RunResult *
run_command_finish (GAsyncResult *result,
                    GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The finished command of a task, or NULL once the task has been given its error: ssh's own
 * faults, or (copying) the copy command's (a full disk, a cache that is a file: exit 1). */
static RunResult *
take_run (GTask        *task,
          GAsyncResult *result,
          gboolean      copying)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RunResult) run = run_command_finish (result, &error);
  MemscopeRemoteFault fault;

  if (run == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  fault = memscope_remote_classify (run->status, run->err);
  if (copying && fault == MEMSCOPE_REMOTE_FAULT_PROBE_ENDED)
    fault = MEMSCOPE_REMOTE_FAULT_COPY_FAILED;
  if (fault != MEMSCOPE_REMOTE_FAULT_NONE)
    {
      set_fault_error (task, fault, run->dest, run->status, run->err);
      return NULL;
    }
  return g_steal_pointer (&run);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RunResult) run = take_run (task, result, FALSE);

  if (run != NULL)
    g_task_return_pointer (task, g_steal_pointer (&run->out), g_free);
}

void
memscope_remote_run_async (const MemscopeRemoteDestination *dest,
                           const char                      *remote_command,
                           GBytes                          *stdin_bytes,
                           GCancellable                    *cancellable,
                           GAsyncReadyCallback              callback,
                           gpointer                         user_data)
{
  GTask *task;

  g_return_if_fail (dest != NULL && dest->host != NULL);
  g_return_if_fail (remote_command != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_remote_run_async);
  run_command_async (dest, remote_command, stdin_bytes, RUN_TIMEOUT_S, cancellable, run_done_cb,
                     task);
}

char *
memscope_remote_run_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Copying the static probe ------------------------------------------------------------------- */

typedef struct
{
  MemscopeRemoteDestination *dest;
  GBytes *probe;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  memscope_remote_destination_free (data->dest);
  g_clear_pointer (&data->probe, g_bytes_unref);
  g_free (data);
}

static void
copy_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RunResult) run = take_run (task, result, TRUE);

  if (run != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
copy_uname_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = memscope_remote_run_finish (result, &error);
  g_autofree char *command = NULL;

  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!memscope_remote_check_uname (data->dest, out, data->probe, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Written to a temporary name, checked for its full size (a dropped connection ends cat
   * early without an error), and only then renamed over the probe. */
  command = g_strdup_printf ("exec sh -c '" REMOTE_CACHE_DIR "t=\"$d/.memscope-probe.$$\"; "
                             "mkdir -p \"$d\" && cat > \"$t\" && s=$(wc -c < \"$t\") && "
                             "[ $s -eq %" G_GSIZE_FORMAT " ] && chmod 755 \"$t\" && "
                             "mv -f \"$t\" \"$d/memscope-probe\" || "
                             "{ echo \"memscope-probe could not be stored in $d\" >&2; "
                             "rm -f \"$t\"; exit 1; }'",
                             g_bytes_get_size (data->probe));
  run_command_async (data->dest, command, data->probe, COPY_TIMEOUT_S,
                     g_task_get_cancellable (task),
                     copy_sent_cb, g_object_ref (task));
}

void
memscope_remote_copy_probe_async (const MemscopeRemoteDestination *dest,
                                  const char                      *probe_path,
                                  GCancellable                    *cancellable,
                                  GAsyncReadyCallback              callback,
                                  gpointer                         user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GMappedFile) file = NULL;
  CopyData *data;

  g_return_if_fail (dest != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, memscope_remote_copy_probe_async);
  data = g_new0 (CopyData, 1);
  data->dest = memscope_remote_destination_copy (dest);
  g_task_set_task_data (task, data, (GDestroyNotify) copy_data_free);

  if (probe_path == NULL)
    probe_path = found = memscope_remote_find_static_probe ();
  if (probe_path == NULL)
    {
      set_fault_error (task, MEMSCOPE_REMOTE_FAULT_NO_STATIC_PROBE, dest, 0, NULL);
      return;
    }
  file = g_mapped_file_new (probe_path, FALSE, &error);
  if (file == NULL)
    {
      g_task_return_new_error (task, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_NO_STATIC_PROBE,
                               "%s", error->message);
      return;
    }
  data->probe = g_mapped_file_get_bytes (file);
  memscope_remote_run_async (dest, "uname -sm", NULL, cancellable, copy_uname_cb,
                             g_steal_pointer (&task));
}

gboolean
memscope_remote_copy_probe_finish (GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
