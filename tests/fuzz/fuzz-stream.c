/* SPDX-License-Identifier: MIT */
/* Fuzz target: the stream's framing reader and its frame and request decoders.  The first byte
 * chooses frames or requests and how the bytes are fed; whatever decodes must encode back to the
 * very same bytes. */
#include "config.h"

#include <string.h>

#include "stream.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* In the layout of the peer's minor version (a 1.0 snapshot lacks what 1.1 appended). */
static int
encode_frame (ms_stream_buf_t *b, const ms_stream_frame_t *f, uint16_t minor)
{
  switch (f->type)
    {
    case MS_FRAME_HELLO: return ms_stream_encode_hello (b, &f->hello);
    case MS_FRAME_SNAPSHOT: return ms_stream_encode_snapshot_as (b, &f->snapshot, minor);
    case MS_FRAME_EVENTS: return ms_stream_encode_events (b, f->events, f->n_events);
    case MS_FRAME_SMAPS_GROUPS: return ms_stream_encode_smaps_reply (b, &f->reply, f->groups);
    case MS_FRAME_SIGNAL: return ms_stream_encode_signal_reply (b, &f->reply, f->sig);
    case MS_FRAME_ERROR: return ms_stream_encode_error (b, f->error_request, f->error);
    default: __builtin_trap ();
    }
}

static void
check_same (const ms_stream_buf_t *b, const uint8_t *payload, size_t len)
{
  if (b->len != len + 4 || memcmp (b->data + 4, payload, len) != 0)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static ms_stream_frame_t frame;
  ms_stream_reader_t *r;
  ms_stream_decoder_t *d;
  ms_stream_buf_t b;
  bool requests;
  size_t step;
  char err[512];

  if (size < 1)
    return 0;
  requests = data[0] & 1;
  step = (size_t) (data[0] >> 1) + 1;
  data++, size--;

  r = ms_stream_reader_new (1u << 20);
  d = ms_stream_decoder_new ();
  ms_stream_buf_init (&b);
  if (r == NULL || d == NULL)
    __builtin_trap ();
  for (size_t off = 0; off < size; off += step)
    {
      const uint8_t *payload;
      size_t len;
      uint64_t number;
      int got;

      if (ms_stream_reader_feed (r, data + off, size - off < step ? size - off : step) != 0)
        __builtin_trap ();
      while ((got = ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err)) == 1)
        {
          const ms_stream_hello_t *peer;
          bool newer;
          ms_stream_status_t st;

          ms_stream_buf_reset (&b);
          if (requests)
            {
              ms_stream_request_t req;

              st = ms_stream_decode_request (d, payload, len, number, &req, err, sizeof err);
              peer = ms_stream_decoder_peer (d);
              newer = peer != NULL && peer->minor > MS_STREAM_VERSION_MINOR;
              /* Unknown signal codes decode to 0 and cannot come back the same. */
              if (st == MS_STREAM_OK && !newer && !(req.type == MS_REQ_SIGNAL && req.sig == 0))
                {
                  if (ms_stream_encode_request (&b, &req) != 0)
                    __builtin_trap ();
                  check_same (&b, payload, len);
                }
            }
          else
            {
              st = ms_stream_decode_frame (d, payload, len, number, &frame, err, sizeof err);
              peer = ms_stream_decoder_peer (d);
              newer = peer != NULL && peer->minor > MS_STREAM_VERSION_MINOR;
              if (st == MS_STREAM_OK && !newer)
                {
                  if (encode_frame (&b, &frame, peer != NULL ? peer->minor : frame.hello.minor)
                      != 0)
                    __builtin_trap ();
                  check_same (&b, payload, len);
                }
            }
          /* Every refusal says where. */
          if ((st == MS_STREAM_BAD || st == MS_STREAM_VERSION) && err[0] == '\0')
            __builtin_trap ();
        }
      if (got < 0)
        {
          if (err[0] == '\0')
            __builtin_trap ();
          break;
        }
    }
  ms_stream_reader_finish (r, err, sizeof err);
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
  ms_stream_reader_free (r);
  return 0;
}
