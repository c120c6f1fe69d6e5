/* SPDX-License-Identifier: MIT */
/* For tests only: a MemscopeBackground that looks for the Flatpak info file elsewhere. */
#pragma once

#include "memscope-background.h"

G_BEGIN_DECLS

/* memscope_background_new() with the info file's path given: a fixture file makes it act as
 * inside a Flatpak, a missing one as outside. */
MemscopeBackground *memscope_background_new_full (GSettings       *settings,
                                                  GDBusConnection *connection,
                                                  const char      *info_path);

G_END_DECLS
