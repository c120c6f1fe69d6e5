/* SPDX-License-Identifier: MIT */
/* memscope-probe stream: snapshots and tag events out on stdout, requests in on stdin (the
 * Flatpak app's channel to the host). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "detector.h"
#include "probe.h"
#include "sampler.h"
#include "signals.h"
#include "smaps-groups.h"
#include "stream.h"

#define MIN_INTERVAL_S 0.1
#define MAX_INTERVAL_S 3600.0

typedef struct
{
  const char *proc_root;
  ms_sampler_t *sampler;
  ms_detector_t *detector;
  ms_stream_buf_t out;
  ms_stream_reader_t *reader;
  ms_stream_decoder_t *decoder;
  ms_smaps_groups_t groups;
  ms_event_t *events;
  size_t n_events, events_cap;
  double interval_s;
  double last_tick_s; /* monotonic; negative before the first */
  uint16_t minor;     /* the protocol minor version spoken (--announce-version may lower it) */
  bool detect;        /* run the detector and send an events frame after each snapshot */
  bool done;
  int status;
  const sigset_t *wait_mask; /* the signals let in while waiting */
} stream_t;

static volatile sig_atomic_t terminate_requested;

static void
on_terminate (int sig)
{
  (void) sig;
  terminate_requested = 1;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe stream [--interval S]\n"
           "\n"
           "The channel between the memscope window in a Flatpak and this host.  Writes a hello,\n"
           "then a snapshot frame and an events frame every interval to stdout (protocol 1.2: no\n"
           "events once the window's hello says it runs its own detector); reads requests\n"
           "(sampling interval, PSS priority, grouped smaps of a process, a signal to a process,\n"
           "resetting or restoring baselines) from stdin and answers them between samples.  Frames and requests are binary and\n"
           "length-prefixed: see docs/stream-protocol.md.  Ends when stdin closes or on SIGTERM.\n"
           "\n"
           "Options:\n"
           "  --interval S       seconds between samples (default 1; %.1f to %.0f)\n"
           "  --proc-root DIR    read another proc tree instead of /proc (for saved trees)\n"
           "  --passwd FILE      user names from FILE instead of /etc/passwd\n"
           "  --announce-version MAJOR.MINOR\n"
           "                     claim another protocol version in the hello (to test clients);\n"
           "                     an older minor version of this major is also spoken\n"
           "  -h, --help         show this help\n",
           MIN_INTERVAL_S, MAX_INTERVAL_S);
}

/* Writes the buffered frames to stdout.  A reader that went away (EPIPE) ends the stream.  The
 * writes wait for room with SIGTERM let in, a page at a time: a reader that stopped reading must
 * not keep the probe from ending (a pipe write of more than a page blocks until all of it fits). */
static void
flush_out (stream_t *s)
{
  size_t done = 0;

  /* Also after the stream was told to end: its last words (an error frame) still go out, as long
   * as the reader takes them. */
  while (done < s->out.len)
    {
      struct pollfd out = { STDOUT_FILENO, POLLOUT, 0 };
      size_t chunk = s->out.len - done < 4096 ? s->out.len - done : 4096;
      ssize_t n;

      if (s->wait_mask != NULL)
        {
          int ready = ppoll (&out, 1, NULL, s->wait_mask);

          if (ready < 0 && errno == EINTR)
            {
              if (terminate_requested)
                break;
              continue;
            }
        }
      n = write (STDOUT_FILENO, s->out.data + done, chunk);

      if (n > 0)
        {
          done += (size_t) n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { STDOUT_FILENO, POLLOUT, 0 };

          poll (&pfd, 1, 1000);
          continue;
        }
      if (n < 0 && errno != EPIPE)
        ms_probe_error ("stream", "cannot write to stdout: %s", strerror (errno));
      s->done = true;
      s->status = 1;
      break;
    }
  ms_stream_buf_reset (&s->out);
}

static void
send_error (stream_t *s, uint64_t request, const char *text)
{
  if (ms_stream_encode_error (&s->out, request, text) != 0)
    ms_probe_error ("stream", "out of memory");
}

