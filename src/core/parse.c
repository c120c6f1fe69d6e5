/* SPDX-License-Identifier: MIT */
/* Cursor parsers for the /proc files memscope reads every tick. */
#include "config.h"

#include "parse.h"

#include <string.h>

bool
ms_scan_u64 (const char **p, const char *end, uint64_t *out)
{
  const char *s = *p;
  uint64_t v = 0;

  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  if (s >= end || *s < '0' || *s > '9')
    return false;
  while (s < end && *s >= '0' && *s <= '9')
    {
      unsigned digit = (unsigned) (*s - '0');

      if (v > (UINT64_MAX - digit) / 10)
        return false;
      v = v * 10 + digit;
      s++;
    }
  *p = s;
  *out = v;
  return true;
}

bool
ms_scan_i64 (const char **p, const char *end, int64_t *out)
{
  const char *s = *p;
  bool negative = false;
  uint64_t v;

  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  if (s < end && *s == '-')
    {
      negative = true;
      s++;
    }
  if (!ms_scan_u64 (&s, end, &v))
    return false;
  if (negative ? v > (uint64_t) INT64_MAX + 1 : v > (uint64_t) INT64_MAX)
    return false;
  *out = negative ? (int64_t) (0 - v) : (int64_t) v;
  *p = s;
  return true;
}

/* Skips `n` space-separated fields, leaving the cursor on the space before the next one. */
static bool
skip_fields (const char **p, const char *end, int n)
{
  const char *s = *p;

  for (int i = 0; i < n; i++)
    {
      while (s < end && *s == ' ')
        s++;
      if (s >= end || *s == '\n')
        return false;
      while (s < end && *s != ' ' && *s != '\n')
        s++;
    }
  *p = s;
  return true;
}

static bool
scan_i32 (const char **p, const char *end, int32_t *out)
{
  int64_t v;

  if (!ms_scan_i64 (p, end, &v) || v < INT32_MIN || v > INT32_MAX)
    return false;
  *out = (int32_t) v;
  return true;
}

int
ms_parse_stat (const char *buf, size_t len, ms_stat_t *out)
{
  const char *end = buf + len;
  const char *p = buf;
  const char *open_paren, *close_paren = NULL;
  size_t comm_len;
  uint64_t flags;
  int64_t threads;

  memset (out, 0, sizeof *out);
  if (!scan_i32 (&p, end, &out->pid) || out->pid <= 0)
    return -1;
  open_paren = memchr (p, '(', (size_t) (end - p));
  if (open_paren == NULL)
    return -1;
  /* comm may itself hold ')' (and anything else): the real end is the last ')' of the line. */
  for (const char *q = end; q > open_paren + 1;)
    {
      q--;
      if (*q == ')')
        {
          close_paren = q;
          break;
        }
    }
  if (close_paren == NULL)
    return -1;
  comm_len = (size_t) (close_paren - open_paren - 1);
  if (comm_len >= sizeof out->comm)
    comm_len = sizeof out->comm - 1;
  memcpy (out->comm, open_paren + 1, comm_len);
  out->comm[comm_len] = '\0';

  p = close_paren + 1;
  if (p + 2 > end || p[0] != ' ')
    return -1;
  out->state = p[1];
  p += 2;
  /* Fields 4 (ppid) to 24 (rss). */
  if (!scan_i32 (&p, end, &out->ppid))
    return -1;
  if (!skip_fields (&p, end, 4)) /* pgrp session tty_nr tpgid */
    return -1;
  if (!ms_scan_u64 (&p, end, &flags))
    return -1;
  out->flags = (uint32_t) flags;
  if (!skip_fields (&p, end, 4)) /* minflt cminflt majflt cmajflt */
    return -1;
  if (!ms_scan_u64 (&p, end, &out->utime) || !ms_scan_u64 (&p, end, &out->stime))
    return -1;
  if (!skip_fields (&p, end, 4)) /* cutime cstime priority nice */
    return -1;
  if (!ms_scan_i64 (&p, end, &threads) || threads < 0 || threads > INT32_MAX)
    return -1;
  out->threads = (int32_t) threads;
  if (!skip_fields (&p, end, 1)) /* itrealvalue */
    return -1;
  if (!ms_scan_u64 (&p, end, &out->starttime))
    return -1;
  if (!skip_fields (&p, end, 1)) /* vsize */
    return -1;
  if (!ms_scan_u64 (&p, end, &out->rss_pages))
    return -1;
  return 0;
}

