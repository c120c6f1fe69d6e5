/* SPDX-License-Identifier: MIT */
/* Parsing serve's --listen address and a scraper's Accept header. */
#include "config.h"

#include "serve-parse.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool
parse_port (const char *text, uint16_t *out)
{
  unsigned long v = 0;

  if (*text == '\0' || strlen (text) > 5)
    return false;
  for (const char *p = text; *p; p++)
    {
      if (*p < '0' || *p > '9')
        return false;
      v = v * 10 + (unsigned long) (*p - '0');
    }
  if (v > 65535)
    return false;
  *out = (uint16_t) v;
  return true;
}

bool
ms_listen_parse (const char *text, ms_listen_t *out, char *err, size_t err_len)
{
  char host[64];
  const char *port_text = NULL;
  size_t host_len;

  memset (out, 0, sizeof *out);
  out->port = MS_SERVE_DEFAULT_PORT;
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        {
          snprintf (err, err_len, "\"%s\" opens [ for an IPv6 address but never closes it", text);
          return false;
        }
      host_len = (size_t) (close - text - 1);
      if (host_len >= sizeof host)
        goto bad_address;
      memcpy (host, text + 1, host_len);
      host[host_len] = '\0';
      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        {
          snprintf (err, err_len, "\"%s\": expected :PORT after the ]", text);
          return false;
        }
      if (inet_pton (AF_INET6, host, out->addr) != 1)
        goto bad_address;
      out->ipv6 = true;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon != NULL && strchr (text, ':') != colon)
        {
          snprintf (err, err_len, "\"%s\": write an IPv6 address in brackets, as [::1]:PORT", text);
          return false;
        }
      host_len = colon ? (size_t) (colon - text) : strlen (text);
      if (host_len >= sizeof host)
        goto bad_address;
      memcpy (host, text, host_len);
      host[host_len] = '\0';
      if (colon != NULL)
        port_text = colon + 1;
      if (strcmp (host, "localhost") == 0)
        strcpy (host, "127.0.0.1");
      if (host[0] == '\0' || inet_pton (AF_INET, host, out->addr) != 1)
        goto bad_address;
    }
  if (port_text != NULL && !parse_port (port_text, &out->port))
    {
      snprintf (err, err_len, "\"%s\": the port must be a number from 0 to 65535", text);
      return false;
    }
  return true;

bad_address:
  snprintf (err, err_len,
            "\"%s\" is not ADDR:PORT with a numeric IPv4 address, [IPv6] or localhost", text);
  return false;
}

void
ms_listen_format (const ms_listen_t *l, char *buf, size_t len)
{
  char host[INET6_ADDRSTRLEN];

  inet_ntop (l->ipv6 ? AF_INET6 : AF_INET, l->addr, host, sizeof host);
  if (l->ipv6)
    snprintf (buf, len, "[%s]:%u", host, (unsigned) l->port);
  else
    snprintf (buf, len, "%s:%u", host, (unsigned) l->port);
}

static const char *
skip_space (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* Reads a q value ("0", "0.5", "1", "1.000"); -1 when malformed. */
static double
parse_q (const char *p, const char *end)
{
  double v = 0, scale = 0.1;

  if (p >= end || (*p != '0' && *p != '1'))
    return -1;
  v = *p++ - '0';
  if (p < end && *p == '.')
    for (p++; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
      v += (*p - '0') * scale;
  p = skip_space (p, end);
  if (p != end || v > 1.0)
    return -1;
  return v;
}

static bool
type_is (const char *p, size_t n, const char *type)
{
  return strlen (type) == n && strncasecmp (p, type, n) == 0;
}

ms_expo_format_t
ms_expo_negotiate (const char *accept)
{
  double best_om = 0, best_text = 0;
  const char *p = accept;

  if (accept == NULL)
    return MS_EXPO_TEXT;
  while (*p)
    {
      const char *item_end = strchr (p, ',');
      const char *type, *type_end, *q;
      double weight = 1;

      if (item_end == NULL)
        item_end = p + strlen (p);
      type = skip_space (p, item_end);
      type_end = type;
      while (type_end < item_end && *type_end != ';' && *type_end != ' ' && *type_end != '\t')
        type_end++;
      /* Parameters: only q matters here. */
      for (q = type_end; q < item_end; q++)
        if (*q == ';')
          {
            const char *name = skip_space (q + 1, item_end);
            const char *next = memchr (name, ';', (size_t) (item_end - name));

            if (item_end - name >= 2 && (name[0] == 'q' || name[0] == 'Q') && name[1] == '=')
              weight = parse_q (name + 2, next ? next : item_end);
          }
      if (weight > 0)
        {
          size_t n = (size_t) (type_end - type);

          if (type_is (type, n, "application/openmetrics-text"))
            best_om = weight > best_om ? weight : best_om;
          else if (type_is (type, n, "text/plain") || type_is (type, n, "text/*")
                   || type_is (type, n, "*/*"))
            best_text = weight > best_text ? weight : best_text;
        }
      p = *item_end ? item_end + 1 : item_end;
    }
  return best_om > 0 && best_om > best_text ? MS_EXPO_OPENMETRICS : MS_EXPO_TEXT;
}
