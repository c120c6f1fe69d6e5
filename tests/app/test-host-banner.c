/* SPDX-License-Identifier: MIT */
/* The host-probe banner under Xvfb: shown with the reason and a countdown when the probe fails,
 * Retry starts it again, hidden while it runs; in German when LANGUAGE=de. */

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "memscope-host-banner.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define WAIT_S 15

static gboolean german;

static gboolean
wait_for_state (MemscopeHostSource *source,
                MemscopeHostState   state)
{
  return ms_gui_wait_for_host_state (source, state, WAIT_S * 1000);
}

/* Lets the revealer and the layout catch up before looking. */
static void
settle (void)
{
  ms_gui_settle (300);
}

static GtkButton *
find_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found;

      if (GTK_IS_BUTTON (child))
        return GTK_BUTTON (child);
      found = find_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Renders the window the way it is drawn and saves it beside the build for a person to look at;
 * returns how many distinct pixel values it holds. */
static guint
render (GtkWidget  *window,
        const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s%s.png", name, german ? "-de" : "");
  g_autoptr(GdkTexture) texture = ms_gui_render (window, file);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 value;

      memcpy (&value, pixels + i * 4, 4);
      g_hash_table_add (seen, GUINT_TO_POINTER (value));
    }
  return g_hash_table_size (seen);
}

static GtkWidget *
window_with_banner (MemscopeHostBanner **banner_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *banner = memscope_host_banner_new ();
  GtkWidget *body = gtk_label_new ("body");

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 160);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_box_append (GTK_BOX (box), banner);
  gtk_box_append (GTK_BOX (box), body);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  *banner_out = MEMSCOPE_HOST_BANNER (banner);
  return window;
}

/* Cut off mid-frame: the banner names the frame, counts down to the next start, and Retry
 * starts the probe at once. */
static void
test_failed_and_retry (void)
{
  const char *argv[] = { g_getenv ("MS_FAKE_PROBE"), "truncated", NULL };
  g_autoptr(MemscopeHostSource) source = memscope_host_source_new_for_argv (argv);
  MemscopeHostBanner *banner;
  GtkWidget *window = window_with_banner (&banner);
  GtkButton *retry;
  const char *text;

  memscope_host_banner_set_source (banner, source);
  g_assert_false (memscope_host_banner_get_shown (banner));
  memscope_host_source_start (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_FAILED));
  settle ();

  g_assert_true (memscope_host_banner_get_shown (banner));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  text = memscope_host_banner_get_text (banner);
  g_test_message ("banner: %s", text);
  g_assert_nonnull (strstr (text, "frame 4: the stream ended after 100 of its 500 bytes"));
  if (german)
    {
      g_assert_true (g_str_has_prefix (text, "Die Prozesse des Rechners sind nicht sichtbar: "));
      g_assert_nonnull (strstr (text, "Neuer Versuch in 1 Sekunde."));
    }
  else
    {
      g_assert_true (g_str_has_prefix (text, "Cannot see the computer's processes: "));
      g_assert_nonnull (strstr (text, "Trying again in 1 second."));
    }

  retry = find_button (GTK_WIDGET (banner));
  g_assert_nonnull (retry);
  g_assert_cmpstr (gtk_button_get_label (retry), ==, german ? "_Erneut versuchen" : "_Retry");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (retry)));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (retry)));
  g_assert_cmpuint (render (window, "host-banner"), >, 8);

  g_assert_cmpuint (memscope_host_source_get_n_starts (source), ==, 1);
  /* As the keyboard does it: a button's activation clicks it after its pressed look. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (retry)));
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (memscope_host_source_get_n_starts (source) < 2 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (memscope_host_source_get_n_starts (source), ==, 2);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_FAILED));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A running probe shows nothing. */
static void
test_hidden_while_running (void)
{
  const char *argv[] = { g_getenv ("MS_PROBE"), "stream", NULL };
  g_autoptr(MemscopeHostSource) source = memscope_host_source_new_for_argv (argv);
  MemscopeHostBanner *banner;
  GtkWidget *window = window_with_banner (&banner);

  memscope_host_banner_set_source (banner, source);
  memscope_host_source_start (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_RUNNING));
  settle ();
  g_assert_false (memscope_host_banner_get_shown (banner));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpstr (memscope_host_banner_get_text (banner), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("MS_LOCALEDIR");
  const char *de_mo = g_getenv ("MS_DE_MO");
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *tmp_locale = NULL;
  int rc;

  setlocale (LC_ALL, "");
  if (localedir == NULL && de_mo != NULL)
    {
      /* A lone catalogue: lay it out as gettext expects, LOCALEDIR/de/LC_MESSAGES/DOMAIN.mo. */
      g_autofree char *dir = NULL;
      g_autofree char *link = NULL;

      tmp_locale = g_dir_make_tmp ("memscope-locale-XXXXXX", NULL);
      g_assert_nonnull (tmp_locale);
      dir = g_build_filename (tmp_locale, "de", "LC_MESSAGES", NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      link = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
      g_assert_cmpint (symlink (de_mo, link), ==, 0);
      localedir = tmp_locale;
    }
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  german = language != NULL && g_str_has_prefix (language, "de");

  ms_test_ignore_sigpipe ();
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("MS_PROBE"));
  g_assert_nonnull (g_getenv ("MS_FAKE_PROBE"));

  g_test_add_func ("/host-banner/failed-and-retry", test_failed_and_retry);
  g_test_add_func ("/host-banner/hidden-while-running", test_hidden_while_running);

  rc = g_test_run ();
  if (tmp_locale != NULL)
    ms_test_remove_tree (tmp_locale);
  return rc;
}
