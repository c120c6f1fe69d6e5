/* SPDX-License-Identifier: MIT */
/* The single-instance application: sampling, settings, app-wide commands and the window. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-history.h"
#include "memscope-sampler-thread.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_APPLICATION (memscope_application_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeApplication, memscope_application, MEMSCOPE, APPLICATION, GtkApplication)

MemscopeApplication   *memscope_application_new         (void);
MemscopeSamplerThread *memscope_application_get_sampler (MemscopeApplication *self);
/* The history of the machine the sampler watches; NULL before startup and after shutdown. */
MemscopeHistory       *memscope_application_get_history (MemscopeApplication *self);
GtkWindow             *memscope_application_get_window  (MemscopeApplication *self);
/* Opens (or shows, when open) a window on the processes of the machine at destination_text
 * (memscope_remote_destination_parse()), with its own source, sampler and history, and puts it
 * first among the recent remotes.  NULL with the parser's error for a bad destination. */
GtkWindow             *memscope_application_open_remote (MemscopeApplication  *self,
                                                         const char           *destination_text,
                                                         GError              **error);

/* Loads ui/style.css for the default display (the application does it at startup). */
void                   memscope_load_style               (void);

G_END_DECLS
