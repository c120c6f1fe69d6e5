/* SPDX-License-Identifier: MIT */
/* Groups a process's smaps mappings by kind and name, and diffs two groupings by growth. */
#include "config.h"

#include "smaps-groups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "parse.h"
#include "procfs.h"

#define DELETED_SUFFIX " (deleted)"
#define LIT_LEN(s) (sizeof (s) - 1)

static const char *const kind_names[MS_SMAPS_N_KINDS] = {
  [MS_SMAPS_HEAP] = "heap",       [MS_SMAPS_STACK] = "stack",
  [MS_SMAPS_ANON] = "anon",       [MS_SMAPS_ANON_NAMED] = "anon_named",
  [MS_SMAPS_FILE] = "file",       [MS_SMAPS_SHMEM] = "shmem",
  [MS_SMAPS_MEMFD] = "memfd",     [MS_SMAPS_DELETED] = "deleted",
  [MS_SMAPS_SPECIAL] = "special",
};

const char *
ms_smaps_kind_name (ms_smaps_kind_t kind)
{
  if ((unsigned) kind >= MS_SMAPS_N_KINDS)
    return "unknown";
  return kind_names[kind];
}

void
ms_smaps_groups_init (ms_smaps_groups_t *g)
{
  memset (g, 0, sizeof *g);
  g->total.kind = MS_SMAPS_N_KINDS;
  g->total.name = "";
}

void
ms_smaps_groups_clear (ms_smaps_groups_t *g)
{
  ms_free (g->groups);
  ms_free (g->pool);
  ms_free (g->slots);
  ms_free (g->text);
  ms_smaps_groups_init (g);
}

void
ms_smaps_groups_reset (ms_smaps_groups_t *g)
{
  g->n_groups = 0;
  g->n_mappings = 0;
  g->pool_len = 0;
  g->error_line = 0;
  g->error = NULL;
  memset (&g->total, 0, sizeof g->total);
  g->total.kind = MS_SMAPS_N_KINDS;
  g->total.name = "";
  if (g->slots != NULL)
    memset (g->slots, 0, g->n_slots * sizeof *g->slots);
}

static uint32_t
hash_name (ms_smaps_kind_t kind, const char *name, size_t len)
{
  uint32_t h = 2166136261u ^ (uint32_t) kind;

  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char) name[i]) * 16777619u;
  return h;
}

static bool
group_matches (const ms_smaps_groups_t *g, const ms_smaps_group_t *e, uint32_t h,
               ms_smaps_kind_t kind, const char *name, size_t len)
{
  return e->hash == h && e->kind == kind && e->name_len == len
         && memcmp (g->pool + e->name_off, name, len) == 0;
}

const ms_smaps_group_t *
ms_smaps_groups_find (const ms_smaps_groups_t *g, ms_smaps_kind_t kind, const char *name,
                      size_t name_len)
{
  uint32_t h;
  size_t mask;

  if (g->n_slots == 0 || g->n_groups == 0)
    return NULL;
  h = hash_name (kind, name, name_len);
  mask = g->n_slots - 1;
  for (size_t i = h & mask; g->slots[i] != 0; i = (i + 1) & mask)
    {
      const ms_smaps_group_t *e = &g->groups[g->slots[i] - 1];

      if (group_matches (g, e, h, kind, name, name_len))
        return e;
    }
  return NULL;
}

/* Keeps the table at most half full, so probes stay short with thousands of libraries. */
static int
rehash (ms_smaps_groups_t *g, size_t need)
{
  size_t n = g->n_slots ? g->n_slots : 64;
  uint32_t *slots;

  while (n < need * 2)
    n *= 2;
  if (n == g->n_slots)
    return 0;
  slots = ms_calloc (n, sizeof *slots);
  if (slots == NULL)
    return -1;
  for (size_t j = 0; j < g->n_groups; j++)
    {
      size_t i = g->groups[j].hash & (n - 1);

      while (slots[i] != 0)
        i = (i + 1) & (n - 1);
      slots[i] = (uint32_t) j + 1;
    }
  ms_free (g->slots);
  g->slots = slots;
  g->n_slots = n;
  return 0;
}