/* Matches `key:` at the start of a line and leaves the cursor after the colon. */
static bool
match_key (const char **p, const char *end, const char *key, size_t key_len)
{
  if ((size_t) (end - *p) <= key_len || memcmp (*p, key, key_len) != 0 || (*p)[key_len] != ':')
    return false;
  *p += key_len + 1;
  return true;
}

#define MATCH(p, end, lit) match_key (p, end, lit, sizeof lit - 1)

static const char *
next_line (const char *p, const char *end)
{
  const char *nl = memchr (p, '\n', (size_t) (end - p));

  return nl ? nl + 1 : end;
}

/* A "N kB" value as KiB; values past what an int64 holds are malformed. */
static bool
scan_kib (const char **p, const char *end, int64_t *out)
{
  uint64_t v;

  if (!ms_scan_u64 (p, end, &v) || v > (uint64_t) INT64_MAX)
    return false;
  *out = (int64_t) v;
  return true;
}

int
ms_parse_schedstat (const char *buf, size_t len, uint64_t *run_ns)
{
  const char *p = buf;
  const char *end = buf + len;
  uint64_t wait_ns, slices;

  if (!ms_scan_u64 (&p, end, run_ns) || !ms_scan_u64 (&p, end, &wait_ns)
      || !ms_scan_u64 (&p, end, &slices))
    return -1;
  return p < end && *p == '\n' ? 0 : -1;
}

int
ms_parse_status (const char *buf, size_t len, ms_status_t *out)
{
  const char *end = buf + len;
  bool has_rss = false;

  memset (out, 0, sizeof *out);
  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      const char *p = line;
      bool ok = true;

      switch (*p)
        {
        case 'U':
          if (MATCH (&p, end, "Uid"))
            {
              uint64_t uid;

              ok = ms_scan_u64 (&p, end, &uid) && uid <= UINT32_MAX;
              out->uid = (uint32_t) uid;
              out->has_uid = ok;
            }
          break;
        case 'T':
          if (MATCH (&p, end, "Threads"))
            ok = scan_i32 (&p, end, &out->threads);
          break;
        case 'V':
          if (MATCH (&p, end, "VmRSS"))
            ok = has_rss = scan_kib (&p, end, &out->rss_kib);
          else if (MATCH (&p, end, "VmSwap"))
            ok = scan_kib (&p, end, &out->swap_kib);
          else if (MATCH (&p, end, "VmHWM"))
            ok = scan_kib (&p, end, &out->hwm_kib);
          break;
        case 'R':
          if (MATCH (&p, end, "RssAnon"))
            ok = scan_kib (&p, end, &out->anon_kib);
          else if (MATCH (&p, end, "RssFile"))
            ok = scan_kib (&p, end, &out->file_kib);
          else if (MATCH (&p, end, "RssShmem"))
            ok = scan_kib (&p, end, &out->shmem_kib);
          break;
        default:
          break;
        }
      if (!ok)
        return -1;
    }
  out->has_vm = has_rss;
  /* Every process has Uid; a file without it was cut short. */
  return out->has_uid ? 0 : -1;
}

