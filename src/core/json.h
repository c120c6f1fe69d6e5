/* SPDX-License-Identifier: MIT */
/* Writing JSON values: strings always valid UTF-8, unknown numbers as null. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Numbers in files (traces, the events log, JSON) are written and read with a '.' whatever the
 * locale: a program that called setlocale (the app, for its German "600,0 MiB") would otherwise
 * write "12,500" into a comma-separated trace.  */

/* snprintf (buf, len, "%.*f", precision, v), or "%.*g" for conversion 'g', with the locale's
 * decimal point written as '.'.  Returns the length of the result as snprintf does. */
int ms_c_format_double (char *buf, size_t len, char conversion, int precision, double v);

/* strtod that reads a '.' as the decimal point whatever the locale (and takes the locale's own
 * point only where it is '.'). */
double ms_c_strtod (const char *s, char **end);

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