static void
collect_event (const ms_event_t *event, void *user)
{
  stream_t *s = user;

  if (ms_grow ((void **) &s->events, &s->events_cap, s->n_events + 1, sizeof *s->events) != 0)
    return;
  s->events[s->n_events++] = *event;
}

static void
tick (stream_t *s)
{
  ms_snapshot_t *snap = NULL;

  s->last_tick_s = ms_probe_monotonic_s ();
  if (ms_sampler_tick (s->sampler, &snap) != 0)
    {
      send_error (s, 0, "cannot list the processes");
      return;
    }
  s->n_events = 0;
  if (s->detect)
    ms_detector_feed (s->detector, snap, collect_event, s);
  if (ms_stream_encode_snapshot_as (&s->out, snap, s->minor) != 0
      || (s->detect && ms_stream_encode_events (&s->out, s->events, s->n_events) != 0))
    send_error (s, 0, "a snapshot did not fit in a frame");
}

static void
serve_request (stream_t *s, const ms_stream_request_t *req, uint64_t number)
{
  char msg[256];
  ms_stream_reply_t reply = { req->id, 0, req->pid, req->starttime };

  switch (req->type)
    {
    case MS_REQ_HELLO:
      /* A window with a detector of its own needs neither ours nor its events (1.1; speaking
       * 1.0, the probe does what 1.0 did). */
      if (s->minor >= 1 && (req->hello.capabilities & MS_STREAM_CAP_OWN_DETECTOR))
        s->detect = false;
      break;
    case MS_REQ_SET_INTERVAL:
      if (req->interval_s < MIN_INTERVAL_S || req->interval_s > MAX_INTERVAL_S)
        {
          snprintf (msg, sizeof msg, "request %" PRIu64 ": an interval of %g s is outside %.1f to %.0f s",
                    number, req->interval_s, MIN_INTERVAL_S, MAX_INTERVAL_S);
          send_error (s, number, msg);
        }
      else
        s->interval_s = req->interval_s;
      break;
    case MS_REQ_PSS_PRIORITY:
      ms_sampler_set_pss_priority (s->sampler, req->pid, req->starttime);
      break;
    case MS_REQ_RESET_BASELINE:
      if (req->pid < 0)
        {
          snprintf (msg, sizeof msg, "request %" PRIu64 ": pid %" PRId32 " is negative", number,
                    req->pid);
          send_error (s, number, msg);
        }
      else
        ms_sampler_reset_baseline (s->sampler, req->pid, req->starttime);
      break;
    case MS_REQ_RESTORE_BASELINES:
      /* Speaking an older minor version, do what such a probe did with a type it did not know:
       * skip it from a newer peer, refuse it from any other. */
      if (s->minor < 2)
        {
          const ms_stream_hello_t *peer = ms_stream_decoder_peer (s->decoder);

          if (peer == NULL || peer->minor <= s->minor)
            {
              snprintf (msg, sizeof msg, "request %" PRIu64 " (type): 0x%02x is not a request type",
                        number, (unsigned) req->type);
              send_error (s, number, msg);
            }
        }
      else
        ms_sampler_restore_baselines (s->sampler, req->baselines, req->n_baselines);
      break;
    case MS_REQ_SMAPS_GROUPS:
      reply.result = ms_smaps_groups_read (s->proc_root, req->pid, req->starttime, &s->groups);
      if (ms_stream_encode_smaps_reply (&s->out, &reply, &s->groups) != 0)
        {
          reply.result = -ENOMEM;
          ms_stream_encode_smaps_reply (&s->out, &reply, NULL);
        }
      break;
    case MS_REQ_SIGNAL:
      reply.result = req->sig == 0 ? -EINVAL
                                   : ms_signal_process (s->proc_root, req->pid, req->starttime,
                                                        req->sig);
      ms_stream_encode_signal_reply (&s->out, &reply, req->sig);
      break;
    default:
      break;
    }
}

