/* SPDX-License-Identifier: MIT */
/* How the window draws: GTK's cairo renderer and no GL stack, unless the user chose otherwise.
 *
 * memscope draws text, rectangles and cairo curves a few times a second.  Left to itself, GDK on
 * X11 creates a GL context while it opens the display (to pick the window visual) and the first
 * window then gets the GL renderer; without a GPU that is Mesa's llvmpipe: libLLVM and swrast
 * mapped (well over 100 MiB), seconds before the first frame, and CPU for every frame.  With the
 * cairo renderer GTK redraws only the damaged region, and cairo nodes (the charts) are painted by
 * cairo in either renderer.
 *
 * GTK 4.8 reads the switches at two moments, so the choice is made before each:
 * - GDK_DEBUG once, in gtk_init() (gdk_pre_parse); the display copies the flags when it opens,
 *   and the X11 backend calls gdk_display_prepare_gl() from gdk_x11_display_open() unless they
 *   hold gl-disable.  From GTK 4.14 the same switch is GDK_DISABLE=gl.
 * - the renderer per surface, when a window is realized (gsk_renderer_new_for_surface): first a
 *   name set on the display as "gsk-renderer", then GSK_RENDERER (read once and cached), then GL,
 *   then cairo.  Naming cairo on the display skips the failed GL attempt (and GSK's message
 *   about it) without an environment variable.
 * The variable is set only for gtk_init() and given back at once, so memscope's children (the
 * host probe, anything started through GAppInfo) get the user's environment, not memscope's. */

#include "config.h"

#include <string.h>

#include "memscope-render-policy.h"

static gboolean chosen;          /* memscope, not the user, decides how it draws */
static const char *switch_name;  /* the variable set for gtk_init() */
static char *user_value;         /* its value before (NULL: unset) */
static gboolean user_had_value;

/* Whether a GDK_DEBUG or GDK_DISABLE value says anything about GL or Vulkan (or turns everything
 * on): then the user is steering the renderer and memscope stays out of it. */
static gboolean
names_renderer_option (const char *value)
{
  g_auto(GStrv) tokens = NULL;

  if (value == NULL)
    return FALSE;
  tokens = g_strsplit_set (value, ":;, \t", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *token = tokens[i];

      if (g_ascii_strncasecmp (token, "gl", 2) == 0
          || g_ascii_strncasecmp (token, "vulkan", 6) == 0
          || g_ascii_strcasecmp (token, "opengl") == 0
          || g_ascii_strcasecmp (token, "all") == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
memscope_render_policy_prepare (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *current;
  const char *add;
  g_autofree char *value = NULL;

  if (chosen)
    return TRUE;
  if ((renderer != NULL && *renderer != '\0')
      || names_renderer_option (g_getenv ("GDK_DEBUG"))
      || names_renderer_option (g_getenv ("GDK_DISABLE")))
    return FALSE;

  if (gtk_get_major_version () == 4 && gtk_get_minor_version () < 14)
    {
      switch_name = "GDK_DEBUG";
      add = "gl-disable";
    }
  else
    {
      switch_name = "GDK_DISABLE";
      add = "gl,vulkan";
    }
  current = g_getenv (switch_name);
  user_had_value = current != NULL;
  user_value = g_strdup (current);
  if (current != NULL && *current != '\0')
    value = g_strconcat (current, ",", add, NULL);
  else
    value = g_strdup (add);
  /* Still one thread here: setting the environment is safe. */
  g_setenv (switch_name, value, TRUE);
  chosen = TRUE;
  return TRUE;
}

void
memscope_render_policy_apply (GdkDisplay *display)
{
  g_return_if_fail (display == NULL || GDK_IS_DISPLAY (display));

  if (!chosen)
    return;
  if (switch_name != NULL)
    {
      /* Giving back a variable that exists replaces one pointer (or removes it in place) in
       * glibc's environment array: it never frees what another thread may be reading. */
      if (user_had_value)
        g_setenv (switch_name, user_value, TRUE);
      else
        g_unsetenv (switch_name);
      g_clear_pointer (&user_value, g_free);
      switch_name = NULL;
    }
  if (display != NULL)
    g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) "cairo");
}
