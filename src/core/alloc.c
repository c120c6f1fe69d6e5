/* SPDX-License-Identifier: MIT */
/* Counted allocation wrappers for the core. */
#include "config.h"

#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t alloc_count;

void *
ms_malloc (size_t n)
{
  atomic_fetch_add_explicit (&alloc_count, 1, memory_order_relaxed);
  return malloc (n ? n : 1);
}

void *
ms_calloc (size_t count, size_t size)
{
  atomic_fetch_add_explicit (&alloc_count, 1, memory_order_relaxed);
  return calloc (count ? count : 1, size ? size : 1);
}

void *
ms_realloc (void *p, size_t n)
{
  atomic_fetch_add_explicit (&alloc_count, 1, memory_order_relaxed);
  return realloc (p, n ? n : 1);
}

void
ms_free (void *p)
{
  free (p);
}

char *
ms_strdup (const char *s)
{
  size_t n = strlen (s) + 1;
  char *copy = ms_malloc (n);

  if (copy != NULL)
    memcpy (copy, s, n);
  return copy;
}

int
ms_grow (void **items, size_t *capacity, size_t need, size_t item_size)
{
  size_t cap = *capacity;
  void *grown;

  if (need <= cap)
    return 0;
  if (cap == 0)
    cap = 16;
  while (cap < need)
    {
      if (cap > SIZE_MAX / 2 / item_size)
        return -1;
      cap *= 2;
    }
  grown = ms_realloc (*items, cap * item_size);
  if (grown == NULL)
    return -1;
  memset ((char *) grown + *capacity * item_size, 0, (cap - *capacity) * item_size);
  *items = grown;
  *capacity = cap;
  return 0;
}

uint64_t
ms_alloc_count (void)
{
  return atomic_load_explicit (&alloc_count, memory_order_relaxed);
}
