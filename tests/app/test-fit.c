/* SPDX-License-Identifier: MIT */
/* The window fits small screens and reads well: growth and shrink colours reach WCAG AA contrast
 * on GTK's default theme (light and dark, normal and selected rows), the window works 800 px wide
 * and every dialog fits 1366×768, in the language the test runs in. */

#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-cell.h"
#include "memscope-connect-dialog.h"
#include "memscope-inspect-panel.h"
#include "memscope-preferences-dialog.h"
#include "memscope-process-actions.h"
#include "memscope-recording-window.h"
#include "memscope-sparkline.h"
#include "memscope-style.h"
#include "memscope-tag-pills.h"
#include "memscope-window.h"
#include "ms-types.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define MIN_WINDOW_WIDTH 800
#define SCREEN_WIDTH 1366
#define SCREEN_HEIGHT 768

static MemscopeApplication *app;
static MemscopeWindow *window;
static gboolean german;

/* ---- contrast ---- */

static void
parse (const char *spec,
       GdkRGBA    *out)
{
  g_assert_true (gdk_rgba_parse (out, spec));
}

static void
test_contrast_maths (void)
{
  GdkRGBA white, black, grey, red, out;

  parse ("white", &white);
  parse ("black", &black);
  parse ("#767676", &grey);
  parse ("#cc0000", &red);
  g_assert_cmpfloat_with_epsilon (memscope_style_contrast (&black, &white), 21.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (memscope_style_contrast (&white, &white), 1.0, 1e-6);
  /* The lightest grey that passes AA on white. */
  g_assert_cmpfloat (memscope_style_contrast (&grey, &white), >=, 4.5);
  g_assert_cmpfloat (memscope_style_contrast (&grey, &white), <, 4.6);

  /* A colour that reads stays as it is; one that does not moves just far enough. */
  memscope_style_readable (&red, &white, 1, 4.5, &out);
  g_assert_true (gdk_rgba_equal (&out, &red));
  parse ("#2d2d2d", &grey);
  g_assert_cmpfloat (memscope_style_contrast (&red, &grey), <, 4.5);
  memscope_style_readable (&red, &grey, 1, 4.5, &out);
  g_assert_cmpfloat (memscope_style_contrast (&out, &grey), >=, 4.5);
  g_assert_cmpfloat (memscope_style_contrast (&out, &grey), <, 4.7);
  g_assert_cmpfloat (out.red, >, out.green); /* still red */
  /* Half-transparent text on white: what shows is the blend. */
  red.alpha = 0.5f;
  g_assert_cmpfloat (memscope_style_contrast (&red, &white), <, 3.0);
}

static void
set_theme (gboolean dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Default",
                "gtk-application-prefer-dark-theme", dark, NULL);
  ms_gui_settle (50);
}

typedef struct
{
  GtkWidget *row;   /* a "row" of the process list with a cell and a sparkline */
  gboolean   selected;
} RowFind;

static void
find_rows (GtkWidget *widget,
           GPtrArray *rows)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), "row") == 0
      && ms_gui_find_widget (widget, MEMSCOPE_TYPE_SPARKLINE) != NULL)
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_rows (child, rows);
}

/* The row in the state wanted, or NULL. */
static GtkWidget *
row_in_state (GtkWidget *view,
              gboolean   selected)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_rows (view, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      gboolean is_selected = (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) != 0;

      if (gtk_widget_get_mapped (row) && is_selected == selected)
        return row;
    }
  return NULL;
}

/* The pixel of a texture at (x, y), opaque. */
static void
texture_pixel (GdkTexture *texture,
               int         x,
               int         y,
               GdkRGBA    *out)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  const guchar *px;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  gdk_texture_download (texture, pixels, stride);
  /* CAIRO_FORMAT_ARGB32 in memory order on a little-endian machine: B, G, R, A. */
  px = pixels + (gsize) y * stride + (gsize) x * 4;
  g_assert_cmpint (px[3], ==, 255);
  out->blue = px[0] / 255.0f;
  out->green = px[1] / 255.0f;
  out->red = px[2] / 255.0f;
  out->alpha = 1.0f;
}

/* What the view shows at the row's left edge, inside the row: its background. */
static void
row_background (GtkWidget  *view,
                GtkWidget  *row,
                GdkTexture *texture,
                GdkRGBA    *out)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (row, view, &bounds));
  texture_pixel (texture, (int) bounds.origin.x + 3,
                 (int) (bounds.origin.y + bounds.size.height / 2), out);
}

