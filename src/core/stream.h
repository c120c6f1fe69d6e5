/* SPDX-License-Identifier: MIT */
/* The app <-> host probe channel: versioned, length-prefixed frames and requests (see
 * docs/stream-protocol.md for the byte layout). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ms-types.h"
#include "smaps-groups.h"

/* A peer that sees another major version says so and stops; a newer minor version only appends
 * fields at the end of payloads and adds frame or request types, which an older peer skips. */
#define MS_STREAM_VERSION_MAJOR 1
#define MS_STREAM_VERSION_MINOR 2 /* 1.1: the snapshot ends with the OOM-kill counter's validity;
                                   * 1.2: the restore-baselines request */

/* The largest payload either side sends or accepts. */
#define MS_STREAM_MAX_FRAME (64u * 1024u * 1024u)

#define MS_STREAM_ERROR_MAX 1024 /* error text, NUL included */
#define MS_STREAM_SOFTWARE_MAX 64

/* Probe -> app. */
typedef enum
{
  MS_FRAME_HELLO = 0x01,
  MS_FRAME_SNAPSHOT = 0x02,
  MS_FRAME_EVENTS = 0x03,
  MS_FRAME_SMAPS_GROUPS = 0x04, /* reply to MS_REQ_SMAPS_GROUPS */
  MS_FRAME_SIGNAL = 0x05,       /* reply to MS_REQ_SIGNAL */
  MS_FRAME_ERROR = 0x06,
} ms_frame_type_t;

/* App -> probe. */
typedef enum
{
  MS_REQ_HELLO = 0x81,
  MS_REQ_SET_INTERVAL = 0x82,
  MS_REQ_PSS_PRIORITY = 0x83,
  MS_REQ_SMAPS_GROUPS = 0x84,
  MS_REQ_SIGNAL = 0x85,
  MS_REQ_RESET_BASELINE = 0x86,
  MS_REQ_RESTORE_BASELINES = 0x87, /* 1.2 */
} ms_request_type_t;

/* What the sender of a hello can do. */
enum
{
  MS_STREAM_CAP_PSS = 1u << 0,          /* PSS priority requests are honoured */
  MS_STREAM_CAP_SMAPS_GROUPS = 1u << 1, /* grouped smaps replies */
  MS_STREAM_CAP_SIGNALS = 1u << 2,      /* signal requests */
  MS_STREAM_CAP_PIDFD = 1u << 3,        /* signals go through pidfds: no pid-reuse race */
  MS_STREAM_CAP_EVENTS = 1u << 4,       /* an events frame follows every snapshot */
  /* 1.1, in a window's hello: the window runs its own detector, so a 1.1 probe sends no events
   * frames and tags nothing from then on (a 1.0 probe ignores it and goes on sending them). */
  MS_STREAM_CAP_OWN_DETECTOR = 1u << 5,
};

/* Signals travel as these codes, not as the host's numbers. */
enum
{
  MS_STREAM_SIG_NONE = 0, /* a code this side does not know */
  MS_STREAM_SIG_STOP = 1,
  MS_STREAM_SIG_CONT = 2,
  MS_STREAM_SIG_TERM = 3,
  MS_STREAM_SIG_KILL = 4,
};

/* SIGSTOP -> MS_STREAM_SIG_STOP ...; MS_STREAM_SIG_NONE for other signals. */
uint8_t ms_stream_signal_code (int sig);
/* The host's signal number for a code, 0 for MS_STREAM_SIG_NONE or an unknown code. */
int ms_stream_signal_from_code (uint8_t code);

typedef struct
{
  uint16_t major, minor;
  uint32_t capabilities;                 /* MS_STREAM_CAP_* */
  uint32_t max_frame;                    /* largest payload the sender accepts */
  char software[MS_STREAM_SOFTWARE_MAX]; /* "memscope-probe 0.1.0" */
} ms_stream_hello_t;

/* This side's version, MS_STREAM_MAX_FRAME and the given name and capabilities. */
void ms_stream_hello_init (ms_stream_hello_t *hello, const char *software, uint32_t capabilities);

typedef struct
{
  ms_request_type_t type;
  ms_stream_hello_t hello; /* HELLO */
  double interval_s;       /* SET_INTERVAL: > 0 */
  uint32_t id;             /* SMAPS_GROUPS, SIGNAL: echoed in the reply */
  int32_t pid;             /* PSS_PRIORITY (<= 0 stops), SMAPS_GROUPS, SIGNAL, RESET_BASELINE
                            * (0 = every process) */
  uint64_t starttime;
  int sig; /* SIGNAL: the host's number; 0 when the code was unknown (answer -EINVAL) */
  /* RESTORE_BASELINES: the caller's array when encoding; the decoder's storage when decoded
   * (valid until its next decode call).  Every pid is > 0. */
  const ms_baseline_t *baselines;
  size_t n_baselines;
} ms_stream_request_t;

/* The common head of the two replies. */
typedef struct
{
  uint32_t id;     /* the request's id */
  int32_t result;  /* 0 or -errno (ESRCH gone or pid reused, EACCES, EPERM, EINVAL) */
  int32_t pid;
  uint64_t starttime;
} ms_stream_reply_t;

/* One decoded frame.  Pointers refer to storage of the decoder and stay valid until its next
 * decode call. */
typedef struct
{
  ms_frame_type_t type;
  uint64_t number;         /* 1-based position in the stream */
  ms_stream_hello_t hello; /* HELLO */
  ms_snapshot_t snapshot;  /* SNAPSHOT: snapshot.procs belongs to the decoder */
  const ms_event_t *events; /* EVENTS */
  size_t n_events;
  ms_stream_reply_t reply; /* SMAPS_GROUPS, SIGNAL */
  int sig;                 /* SIGNAL: the host's number, 0 when unknown */
  const ms_smaps_groups_t *groups; /* SMAPS_GROUPS when reply.result is 0, else NULL */
  uint64_t error_request; /* ERROR: number of the request it answers, 0 for none */
  char error[MS_STREAM_ERROR_MAX]; /* ERROR */
} ms_stream_frame_t;

