/* SPDX-License-Identifier: MIT */
/* The banner that says the host probe is not running, why, when it is tried again, with Retry. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-host-source.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_HOST_BANNER (memscope_host_banner_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeHostBanner, memscope_host_banner, MEMSCOPE, HOST_BANNER, GtkWidget)

GtkWidget          *memscope_host_banner_new        (void);
MemscopeHostSource *memscope_host_banner_get_source (MemscopeHostBanner *self);
void                memscope_host_banner_set_source (MemscopeHostBanner *self,
                                                     MemscopeHostSource *source);
/* The text shown, for tests and screen readers; empty while hidden. */
const char         *memscope_host_banner_get_text   (MemscopeHostBanner *self);
gboolean            memscope_host_banner_get_shown  (MemscopeHostBanner *self);

G_END_DECLS
