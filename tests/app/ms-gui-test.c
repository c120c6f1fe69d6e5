/* SPDX-License-Identifier: MIT */
/* What the GTK test programs share: main-loop waits, widget lookup, renders, texts, processes. */

#include "config.h"

#include "ms-gui-test.h"

#include <gdk/x11/gdkx.h>
#include "memscope-cell.h"
#include "memscope-inspect-panel.h"
#include "memscope-process-actions-private.h"

#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Held from ms_gui_start_app to ms_gui_stop_app, as the programs held theirs for the whole run. */
static GSettings *app_settings;

static GLogWriterOutput
list_scroll_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (fields[i].length < 0 && g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if ((log_level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_WARNING && g_strcmp0 (domain, "Gtk") == 0
      && message != NULL && g_str_has_suffix (message, "failed to scroll to given position. Ignoring..."))
    {
      fprintf (stderr, "# let through: Gtk-WARNING: %s\n", message);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
ms_gui_allow_list_scroll_warning (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      g_log_set_writer_func (list_scroll_writer, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

void
ms_gui_test_init (int    *argc,
                  char ***argv)
{
  ms_gui_allow_list_scroll_warning ();
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (argc, argv, NULL);
  setlocale (LC_NUMERIC, "C");
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ms_gui_wait_for (MsGuiDoneFunc done,
                 gpointer      data,
                 guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

void
ms_gui_wait_until (MsGuiDoneFunc done,
                   gpointer      data,
                   guint         timeout_ms,
                   const char   *what)
{
  if (!ms_gui_wait_for (done, data, timeout_ms))
    g_error ("timed out waiting for %s", what);
}

gboolean
ms_gui_poll_until (MsGuiDoneFunc done,
                   gpointer      data,
                   guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

void
ms_gui_settle (guint duration_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) duration_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

void
ms_gui_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
ms_gui_pump (guint n_first,
             guint pause_ms)
{
  for (guint i = 0; i < n_first; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep ((gulong) pause_ms * 1000);
  ms_gui_drain ();
}

gboolean
ms_gui_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

void
ms_gui_set_flag_cb (gpointer  instance,
                    gboolean *flag)
{
  *flag = TRUE;
}

void
ms_gui_wait_for_flag (gboolean   *flag,
                      guint       timeout_ms,
                      const char *what)
{
  ms_gui_wait_until (ms_gui_flag_is_set, flag, timeout_ms, what);
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  *(gboolean *) data = TRUE;
  g_spawn_close_pid (pid);
}

void
ms_gui_run_command (const char *command_line)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  gboolean done = FALSE;
  GPid pid;

  g_assert_true (g_shell_parse_argv (command_line, NULL, &argv, NULL));
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                      NULL, &pid, &error))
    g_error ("%s: %s", argv[0], error->message);
  g_child_watch_add (pid, child_exited_cb, &done);
  ms_gui_wait_for_flag (&done, 20000, argv[0]);
}

void
ms_gui_type_keys (GtkWidget  *window,
                  const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *command = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  /* The window by its own id, not by a title another window could share; --sync waits until the
   * focus has moved to it before any key goes out. */
  command = g_strdup_printf ("xdotool windowfocus --sync %lu key --delay 20 %s",
                             (gulong) gdk_x11_surface_get_xid (surface), keys);
  ms_gui_run_command (command);
}

gboolean
ms_gui_contains (const char *text,
                 const char *needle)
{
  g_autoptr(GString) plain = NULL;

  if (text == NULL)
    return FALSE;
  plain = g_string_new (text);
  g_string_replace (plain, "\u00a0", " ", 0);
  return strstr (plain->str, needle) != NULL;
}

const char *
ms_gui_shown_text (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (MEMSCOPE_IS_CELL (widget))
    return memscope_cell_get_text (MEMSCOPE_CELL (widget));
  return NULL;
}

GtkWidget *
ms_gui_find_widget (GtkWidget *root,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ms_gui_find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
invalidated_cb (GdkPaintable *paintable,
                gboolean     *drawn)
{
  *drawn = TRUE;
}

GdkTexture *
ms_gui_render (GtkWidget  *widget,
               const char *png_name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = NULL;
  gboolean drawn = FALSE;
  int width, height;

  /* Mapped, laid out and drawn once as it is now, so the render is what a person would see. */
  MS_GUI_AWAIT (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0
                && gtk_widget_get_height (widget) > 0, MS_GUI_WAIT_MS, "the widget to map");
  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (invalidated_cb), &drawn);
  gtk_widget_queue_draw (widget);
  ms_gui_wait_for_flag (&drawn, MS_GUI_WAIT_MS, "a frame");
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = g_build_filename (g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR") : ".", png_name,
                          NULL);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("%s: %dx%d, saved %s", png_name, width, height, png);
  return g_steal_pointer (&texture);
}

guint64
ms_gui_render_distinct_pixels (GtkWidget  *widget,
                               const char *png_name)
{
  g_autoptr(GdkTexture) texture = ms_gui_render (widget, png_name);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  guint64 distinct = 0;
  guint32 first;

  gdk_texture_download (texture, pixels, stride);
  memcpy (&first, pixels, 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 px;

      memcpy (&px, pixels + i * 4, 4);
      if (px != first)
        distinct++;
    }
  g_test_message ("%s: %" G_GUINT64_FORMAT " pixels differ from the first", png_name, distinct);
  return distinct;
}

typedef struct
{
  MemscopeHostSource *source;
  MemscopeHostState   state;
} HostStateWait;

static gboolean
host_in_state (gpointer data)
{
  HostStateWait *wait = data;

  return memscope_host_source_get_state (wait->source) == wait->state;
}

gboolean
ms_gui_wait_for_host_state (MemscopeHostSource *source,
                            MemscopeHostState   state,
                            guint               timeout_ms)
{
  HostStateWait wait = { source, state };

  return ms_gui_poll_until (host_in_state, &wait, timeout_ms);
}

MemscopeApplication *
ms_gui_start_app (guint            refresh_interval_ms,
                  MemscopeWindow **window)
{
  g_autoptr(GError) error = NULL;
  MemscopeApplication *app;

  g_assert_null (app_settings);
  app_settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_set_uint (app_settings, "refresh-interval-ms", refresh_interval_ms);

  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  g_application_activate (G_APPLICATION (app));
  *window = MEMSCOPE_WINDOW (memscope_application_get_window (app));
  g_assert_nonnull (*window);
  return app;
}

void
ms_gui_stop_app (MemscopeApplication *app,
                 MemscopeWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ms_gui_drain ();
  g_application_quit (G_APPLICATION (app));
  g_object_unref (app);
  g_clear_object (&app_settings);
}

gboolean
ms_gui_child_gone (gpointer pid)
{
  int status;

  return waitpid (GPOINTER_TO_INT (pid), &status, WNOHANG) == GPOINTER_TO_INT (pid);
}

GPid
ms_gui_spawn_leak_sim (const char *name)
{
  const char *leak_sim = g_getenv ("MS_LEAK_SIM");
  const char *argv[] = { leak_sim, "--name", name, "--start", "16", "--rate", "8",
                         "--duration", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out_fd;

  g_assert_nonnull (leak_sim);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_assert_true (g_str_has_prefix (line, "ready "));
  return pid;
}

MemscopeProcessRow *
ms_gui_row_new (pid_t       pid,
                        guint64     starttime,
                        const char *comm)
{
  ms_proc_t proc = { 0 };

  proc.pid = pid;
  proc.starttime = starttime;
  proc.state = 'S';
  g_strlcpy (proc.comm, comm, sizeof proc.comm);
  g_strlcpy (proc.user, getuid () == 0 ? "root" : "nobody", sizeof proc.user);
  proc.pss_kib = proc.uss_kib = proc.swap_pss_kib = MS_UNKNOWN_KIB;
  return memscope_process_row_new (&proc, NULL, 0);
}

void
ms_gui_row_set_state (MemscopeProcessRow *row,
                      char                state)
{
  ms_proc_t proc = *memscope_process_row_get_proc (row);

  proc.state = state;
  memscope_process_row_update (row, &proc, NULL, 0);
}

MemscopeProcessActions *
ms_gui_request_signal (MemscopeWindow     *window,
                       MemscopeProcessRow *row,
                       int                 sig,
                       char              **text)
{
  MemscopeInspectPanel *panel;
  MemscopeProcessActions *actions;
  GtkWidget *dialog;

  g_assert_true (memscope_window_select_row (window, row));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.inspect", NULL);
  panel = MEMSCOPE_INSPECT_PANEL (ms_gui_find_widget (GTK_WIDGET (window),
                                                      MEMSCOPE_TYPE_INSPECT_PANEL));
  g_assert_nonnull (panel);
  actions = memscope_inspect_details_get_actions (memscope_inspect_panel_get_details (panel));
  memscope_process_actions_request (actions, sig);
  dialog = memscope_process_actions_get_confirmation (actions);
  g_assert_nonnull (dialog);
  g_object_get (dialog, "text", text, NULL);
  g_test_message ("%s", *text);
  return actions;
}

GtkWindow *
ms_gui_show_details (MemscopeInspectDetails **details)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *widget = memscope_inspect_details_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), widget);
  gtk_window_set_child (window, scroller);
  gtk_window_set_default_size (window, 440, 700);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, TRUE);
  *details = MEMSCOPE_INSPECT_DETAILS (widget);
  return window;
}

gint64
ms_gui_anonymous_growth_kib (MemscopeSmapsView *view)
{
  return memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP)
         + memscope_smaps_view_get_growth_kib (view, MS_SMAPS_ANON)
         + memscope_smaps_view_get_growth_kib (view, MS_SMAPS_ANON_NAMED);
}
