/* SPDX-License-Identifier: MIT */
/* For tests only: the tray's menu as its server exports it. */
#pragma once

#include <libdbusmenu-glib/menuitem.h>

#include "memscope-tray.h"

G_BEGIN_DECLS

/* The root of the menu exported now (borrowed; replaced whenever the menu changes). */
DbusmenuMenuitem *memscope_tray_get_menu_root (MemscopeTray *self);

G_END_DECLS