ms_smaps_group_t *
ms_smaps_groups_add (ms_smaps_groups_t *g, ms_smaps_kind_t kind, const char *name,
                     size_t name_len, bool *created)
{
  uint32_t h;
  size_t mask, i;
  char *old_pool = g->pool;
  ms_smaps_group_t *e;

  if ((unsigned) kind >= MS_SMAPS_N_KINDS || name_len >= UINT32_MAX / 4
      || g->pool_len + name_len + 1 >= UINT32_MAX || g->n_groups >= UINT32_MAX - 1)
    return NULL;
  if (created != NULL)
    *created = false;
  h = hash_name (kind, name, name_len);
  if (g->n_slots > 0)
    {
      mask = g->n_slots - 1;
      for (i = h & mask; g->slots[i] != 0; i = (i + 1) & mask)
        {
          e = &g->groups[g->slots[i] - 1];
          if (group_matches (g, e, h, kind, name, name_len))
            return e;
        }
    }

  if (rehash (g, g->n_groups + 1) != 0
      || ms_grow ((void **) &g->groups, &g->groups_cap, g->n_groups + 1, sizeof *g->groups) != 0
      || ms_grow ((void **) &g->pool, &g->pool_cap, g->pool_len + name_len + 1, 1) != 0)
    return NULL;
  if (g->pool != old_pool)
    for (size_t j = 0; j < g->n_groups; j++)
      g->groups[j].name = g->pool + g->groups[j].name_off;

  e = &g->groups[g->n_groups];
  memset (e, 0, sizeof *e);
  e->kind = kind;
  e->hash = h;
  e->name_off = (uint32_t) g->pool_len;
  e->name_len = (uint32_t) name_len;
  if (name_len > 0)
    memcpy (g->pool + g->pool_len, name, name_len);
  g->pool[g->pool_len + name_len] = '\0';
  g->pool_len += name_len + 1;
  e->name = g->pool + e->name_off;

  mask = g->n_slots - 1;
  for (i = h & mask; g->slots[i] != 0; i = (i + 1) & mask)
    ;
  g->slots[i] = (uint32_t) g->n_groups + 1;
  g->n_groups++;
  if (created != NULL)
    *created = true;
  return e;
}

static bool
has_prefix (const char *p, size_t len, const char *prefix, size_t prefix_len)
{
  return len >= prefix_len && memcmp (p, prefix, prefix_len) == 0;
}

static bool
is_sysv_name (const char *p, size_t len)
{
  /* The kernel names a SysV segment "/SYSV" and its key in eight hex digits. */
  if (len != 5 + 8 || !has_prefix (p, len, "/SYSV", 5))
    return false;
  for (size_t i = 5; i < len; i++)
    if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
      return false;
  return true;
}

/* Decides a mapping's kind from its path column and narrows the name to what the user
 * recognises (the inner NAME of [anon:NAME] and /memfd:NAME; no " (deleted)"). */