int
ms_parse_smaps_sum (const char *buf, size_t len, ms_smaps_sum_t *out)
{
  const char *end = buf + len;
  bool has_pss = false;
  int64_t v;

  memset (out, 0, sizeof *out);
  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      const char *p = line;
      int64_t *target = NULL;

      switch (*p)
        {
        case 'R':
          if (MATCH (&p, end, "Rss"))
            target = &out->rss_kib;
          break;
        case 'P':
          if (MATCH (&p, end, "Pss"))
            {
              target = &out->pss_kib;
              has_pss = true;
            }
          else if (MATCH (&p, end, "Private_Clean") || MATCH (&p, end, "Private_Dirty"))
            target = &out->uss_kib;
          break;
        case 'S':
          if (MATCH (&p, end, "Swap"))
            target = &out->swap_kib;
          else if (MATCH (&p, end, "SwapPss"))
            target = &out->swap_pss_kib;
          break;
        default:
          /* A mapping header starts with a hex address; field lines start with a capital. */
          if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
            out->mappings++;
          break;
        }
      if (target == NULL)
        continue;
      if (!scan_kib (&p, end, &v) || *target > INT64_MAX - v)
        return -1;
      *target += v;
    }
  return has_pss ? 0 : -1;
}

int
ms_parse_meminfo (const char *buf, size_t len, ms_meminfo_t *out)
{
  const char *end = buf + len;
  bool has_total = false, has_available = false;

  memset (out, 0, sizeof *out);
  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      const char *p = line;
      int64_t *target = NULL;

      if (MATCH (&p, end, "MemTotal"))
        target = &out->mem_total_kib, has_total = true;
      else if (MATCH (&p, end, "MemAvailable"))
        target = &out->mem_available_kib, has_available = true;
      else if (MATCH (&p, end, "MemFree"))
        target = &out->mem_free_kib;
      else if (MATCH (&p, end, "Cached"))
        target = &out->cached_kib;
      else if (MATCH (&p, end, "Buffers"))
        target = &out->buffers_kib;
      else if (MATCH (&p, end, "Shmem"))
        target = &out->shmem_kib;
      else if (MATCH (&p, end, "SwapTotal"))
        target = &out->swap_total_kib;
      else if (MATCH (&p, end, "SwapFree"))
        target = &out->swap_free_kib;
      else if (MATCH (&p, end, "Slab"))
        target = &out->slab_kib;
      if (target != NULL && !scan_kib (&p, end, target))
        return -1;
    }
  return has_total && has_available ? 0 : -1;
}

/* A decimal fraction such as 12.34 (the pressure averages). */
static bool
scan_fraction (const char **p, const char *end, double *out)
{
  uint64_t whole, frac = 0;
  double scale = 1.0;
  const char *s;

  if (!ms_scan_u64 (p, end, &whole))
    return false;
  s = *p;
  if (s < end && *s == '.')
    {
      s++;
      while (s < end && *s >= '0' && *s <= '9')
        {
          if (scale < 1e15)
            {
              frac = frac * 10 + (uint64_t) (*s - '0');
              scale *= 10.0;
            }
          s++;
        }
    }
  *p = s;
  *out = (double) whole + (double) frac / scale;
  return true;
}

static bool
scan_pressure_line (const char *p, const char *end, double *avg10, double *avg60)
{
  const char *nl = memchr (p, '\n', (size_t) (end - p));
  const char *line_end = nl ? nl : end;
  bool has10 = false, has60 = false;

  while (p < line_end)
    {
      while (p < line_end && *p == ' ')
        p++;
      if (line_end - p > 6 && memcmp (p, "avg10=", 6) == 0)
        {
          p += 6;
          if (!scan_fraction (&p, line_end, avg10))
            return false;
          has10 = true;
        }
      else if (line_end - p > 6 && memcmp (p, "avg60=", 6) == 0)
        {
          p += 6;
          if (!scan_fraction (&p, line_end, avg60))
            return false;
          has60 = true;
        }
      else
        while (p < line_end && *p != ' ')
          p++;
    }
  return has10 && has60;
}

int
ms_parse_pressure (const char *buf, size_t len, ms_pressure_t *out)
{
  const char *end = buf + len;
  bool some = false;

  memset (out, 0, sizeof *out);
  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      if (end - line > 5 && memcmp (line, "some ", 5) == 0)
        some = scan_pressure_line (line + 5, end, &out->some_avg10, &out->some_avg60);
      else if (end - line > 5 && memcmp (line, "full ", 5) == 0)
        scan_pressure_line (line + 5, end, &out->full_avg10, &out->full_avg60);
    }
  /* Older kernels report only "some"; "full" then stays 0. */
  out->valid = some;
  return some ? 0 : -1;
}

