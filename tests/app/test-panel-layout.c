/* SPDX-License-Identifier: MIT */
/* The window with its inspect panel open, laid out and rendered in-process (widget paintable,
 * texture, PNG in the build dir) at 800 and 1600 px, light and dark, in the language of LANGUAGE:
 * the growth columns stay in view, the panel keeps the width it was given whatever it shows and
 * starts each process at its top, and nothing in it is cut: every label is inside the panel and
 * as wide as its text, the trend legend whole. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-inspect-panel.h"
#include "memscope-resize-handle.h"
#include "memscope-trend-graph.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"

static MemscopeApplication *app;
static MemscopeWindow *window;
static const char *lang;
static guint n_applied;

static void
applied_cb (void)
{
  n_applied++;
}

static gboolean
applied_at_least_cb (gpointer data)
{
  return n_applied >= GPOINTER_TO_UINT (data);
}

static void
wait_ticks (guint n)
{
  ms_gui_wait_until (applied_at_least_cb, GUINT_TO_POINTER (n_applied + n), MS_GUI_WAIT_MS,
                     "snapshots");
}

static MemscopeInspectPanel *
panel (void)
{
  return MEMSCOPE_INSPECT_PANEL (ms_gui_find_widget (GTK_WIDGET (window),
                                                     MEMSCOPE_TYPE_INSPECT_PANEL));
}

static GtkWidget *
list_scroller (void)
{
  return gtk_widget_get_ancestor (GTK_WIDGET (memscope_window_get_column_view (window)),
                                  GTK_TYPE_SCROLLED_WINDOW);
}

/* The header's title of the column: GTK 4.8 lays one out per column, in the columns' order. */
static GtkWidget *
column_title (const char *title)
{
  GtkColumnView *view = memscope_window_get_column_view (window);
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  GtkWidget *child;
  guint index = G_MAXUINT;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        index = i;
    }
  g_assert_cmpuint (index, !=, G_MAXUINT);
  g_assert_cmpstr (gtk_widget_get_css_name (header), ==, "header");
  child = gtk_widget_get_first_child (header);
  for (guint i = 0; i < index && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

/* How much of the column's title the list's viewport shows, in pixels. */
static int
column_shown_width_of (const char *title,
                       int        *full)
{
  GtkWidget *widget = column_title (title);
  GtkWidget *scroller = list_scroller ();
  graphene_rect_t bounds;
  double left, right;

  *full = 0;
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) <= 0
      || !gtk_widget_compute_bounds (widget, scroller, &bounds))
    return 0;
  *full = (int) bounds.size.width;
  left = MAX (bounds.origin.x, 0);
  right = MIN (bounds.origin.x + bounds.size.width, gtk_widget_get_width (scroller));
  return (int) MAX (right - left, 0);
}

static int
column_shown_width (const char *title)
{
  int full;

  return column_shown_width_of (title, &full);
}

/* Whether the whole column is in view, not just a part of it. */
static gboolean
column_fully_shown (const char *title)
{
  int full;
  int shown = column_shown_width_of (title, &full);

  return shown > 0 && shown == full;
}

static const char *growth_columns[] = { "Delta", "Tags", "Started" };

