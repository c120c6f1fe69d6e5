/* SPDX-License-Identifier: MIT */
/* A stand-in for `memscope-probe stream` that writes broken streams on purpose, for the host
 * source tests, or a made-up machine where a process leaks (leak).  Usage: fake-probe
 * corrupt|truncated|framing|answers|leak, or fake-probe stream with MS_FAKE_PROBE_MODE naming the
 * mode. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stream.h"

static ms_stream_buf_t out;

static void
flush_out (void)
{
  size_t done = 0;

  while (done < out.len)
    {
      ssize_t n = write (STDOUT_FILENO, out.data + done, out.len - done);

      if (n <= 0)
        exit (1);
      done += (size_t) n;
    }
  ms_stream_buf_reset (&out);
}

/* Raw bytes with a length prefix, however wrong the payload. */
static void
write_raw_frame (uint32_t length, const uint8_t *payload, size_t payload_len)
{
  uint8_t prefix[4] = { length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff,
                        (length >> 24) & 0xff };

  flush_out ();
  if (write (STDOUT_FILENO, prefix, sizeof prefix) != (ssize_t) sizeof prefix)
    exit (1);
  if (payload_len > 0 && write (STDOUT_FILENO, payload, payload_len) != (ssize_t) payload_len)
    exit (1);
}

static void
set_proc (ms_proc_t *proc, int32_t pid, const char *comm, char state, int64_t rss_kib)
{
  memset (proc, 0, sizeof *proc);
  proc->pid = pid;
  proc->ppid = 1;
  proc->starttime = 1000 + (uint64_t) pid;
  proc->state = state;
  proc->threads = 1;
  snprintf (proc->comm, sizeof proc->comm, "%s", comm);
  snprintf (proc->user, sizeof proc->user, "tester");
  snprintf (proc->group, sizeof proc->group, "%s", comm);
  proc->rss_kib = rss_kib;
  proc->pss_kib = MS_UNKNOWN_KIB;
  proc->uss_kib = MS_UNKNOWN_KIB;
  proc->swap_pss_kib = MS_UNKNOWN_KIB;
  proc->pss_age_s = -1;
  proc->footprint_kib = rss_kib;
  proc->baseline_kib = rss_kib;
  proc->cpu_pct = -1;
}

static void
write_snapshot (int32_t pid, const char *comm, uint32_t tags, int64_t rss_kib)
{
  ms_proc_t proc;
  ms_snapshot_t snap;

  memset (&snap, 0, sizeof snap);
  set_proc (&proc, pid, comm, 'S', rss_kib);
  proc.tags = tags;
  snap.time_s = 1;
  snap.time_unix = 1.7e9;
  snap.mem.mem_total_kib = 8 * 1024 * 1024;
  snap.mem.mem_available_kib = 4 * 1024 * 1024;
  snap.n_procs = 1;
  snap.procs = &proc;
  if (ms_stream_encode_snapshot (&out, &snap) != 0)
    exit (1);
}

static void
write_events (const ms_event_t *events, size_t n)
{
  if (ms_stream_encode_events (&out, events, n) != 0)
    exit (1);
  flush_out ();
}

/* Answers every smaps request with one heap group of 4242 KiB resident, whatever the pid, so a
 * reply can only have come from here; signal requests get -EPERM. */
static void
answer_requests (void)
{
  ms_stream_reader_t *reader = ms_stream_reader_new (0);
  ms_stream_decoder_t *decoder = ms_stream_decoder_new ();
  ms_smaps_groups_t groups;
  ms_smaps_group_t *heap;
  const uint8_t *payload;
  size_t len;
  uint64_t number;
  char err[256];

  ms_smaps_groups_init (&groups);
  heap = ms_smaps_groups_add (&groups, MS_SMAPS_HEAP, "[heap]", 6, NULL);
  if (reader == NULL || decoder == NULL || heap == NULL)
    exit (1);
  heap->mappings = 1;
  heap->size_kib = 8000;
  heap->rss_kib = 4242;
  heap->pss_kib = 4242;
  heap->private_kib = 4242;
  groups.total = *heap;
  groups.n_mappings = 1;
  while (ms_stream_reader_read_fd (reader, STDIN_FILENO) > 0)
    while (ms_stream_reader_next (reader, &payload, &len, &number, err, sizeof err) == 1)
      {
        ms_stream_request_t req;
        ms_stream_reply_t reply;

        if (ms_stream_decode_request (decoder, payload, len, number, &req, err, sizeof err)
            != MS_STREAM_OK)
          continue;
        reply.id = req.id;
        reply.pid = req.pid;
        reply.starttime = req.starttime;
        if (req.type == MS_REQ_SMAPS_GROUPS)
          {
            reply.result = 0;
            ms_stream_encode_smaps_reply (&out, &reply, &groups);
          }
        else if (req.type == MS_REQ_SIGNAL)
          {
            reply.result = -EPERM;
            ms_stream_encode_signal_reply (&out, &reply, req.sig);
          }
        flush_out ();
      }
  ms_smaps_groups_clear (&groups);
  ms_stream_decoder_free (decoder);
  ms_stream_reader_free (reader);
}

