/* SPDX-License-Identifier: MIT */
/* The banner that says the host probe (or a remote machine) cannot be read, why, when it is tried
 * again, with Retry, and for a remote without a probe, Copy Probe. */
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
/* A remote without a (compatible) probe: whether Copy Probe is offered, and pressing it (it copies
 * the static probe there with memscope_remote_copy_probe_async(), then connects again). */
gboolean            memscope_host_banner_get_offers_copy (MemscopeHostBanner *self);
void                memscope_host_banner_copy_probe (MemscopeHostBanner *self);
gboolean            memscope_host_banner_get_copying (MemscopeHostBanner *self);
/* While a copy is under way: whether Cancel is offered, and pressing it. */
gboolean            memscope_host_banner_get_offers_cancel (MemscopeHostBanner *self);
void                memscope_host_banner_cancel_copy (MemscopeHostBanner *self);
/* The probe Copy Probe copies (tests: a build tree's static probe); NULL: the installation's,
 * memscope_remote_find_static_probe(). */
void                memscope_host_banner_set_static_probe (MemscopeHostBanner *self,
                                                           const char         *path);

G_END_DECLS
