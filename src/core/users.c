/* SPDX-License-Identifier: MIT */
/* A small uid -> name cache over the passwd file. */
#include "config.h"

#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "ms-types.h"
#include "parse.h"

#define RECHECK_S 10.0

typedef struct
{
  uint32_t uid;
  char name[MS_USER_MAX];
} user_t;

struct ms_users
{
  char *path;
  user_t *users;
  size_t n_users;
  size_t capacity;
  double checked_s;
  bool loaded;
  struct timespec mtime;
  off_t size;
};

static int
compare_uid (const void *a, const void *b)
{
  const user_t *ua = a, *ub = b;

  return ua->uid < ub->uid ? -1 : ua->uid > ub->uid;
}

static void
load (ms_users_t *self)
{
  struct stat st;
  FILE *f;
  char line[1024];

  self->n_users = 0;
  self->loaded = true;
  if (stat (self->path, &st) != 0)
    return;
  self->mtime = st.st_mtim;
  self->size = st.st_size;
  f = fopen (self->path, "re");
  if (f == NULL)
    return;
  while (fgets (line, sizeof line, f) != NULL)
    {
      user_t user;
      size_t len = strcspn (line, "\n");

      if (ms_parse_passwd_line (line, len, user.name, sizeof user.name, &user.uid) != 0)
        continue;
      if (ms_grow ((void **) &self->users, &self->capacity, self->n_users + 1, sizeof *self->users)
          != 0)
        break;
      self->users[self->n_users++] = user;
    }
  fclose (f);
  qsort (self->users, self->n_users, sizeof *self->users, compare_uid);
}

ms_users_t *
ms_users_new (const char *passwd_path)
{
  ms_users_t *self = ms_calloc (1, sizeof *self);

  if (self == NULL)
    return NULL;
  self->path = ms_strdup (passwd_path ? passwd_path : "/etc/passwd");
  if (self->path == NULL)
    {
      ms_free (self);
      return NULL;
    }
  self->checked_s = -1e18;
  return self;
}

void
ms_users_free (ms_users_t *self)
{
  if (self == NULL)
    return;
  ms_free (self->users);
  ms_free (self->path);
  ms_free (self);
}

static void
maybe_reload (ms_users_t *self, double now_s)
{
  struct stat st;

  if (self->loaded && now_s - self->checked_s < RECHECK_S)
    return;
  self->checked_s = now_s;
  if (!self->loaded)
    {
      load (self);
      return;
    }
  if (stat (self->path, &st) == 0
      && (st.st_size != self->size || st.st_mtim.tv_sec != self->mtime.tv_sec
          || st.st_mtim.tv_nsec != self->mtime.tv_nsec))
    load (self);
}

void
ms_users_lookup (ms_users_t *self, uint32_t uid, double now_s, char *out, size_t out_len)
{
  user_t key = { .uid = uid };
  const user_t *found;

  maybe_reload (self, now_s);
  found = bsearch (&key, self->users, self->n_users, sizeof *self->users, compare_uid);
  if (found != NULL)
    snprintf (out, out_len, "%s", found->name);
  else
    snprintf (out, out_len, "%u", uid);
}