static ms_smaps_kind_t
classify (const char *path, size_t len, const char **name, size_t *name_len)
{
  bool deleted = false;

  *name = path;
  *name_len = len;
  if (len == 0)
    return MS_SMAPS_ANON;
  if (path[0] == '[')
    {
      if (len == LIT_LEN ("[heap]") && memcmp (path, "[heap]", len) == 0)
        return MS_SMAPS_HEAP;
      if ((len == LIT_LEN ("[stack]") && memcmp (path, "[stack]", len) == 0)
          || has_prefix (path, len, "[stack:", LIT_LEN ("[stack:")))
        {
          /* Old kernels named each thread's stack; they are one kind of growth. */
          *name = "[stack]";
          *name_len = LIT_LEN ("[stack]");
          return MS_SMAPS_STACK;
        }
      if (has_prefix (path, len, "[anon:", LIT_LEN ("[anon:")) && path[len - 1] == ']')
        {
          *name = path + LIT_LEN ("[anon:");
          *name_len = len - LIT_LEN ("[anon:") - 1;
          return MS_SMAPS_ANON_NAMED;
        }
      if (has_prefix (path, len, "[anon_shmem:", LIT_LEN ("[anon_shmem:")))
        return MS_SMAPS_SHMEM;
      return MS_SMAPS_SPECIAL;
    }
  if (len > LIT_LEN (DELETED_SUFFIX)
      && memcmp (path + len - LIT_LEN (DELETED_SUFFIX), DELETED_SUFFIX, LIT_LEN (DELETED_SUFFIX))
           == 0)
    {
      deleted = true;
      len -= LIT_LEN (DELETED_SUFFIX);
      *name_len = len;
    }
  if (has_prefix (path, len, "/memfd:", LIT_LEN ("/memfd:")))
    {
      *name = path + LIT_LEN ("/memfd:");
      *name_len = len - LIT_LEN ("/memfd:");
      return MS_SMAPS_MEMFD;
    }
  if (has_prefix (path, len, "/dev/shm/", LIT_LEN ("/dev/shm/")) || is_sysv_name (path, len)
      || (deleted && len == LIT_LEN ("/dev/zero") && memcmp (path, "/dev/zero", len) == 0))
    return MS_SMAPS_SHMEM;
  if (len == LIT_LEN ("/anon_hugepage") && memcmp (path, "/anon_hugepage", len) == 0)
    return MS_SMAPS_ANON;
  return deleted ? MS_SMAPS_DELETED : MS_SMAPS_FILE;
}

static bool
is_lower_hex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool
scan_hex (const char **p, const char *end, uint64_t *out)
{
  const char *s = *p;
  uint64_t v = 0;

  if (s >= end || !is_lower_hex (*s))
    return false;
  for (; s < end && is_lower_hex (*s); s++)
    {
      if (v >> 60)
        return false;
      v = (v << 4) | (uint64_t) (*s <= '9' ? *s - '0' : *s - 'a' + 10);
    }
  *p = s;
  *out = v;
  return true;
}

/* "START-END PERMS OFFSET DEV INODE [PATH]": the size in KiB and the path (may be empty; may
 * hold spaces). */
static bool
parse_header (const char *p, const char *eol, int64_t *size_kib, const char **path,
              size_t *path_len)
{
  uint64_t start, end;

  if (!scan_hex (&p, eol, &start) || p >= eol || *p != '-')
    return false;
  p++;
  if (!scan_hex (&p, eol, &end) || end < start || p >= eol || *p != ' ')
    return false;
  for (int field = 0; field < 4; field++)
    {
      while (p < eol && *p == ' ')
        p++;
      if (p >= eol)
        return false;
      while (p < eol && *p != ' ')
        p++;
    }
  while (p < eol && *p == ' ')
    p++;
  *size_kib = (int64_t) ((end - start) / 1024);
  *path = p;
  *path_len = (size_t) (eol - p);
  return true;
}

/* "Key:   123 kB": which of the summed fields the key is (NULL for the others), and its value. */
enum
{
  FIELD_OTHER,
  FIELD_RSS,
  FIELD_PSS,
  FIELD_SWAP,
  FIELD_PRIVATE,
  FIELD_BAD,
};

