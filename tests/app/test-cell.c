/* SPDX-License-Identifier: MIT */
/* The list's text cell: its size never follows its text, a repeated value changes nothing, and a
 * screen reader hears the text and the tooltip. */

#include "config.h"

#include <gtk/gtk.h>

#include "memscope-cell.h"

static int
natural_width (GtkWidget *widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return natural;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_size_ignores_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *cell = memscope_cell_new ();
  int empty_width, long_width, height, minimum;

  g_object_set (cell, "numeric", TRUE, "sample", "9999.9 MiB", NULL);
  gtk_window_set_child (GTK_WINDOW (window), cell);
  empty_width = natural_width (cell);
  g_assert_cmpint (empty_width, >, 0);
  memscope_cell_set_text (MEMSCOPE_CELL (cell), "1023.9 MiB");
  long_width = natural_width (cell);
  g_assert_cmpint (long_width, ==, empty_width);
  memscope_cell_set_text (MEMSCOPE_CELL (cell), "1");
  g_assert_cmpint (natural_width (cell), ==, empty_width);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &minimum, &height, NULL, NULL);
  g_assert_cmpint (height, >, 0);

  /* A wider sample asks for more room; numbers are never squeezed below it. */
  g_object_set (cell, "sample", "99999999.9 MiB", NULL);
  g_assert_cmpint (natural_width (cell), >, empty_width);
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, ==, natural_width (cell));

  /* Names may be cut short with an ellipsis, down to width-chars. */
  g_object_set (cell, "numeric", FALSE, "sample", NULL, "width-chars", 14, "max-width-chars", 24,
                NULL);
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <, natural_width (cell));
  g_assert_cmpint (minimum * 24, ==, natural_width (cell) * 14);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_repeated_text_is_free (void)
{
  g_autoptr(GtkWidget) cell = g_object_ref_sink (memscope_cell_new ());
  guint texts = 0, tooltips = 0;

  g_signal_connect (cell, "notify::text", G_CALLBACK (count_cb), &texts);
  g_signal_connect (cell, "notify::tooltip", G_CALLBACK (count_cb), &tooltips);
  memscope_cell_set_text (MEMSCOPE_CELL (cell), "12.0 MiB");
  memscope_cell_set_text (MEMSCOPE_CELL (cell), "12.0 MiB");
  g_object_set (cell, "text", "12.0 MiB", NULL);
  g_assert_cmpuint (texts, ==, 1);
  g_assert_cmpstr (memscope_cell_get_text (MEMSCOPE_CELL (cell)), ==, "12.0 MiB");

  memscope_cell_set_tooltip (MEMSCOPE_CELL (cell), "measured 3 s ago");
  memscope_cell_set_tooltip (MEMSCOPE_CELL (cell), "measured 3 s ago");
  g_assert_cmpuint (tooltips, ==, 1);
  g_assert_true (gtk_widget_get_has_tooltip (cell));
  memscope_cell_set_tooltip (MEMSCOPE_CELL (cell), NULL);
  g_assert_false (gtk_widget_get_has_tooltip (cell));
  /* Asked for its tooltip text, the cell gives the current one, not a copy kept by GTK. */
  g_assert_null (gtk_widget_get_tooltip_text (cell));
}

static void
test_accessible (void)
{
  g_autoptr(GtkWidget) cell = g_object_ref_sink (memscope_cell_new ());

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (cell)), ==,
                   GTK_ACCESSIBLE_ROLE_LABEL);
  memscope_cell_set_text (MEMSCOPE_CELL (cell), "postgres");
  gtk_test_accessible_assert_property (cell, GTK_ACCESSIBLE_PROPERTY_LABEL, "postgres");
  memscope_cell_set_tooltip (MEMSCOPE_CELL (cell), "/usr/lib/postgresql/bin/postgres -D /srv");
  gtk_test_accessible_assert_property (cell, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "/usr/lib/postgresql/bin/postgres -D /srv");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cell/size-ignores-text", test_size_ignores_text);
  g_test_add_func ("/cell/repeated-text-is-free", test_repeated_text_is_free);
  g_test_add_func ("/cell/accessible", test_accessible);
  return g_test_run ();
}
