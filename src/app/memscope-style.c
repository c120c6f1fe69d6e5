/* SPDX-License-Identifier: MIT */
/* Colours from the theme, for widgets that draw themselves, kept readable against their
 * backgrounds. */

#include "config.h"

#include <math.h>

#include "memscope-style.h"

gboolean
memscope_style_in_selected_row (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_get_state_flags (w) & GTK_STATE_FLAG_SELECTED)
      return TRUE;
  return FALSE;
}

void
memscope_style_lookup_color (GtkWidget  *widget,
                             const char *name,
                             const char *fallback_name,
                             const char *fallback_rgba,
                             GdkRGBA    *out)
{
  GtkStyleContext *context;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL && fallback_rgba != NULL && out != NULL);

  context = gtk_widget_get_style_context (widget);
  if (memscope_style_in_selected_row (widget))
    {
      g_autofree char *selected = g_strconcat (name, "_selected", NULL);

      if (gtk_style_context_lookup_color (context, selected, out))
        return;
    }
  if (gtk_style_context_lookup_color (context, name, out))
    return;
  if (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, out))
    return;
  gdk_rgba_parse (out, fallback_rgba);
}

/* ---- contrast ---- */

static double
linear_channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * linear_channel (c->red) + 0.7152 * linear_channel (c->green)
         + 0.0722 * linear_channel (c->blue);
}

static void
blend (const GdkRGBA *color,
       const GdkRGBA *background,
       GdkRGBA       *out)
{
  double a = CLAMP (color->alpha, 0.0, 1.0);

  out->red = (float) (color->red * a + background->red * (1.0 - a));
  out->green = (float) (color->green * a + background->green * (1.0 - a));
  out->blue = (float) (color->blue * a + background->blue * (1.0 - a));
  out->alpha = 1.0f;
}