static int
parse_field (const char *p, const char *eol, int64_t *value)
{
  const char *key = p;
  size_t key_len;
  int which;

  while (p < eol && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
                     || (*p >= '0' && *p <= '9') || *p == '_'))
    p++;
  key_len = (size_t) (p - key);
  if (key_len == 0 || p >= eol || *p != ':')
    return FIELD_BAD;
  p++;
  if (key_len == 3 && memcmp (key, "Rss", 3) == 0)
    which = FIELD_RSS;
  else if (key_len == 3 && memcmp (key, "Pss", 3) == 0)
    which = FIELD_PSS;
  else if (key_len == 4 && memcmp (key, "Swap", 4) == 0)
    which = FIELD_SWAP;
  else if (key_len == 13
           && (memcmp (key, "Private_Clean", 13) == 0 || memcmp (key, "Private_Dirty", 13) == 0))
    which = FIELD_PRIVATE;
  else
    return FIELD_OTHER;
  if (!ms_scan_i64 (&p, eol, value) || *value < 0)
    return FIELD_BAD;
  while (p < eol && *p == ' ')
    p++;
  if (eol - p < 2 || p[0] != 'k' || p[1] != 'B')
    return FIELD_BAD;
  for (p += 2; p < eol; p++)
    if (*p != ' ' && *p != '\r')
      return FIELD_BAD;
  return which;
}

static bool
add_kib (int64_t *sum, int64_t v)
{
  if (*sum > INT64_MAX - v)
    return false;
  *sum += v;
  return true;
}

static int
fail (ms_smaps_groups_t *out, size_t line_no, const char *why)
{
  out->error_line = line_no;
  out->error = why;
  return -1;
}

int
ms_smaps_groups_parse (const char *buf, size_t len, ms_smaps_groups_t *out)
{
  const char *end = buf + len;
  const char *next;
  size_t line_no = 0;
  size_t cur = SIZE_MAX; /* index of the current mapping's group */

  ms_smaps_groups_reset (out);
  for (const char *line = buf; line < end; line = next)
    {
      const char *eol = memchr (line, '\n', (size_t) (end - line));

      if (eol == NULL)
        eol = end;
      next = eol < end ? eol + 1 : end;
      line_no++;
      if (line == eol)
        continue;

      if (is_lower_hex (*line))
        {
          const char *path, *name;
          size_t path_len, name_len;
          int64_t size_kib;
          ms_smaps_group_t *g;
          ms_smaps_kind_t kind;

          if (!parse_header (line, eol, &size_kib, &path, &path_len))
            return fail (out, line_no, "a mapping line that is not START-END PERMS OFFSET DEV INODE");
          kind = classify (path, path_len, &name, &name_len);
          g = ms_smaps_groups_add (out, kind, name, name_len, NULL);
          if (g == NULL)
            {
              out->error_line = line_no;
              out->error = "out of memory";
              return -2;
            }
          if (!add_kib (&g->size_kib, size_kib) || !add_kib (&out->total.size_kib, size_kib))
            return fail (out, line_no, "sizes add up past 64 bits");
          g->mappings++;
          out->total.mappings++;
          out->n_mappings++;
          cur = (size_t) (g - out->groups);
        }
      else
        {
          int64_t v = 0;
          int which = parse_field (line, eol, &v);
          ms_smaps_group_t *g;
          bool ok = true;

          if (which == FIELD_BAD)
            return fail (out, line_no, "neither a mapping nor a \"Key: value\" field");
          if (which == FIELD_OTHER)
            continue;
          if (cur == SIZE_MAX)
            return fail (out, line_no, "a size field before the first mapping");
          g = &out->groups[cur];
          switch (which)
            {
            case FIELD_RSS:
              ok = add_kib (&g->rss_kib, v) && add_kib (&out->total.rss_kib, v);
              break;
            case FIELD_PSS:
              ok = add_kib (&g->pss_kib, v) && add_kib (&out->total.pss_kib, v);
              break;
            case FIELD_SWAP:
              ok = add_kib (&g->swap_kib, v) && add_kib (&out->total.swap_kib, v);
              break;
            case FIELD_PRIVATE:
              ok = add_kib (&g->private_kib, v) && add_kib (&out->total.private_kib, v);
              break;
            default:
              break;
            }
          if (!ok)
            return fail (out, line_no, "sizes add up past 64 bits");
        }
    }
  return 0;
}

