/* SPDX-License-Identifier: MIT */
/* memscope-probe serve: samples continuously and exports machine, group and leak metrics for
 * Prometheus, over HTTP (libmicrohttpd) and/or as a textfile for node_exporter. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef MS_HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "detector.h"
#include "metrics.h"
#include "probe.h"
#include "sampler.h"
#include "serve-parse.h"

#define MIN_INTERVAL_S 0.25
#define MAX_INTERVAL_S 60.0
#define DEFAULT_TOP_PROCS 5
#define DEFAULT_TOP_GROUPS 20
#define TEXTFILE_NAME "memscope.prom"
/* A client that sends nothing for this long is dropped. */
#define CONNECTION_TIMEOUT_S 10
#define CONNECTION_LIMIT 64

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe serve [--listen ADDR:PORT] [--interval S] [--textfile DIR]\n"
           "                            [--top N] [--groups N]\n"
           "\n"
           "Samples every process continuously, runs the leak detector, and exports machine,\n"
           "group and leak metrics for Prometheus: over HTTP at /metrics (the text format, or\n"
           "OpenMetrics when the scraper's Accept header asks for it), and/or as DIR/%s\n"
           "for node_exporter's textfile collector, replaced whole (write, then rename) after\n"
           "every sample.  Per-process series exist only for tagged processes and the largest\n"
           "few, so their number stays bounded.  Ends on SIGINT or SIGTERM.\n"
           "\n"
           "Options:\n"
           "  --listen ADDR:PORT serve HTTP there (default 127.0.0.1:%d; [::1]:PORT for IPv6;\n"
           "                     port 0 picks a free one); other addresses only when given\n"
           "  --interval S       seconds between samples, %.2g to %.0f (default 1: the detector\n"
           "                     needs a continuous history)\n"
           "  --textfile DIR     write DIR/%s after each sample; without --listen, no HTTP\n"
           "  --top N            processes exported by footprint beside tagged ones (default %d)\n"
           "  --groups N         groups exported by footprint beside those with a tagged\n"
           "                     process (default %d)\n"
           "  --proc-root DIR    read another proc tree instead of /proc (for saved trees)\n"
           "  --passwd FILE      user names from FILE instead of /etc/passwd\n"
           "  -h, --help         show this help\n",
           TEXTFILE_NAME, MS_SERVE_DEFAULT_PORT, MIN_INTERVAL_S, MAX_INTERVAL_S, TEXTFILE_NAME,
           DEFAULT_TOP_PROCS, DEFAULT_TOP_GROUPS);
#ifndef MS_HAVE_MICROHTTPD
  fprintf (out, "\nThis build has no HTTP server (built without libmicrohttpd): only --textfile\n"
                "works.\n");
#endif
}

/* The published model.  The sampler swaps in a new one after each tick; a request holds a
 * reference while it renders, so the sampler only ever waits for a pointer swap. */
typedef struct
{
  ms_metrics_t *metrics;
  int refs;
} published_t;

typedef struct
{
  pthread_mutex_t lock;
  published_t *current;
} board_t;

static void
board_publish (board_t *b, ms_metrics_t *m)
{
  published_t *p = calloc (1, sizeof *p), *old;

  if (p == NULL)
    {
      ms_metrics_free (m);
      return;
    }
  p->metrics = m;
  p->refs = 1; /* the board's own */
  pthread_mutex_lock (&b->lock);
  old = b->current;
  b->current = p;
  if (old != NULL && --old->refs > 0)
    old = NULL;
  pthread_mutex_unlock (&b->lock);
  if (old != NULL)
    {
      ms_metrics_free (old->metrics);
      free (old);
    }
}

#ifdef MS_HAVE_MICROHTTPD
static published_t *
board_take (board_t *b)
{
  published_t *p;

  pthread_mutex_lock (&b->lock);
  p = b->current;
  if (p != NULL)
    p->refs++;
  pthread_mutex_unlock (&b->lock);
  return p;
}
#endif

static void
board_release (board_t *b, published_t *p)
{
  bool last;

  pthread_mutex_lock (&b->lock);
  last = --p->refs == 0;
  pthread_mutex_unlock (&b->lock);
  if (last)
    {
      ms_metrics_free (p->metrics);
      free (p);
    }
}

/* Writes DIR/memscope.prom whole: a temporary file beside it, then rename, so node_exporter
 * never reads half a file.  Returns 0, or an errno value. */