int
ms_parse_key_u64 (const char *buf, size_t len, const char *key, uint64_t *out)
{
  const char *end = buf + len;
  size_t key_len = strlen (key);

  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      const char *p = line + key_len;

      if ((size_t) (end - line) > key_len && memcmp (line, key, key_len) == 0 && *p == ' ')
        {
          uint64_t v;

          /* The whole value or nothing: "oom_kill 12abc" is malformed, not 12. */
          if (!ms_scan_u64 (&p, end, &v) || (p < end && *p != '\n' && *p != ' ' && *p != '\t'))
            return -1;
          *out = v;
          return 0;
        }
    }
  return -1;
}

void
ms_parse_cmdline (const char *buf, size_t len, char *out, size_t out_len)
{
  size_t n = 0;

  if (out_len == 0)
    return;
  while (len > 0 && buf[len - 1] == '\0')
    len--;
  for (size_t i = 0; i < len && n + 1 < out_len; i++)
    out[n++] = buf[i] == '\0' ? ' ' : buf[i];
  out[n] = '\0';
}

/* The basename of the first `len` bytes of path, as a pointer and length into it. */
static const char *
base_of (const char *path, size_t len, size_t *base_len)
{
  size_t start = 0;

  for (size_t i = 0; i < len; i++)
    if (path[i] == '/')
      start = i + 1;
  *base_len = len - start;
  return path + start;
}

static bool
extends (const char *comm, size_t comm_len, const char *base, size_t base_len)
{
  return base_len > comm_len && memcmp (base, comm, comm_len) == 0;
}

void
ms_full_name (const char *comm, const char *cmdline, const char *exe, char *out, size_t out_len)
{
  size_t comm_len = strlen (comm), len = 0, base_len;
  const char *base = NULL;

  if (out_len == 0)
    return;
  /* Only a comm that fills the kernel's 15 bytes can have been cut. */
  if (comm_len == 15)
    {
      const char *word = cmdline != NULL ? cmdline : "";
      size_t word_len = strcspn (word, " ");
      const char *b = base_of (word, word_len, &base_len);

      if (extends (comm, comm_len, b, base_len))
        base = b, len = base_len;
      else if (exe != NULL)
        {
          b = base_of (exe, strlen (exe), &base_len);
          if (extends (comm, comm_len, b, base_len))
            base = b, len = base_len;
        }
    }
  if (base == NULL)
    base = comm, len = comm_len;
  if (len >= out_len)
    len = out_len - 1;
  memcpy (out, base, len);
  out[len] = '\0';
}

