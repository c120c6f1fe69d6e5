/* SPDX-License-Identifier: MIT */
/* Placeholder until this part lands. */
#include "ms-types.h"