static int
write_textfile (const char *dir, const ms_text_t *text)
{
  char tmp[4096], final[4096];
  size_t done = 0;
  int fd, err = 0;

  if (snprintf (tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, TEXTFILE_NAME) >= (int) sizeof tmp
      || snprintf (final, sizeof final, "%s/%s", dir, TEXTFILE_NAME) >= (int) sizeof final)
    return ENAMETOOLONG;
  /* The temporary name does not end in .prom: the collector reads only *.prom files. */
  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd < 0)
    return errno;
  while (done < text->len)
    {
      ssize_t n = write (fd, text->data + done, text->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          err = n < 0 ? errno : EIO;
          break;
        }
      done += (size_t) n;
    }
  /* mkostemp makes it private; the collector may run as another user. */
  if (err == 0 && fchmod (fd, 0644) != 0)
    err = errno;
  if (close (fd) != 0 && err == 0)
    err = errno;
  if (err == 0 && rename (tmp, final) != 0)
    err = errno;
  if (err != 0)
    unlink (tmp);
  return err;
}

#ifdef MS_HAVE_MICROHTTPD
static enum MHD_Result
reply_text (struct MHD_Connection *connection, unsigned int status, const char *text)
{
  struct MHD_Response *response =
    MHD_create_response_from_buffer (strlen (text), (void *) text, MHD_RESPMEM_PERSISTENT);
  enum MHD_Result ret;

  if (response == NULL)
    return MHD_NO;
  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
    MHD_add_response_header (response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  ret = MHD_queue_response (connection, status, response);
  MHD_destroy_response (response);
  return ret;
}

/* Runs on libmicrohttpd's thread: answers at once from the published model, never waits for the
 * sampler (beyond a pointer swap), and keeps no state per connection. */
static enum MHD_Result
on_request (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
            const char *version, const char *upload_data, size_t *upload_data_size,
            void **con_cls)
{
  board_t *board = cls;
  published_t *p;
  ms_text_t text = { 0 };
  ms_expo_format_t format;
  struct MHD_Response *response;
  enum MHD_Result ret;

  (void) version;
  (void) upload_data;
  (void) con_cls;
  /* A body is never read: the answer goes out now and the connection closes after it. */
  *upload_data_size = 0;
  if (strcmp (method, MHD_HTTP_METHOD_GET) != 0 && strcmp (method, MHD_HTTP_METHOD_HEAD) != 0)
    return reply_text (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "Only GET and HEAD are served.\n");
  if (strcmp (url, "/") == 0)
    return reply_text (connection, MHD_HTTP_OK,
                       "memscope-probe serve: the metrics are at /metrics\n");
  if (strcmp (url, "/metrics") != 0)
    return reply_text (connection, MHD_HTTP_NOT_FOUND,
                       "Not found: the metrics are at /metrics\n");

  format = ms_expo_negotiate (MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                           MHD_HTTP_HEADER_ACCEPT));
  p = board_take (board);
  if (p == NULL)
    return reply_text (connection, MHD_HTTP_SERVICE_UNAVAILABLE, "No sample yet.\n");
  ms_metrics_write (p->metrics, format, &text);
  board_release (board, p);
  if (text.failed)
    {
      ms_text_free (&text);
      return reply_text (connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "Out of memory.\n");
    }
  response = MHD_create_response_from_buffer (text.len, text.data, MHD_RESPMEM_MUST_FREE);
  if (response == NULL)
    {
      ms_text_free (&text);
      return MHD_NO;
    }
  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, ms_expo_content_type (format));
  ret = MHD_queue_response (connection, MHD_HTTP_OK, response);
  MHD_destroy_response (response);
  return ret;
}

/* Binds the listening socket here rather than in libmicrohttpd, for plain error messages and to
 * learn the port when 0 asked for any free one. */
static int
open_listener (ms_listen_t *listen_addr, char *err, size_t err_len)
{
  struct sockaddr_storage ss;
  socklen_t ss_len;
  int fd, one = 1;
  char where[80];

  memset (&ss, 0, sizeof ss);
  if (listen_addr->ipv6)
    {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;

      a->sin6_family = AF_INET6;
      memcpy (&a->sin6_addr, listen_addr->addr, 16);
      a->sin6_port = htons (listen_addr->port);
      ss_len = sizeof *a;
    }
  else
    {
      struct sockaddr_in *a = (struct sockaddr_in *) &ss;

      a->sin_family = AF_INET;
      memcpy (&a->sin_addr, listen_addr->addr, 4);
      a->sin_port = htons (listen_addr->port);
      ss_len = sizeof *a;
    }
  ms_listen_format (listen_addr, where, sizeof where);
  fd = socket (ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    {
      snprintf (err, err_len, "cannot open a socket for %s: %s", where, strerror (errno));
      return -1;
    }
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listen_addr->ipv6)
    setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &ss, ss_len) != 0 || listen (fd, CONNECTION_LIMIT) != 0)
    {
      snprintf (err, err_len, "cannot listen on %s: %s", where, strerror (errno));
      close (fd);
      return -1;
    }
  ss_len = sizeof ss;
  if (getsockname (fd, (struct sockaddr *) &ss, &ss_len) == 0)
    listen_addr->port = ntohs (ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *) &ss)->sin6_port
                                                        : ((struct sockaddr_in *) &ss)->sin_port);
  return fd;
}