/* Undoes systemd's unit-name escaping (\x2d for '-' and so on). */
static void
unescape_unit (const char *s, size_t len, char *out, size_t out_len)
{
  size_t n = 0;

  for (size_t i = 0; i < len && n + 1 < out_len; i++)
    {
      unsigned hi, lo;

      if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x')
        {
          char h = s[i + 2], l = s[i + 3];

          hi = (unsigned) (h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
          lo = (unsigned) (l >= 'a' ? l - 'a' + 10 : l >= 'A' ? l - 'A' + 10 : l - '0');
          if (hi < 16 && lo < 16 && (hi << 4 | lo) != 0)
            {
              out[n++] = (char) (hi << 4 | lo);
              i += 3;
              continue;
            }
        }
      out[n++] = s[i];
    }
  out[n] = '\0';
}

/* `app-[LAUNCHER-]ID-RANDOM.scope` or `app-[LAUNCHER-]ID@RANDOM.service`; a component between
 * slashes, without the slashes. */
static int
parse_app_unit (const char *s, size_t len, char *app_id, size_t app_id_len)
{
  const char *start, *stop;
  size_t suffix;

  if (len > 6 && memcmp (s + len - 6, ".scope", 6) == 0)
    suffix = 6;
  else if (len > 8 && memcmp (s + len - 8, ".service", 8) == 0)
    suffix = 8;
  else
    return -1;
  if (len < 4 + suffix + 1 || memcmp (s, "app-", 4) != 0)
    return -1;
  start = s + 4;
  stop = s + len - suffix;

  /* The random part follows the last '-' (scopes) or '@' (services). */
  {
    const char *at = memchr (start, '@', (size_t) (stop - start));

    if (at != NULL)
      stop = at;
    else if (suffix == 6)
      {
        const char *dash = NULL;

        for (const char *q = start; q < stop; q++)
          if (*q == '-')
            dash = q;
        if (dash != NULL)
          stop = dash;
      }
  }
  /* An unescaped '-' left separates the launcher (gnome, kde, flatpak…) from the id: ids escape
   * their own dashes. */
  {
    const char *dash = memchr (start, '-', (size_t) (stop - start));

    if (dash != NULL)
      start = dash + 1;
  }
  if (stop <= start)
    return -1;
  unescape_unit (start, (size_t) (stop - start), app_id, app_id_len);
  return 0;
}

/* `snap.NAME.APP-UUID.scope` or `snap.NAME.APP.service`: the snap name. */
static int
parse_snap_unit (const char *s, size_t len, char *app_id, size_t app_id_len)
{
  const char *name, *dot;
  size_t n;

  if (len < 6 || memcmp (s, "snap.", 5) != 0)
    return -1;
  if (!((len > 6 && memcmp (s + len - 6, ".scope", 6) == 0)
        || (len > 8 && memcmp (s + len - 8, ".service", 8) == 0)))
    return -1;
  name = s + 5;
  dot = memchr (name, '.', len - 5);
  if (dot == NULL || dot == name)
    return -1;
  n = (size_t) (dot - name);
  if (n + 1 > app_id_len)
    n = app_id_len - 1;
  memcpy (app_id, name, n);
  app_id[n] = '\0';
  return 0;
}

int
ms_parse_cgroup_app (const char *buf, size_t len, char *app_id, size_t app_id_len)
{
  const char *end = buf + len;

  if (app_id_len == 0)
    return -1;
  app_id[0] = '\0';
  /* v2 has one line "0::/path"; v1 one per hierarchy, where name=systemd carries the scope. */
  for (const char *line = buf; line < end; line = next_line (line, end))
    {
      const char *nl = memchr (line, '\n', (size_t) (end - line));
      const char *line_end = nl ? nl : end;
      const char *colon1 = memchr (line, ':', (size_t) (line_end - line));
      const char *colon2 = colon1 ? memchr (colon1 + 1, ':', (size_t) (line_end - colon1 - 1)) : NULL;
      const char *path = colon2 ? colon2 + 1 : NULL;

      if (path == NULL)
        continue;
      /* The innermost application unit wins: walk the components from the end. */
      for (const char *comp_end = line_end; comp_end > path;)
        {
          const char *comp_start = comp_end;

          while (comp_start > path && comp_start[-1] != '/')
            comp_start--;
          if (parse_app_unit (comp_start, (size_t) (comp_end - comp_start), app_id, app_id_len) == 0
              || parse_snap_unit (comp_start, (size_t) (comp_end - comp_start), app_id,
                                  app_id_len) == 0)
            return 0;
          comp_end = comp_start > path ? comp_start - 1 : path;
        }
    }
  return -1;
}

int
ms_parse_passwd_line (const char *line, size_t len, char *name, size_t name_len, uint32_t *uid)
{
  const char *end = line + len;
  const char *colon1 = memchr (line, ':', len);
  const char *colon2, *p;
  uint64_t v;
  size_t n;

  if (len == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' || colon1 == NULL
      || colon1 == line || name_len == 0)
    return -1;
  colon2 = memchr (colon1 + 1, ':', (size_t) (end - colon1 - 1));
  if (colon2 == NULL)
    return -1;
  p = colon2 + 1;
  if (!ms_scan_u64 (&p, end, &v) || p >= end || *p != ':' || v > UINT32_MAX)
    return -1;
  n = (size_t) (colon1 - line);
  if (n + 1 > name_len)
    n = name_len - 1;
  memcpy (name, line, n);
  name[n] = '\0';
  *uid = (uint32_t) v;
  return 0;
}