static void
check_tone (GtkWidget     *cell,
            GtkWidget     *sparkline,
            const char    *name,
            const char    *theme_name,
            const GdkRGBA *background,
            const char    *what)
{
  GdkRGBA text, line;
  double ratio;
  g_autofree char *text_s = NULL;
  g_autofree char *bg_s = gdk_rgba_to_string (background);

  memscope_style_lookup_color (cell, name, theme_name, "magenta", &text);
  memscope_style_lookup_color (sparkline, name, theme_name, "magenta", &line);
  text_s = gdk_rgba_to_string (&text);
  /* The numbers and the sparkline of one row in one colour. */
  g_assert_true (gdk_rgba_equal (&text, &line));
  ratio = memscope_style_contrast (&text, background);
  g_test_message ("%s: %s on %s: %.2f:1", what, text_s, bg_s, ratio);
  g_assert_cmpfloat (ratio, >=, MEMSCOPE_STYLE_MIN_CONTRAST);
}

/* The pills' children in order, by CSS class; "-name" is a hidden one. */
static void
check_pill_order (GtkWidget  *pills,
                  const char *first,
                  ...)
{
  GtkWidget *child = gtk_widget_get_first_child (pills);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      gboolean hidden = name[0] == '-';

      g_assert_nonnull (child);
      g_assert_true (gtk_widget_has_css_class (child, hidden ? name + 1 : name));
      g_assert_cmpint (gtk_widget_get_visible (child), ==, !hidden);
      child = gtk_widget_get_next_sibling (child);
    }
  va_end (args);
  g_assert_null (child);
}

/* Every tag's pill: its text on its background as drawn reaches the bar. */
static void
check_pills (gboolean dark)
{
  static const struct
  {
    guint tag;
    const char *css_class;
  } tags[] = {
    { MS_TAG_LEAK, "leak" },
    { MS_TAG_SPIKE, "spike" },
    { MS_TAG_ZOMBIE, "zombie" },
  };
  GtkWidget *pills_window = gtk_window_new ();
  GtkWidget *pills = memscope_tag_pills_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = g_strdup_printf ("fit-pills-%s-%s.png", german ? "de" : "en",
                                          dark ? "dark" : "light");
  guint checked = 0;

  /* A pill is made when its tag is first set, in its place among the others. */
  g_assert_null (gtk_widget_get_first_child (pills));
  memscope_tag_pills_set_tags (MEMSCOPE_TAG_PILLS (pills), MS_TAG_ZOMBIE);
  check_pill_order (pills, "zombie", NULL);
  memscope_tag_pills_set_tags (MEMSCOPE_TAG_PILLS (pills), MS_TAG_LEAK);
  check_pill_order (pills, "leak", "-zombie", NULL);
  memscope_tag_pills_set_tags (MEMSCOPE_TAG_PILLS (pills),
                               MS_TAG_LEAK | MS_TAG_SPIKE | MS_TAG_ZOMBIE);
  check_pill_order (pills, "leak", "spike", "zombie", NULL);
  gtk_widget_set_halign (pills, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (pills_window), pills);
  gtk_window_present (GTK_WINDOW (pills_window));
  texture = ms_gui_render (pills, png);
  for (GtkWidget *label = gtk_widget_get_first_child (pills); label != NULL;
       label = gtk_widget_get_next_sibling (label))
    for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
      {
        graphene_rect_t bounds;
        GdkRGBA text, background, named;
        g_autofree char *bg_name = g_strdup_printf ("memscope_%s_pill", tags[i].css_class);
        g_autofree char *text_s = NULL;
        g_autofree char *bg_s = NULL;
        double ratio;

        if (!gtk_widget_has_css_class (label, tags[i].css_class))
          continue;
        g_assert_true (gtk_widget_get_mapped (label));
        g_assert_true (gtk_widget_compute_bounds (label, pills, &bounds));
        /* Inside the pill's left padding, clear of its rounded end and of the text. */
        texture_pixel (texture, (int) bounds.origin.x + 4,
                       (int) (bounds.origin.y + bounds.size.height / 2), &background);
        gtk_style_context_get_color (gtk_widget_get_style_context (label), &text);
        /* What was drawn is memscope's pill colour, not the window behind it. */
        memscope_style_lookup_color (label, bg_name, NULL, "magenta", &named);
        g_assert_cmpfloat (fabsf (named.red - background.red), <=, 2 / 255.0f);
        g_assert_cmpfloat (fabsf (named.green - background.green), <=, 2 / 255.0f);
        g_assert_cmpfloat (fabsf (named.blue - background.blue), <=, 2 / 255.0f);
        ratio = memscope_style_contrast (&text, &background);
        text_s = gdk_rgba_to_string (&text);
        bg_s = gdk_rgba_to_string (&background);
        g_test_message ("%s, %s pill: %s on %s: %.2f:1", dark ? "dark" : "light",
                        memscope_tag_name (tags[i].tag), text_s, bg_s, ratio);
        g_assert_cmpfloat (ratio, >=, MEMSCOPE_STYLE_MIN_CONTRAST);
        checked++;
      }
  g_assert_cmpuint (checked, ==, G_N_ELEMENTS (tags));
  gtk_window_destroy (GTK_WINDOW (pills_window));
}

