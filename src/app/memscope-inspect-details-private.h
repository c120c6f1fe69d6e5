/* SPDX-License-Identifier: MIT */
/* For tests only: the export file chooser, for the test to answer. */
#pragma once

#include "memscope-inspect-details.h"

G_BEGIN_DECLS

/* The export file chooser while it is open, else NULL. */
GtkFileChooserNative *memscope_inspect_details_get_export_chooser (MemscopeInspectDetails *self);

G_END_DECLS