static struct MHD_Daemon *
start_http (int fd, bool ipv6, board_t *board)
{
  sigset_t block, old;
  struct MHD_Daemon *d;

  /* The server's thread inherits this mask: SIGINT and SIGTERM must reach the sampler's thread,
   * whose sleep they end. */
  sigemptyset (&block);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &block, &old);
  d = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO
                          | (ipv6 ? MHD_USE_IPv6 : 0),
                        0, NULL, NULL, on_request, board,
                        MHD_OPTION_LISTEN_SOCKET, fd,
                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) CONNECTION_TIMEOUT_S,
                        MHD_OPTION_CONNECTION_LIMIT, (unsigned int) CONNECTION_LIMIT,
                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) 16384,
                        MHD_OPTION_END);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return d;
}
#endif

int
ms_cmd_serve (int argc, char **argv)
{
  static const struct option options[] = {
    { "listen", required_argument, NULL, 'l' },
    { "interval", required_argument, NULL, 'i' },
    { "textfile", required_argument, NULL, 't' },
    { "top", required_argument, NULL, 'n' },
    { "groups", required_argument, NULL, 'g' },
    { "proc-root", required_argument, NULL, 'r' },
    { "passwd", required_argument, NULL, 'p' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *listen_text = NULL, *textfile_dir = NULL;
  double interval_s = 1;
  long top = DEFAULT_TOP_PROCS, groups = DEFAULT_TOP_GROUPS;
  ms_listen_t listen_addr;
  ms_sampler_opts_t opts;
  ms_sampler_t *sampler = NULL;
  ms_detector_t *detector = NULL;
  ms_detector_params_t params;
  ms_metrics_limits_t limits;
  board_t board = { PTHREAD_MUTEX_INITIALIZER, NULL };
  ms_probe_signals_t saved_signals;
  bool http, textfile_failing = false;
  char err[512];
  double start_s;
  uint64_t samples = 0;
  long slot = 0;
  int status = 1, c;
#ifdef MS_HAVE_MICROHTTPD
  struct MHD_Daemon *daemon = NULL;
  int listen_fd = -1;
#endif

  ms_sampler_opts_init (&opts);
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":h", options, NULL)) != -1)
    switch (c)
      {
      case 'l': listen_text = optarg; break;
      case 'i':
        if (!ms_probe_parse_double ("--interval", optarg, &interval_s))
          return 2;
        if (interval_s < MIN_INTERVAL_S || interval_s > MAX_INTERVAL_S)
          {
            ms_probe_error ("serve", "--interval must be between %g and %g seconds, not %s",
                            MIN_INTERVAL_S, MAX_INTERVAL_S, optarg);
            return 2;
          }
        break;
      case 't': textfile_dir = optarg; break;
      case 'n':
        if (!ms_probe_parse_count ("--top", optarg, &top))
          return 2;
        break;
      case 'g':
        if (!ms_probe_parse_count ("--groups", optarg, &groups))
          return 2;
        break;
      case 'r': opts.proc_root = optarg; break;
      case 'p': opts.passwd_path = optarg; break;
      case 'h': usage (stdout); return 0;
      case ':':
        ms_probe_error ("serve", "%s needs a value", argv[optind - 1]);
        return 2;
      default:
        ms_probe_error ("serve", "unknown option \"%s\"; see memscope-probe serve --help",
                        argv[optind - 1]);
        return 2;
      }
  if (optind < argc)
    {
      ms_probe_error ("serve", "unexpected argument \"%s\"", argv[optind]);
      return 2;
    }
  http = listen_text != NULL || textfile_dir == NULL;
  if (!ms_listen_parse (listen_text ? listen_text : "127.0.0.1", &listen_addr, err, sizeof err))
    {
      ms_probe_error ("serve", "--listen %s", err);
      return 2;
    }
