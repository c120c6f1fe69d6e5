/* SPDX-License-Identifier: MIT */
/* Where memscope's translations and icons are: where it is installed, or in the build tree it
 * runs from.  GTK-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The build directory of the running program (from /proc/self/exe), NULL when installed. */
const char *memscope_data_dirs_get_build_root    (void);

/* The locale directory of memscope's message catalogues: BUILD/po (where meson's i18n compiles
 * them as LANG/LC_MESSAGES/memscope.mo) from the build tree, LOCALEDIR when installed. */
const char *memscope_data_dirs_get_locale_dir    (void);

/* The directory holding memscope's icon theme folders (hicolor/…): BUILD/data/icons from the
 * build tree, DATADIR/icons when installed. */
const char *memscope_data_dirs_get_icon_theme_dir (void);

G_END_DECLS
