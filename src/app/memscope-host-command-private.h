/* SPDX-License-Identifier: MIT */
/* For tests only: takes the Flatpak path without a Flatpak. */
#pragma once

#include "memscope-host-command.h"

G_BEGIN_DECLS

/* memscope_host_command_wanted() says wanted from now on, whatever /.flatpak-info says. */
void memscope_host_command_set_wanted_for_testing (gboolean wanted);

G_END_DECLS