double
memscope_style_contrast (const GdkRGBA *color,
                         const GdkRGBA *background)
{
  GdkRGBA shown;
  double a, b;

  g_return_val_if_fail (color != NULL && background != NULL, 1.0);

  blend (color, background, &shown);
  a = luminance (&shown);
  b = luminance (background);
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

static double
worst_contrast (const GdkRGBA *color,
                const GdkRGBA *backgrounds,
                guint          n_backgrounds)
{
  double worst = 21.0;

  for (guint i = 0; i < n_backgrounds; i++)
    worst = MIN (worst, memscope_style_contrast (color, &backgrounds[i]));
  return worst;
}

/* color moved toward target by step/255, rounded to whole 8-bit channels. */
static void
mix_step (const GdkRGBA *color,
          float          target,
          int            step,
          GdkRGBA       *out)
{
  float f = (float) step / 255.0f;

  out->red = roundf ((color->red + (target - color->red) * f) * 255.0f) / 255.0f;
  out->green = roundf ((color->green + (target - color->green) * f) * 255.0f) / 255.0f;
  out->blue = roundf ((color->blue + (target - color->blue) * f) * 255.0f) / 255.0f;
  out->alpha = 1.0f;
}

void
memscope_style_readable (const GdkRGBA *color,
                         const GdkRGBA *backgrounds,
                         guint          n_backgrounds,
                         double         ratio,
                         GdkRGBA       *out)
{
  const float targets[] = { 0.0f, 1.0f };
  GdkRGBA opaque, best;
  int best_step = G_MAXINT;
  double best_contrast = 0.0;

  g_return_if_fail (color != NULL && backgrounds != NULL && n_backgrounds > 0 && out != NULL);

  blend (color, &backgrounds[0], &opaque);
  mix_step (&opaque, 0.0f, 0, &best);
  if (worst_contrast (&best, backgrounds, n_backgrounds) >= ratio)
    {
      *out = best;
      return;
    }

  /* The least change that reads: a darker colour on light backgrounds, a lighter one on dark
   * ones, the same hue as far as it goes. */
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (int step = 1; step <= 255 && step < best_step; step++)
      {
        GdkRGBA candidate;
        double contrast;

        mix_step (&opaque, targets[t], step, &candidate);
        contrast = worst_contrast (&candidate, backgrounds, n_backgrounds);
        if (contrast >= ratio)
          {
            best = candidate;
            best_step = step;
            best_contrast = contrast;
            break;
          }
        if (step == 255 && best_step == G_MAXINT && contrast > best_contrast)
          {
            /* Unreachable either way: keep the end that comes closest. */
            best = candidate;
            best_contrast = contrast;
          }
      }
  *out = best;
}

/* ---- memscope's tones ---- */

static void
theme_color (GtkStyleContext *context,
             const char      *name,
             const char      *fallback_rgba,
             GdkRGBA         *out)
{
  if (!gtk_style_context_lookup_color (context, name, out))
    gdk_rgba_parse (out, fallback_rgba);
}

static void
append_color (GString       *css,
              const char    *name,
              const GdkRGBA *color)
{
  g_string_append_printf (css, "@define-color %s #%02x%02x%02x;\n", name,
                          (int) roundf (color->red * 255.0f), (int) roundf (color->green * 255.0f),
                          (int) roundf (color->blue * 255.0f));
}

/* A tag pill's colours: the theme's colour as its background, white or dark text, whichever
 * reads better (white on red, dark on orange), and the background moved only as far as needed
 * where neither reaches the bar. */
static void
append_pill (GString       *css,
             const char    *name,
             const GdkRGBA *theme,
             const GdkRGBA *base)
{
  GdkRGBA light, dark, background, text;
  g_autofree char *bg_name = g_strdup_printf ("memscope_%s_pill", name);
  g_autofree char *fg_name = g_strdup_printf ("memscope_%s_pill_text", name);

  gdk_rgba_parse (&light, "#ffffff");
  gdk_rgba_parse (&dark, "#241f31");
  blend (theme, base, &background);
  text = memscope_style_contrast (&light, &background) >= memscope_style_contrast (&dark,
                                                                                   &background)
           ? light : dark;
  memscope_style_readable (&background, &text, 1, MEMSCOPE_STYLE_MIN_CONTRAST, &background);
  append_color (css, bg_name, &background);
  append_color (css, fg_name, &text);
}

char *
memscope_style_tones_css (GtkWidget *widget)
{
  GtkStyleContext *context;
  GdkRGBA grow, shrink, normal[2], selected[2], out;
  GString *css = g_string_new ("/* memscope's growth and shrink colours for this theme */\n");

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  context = gtk_widget_get_style_context (widget);
  theme_color (context, "error_color", "#c01c28", &grow);
  theme_color (context, "success_color", "#26a269", &shrink);
  /* Lists and the inspect panel draw on the base colour, graphs on the window's. */
  theme_color (context, "theme_base_color", "#ffffff", &normal[0]);
  theme_color (context, "theme_bg_color", "#f6f5f4", &normal[1]);
  theme_color (context, "theme_selected_bg_color", "#3584e4", &selected[0]);
  /* A selected row under the pointer is a shade darker in a light theme and lighter in a dark
   * one (GTK's default theme: 7 % and 8 %): the selected colours read on that too. */
  mix_step (&selected[0], luminance (&normal[0]) > 0.5 ? 0.0f : 1.0f, 22, &selected[1]);

  memscope_style_readable (&grow, normal, G_N_ELEMENTS (normal), MEMSCOPE_STYLE_MIN_CONTRAST, &out);
  append_color (css, "memscope_grow_color", &out);
  memscope_style_readable (&shrink, normal, G_N_ELEMENTS (normal), MEMSCOPE_STYLE_MIN_CONTRAST,
                           &out);
  append_color (css, "memscope_shrink_color", &out);
  memscope_style_readable (&grow, selected, G_N_ELEMENTS (selected), MEMSCOPE_STYLE_MIN_CONTRAST,
                           &out);
  append_color (css, "memscope_grow_color_selected", &out);
  memscope_style_readable (&shrink, selected, G_N_ELEMENTS (selected),
                           MEMSCOPE_STYLE_MIN_CONTRAST, &out);
  append_color (css, "memscope_shrink_color_selected", &out);

  /* The tag pills: LEAK in the error colour, SPIKE in the warning colour, ZOMBIE in a grey of
   * the text colour, each drawn on the list's base. */
  {
    GdkRGBA warning, fg;

    theme_color (context, "warning_color", "#e5a50a", &warning);
    theme_color (context, "theme_fg_color", "#000000", &fg);
    fg.alpha *= 0.55f;
    append_pill (css, "leak", &grow, &normal[0]);
    append_pill (css, "spike", &warning, &normal[0]);
    append_pill (css, "zombie", &fg, &normal[0]);
  }
  return g_string_free (css, FALSE);
}

static void
update_tones (GtkCssProvider *provider)
{
  g_autoptr(GtkWidget) probe = g_object_ref_sink (gtk_label_new (NULL));
  g_autofree char *css = NULL;

  /* A widget of no window reads the display's cascade: the theme and memscope's own CSS, which
   * defines none of the colours read here. */
  css = memscope_style_tones_css (probe);
  gtk_css_provider_load_from_data (provider, css, -1);
}

static void
theme_changed_cb (GtkSettings    *settings,
                  GParamSpec     *pspec,
                  GtkCssProvider *provider)
{
  /* GtkSettings loads the new theme in its own notify handler, which runs before this one. */
  update_tones (provider);
}

void
memscope_style_install_tones (GdkDisplay *display)
{
  GtkCssProvider *provider;
  GtkSettings *settings;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), "memscope-tones") != NULL)
    return;
  provider = gtk_css_provider_new ();
  g_object_set_data_full (G_OBJECT (display), "memscope-tones", provider, g_object_unref);
  update_tones (provider);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  settings = gtk_settings_get_for_display (display);
  g_signal_connect_object (settings, "notify::gtk-theme-name", G_CALLBACK (theme_changed_cb),
                           provider, 0);
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (theme_changed_cb), provider, 0);
}