static void
check_variant (gboolean dark)
{
  GtkWidget *view = GTK_WIDGET (memscope_window_get_column_view (window));
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *rows[2];
  GdkRGBA theme_error, theme_base, grow;

  set_theme (dark);
  gtk_selection_model_select_item (selection, 0, TRUE);
  MS_GUI_AWAIT ((rows[0] = row_in_state (view, FALSE)) != NULL
                && (rows[1] = row_in_state (view, TRUE)) != NULL, MS_GUI_WAIT_MS,
                "a selected and an unselected row");
  {
    const char *lang = german ? "de" : "en";
    const char *variant = dark ? "dark" : "light";
    g_autofree char *list_png = g_strdup_printf ("fit-list-%s-%s.png", lang, variant);
    g_autofree char *window_png = g_strdup_printf ("fit-window-%s-%s.png", lang, variant);

    texture = ms_gui_render (view, list_png);
    g_object_unref (ms_gui_render (GTK_WIDGET (window), window_png));
  }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *cell = ms_gui_find_widget (rows[i], MEMSCOPE_TYPE_CELL);
      GtkWidget *sparkline = ms_gui_find_widget (rows[i], MEMSCOPE_TYPE_SPARKLINE);
      GdkRGBA background;
      g_autofree char *grow_what = g_strdup_printf ("%s, %s row, growth", dark ? "dark" : "light",
                                                    i == 1 ? "selected" : "normal");
      g_autofree char *shrink_what = g_strdup_printf ("%s, %s row, shrink",
                                                      dark ? "dark" : "light",
                                                      i == 1 ? "selected" : "normal");

      g_assert_nonnull (cell);
      g_assert_nonnull (sparkline);
      g_assert_cmpint (memscope_style_in_selected_row (cell), ==, i == 1);
      row_background (view, rows[i], texture, &background);
      check_tone (cell, sparkline, "memscope_grow_color", "error_color", &background, grow_what);
      check_tone (cell, sparkline, "memscope_shrink_color", "success_color", &background,
                  shrink_what);
    }

  /* It is GTK's own theme, whose error colour on the dark list is what needed the change; where
   * the theme's colour reads (red on the light list), it is kept. */
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (view),
                                                 "error_color", &theme_error));
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (view),
                                                 "theme_base_color", &theme_base));
  memscope_style_lookup_color (view, "memscope_grow_color", NULL, "magenta", &grow);
  check_pills (dark);
  if (dark)
    g_assert_cmpfloat (memscope_style_contrast (&theme_error, &theme_base), <, 4.5);
  else
    g_assert_true (gdk_rgba_equal (&grow, &theme_error));
}

static void
test_contrast (void)
{
  MS_GUI_AWAIT (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (memscope_window_get_column_view (window)))) > 2, MS_GUI_WAIT_MS,
                "rows");
  check_variant (FALSE);
  check_variant (TRUE);
  set_theme (FALSE);
}

/* ---- sizes ---- */

static GtkWidget *
inspect_first_row (void)
{
  GtkWidget *panel;

  gtk_selection_model_select_item (
    gtk_column_view_get_model (memscope_window_get_column_view (window)), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect", NULL));
  panel = ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_INSPECT_PANEL);
  g_assert_nonnull (panel);
  MS_GUI_AWAIT (gtk_widget_get_mapped (panel), MS_GUI_WAIT_MS, "the inspect panel");
  return panel;
}

static void
measure (GtkWidget *widget,
         int       *min_width,
         int       *nat_width,
         int       *nat_height)
{
  int min = 0, nat = 0, unused;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  if (min_width != NULL)
    *min_width = min;
  if (nat_width != NULL)
    *nat_width = nat;
  if (nat_height != NULL)
    gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, MIN (nat, SCREEN_WIDTH), &unused,
                        nat_height, NULL, NULL);
}

static gboolean
window_fits (gpointer data)
{
  int min_width;

  (void) data;
  measure (GTK_WIDGET (window), &min_width, NULL, NULL);
  return min_width <= MIN_WINDOW_WIDTH;
}

