/* SPDX-License-Identifier: MIT */
/* Heap allocation for the core, counted so tests can prove the steady-state tick allocates nothing. */
#pragma once

#include <stddef.h>
#include <stdint.h>

void *ms_malloc (size_t n);
void *ms_calloc (size_t count, size_t size);
void *ms_realloc (void *p, size_t n);
void ms_free (void *p);
char *ms_strdup (const char *s);

/* Grows a dynamic array to hold at least `need` items of `item_size` bytes; doubles, so a steady
 * workload stops allocating.  Returns 0, or -1 with the array unchanged when memory is short. */
int ms_grow (void **items, size_t *capacity, size_t need, size_t item_size);

/* Allocations made by the core since the process started (malloc, calloc, realloc, strdup). */
uint64_t ms_alloc_count (void);