static const char *
translated (const char *msgid)
{
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

/* What a wait for the growth columns says when it times out: how things stand. */
static const char *
growth_columns_text (void)
{
  static char text[256];

  g_snprintf (text, sizeof text,
              "Delta, Tags and Started in view (panel %d px, limit %d, content %d px; "
              "shown %d, %d, %d px)", gtk_widget_get_width (GTK_WIDGET (panel ())),
              memscope_inspect_panel_get_max_width (panel ()),
              memscope_inspect_panel_get_content_min_width (panel ()),
              column_shown_width (translated ("Delta")), column_shown_width (translated ("Tags")),
              column_shown_width (translated ("Started")));
  return text;
}

static gboolean
panel_at_its_narrowest (void)
{
  return memscope_inspect_panel_get_max_width (panel ()) <= MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH;
}

static gboolean
growth_columns_shown (void)
{
  /* Laid out with the panel beside the list, not before it opened. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (panel ()))
      || gtk_widget_get_width (GTK_WIDGET (panel ())) <= 0
      || gtk_widget_get_width (list_scroller ()) + gtk_widget_get_width (GTK_WIDGET (panel ()))
         > gtk_widget_get_width (GTK_WIDGET (window)))
    return FALSE;
  /* Whole, unless the panel has given up all it can: then at least in view. */
  for (guint i = 0; i < G_N_ELEMENTS (growth_columns); i++)
    if (panel_at_its_narrowest () ? column_shown_width (translated (growth_columns[i])) <= 0
                                  : !column_fully_shown (translated (growth_columns[i])))
      return FALSE;
  return TRUE;
}

static void
inspect (gint32 pid)
{
  GListModel *rows = G_LIST_MODEL (memscope_window_get_selection (window));
  MemscopeProcessRow *row = NULL;

  /* The fixture's start times are in its stat files: the row is found by its pid. */
  for (guint i = 0; i < g_list_model_get_n_items (rows) && row == NULL; i++)
    if (memscope_process_row_get_pid (memscope_window_get_row_at (window, i)) == pid)
      row = memscope_window_get_row_at (window, i);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect-process", "(it)",
                                             pid, memscope_process_row_get_starttime (row)));
  MS_GUI_AWAIT (memscope_window_get_inspected_row (window) != NULL
                && memscope_process_row_get_pid (memscope_window_get_inspected_row (window)) == pid,
                MS_GUI_WAIT_MS, "the process to be inspected");
}

/* What a wait for the window's width says when it times out. */
static const char *
window_width_text (int width)
{
  static char text[128];

  g_snprintf (text, sizeof text, "the window to take a width of %d px (it has %d px)", width,
              gtk_widget_get_width (GTK_WIDGET (window)));
  return text;
}

static gboolean
has_width_cb (gpointer data)
{
  int width = GPOINTER_TO_INT (data);
  int now = gtk_widget_get_width (GTK_WIDGET (window));

  /* The default size counts the window's frame, which is a few pixels on X11 without a
   * compositor; below its minimum width the window stops at that. */
  return now <= width && now >= width - 12;
}

static void
set_size (int width)
{
  g_test_message ("asking for %d px", width);
  MS_GUI_AWAIT (gtk_widget_get_mapped (GTK_WIDGET (window)), MS_GUI_WAIT_MS, "the window to map");
  /* Asked again if the X server has not answered: a request made while the window's first
   * configuration was on its way can be overtaken by it. */
  for (guint attempt = 0; !has_width_cb (GINT_TO_POINTER (width)); attempt++)
    {
      if (attempt == 10)
        g_error ("%s", window_width_text (width));
      gtk_window_set_default_size (GTK_WINDOW (window), width - 1, 760);
      gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
      ms_gui_poll_until (has_width_cb, GINT_TO_POINTER (width), 3000);
    }
  ms_gui_settle (100);
}

static void
render (const char *what,
        gboolean    dark)
{
  g_autofree char *png = g_strdup_printf ("panel-layout-%s-%s-%s.png", what,
                                          dark ? "dark" : "light", lang);
  g_autoptr(GdkTexture) texture = NULL;

  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
  ms_gui_settle (50);
  texture = ms_gui_render (gtk_window_get_child (GTK_WINDOW (window)), png);
  g_assert_nonnull (texture);
}

static GtkWidget *panel_scroller (void);

/* What the panel lays out is not wider than the panel: nothing is cut. */
static void
assert_content_whole (void)
{
  GtkWidget *scroller = panel_scroller ();
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (
    gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))));

  MS_GUI_AWAIT (gtk_widget_get_width (content) <= gtk_widget_get_width (scroller), MS_GUI_WAIT_MS,
                "the panel's content to fit in it");
}

typedef struct
{
  GtkWidget *scroller;
  guint      n_labels;
} LabelCheck;

/* Every label shown in the panel's content: inside the panel's viewport, and as wide as its
 * text needs (its natural width; a label that wraps or shortens, at least its minimum). */