/* --- Encoding: each call appends one whole frame (length prefix and payload) to a buffer. --- */

typedef struct
{
  uint8_t *data;
  size_t len, cap;
  bool failed; /* private: set while a frame runs out of memory */
} ms_stream_buf_t;

void ms_stream_buf_init (ms_stream_buf_t *b);
void ms_stream_buf_clear (ms_stream_buf_t *b); /* frees */
void ms_stream_buf_reset (ms_stream_buf_t *b); /* empties, keeps the storage */

/* Each returns 0, or -1 with the buffer unchanged when memory is short or the payload would pass
 * MS_STREAM_MAX_FRAME.  Strings longer than their field are cut (at a byte, not a character). */
int ms_stream_encode_hello (ms_stream_buf_t *b, const ms_stream_hello_t *hello);
int ms_stream_encode_snapshot (ms_stream_buf_t *b, const ms_snapshot_t *snap);
/* The layout of an earlier minor version of this major (for a probe told to speak as one). */
int ms_stream_encode_snapshot_as (ms_stream_buf_t *b, const ms_snapshot_t *snap, uint16_t minor);
int ms_stream_encode_events (ms_stream_buf_t *b, const ms_event_t *events, size_t n_events);
/* groups is used only when reply->result is 0. */
int ms_stream_encode_smaps_reply (ms_stream_buf_t *b, const ms_stream_reply_t *reply,
                                  const ms_smaps_groups_t *groups);
int ms_stream_encode_signal_reply (ms_stream_buf_t *b, const ms_stream_reply_t *reply, int sig);
int ms_stream_encode_error (ms_stream_buf_t *b, uint64_t request_number, const char *text);
/* A request of any type; a hello request encodes req->hello. */
int ms_stream_encode_request (ms_stream_buf_t *b, const ms_stream_request_t *req);

/* --- Framing: accumulates bytes (e.g. from a non-blocking pipe) and yields whole payloads. --- */

typedef struct ms_stream_reader ms_stream_reader_t;

/* max_frame 0 means MS_STREAM_MAX_FRAME.  NULL when memory is short. */
ms_stream_reader_t *ms_stream_reader_new (uint32_t max_frame);
void ms_stream_reader_free (ms_stream_reader_t *r);

/* Appends bytes.  Returns 0, or -1 when memory is short. */
int ms_stream_reader_feed (ms_stream_reader_t *r, const void *data, size_t len);

/* One read() from fd into the reader: the bytes read, 0 at end of stream, or -errno (-EAGAIN
 * when a non-blocking descriptor has nothing; -EINTR is retried). */
ssize_t ms_stream_reader_read_fd (ms_stream_reader_t *r, int fd);

/* The next whole frame: 1 with *payload, *len and *number set (valid until the next call on the
 * reader), 0 when more bytes are needed, -1 when the framing is lost (a length of 0 or above the
 * maximum): err names the frame and the reader refuses everything after it. */
int ms_stream_reader_next (ms_stream_reader_t *r, const uint8_t **payload, size_t *len,
                           uint64_t *number, char *err, size_t err_len);

/* Call at end of stream: 0 when it ended between frames, else -1 and err names the frame that
 * was cut off (the peer died mid-frame). */
int ms_stream_reader_finish (const ms_stream_reader_t *r, char *err, size_t err_len);

/* Bytes held that do not yet make a whole frame. */
size_t ms_stream_reader_pending (const ms_stream_reader_t *r);

/* --- Decoding payloads. --- */

typedef enum
{
  MS_STREAM_OK = 0,
  MS_STREAM_BAD = -1,     /* malformed: skip it, the stream goes on; err says what and where */
  MS_STREAM_VERSION = -2, /* a hello of another major version: stop talking (err says which) */
  MS_STREAM_NOMEM = -3,
  MS_STREAM_UNKNOWN = -4, /* a type added by a newer minor version of the peer: skip it */
} ms_stream_status_t;

/* Holds the storage decoded frames point into, and what the peer's hello said.  Until a hello
 * has been accepted, every other frame or request is refused (MS_STREAM_BAD). */
typedef struct ms_stream_decoder ms_stream_decoder_t;

ms_stream_decoder_t *ms_stream_decoder_new (void);
void ms_stream_decoder_free (ms_stream_decoder_t *d);

/* The peer's hello, or NULL before one was accepted. */
const ms_stream_hello_t *ms_stream_decoder_peer (const ms_stream_decoder_t *d);

/* Decodes one payload of a frame (probe -> app) numbered `number` (for messages; 1-based).
 * Never reads past len; never crashes on any bytes.  Messages read like
 * "frame 7 (snapshot): process 3 of 120, comm at byte 512: needs 70 bytes, 12 left". */
ms_stream_status_t ms_stream_decode_frame (ms_stream_decoder_t *d, const uint8_t *payload,
                                           size_t len, uint64_t number, ms_stream_frame_t *out,
                                           char *err, size_t err_len);

/* The same for a request (app -> probe); messages say "request N (...)". */
ms_stream_status_t ms_stream_decode_request (ms_stream_decoder_t *d, const uint8_t *payload,
                                             size_t len, uint64_t number,
                                             ms_stream_request_t *out, char *err, size_t err_len);

/* "hello", "snapshot", ..., "set-interval", ...; "unknown" for other values. */
const char *ms_stream_type_name (unsigned type);