/* A machine with 4 GiB of 8 GiB available, where "leaky" (pid 700) holds 200 MiB for 30 s, then
 * grows 8 MiB/s, and "defunct" (pid 701) is a zombie; one second of its clock every 80 ms, so the
 * receiver's detector tags both within seconds.  Requests are read and ignored; ends when the
 * reader closes our stdin. */
static void
leak_machine (void)
{
  struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
  char buf[4096];
  /* A machine whose clock is off by MS_FAKE_PROBE_CLOCK_SKEW seconds. */
  double wall = (double) time (NULL) + (getenv ("MS_FAKE_PROBE_CLOCK_SKEW") != NULL
                                        ? atof (getenv ("MS_FAKE_PROBE_CLOCK_SKEW")) : 0);

  for (int64_t t = 0; t < 100000; t++)
    {
      ms_proc_t procs[2];
      ms_snapshot_t snap;

      set_proc (&procs[0], 700, "leaky", 'R', 200 * 1024 + 8 * 1024 * (t > 30 ? t - 30 : 0));
      set_proc (&procs[1], 701, "defunct", 'Z', 0);
      procs[1].ppid = 700; /* its parent is named in the ZOMBIE explanation */
      memset (&snap, 0, sizeof snap);
      snap.time_s = (double) t;
      snap.time_unix = wall + (double) t;
      snap.interval_s = t > 0 ? 1 : 0;
      snap.mem.mem_total_kib = 8 * 1024 * 1024;
      snap.mem.mem_available_kib = 4 * 1024 * 1024;
      snap.mem.mem_free_kib = 4 * 1024 * 1024;
      snap.n_procs = 2;
      snap.procs = procs;
      if (ms_stream_encode_snapshot (&out, &snap) != 0)
        exit (1);
      write_events (NULL, 0);
      while (poll (&in, 1, t == 0 ? 0 : 80) > 0)
        {
          if (read (STDIN_FILENO, buf, sizeof buf) <= 0)
            return;
          in.revents = 0;
        }
    }
}

/* Waits until the reader closes our stdin, as the real probe does. */
static void
wait_for_eof (void)
{
  char buf[256];

  while (read (STDIN_FILENO, buf, sizeof buf) > 0)
    ;
}

int
main (int argc, char **argv)
{
  ms_stream_hello_t hello;
  const char *mode = argc > 1 ? argv[1] : "";

  /* Started the way the app starts the real probe ("PROBE stream ..."): the mode comes from the
   * environment instead. */
  if (strcmp (mode, "stream") == 0 && getenv ("MS_FAKE_PROBE_MODE") != NULL)
    mode = getenv ("MS_FAKE_PROBE_MODE");

  ms_stream_buf_init (&out);
  ms_stream_hello_init (&hello, "fake-probe", MS_STREAM_CAP_EVENTS);
  if (ms_stream_encode_hello (&out, &hello) != 0)
    return 1;
  flush_out ();

  if (strcmp (mode, "leak") == 0)
    {
      leak_machine ();
      ms_stream_buf_clear (&out);
      return 0;
    }

  write_snapshot (4242, "alpha", 0, 1000);
  write_events (NULL, 0);

  if (strcmp (mode, "corrupt") == 0)
    {
      /* Frame 4: a snapshot type byte followed by too few bytes for its fields. */
      static const uint8_t short_snapshot[] = { MS_FRAME_SNAPSHOT, 1, 2, 3, 4, 5 };
      ms_event_t leak;

      write_raw_frame (sizeof short_snapshot, short_snapshot, sizeof short_snapshot);
      write_events (NULL, 0);
      write_snapshot (4343, "beta", MS_TAG_LEAK, 2000);
      memset (&leak, 0, sizeof leak);
      leak.time_s = 1;
      leak.pid = 4343;
      leak.starttime = 1000 + 4343;
      snprintf (leak.comm, sizeof leak.comm, "beta");
      leak.tag = MS_TAG_LEAK;
      leak.set = true;
      leak.rate_kib_s = 1024;
      leak.duration_s = 60;
      leak.confidence = 0.9;
      leak.exhaust_s = NAN;
      leak.jump_kib = NAN;
      write_events (&leak, 1);
      wait_for_eof ();
    }
  else if (strcmp (mode, "truncated") == 0)
    {
      static const uint8_t part[100] = { MS_FRAME_SNAPSHOT };

      /* Frame 4 announces 500 bytes and the probe dies after 100 of them. */
      write_raw_frame (500, part, sizeof part);
    }
  else if (strcmp (mode, "answers") == 0)
    answer_requests ();
  else if (strcmp (mode, "framing") == 0)
    {
      /* A length of 0 cannot be followed: nothing after it can be trusted. */
      write_raw_frame (0, NULL, 0);
      wait_for_eof ();
    }
  else
    {
      fprintf (stderr, "fake-probe: unknown mode \"%s\"\n", mode);
      return 2;
    }
  ms_stream_buf_clear (&out);
  return 0;
}
