/* SPDX-License-Identifier: MIT */
/* uid -> user name, read straight from the passwd file so a static probe needs no NSS modules. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct ms_users ms_users_t;

ms_users_t *ms_users_new (const char *passwd_path);
void ms_users_free (ms_users_t *self);

/* Writes the name of `uid`, or the uid in decimal when the file does not name it.  The file is
 * read again when it changed, checked at most every few seconds of `now_s`. */
void ms_users_lookup (ms_users_t *self, uint32_t uid, double now_s, char *out, size_t out_len);