/* Which files a fixture tree declares unreadable (see the sampler): tests run as root.  Only a
 * proc root other than /proc is asked: the real one never has such a file. */
static bool
fixture_unreadable (const char *proc_root, int dirfd, const char *file)
{
  char buf[512];
  ssize_t n;
  size_t len = strlen (file);

  if (strcmp (proc_root, "/proc") == 0)
    return false;
  n = ms_read_at (dirfd, ".unreadable", buf, sizeof buf, NULL);
  if (n <= 0)
    return false;
  for (const char *p = buf; (p = strstr (p, file)) != NULL; p += len)
    if ((p == buf || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0'))
      return true;
  return false;
}

/* 0 when the process behind dir_fd is still the one that started at `starttime` and has not
 * begun to exit (PF_EXITING: its memory may be torn down under a reader); else -ESRCH, or the
 * error of reading its stat. */
static int
still_there (int dir_fd, uint64_t starttime)
{
  char buf[2048];
  ms_stat_t st;
  ssize_t n = ms_read_at (dir_fd, "stat", buf, sizeof buf, NULL);

  if (n < 0)
    return n == -ENOENT ? -ESRCH : (int) n;
  if (n == 0 || ms_parse_stat (buf, (size_t) n, &st) != 0 || st.starttime != starttime
      || (st.flags & MS_PF_EXITING) != 0)
    return -ESRCH;
  return 0;
}

int
ms_smaps_groups_read (const char *proc_root, int32_t pid, uint64_t starttime,
                      ms_smaps_groups_t *out)
{
  char name[32];
  int root_fd, dir_fd, err, rc;
  ssize_t n = 0;

  ms_smaps_groups_reset (out);
  if (pid <= 0 || proc_root == NULL)
    return -EINVAL;
  root_fd = open (proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return -errno;
  snprintf (name, sizeof name, "%d", (int) pid);
  dir_fd = openat (root_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  err = errno;
  close (root_fd);
  if (dir_fd < 0)
    return err == ENOENT ? -ESRCH : -err;

  /* The directory descriptor pins this process: if it exits and its pid is reused, reads through
   * it fail instead of reaching the newcomer, so checking stat here covers the smaps read too.
   * Checked again after the read: a process that began to exit meanwhile may have had part of
   * its memory torn down under the reader, and that is not its memory shrinking. */
  rc = still_there (dir_fd, starttime);
  if (rc == 0 && fixture_unreadable (proc_root, dir_fd, "smaps"))
    rc = -EACCES;
  if (rc == 0)
    {
      n = ms_read_at_grow (dir_fd, "smaps", &out->text, &out->text_cap);
      if (n < 0)
        rc = n == -ENOENT ? -ESRCH : (int) n;
    }
  if (rc == 0)
    rc = still_there (dir_fd, starttime);
  close (dir_fd);
  if (rc != 0)
    return rc;
  switch (ms_smaps_groups_parse (out->text, (size_t) n, out))
    {
    case 0:
      return 0;
    case -2:
      return -ENOMEM;
    default:
      return -EBADMSG;
    }
}

int
ms_smaps_groups_copy (ms_smaps_groups_t *dst, const ms_smaps_groups_t *src)
{
  ms_smaps_groups_reset (dst);
  if (dst == src)
    return 0;
  for (size_t i = 0; i < src->n_groups; i++)
    {
      const ms_smaps_group_t *from = &src->groups[i];
      ms_smaps_group_t *to = ms_smaps_groups_add (dst, from->kind, from->name, from->name_len, NULL);

      if (to == NULL)
        {
          ms_smaps_groups_reset (dst);
          return -1;
        }
      to->mappings = from->mappings;
      to->size_kib = from->size_kib;
      to->rss_kib = from->rss_kib;
      to->pss_kib = from->pss_kib;
      to->swap_kib = from->swap_kib;
      to->private_kib = from->private_kib;
    }
  dst->total = src->total;
  dst->total.name = "";
  dst->n_mappings = src->n_mappings;
  dst->error_line = src->error_line;
  dst->error = src->error;
  return 0;
}

void
ms_smaps_diff_init (ms_smaps_diff_t *d)
{
  memset (d, 0, sizeof *d);
}

void
ms_smaps_diff_clear (ms_smaps_diff_t *d)
{
  ms_free (d->changes);
  ms_smaps_diff_init (d);
}

static int
compare_change (const void *a, const void *b)
{
  const ms_smaps_change_t *ca = a, *cb = b;
  int c;

  if (ca->growth_kib != cb->growth_kib)
    return ca->growth_kib > cb->growth_kib ? -1 : 1;
  if (ca->rss_kib != cb->rss_kib)
    return ca->rss_kib > cb->rss_kib ? -1 : 1;
  if (ca->kind != cb->kind)
    return ca->kind < cb->kind ? -1 : 1;
  c = strcmp (ca->name, cb->name);
  if (c != 0)
    return c;
  /* Same kind and name: one is gone and one appeared cannot both hold, but keep it total. */
  return (int) ca->gone - (int) cb->gone;
}

static void
fill_change (ms_smaps_change_t *c, const ms_smaps_group_t *was, const ms_smaps_group_t *is)
{
  static const ms_smaps_group_t zero = { 0 };
  const ms_smaps_group_t *b = was ? was : &zero;
  const ms_smaps_group_t *n = is ? is : &zero;

  memset (c, 0, sizeof *c);
  c->kind = is ? is->kind : was->kind;
  c->name = is ? is->name : was->name;
  c->mappings = n->mappings;
  c->size_kib = n->size_kib;
  c->rss_kib = n->rss_kib;
  c->pss_kib = n->pss_kib;
  c->swap_kib = n->swap_kib;
  c->private_kib = n->private_kib;
  /* Values come from parses that refuse sums past INT64_MAX, and none is negative, so these
   * differences cannot overflow. */
  c->size_delta_kib = n->size_kib - b->size_kib;
  c->rss_delta_kib = n->rss_kib - b->rss_kib;
  c->pss_delta_kib = n->pss_kib - b->pss_kib;
  c->swap_delta_kib = n->swap_kib - b->swap_kib;
  c->private_delta_kib = n->private_kib - b->private_kib;
  if (__builtin_add_overflow (c->rss_delta_kib, c->swap_delta_kib, &c->growth_kib))
    c->growth_kib = c->rss_delta_kib > 0 ? INT64_MAX : INT64_MIN;
  c->appeared = was == NULL;
  c->gone = is == NULL;
}

int
ms_smaps_groups_diff (const ms_smaps_groups_t *before, const ms_smaps_groups_t *now,
                      ms_smaps_diff_t *out)
{
  size_t n = 0;

  out->n_changes = 0;
  if (ms_grow ((void **) &out->changes, &out->cap, now->n_groups + before->n_groups + 1,
               sizeof *out->changes)
      != 0)
    return -1;
  for (size_t i = 0; i < now->n_groups; i++)
    {
      const ms_smaps_group_t *g = &now->groups[i];
      const ms_smaps_group_t *was = ms_smaps_groups_find (before, g->kind, g->name, g->name_len);

      fill_change (&out->changes[n++], was, g);
    }
  for (size_t i = 0; i < before->n_groups; i++)
    {
      const ms_smaps_group_t *g = &before->groups[i];

      if (ms_smaps_groups_find (now, g->kind, g->name, g->name_len) == NULL)
        fill_change (&out->changes[n++], g, NULL);
    }
  out->n_changes = n;
  qsort (out->changes, n, sizeof *out->changes, compare_change);
  return 0;
}