/* Reads what stdin has and serves every whole request in it. */
static void
read_requests (stream_t *s)
{
  ssize_t n = ms_stream_reader_read_fd (s->reader, STDIN_FILENO);
  const uint8_t *payload;
  size_t len;
  uint64_t number;
  char err[512];
  int got;

  if (n == -EAGAIN || n == -EINTR)
    return;
  if (n < 0)
    {
      ms_probe_error ("stream", "cannot read stdin: %s", strerror ((int) -n));
      s->done = true;
      s->status = 1;
      return;
    }
  while ((got = ms_stream_reader_next (s->reader, &payload, &len, &number, err, sizeof err)) == 1)
    {
      ms_stream_request_t req;
      ms_stream_status_t st = ms_stream_decode_request (s->decoder, payload, len, number, &req,
                                                        err, sizeof err);

      switch (st)
        {
        case MS_STREAM_OK:
          serve_request (s, &req, number);
          break;
        case MS_STREAM_UNKNOWN:
          break;
        case MS_STREAM_VERSION:
          /* Say so and stop: the peer cannot read what this side would write. */
          send_error (s, number, err);
          ms_probe_error ("stream", "%s", err);
          s->done = true;
          s->status = 3;
          return;
        case MS_STREAM_NOMEM:
          snprintf (err, sizeof err, "request %" PRIu64 ": out of memory", number);
          /* fall through */
        case MS_STREAM_BAD:
        default:
          send_error (s, number, err);
          break;
        }
      flush_out (s);
    }
  if (got < 0)
    {
      /* The length prefixes cannot be followed any more: nothing later can be trusted. */
      send_error (s, 0, err);
      ms_probe_error ("stream", "%s", err);
      s->done = true;
      s->status = 1;
      return;
    }
  if (n == 0)
    {
      /* The app closed its end (or died): end at once. */
      if (ms_stream_reader_finish (s->reader, err, sizeof err) != 0)
        ms_probe_error ("stream", "requests: %s", err);
      s->done = true;
    }
}

static bool
parse_version (const char *text, uint16_t *major, uint16_t *minor)
{
  unsigned a, b;
  char extra;

  if (sscanf (text, "%u.%u%c", &a, &b, &extra) != 2 || a > UINT16_MAX || b > UINT16_MAX)
    return false;
  *major = (uint16_t) a;
  *minor = (uint16_t) b;
  return true;
}