static void
check_labels (GtkWidget  *widget,
              LabelCheck *check)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    {
      GtkLabel *label = GTK_LABEL (widget);
      gboolean flexible = gtk_label_get_wrap (label)
                          || gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE;
      int min = 0, nat = 0;
      graphene_rect_t bounds;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      g_assert_true (gtk_widget_compute_bounds (widget, check->scroller, &bounds));
      if (gtk_widget_get_width (widget) < (flexible ? min : nat)
          || bounds.origin.x < -0.5
          || bounds.origin.x + bounds.size.width > gtk_widget_get_width (check->scroller) + 0.5)
        g_error ("\"%s\" is %d px wide (it needs %d px) at x %.1f in a panel %d px wide",
                 gtk_label_get_text (label), gtk_widget_get_width (widget), flexible ? min : nat,
                 bounds.origin.x, gtk_widget_get_width (check->scroller));
      check->n_labels++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_POPOVER (child))
      check_labels (child, check);
}

static void
assert_labels_whole (void)
{
  LabelCheck check = { panel_scroller (), 0 };

  check_labels (check.scroller, &check);
  g_test_message ("%u labels whole in the panel", check.n_labels);
  /* The title, the figures, the sections' headings, the table of mappings, the buttons. */
  g_assert_cmpuint (check.n_labels, >=, 20);
}

/* The trend graph's legend in the panel: every entry whole, however the panel is laid out. */
static void
assert_legend_whole (void)
{
  GtkWidget *graph = ms_gui_find_widget (GTK_WIDGET (panel ()), MEMSCOPE_TYPE_TREND_GRAPH);
  MemscopeLegendEntry entries[MEMSCOPE_N_SERIES];

  g_assert_nonnull (graph);
  MS_GUI_AWAIT (gtk_widget_get_width (graph) > 0, MS_GUI_WAIT_MS, "the trend graph laid out");
  memscope_trend_graph_get_legend (MEMSCOPE_TREND_GRAPH (graph), entries);
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    {
      g_assert_cmpint (entries[s].x, >=, 0);
      g_assert_cmpint (entries[s].text_width, >, 0);
      g_assert_cmpint (entries[s].text_x + entries[s].text_width, <=, gtk_widget_get_width (graph));
    }
}

/* At 800 px with the panel open, Delta, Tags and Started are in view; at 1600 px every column. */
static void
test_growth_columns (void)
{
  static const char *all[] = { "PID", "Name", "User", "RSS", "PSS", "Swap", "CPU %", "Delta",
                               "Tags", "Started" };

  wait_ticks (2);
  set_size (800);
  inspect (400);
  ms_gui_settle (300);
  g_test_message ("panel %d px, its content at least %d px, list %d px",
                  gtk_widget_get_width (GTK_WIDGET (panel ())),
                  memscope_inspect_panel_get_content_min_width (panel ()),
                  gtk_widget_get_width (list_scroller ()));
  MS_GUI_AWAIT (growth_columns_shown (), MS_GUI_WAIT_MS, growth_columns_text ());
  for (guint i = 0; i < G_N_ELEMENTS (growth_columns); i++)
    {
      g_assert_cmpint (column_shown_width (translated (growth_columns[i])), >, 0);
      g_assert_true (panel_at_its_narrowest ()
                     || column_fully_shown (translated (growth_columns[i])));
    }
  /* The name stays too: it says which process a row is. */
  g_assert_cmpint (column_shown_width (translated ("Name")), >, 0);
  /* However narrow the panel gets, what it shows fits it: the gauges and headings reflow. */
  g_assert_cmpint (memscope_inspect_panel_get_content_min_width (panel ()), <=,
                   MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH);
  assert_content_whole ();
  assert_legend_whole ();
  for (guint dark = 0; dark <= 1; dark++)
    {
      render ("800", dark);
      assert_content_whole ();
      assert_labels_whole ();
    }

  set_size (1600);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    MS_GUI_AWAIT (column_fully_shown (translated (all[i])), MS_GUI_WAIT_MS,
                  "every column in view at 1600 px");
  /* With room to spare the panel has the width it was given: never more, in any language. */
  MS_GUI_AWAIT (gtk_widget_get_width (panel_scroller ())
                == memscope_inspect_panel_get_width (panel ()), MS_GUI_WAIT_MS,
                "the panel to take its width back");
  assert_content_whole ();
  assert_legend_whole ();
  for (guint dark = 0; dark <= 1; dark++)
    {
      render ("1600", dark);
      assert_content_whole ();
      assert_labels_whole ();
    }

  /* Back at 800 px the columns yield again. */
  set_size (800);
  MS_GUI_AWAIT (growth_columns_shown (), MS_GUI_WAIT_MS, growth_columns_text ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);
}

