/* SPDX-License-Identifier: MIT */
/* The tray icon drawn as pixels, for hosts that do not find it by name.  Cairo only, no GTK. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MEMSCOPE_TRAY_ICON_QUIET,
  MEMSCOPE_TRAY_ICON_ATTENTION,
} MemscopeTrayIcon;

/* The sizes drawn, in pixels, smallest first. */
#define MEMSCOPE_TRAY_PIXMAP_SIZES 16, 22, 32, 48

/* The icon as a StatusNotifierItem IconPixmap, type a(iiay): one (width, height, data) per size
 * of MEMSCOPE_TRAY_PIXMAP_SIZES, data being width × height pixels of ARGB32 in network byte
 * order (A, R, G, B bytes), not premultiplied.  The same shapes as the -tray-symbolic and
 * -tray-attention-symbolic icons, light with a dark rim so they show on light and dark panels
 * alike.  A new reference (not floating). */
GVariant *memscope_tray_pixmap_new (MemscopeTrayIcon icon);

G_END_DECLS