int
ms_cmd_stream (int argc, char **argv)
{
  static const struct option options[] = {
    { "interval", required_argument, NULL, 'i' },
    { "proc-root", required_argument, NULL, 'r' },
    { "passwd", required_argument, NULL, 'w' },
    { "announce-version", required_argument, NULL, 'V' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  ms_sampler_opts_t opts;
  ms_detector_params_t params;
  ms_stream_hello_t hello;
  stream_t s;
  struct sigaction sa, old_term, old_int, old_pipe;
  sigset_t block, wait_mask;
  uint16_t major = MS_STREAM_VERSION_MAJOR, minor = MS_STREAM_VERSION_MINOR;
  uint32_t caps;
  char err[512];
  int c;

  memset (&s, 0, sizeof s);
  s.interval_s = 1.0;
  s.last_tick_s = -1;
  ms_sampler_opts_init (&opts);
  optind = 1;
  while ((c = getopt_long (argc, argv, "h", options, NULL)) != -1)
    switch (c)
      {
      case 'i':
        if (!ms_probe_parse_double ("--interval", optarg, &s.interval_s))
          return 2;
        if (s.interval_s < MIN_INTERVAL_S || s.interval_s > MAX_INTERVAL_S)
          {
            ms_probe_error ("stream", "--interval must be between %.1f and %.0f seconds",
                            MIN_INTERVAL_S, MAX_INTERVAL_S);
            return 2;
          }
        break;
      case 'r': opts.proc_root = optarg; break;
      case 'w': opts.passwd_path = optarg; break;
      case 'V':
        if (!parse_version (optarg, &major, &minor))
          {
            ms_probe_error ("stream", "--announce-version takes MAJOR.MINOR, not \"%s\"", optarg);
            return 2;
          }
        break;
      case 'h': usage (stdout); return 0;
      default: usage (stderr); return 2;
      }
  if (optind < argc)
    {
      ms_probe_error ("stream", "unexpected argument \"%s\"", argv[optind]);
      return 2;
    }
  s.proc_root = opts.proc_root;

  s.sampler = ms_sampler_new (&opts, err, sizeof err);
  if (s.sampler == NULL)
    {
      ms_probe_error ("stream", "%s", err);
      return 1;
    }
  ms_detector_params_init (&params, 0.5);
  s.detector = ms_detector_new (&params);
  s.reader = ms_stream_reader_new (0);
  s.decoder = ms_stream_decoder_new ();
  ms_stream_buf_init (&s.out);
  ms_smaps_groups_init (&s.groups);
  if (s.detector == NULL || s.reader == NULL || s.decoder == NULL)
    {
      ms_probe_error ("stream", "out of memory");
      s.status = 1;
      goto out;
    }

  /* SIGTERM is held back while working and let in only while waiting, so it can never slip
   * between the check and the wait. */
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_terminate;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGTERM, &sa, &old_term);
  sigaction (SIGINT, &sa, &old_int);
  sa.sa_handler = SIG_IGN;
  sigaction (SIGPIPE, &sa, &old_pipe);
  sigemptyset (&block);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGINT);
  sigprocmask (SIG_BLOCK, &block, &wait_mask);
  sigdelset (&wait_mask, SIGTERM);
  sigdelset (&wait_mask, SIGINT);
  s.wait_mask = &wait_mask;

  caps = MS_STREAM_CAP_PSS | MS_STREAM_CAP_SMAPS_GROUPS | MS_STREAM_CAP_SIGNALS
         | MS_STREAM_CAP_EVENTS;
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  caps |= MS_STREAM_CAP_PIDFD;
#endif
  ms_stream_hello_init (&hello, "memscope-probe " PACKAGE_VERSION, caps);
  hello.major = major;
  hello.minor = minor;
  /* Announcing an older minor version means speaking it: its layout, nothing appended. */
  s.minor = minor < MS_STREAM_VERSION_MINOR ? minor : MS_STREAM_VERSION_MINOR;
  s.detect = true;
  ms_stream_encode_hello (&s.out, &hello);
  flush_out (&s);

  while (!s.done && !terminate_requested)
    {
      double now = ms_probe_monotonic_s (), wait_s;
      struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
      struct timespec timeout;
      int ready;

      if (s.last_tick_s < 0 || now >= s.last_tick_s + s.interval_s)
        {
          tick (&s);
          flush_out (&s);
          now = ms_probe_monotonic_s ();
        }
      wait_s = s.last_tick_s + s.interval_s - now;
      if (wait_s < 0)
        wait_s = 0;
      timeout.tv_sec = (time_t) wait_s;
      timeout.tv_nsec = (long) ((wait_s - (double) timeout.tv_sec) * 1e9);
      ready = ppoll (&pfd, 1, &timeout, &wait_mask);
      if (ready < 0)
        {
          if (errno == EINTR)
            continue;
          ms_probe_error ("stream", "cannot wait for requests: %s", strerror (errno));
          s.status = 1;
          break;
        }
      if (ready > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)))
        {
          read_requests (&s);
          flush_out (&s);
        }
      if (ready > 0 && (pfd.revents & POLLNVAL))
        break;
    }

  s.wait_mask = NULL;
  sigprocmask (SIG_UNBLOCK, &block, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGPIPE, &old_pipe, NULL);
out:
  ms_smaps_groups_clear (&s.groups);
  ms_stream_buf_clear (&s.out);
  ms_stream_decoder_free (s.decoder);
  ms_stream_reader_free (s.reader);
  ms_free (s.events);
  ms_detector_free (s.detector);
  ms_sampler_free (s.sampler);
  return s.status;
}