static void
test_window_min_width (void)
{
  int min_width;

  measure (GTK_WIDGET (window), &min_width, NULL, NULL);
  g_test_message ("window: minimum width %d px", min_width);
  g_assert_cmpint (min_width, <=, MIN_WINDOW_WIDTH);

  /* With a process inspected, the panel beside the list. */
  inspect_first_row ();
  /* The list fits its columns to the panel right after the layout that opened it: wait for
   * that (a loaded machine may take frames), then measure. */
  ms_gui_poll_until (window_fits, NULL, 10000);
  measure (GTK_WIDGET (window), &min_width, NULL, NULL);
  g_test_message ("window with the inspect panel: minimum width %d px", min_width);
  g_assert_cmpint (min_width, <=, MIN_WINDOW_WIDTH);

  /* It really is that narrow: the window opened 800 px wide (main) and stays so. */
  {
    GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

    /* The surface may include the shadow and resize border the window draws around itself: the
     * window proper is what must fit. */
    g_test_message ("window: %d×%d px on a %d×%d px surface",
                    gtk_widget_get_width (GTK_WIDGET (window)),
                    gtk_widget_get_height (GTK_WIDGET (window)),
                    gdk_surface_get_width (surface), gdk_surface_get_height (surface));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, MIN_WINDOW_WIDTH);
  }
  g_object_unref (ms_gui_render (GTK_WIDGET (window),
                                 german ? "fit-window-de-panel.png" : "fit-window-en-panel.png"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL));
}

/* The Started column's cells: the cells whose sample is the column's. */
static void
find_started_cells (GtkWidget *widget,
                    GPtrArray *cells)
{
  if (MEMSCOPE_IS_CELL (widget))
    {
      g_autofree char *sample = NULL;

      g_object_get (widget, "sample", &sample, NULL);
      if (g_strcmp0 (sample, "Mmm 2888") == 0 && gtk_widget_get_mapped (widget))
        g_ptr_array_add (cells, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_started_cells (child, cells);
}

static void
test_started_column (void)
{
  GtkColumnView *view = memscope_window_get_column_view (window);
  GtkAdjustment *hadjustment;
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  MemscopeProcessRow *row = memscope_window_get_row_at (window, 0); /* borrowed */
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *year = NULL;
  g_autofree char *month = NULL;
  g_autofree char *png = g_strdup_printf ("fit-started-%s.png", german ? "de" : "en");
  gboolean found_row = FALSE;

  /* Scrolled to the far right, where the column is. */
  hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view));
  gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_upper (hadjustment)
                                         - gtk_adjustment_get_page_size (hadjustment));
  g_object_unref (ms_gui_render (GTK_WIDGET (view), png));
  find_started_cells (GTK_WIDGET (view), cells);
  g_assert_cmpuint (cells->len, >, 2);
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);
      const char *text = memscope_cell_get_text (MEMSCOPE_CELL (cell));
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (cell, text);
      PangoAttrList *attrs = pango_attr_list_new ();
      int width;

      /* Laid out as the cell does (tabular figures), it fits the cell: nothing is cut. */
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &width, NULL);
      g_assert_cmpint (width, <=, gtk_widget_get_width (cell));
    }

  /* The fixture's processes started long before today: a date, not a time of day. */
  g_assert_nonnull (row);
  {
    double start_unix = 0;

    g_object_get (row, "start-unix", &start_unix, NULL);
    g_assert_cmpfloat (start_unix, >, 0);
    started = g_date_time_new_from_unix_local ((gint64) start_unix);
  }
  g_assert_cmpint (g_date_time_get_year (started), <, g_date_time_get_year (now));
  month = g_date_time_format (started, "%b");
  year = g_date_time_format (started, "%Y");
  for (guint i = 0; i < cells->len; i++)
    {
      const char *text = memscope_cell_get_text (g_ptr_array_index (cells, i));
      g_autofree char *expected = g_strdup_printf ("%s %s", month, year);

      g_test_message ("started: %s", text);
      found_row |= g_strcmp0 (text, expected) == 0;
      g_assert_null (strchr (text, ':'));
    }
  g_assert_true (found_row);
  gtk_adjustment_set_value (hadjustment, 0);
}