#ifndef MS_HAVE_MICROHTTPD
  if (http)
    {
      ms_probe_error ("serve", "this build has no HTTP server (built without libmicrohttpd); "
                               "use --textfile DIR for node_exporter's textfile collector");
      return 2;
    }
#endif
  if (textfile_dir != NULL)
    {
      struct stat st;

      if (stat (textfile_dir, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          ms_probe_error ("serve", "--textfile \"%s\" is not a directory", textfile_dir);
          return 2;
        }
    }
  limits.top_procs = (size_t) top;
  limits.top_groups = (size_t) groups;

  sampler = ms_sampler_new (&opts, err, sizeof err);
  if (sampler == NULL)
    {
      ms_probe_error ("serve", "%s", err);
      return 1;
    }
  ms_detector_params_init (&params, 0.5);
  detector = ms_detector_new (&params);
  if (detector == NULL)
    {
      ms_probe_error ("serve", "out of memory");
      goto done;
    }
  /* The signal ends the sleep between samples at once. */
  ms_probe_catch_stop (&saved_signals);

  status = 0;
  start_s = ms_probe_monotonic_s ();
  for (;;)
    {
      ms_snapshot_t *snap = NULL;
      ms_metrics_t *model;
      double tick_start_s = ms_probe_monotonic_s (), next_s;

      if (ms_sampler_tick_at (sampler, tick_start_s - start_s, ms_probe_realtime_s (), &snap) != 0)
        {
          ms_probe_error ("serve", "cannot list the processes in %s", opts.proc_root);
          status = 1;
          break;
        }
      ms_detector_feed (detector, snap, NULL, NULL);
      samples++;
      model = ms_metrics_build (snap, detector, &limits, samples,
                                ms_probe_monotonic_s () - tick_start_s);
      if (model == NULL)
        ms_probe_error ("serve", "out of memory: this sample is not exported");
      else
        {
          if (textfile_dir != NULL)
            {
              ms_text_t text = { 0 };
              int rc;

              ms_metrics_write (model, MS_EXPO_TEXT, &text);
              rc = text.failed ? ENOMEM : write_textfile (textfile_dir, &text);
              ms_text_free (&text);
              if (rc != 0 && samples == 1)
                {
                  ms_probe_error ("serve", "cannot write %s/%s: %s", textfile_dir, TEXTFILE_NAME,
                                  strerror (rc));
                  ms_metrics_free (model);
                  status = 1;
                  break;
                }
              /* Later failures (a full disk) leave the last whole file; say so once per spell. */
              if (rc != 0 && !textfile_failing)
                ms_probe_error ("serve", "cannot write %s/%s: %s; retrying each sample",
                                textfile_dir, TEXTFILE_NAME, strerror (rc));
              else if (rc == 0 && textfile_failing)
                ms_probe_error ("serve", "writing %s/%s works again", textfile_dir, TEXTFILE_NAME);
              textfile_failing = rc != 0;
            }
          board_publish (&board, model);
        }
      if (samples == 1)
        {
#ifdef MS_HAVE_MICROHTTPD
          if (http)
            {
              char where[80];

              listen_fd = open_listener (&listen_addr, err, sizeof err);
              if (listen_fd < 0)
                {
                  ms_probe_error ("serve", "%s", err);
                  status = 1;
                  break;
                }
              daemon = start_http (listen_fd, listen_addr.ipv6, &board);
              if (daemon == NULL)
                {
                  ms_probe_error ("serve", "cannot start the HTTP server");
                  close (listen_fd);
                  listen_fd = -1;
                  status = 1;
                  break;
                }
              ms_listen_format (&listen_addr, where, sizeof where);
              printf ("listening on http://%s/metrics\n", where);
            }
#endif
          if (textfile_dir != NULL)
            printf ("writing %s/%s\n", textfile_dir, TEXTFILE_NAME);
          fflush (stdout);
        }
      if (ms_probe_stop_requested)
        break;
      next_s = ms_probe_next_tick (start_s, interval_s, &slot);
      ms_probe_sleep_until (next_s);
      if (ms_probe_stop_requested)
        break;
    }

  ms_probe_restore_signals (&saved_signals);

done:
#ifdef MS_HAVE_MICROHTTPD
  /* The server closes the listening socket it was given. */
  if (daemon != NULL)
    MHD_stop_daemon (daemon);
  else if (listen_fd >= 0)
    close (listen_fd);
#endif
  if (board.current != NULL)
    board_release (&board, board.current);
  ms_detector_free (detector);
  ms_sampler_free (sampler);
  return status;
}
