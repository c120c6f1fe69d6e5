/* SPDX-License-Identifier: MIT */
/* What `serve` reads from outside: the --listen address and a scraper's Accept header. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

/* memscope's default port: free in Prometheus's list of default port allocations when chosen. */
#define MS_SERVE_DEFAULT_PORT 10164

typedef struct
{
  bool ipv6;
  uint8_t addr[16]; /* network order; the first 4 bytes for IPv4 */
  uint16_t port;    /* 0: any free port (serve prints the one it got) */
} ms_listen_t;

/* Parses "ADDR:PORT", "[IPV6]:PORT", "localhost:PORT", or an address alone (the default port).
 * Names other than localhost are refused: serve resolves nothing.  Returns true, or false with a
 * reason in `err`. */
bool ms_listen_parse (const char *text, ms_listen_t *out, char *err, size_t err_len);

/* Writes "127.0.0.1:10164" or "[::1]:10164". */
void ms_listen_format (const ms_listen_t *l, char *buf, size_t len);

/* Which format an Accept header asks for: OpenMetrics when it weighs an
 * application/openmetrics-text type above every type that text/plain would match, else the text
 * format (also for a missing or malformed header). */
ms_expo_format_t ms_expo_negotiate (const char *accept);