static GtkWindow *
new_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static void
check_dialog (GtkWindow  *dialog,
              const char *name)
{
  int nat_width, nat_height;
  g_autofree char *png = g_strdup_printf ("fit-%s-%s.png", name, german ? "de" : "en");

  MS_GUI_AWAIT (gtk_widget_get_mapped (GTK_WIDGET (dialog)), MS_GUI_WAIT_MS, name);
  /* Drawn once, so laid out at the size it is shown at. */
  g_object_unref (ms_gui_render (GTK_WIDGET (dialog), png));
  measure (GTK_WIDGET (dialog), NULL, &nat_width, &nat_height);
  g_test_message ("%s: natural size %d×%d px, shown at %d×%d", name, nat_width, nat_height,
                  gtk_widget_get_width (GTK_WIDGET (dialog)),
                  gtk_widget_get_height (GTK_WIDGET (dialog)));
  g_assert_cmpint (nat_width, <=, SCREEN_WIDTH);
  g_assert_cmpint (nat_height, <=, SCREEN_HEIGHT);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, SCREEN_WIDTH);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), <=, SCREEN_HEIGHT);
  gtk_window_destroy (dialog);
  ms_gui_drain ();
}

/* Labels that show why the system turned a background preference back off (hidden while
 * there is nothing to say). */
static guint
count_problem_labels (GtkWidget *root)
{
  guint n = GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "error") ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_problem_labels (child);
  return n;
}

static void
test_dialogs (void)
{
  GtkWindow *dialog;
  g_autofree char *trace = ms_test_data_path ("traces/small.csv");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  MS_GUI_AWAIT ((dialog = new_toplevel (MEMSCOPE_TYPE_PREFERENCES_DIALOG)) != NULL,
                MS_GUI_WAIT_MS, "the preferences");
  /* The application hands its background service to the dialog: one problem line under "start
   * at login", one under "keep running in the background". */
  g_assert_cmpuint (count_problem_labels (GTK_WIDGET (dialog)), ==, 2);
  check_dialog (dialog, "preferences");

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  MS_GUI_AWAIT ((dialog = new_toplevel (GTK_TYPE_ABOUT_DIALOG)) != NULL, MS_GUI_WAIT_MS,
                "the about dialog");
  check_dialog (dialog, "about");

  g_action_group_activate_action (G_ACTION_GROUP (app), "connect", NULL);
  MS_GUI_AWAIT ((dialog = new_toplevel (MEMSCOPE_TYPE_CONNECT_DIALOG)) != NULL, MS_GUI_WAIT_MS,
                "the connect dialog");
  check_dialog (dialog, "connect");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  MS_GUI_AWAIT ((dialog = new_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL, MS_GUI_WAIT_MS,
                "the shortcuts window");
  /* Kept by the window for the next time: hidden, not destroyed. */
  g_object_ref (dialog);
  check_dialog (dialog, "shortcuts");
  g_object_unref (dialog);

  /* A confirmation: ending a process. */
  g_assert_true (gtk_widget_activate_action (
    ms_gui_find_widget (inspect_first_row (), MEMSCOPE_TYPE_PROCESS_ACTIONS), "process.end", NULL));
  MS_GUI_AWAIT ((dialog = new_toplevel (GTK_TYPE_MESSAGE_DIALOG)) != NULL, MS_GUI_WAIT_MS,
                "the confirmation");
  check_dialog (dialog, "confirmation");

  dialog = GTK_WINDOW (memscope_recording_window_new (GTK_APPLICATION (app), trace));
  gtk_window_present (dialog);
  check_dialog (dialog, "recording");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *proc_root = ms_test_data_path ("app/proc-v2");
  int rc;

  german = ms_test_use_translations ();
  /* Dates in the German run as a German desktop writes them (build-aux/deps makes the locale). */
  if (german && g_strcmp0 (setlocale (LC_TIME, NULL), "C") == 0)
    g_error ("no German locale (LANG=%s): build-aux/deps test generates de_DE.UTF-8",
             g_getenv ("LANG"));
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("MEMSCOPE_PROC_ROOT", proc_root, TRUE);
  g_setenv ("MEMSCOPE_SYS_ROOT", proc_root, TRUE);
  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);
  {
    g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);

    /* Everything below happens in a window as small as the one we promise to work in. */
    g_settings_set_int (settings, "window-width", MIN_WINDOW_WIDTH);
    g_settings_set_int (settings, "window-height", 600);
  }
  app = ms_gui_start_app (250, &window);

  g_test_add_func ("/fit/contrast-maths", test_contrast_maths);
  g_test_add_func ("/fit/contrast", test_contrast);
  g_test_add_func ("/fit/window-min-width", test_window_min_width);
  g_test_add_func ("/fit/started-column", test_started_column);
  g_test_add_func ("/fit/dialogs", test_dialogs);

  rc = g_test_run ();
  ms_gui_stop_app (app, window);
  return rc;
}