static GtkWidget *
panel_scroller (void)
{
  return ms_gui_find_widget (GTK_WIDGET (panel ()), GTK_TYPE_SCROLLED_WINDOW);
}

/* The panel's width is its own, not its text's: the same for a process with short figures and
 * one with long ones, at both window widths; and nothing in it is wider than its viewport. */
static void
test_panel_width (void)
{
  static const gint32 pids[] = { 500, 700, 200, 400 };
  int widths[2] = { 800, 1600 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      int first = -1;

      set_size (widths[w]);
      for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
        {
          GtkWidget *scroller;
          GtkWidget *content;

          inspect (pids[i]);
          wait_ticks (2);
          ms_gui_settle (50);
          scroller = panel_scroller ();
          /* The viewport's child: what the panel lays out, which must not be cut. */
          content = gtk_viewport_get_child (GTK_VIEWPORT (
            gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))));
          g_test_message ("pid %d: panel %d (limit %d), list %d", pids[i],
                          gtk_widget_get_width (GTK_WIDGET (panel ())),
                          memscope_inspect_panel_get_max_width (panel ()),
                          gtk_widget_get_width (list_scroller ()));
          if (first < 0)
            first = gtk_widget_get_width (GTK_WIDGET (panel ()));
          g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (panel ())), ==, first);
          /* Nothing cut, in any language, however narrow. */
          g_assert_cmpint (gtk_widget_get_width (content), <=, gtk_widget_get_width (scroller));
          assert_labels_whole ();
        }
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);
}

static gboolean
scrolled_to_bottom (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment)
         && gtk_adjustment_get_value (adjustment)
            >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

/* Inspecting another process shows its top: its name, not where the last one was scrolled to. */
static void
test_panel_scroll_resets (void)
{
  GtkAdjustment *adjustment;

  set_size (800);
  inspect (400);
  wait_ticks (2);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (panel_scroller ()));
  MS_GUI_AWAIT (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment),
                MS_GUI_WAIT_MS, "the panel to be taller than the window");
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  MS_GUI_AWAIT (scrolled_to_bottom (adjustment), MS_GUI_WAIT_MS, "the panel at its bottom");
  inspect (120);
  MS_GUI_AWAIT (gtk_adjustment_get_value (adjustment) == 0, MS_GUI_WAIT_MS,
                "the panel back at its top");
  /* Still at the top once the new process's figures are laid out. */
  wait_ticks (2);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-panel", NULL);
}

int
main (int argc, char **argv)
{
  g_autofree char *proc_root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  int rc;

  g_setenv ("MEMSCOPE_PROC_ROOT", proc_root, TRUE);
  g_setenv ("MEMSCOPE_SYS_ROOT", proc_root, TRUE);
  g_setenv ("MEMSCOPE_PASSWD", passwd, TRUE);
  lang = ms_test_use_translations () ? "de" : "en";
  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);

  app = ms_gui_start_app (250, &window);
  g_signal_connect (memscope_window_get_model (window), "applied", G_CALLBACK (applied_cb), NULL);

  g_test_add_func ("/panel-layout/growth-columns", test_growth_columns);
  g_test_add_func ("/panel-layout/panel-width", test_panel_width);
  g_test_add_func ("/panel-layout/panel-scroll-resets", test_panel_scroll_resets);

  rc = g_test_run ();

  ms_gui_stop_app (app, window);
  return rc;
}
