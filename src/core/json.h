/* SPDX-License-Identifier: MIT */
/* Writing JSON values: strings always valid UTF-8, unknown numbers as null. */
#pragma once

#include <stdint.h>
#include <stdio.h>

/* Writes `s` as a quoted JSON string.  A byte that is not part of valid UTF-8 is written as the
 * code point of the same value (\u00XX), so any comm round-trips to valid UTF-8. */
void ms_json_string (FILE *out, const char *s);

/* Writes a number with up to `decimals` digits after the point (trailing zeros dropped), or null
 * when `v` is NaN or infinite. */
void ms_json_double (FILE *out, double v, int decimals);

/* Writes an integer, or null when `v` is negative and `negative_is_null` is set. */
void ms_json_kib (FILE *out, int64_t v, int negative_is_null);

/* Length of the valid UTF-8 sequence starting at s (1-4), or 0 when the byte at s does not start
 * one.  `n` is how many bytes are available. */
int ms_utf8_sequence_length (const unsigned char *s, size_t n);
