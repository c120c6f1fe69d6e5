/* SPDX-License-Identifier: MIT */
/* A read-only window over a recording: loaded with progress and cancel, then timeline, blame, list and history. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-export.h"
#include "memscope-format.h"
#include "memscope-process-model.h"
#include "memscope-recording-window.h"
#include "trace.h"

struct _MemscopeRecordingWindow
{
  GtkWindow parent_instance;

  /* template widgets */
  GtkWidget *loading_box;
  GtkProgressBar *progress;
  GtkWidget *error_banner;
  GtkLabel *error_label;
  GtkWidget *content;
  MemscopeTimeline *timeline;
  MemscopeBlameList *blame_list;
  MemscopeTimeline *history;
  GtkLabel *history_title;
  GtkLabel *summary;
  GtkColumnView *view;
  GtkColumnViewColumn *process_column;
  GtkColumnViewColumn *pid_column;
  GtkColumnViewColumn *footprint_column;
  GtkColumnViewColumn *growth_column;
  GtkColumnViewColumn *tags_column;

  /* owned */
  GtkSingleSelection *selection;
  char *path;
  char *error_text;
  GCancellable *cancellable;
  MemscopeRecording *recording;
  MemscopeProcessModel *model;
};

G_DEFINE_FINAL_TYPE (MemscopeRecordingWindow, memscope_recording_window, GTK_TYPE_WINDOW)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_error_text (MemscopeRecordingWindow *self,
                const char              *text)
{
  g_assert (MEMSCOPE_IS_RECORDING_WINDOW (self));

  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->error_banner, text != NULL);
}

gboolean
memscope_recording_window_show_history (MemscopeRecordingWindow *self,
                                        gint32                   pid,
                                        guint64                  starttime)
{
  g_autofree ms_history_point_t *points = NULL;
  MemscopeProcessRow *row;
  gsize n;

  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), FALSE);

  if (self->recording == NULL)
    return FALSE;
  row = memscope_process_model_lookup (self->model, pid, starttime);
  memscope_timeline_clear (self->history);
  points = g_new (ms_history_point_t, 4096);
  n = memscope_recording_get_history (self->recording, pid, starttime, points, 4096);
  for (gsize i = 0; i < n; i++)
    {
      MemscopeTimelinePoint p = { 0 };

      p.time_s = points[i].time_s;
      p.used_kib = points[i].rss_kib;
      p.swap_kib = points[i].swap_kib;
      p.cache_kib = -1;
      p.psi_some_avg10 = NAN;
      memscope_timeline_append (self->history, &p);
    }
  memscope_timeline_set_empty_text (self->history, _("Too few samples of this process to draw"));
  {
    g_autofree char *name = g_utf8_make_valid (row != NULL ? memscope_process_row_get_name (row)
                                                           : "?", -1);
    g_autofree char *title = NULL;

    if (n > 0)
      /* Translators: the recorded footprint history of a process: its name and pid. */
      title = g_strdup_printf (_("History of %s (%d): resident and swapped"), name, pid);
    else
      title = g_strdup_printf (_("No history was kept for %s (%d)"), name, pid);
    gtk_label_set_text (self->history_title, title);
  }
  /* Keep the list's selection on the process too. */
  if (row != NULL)
    {
      GListModel *list = G_LIST_MODEL (self->selection);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr (MemscopeProcessRow) item = g_list_model_get_item (list, i);

          if (item == row)
            {
              gtk_single_selection_set_selected (self->selection, i);
              break;
            }
        }
    }
  return n > 0;
}

static void
selection_changed_cb (MemscopeRecordingWindow *self)
{
  MemscopeProcessRow *row = gtk_single_selection_get_selected_item (self->selection);

  g_assert (MEMSCOPE_IS_RECORDING_WINDOW (self));

  if (row != NULL && !memscope_process_row_get_is_group (row))
    memscope_recording_window_show_history (self, memscope_process_row_get_pid (row),
                                            memscope_process_row_get_starttime (row));
}

static void
blame_activated_cb (MemscopeRecordingWindow *self,
                    gint32                   pid,
                    guint64                  starttime)
{
  memscope_recording_window_show_history (self, pid, starttime);
}

static void
range_selected_cb (MemscopeRecordingWindow *self,
                   double                   from_s,
                   double                   to_s)
{
  g_assert (MEMSCOPE_IS_RECORDING_WINDOW (self));

  /* Blame reads the file again off the main thread: only two samples are held at a time. */
  memscope_blame_list_compute_trace (self->blame_list, self->path, from_s, to_s);
}

static void
progress_cb (double   fraction,
             gpointer data)
{
  MemscopeRecordingWindow *self = data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr (MemscopeRecordingWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MemscopeRecording) rec = memscope_recording_load_finish (result, &error);
  const MemscopeTimelinePoint *points;
  guint n_points = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is closing */
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (self->loading_box, FALSE);
  if (rec == NULL)
    {
      memscope_timeline_set_empty_text (self->timeline, _("Nothing to show: the recording could "
                                                          "not be read"));
      set_error_text (self, error->message);
      g_signal_emit (self, signals[LOADED], 0);
      return;
    }

  self->recording = g_steal_pointer (&rec);
  if (memscope_recording_get_error (self->recording) != NULL)
    {
      /* Translators: %s names the file and line, e.g. "trace.csv:12: garbage". */
      g_autofree char *text = g_strdup_printf (_("Stopped reading at a bad line; what came "
                                                 "before is shown. %s"),
                                               memscope_recording_get_error (self->recording));

      set_error_text (self, text);
    }
  points = memscope_recording_get_points (self->recording, &n_points);
  for (guint i = 0; i < n_points; i++)
    memscope_timeline_append (self->timeline, &points[i]);
  /* A file does not grow: nothing more is coming to draw. */
  memscope_timeline_set_empty_text (self->timeline, n_points == 0
                                                      ? _("This recording has no samples")
                                                      : _("Too few samples in this recording to "
                                                          "draw"));
  memscope_process_model_apply (self->model, memscope_recording_get_snapshot (self->recording));
  {
    GArray *events = memscope_recording_get_events (self->recording);
    guint n_set = 0;
    g_autofree char *length = NULL;
    g_autofree char *text = NULL;
    double span = memscope_recording_get_last_s (self->recording)
                  - memscope_recording_get_first_s (self->recording);

    for (guint i = 0; i < events->len; i++)
      {
        const ms_event_t *ev = &g_array_index (events, ms_event_t, i);
        g_autofree char *comm = NULL;
        g_autofree char *mark = NULL;

        if (!ev->set)
          continue;
        n_set++;
        comm = g_utf8_make_valid (ev->comm, -1);
        /* Translators: a tag (LEAK, SPIKE, ZOMBIE), a process name and its pid. */
        mark = g_strdup_printf (_("%s: %s (%d)"), ms_trace_tag_name (ev->tag), comm, ev->pid);
        memscope_timeline_add_mark (self->timeline, ev->time_s, mark);
      }
    length = memscope_format_clock (span);
    /* Translators: a recording's length, its number of samples and processes, and how many
     * tags the detector set over it. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s long, %u samples, %zu processes, %u tag set",
                                         "%s long, %u samples, %zu processes, %u tags set", n_set),
                            length,
                            memscope_recording_get_n_samples (self->recording),
                            memscope_recording_get_snapshot (self->recording)->base.n_procs,
                            n_set);
    gtk_label_set_text (self->summary, text);
  }
  gtk_widget_set_sensitive (self->content, TRUE);
  g_signal_emit (self, signals[LOADED], 0);
}

void
memscope_recording_window_cancel (MemscopeRecordingWindow *self)
{
  g_return_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
cancel_clicked_cb (MemscopeRecordingWindow *self)
{
  memscope_recording_window_cancel (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* --- Exports -------------------------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         data)
{
  MemscopeRecordingWindow *self = data;
  const char *what = g_object_get_data (G_OBJECT (dialog), "what");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  if (g_strcmp0 (what, "list") == 0)
    ok = memscope_export_rows_csv (G_LIST_MODEL (self->selection), path, &error);
  else
    ok = memscope_export_widget_png (GTK_WIDGET (g_strcmp0 (what, "history") == 0
                                                   ? self->history : self->timeline),
                                     path, &error);
  if (!ok)
    set_error_text (self, error->message);
out:
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MemscopeRecordingWindow *self = MEMSCOPE_RECORDING_WINDOW (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  gboolean csv = g_strcmp0 (what, "list") == 0;
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (csv ? _("Export List") : _("Export Graph"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     csv ? "processes.csv"
                                         : g_strcmp0 (what, "history") == 0 ? "history.png"
                                                                             : "timeline.png");
  g_object_set_data_full (G_OBJECT (dialog), "what", g_strdup (what), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- Building ------------------------------------------------------------------------------- */

static GtkWidget *
label_cell_new (gboolean numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  gtk_list_item_set_child (item, label_cell_new (GPOINTER_TO_INT (data) != 0));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  data)
{
  MemscopeProcessRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const ms_proc_t *proc = memscope_process_row_get_proc (row);
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (data))
    {
    case 0:
      text = g_utf8_make_valid (memscope_process_row_get_name (row), -1);
      if (proc != NULL && proc->state == 'X')
        {
          char *with = g_strdup_printf (_("%s (exited)"), text);

          g_free (text);
          text = with;
        }
      break;
    case 1:
      text = g_strdup_printf ("%d", memscope_process_row_get_pid (row));
      break;
    case 2:
      text = memscope_format_size (proc != NULL ? proc->footprint_kib : MS_UNKNOWN_KIB);
      break;
    case 3:
      text = memscope_format_signed_size (memscope_process_row_get_delta_kib (row));
      break;
    default:
      {
        guint32 tags = memscope_process_row_get_tags (row);

        text = g_strjoin (" ", (tags & MS_TAG_LEAK) ? "LEAK" : "",
                          (tags & MS_TAG_SPIKE) ? "SPIKE" : "",
                          (tags & MS_TAG_ZOMBIE) ? "ZOMBIE" : "", NULL);
        g_strstrip (text);
        /* The detector's reasons, as in the live list. */
        gtk_widget_set_tooltip_text (label, memscope_process_row_get_explanation (row));
      }
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static int
delta_sort_cb (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  gint64 x = memscope_process_row_get_delta_kib ((MemscopeProcessRow *) a);
  gint64 y = memscope_process_row_get_delta_kib ((MemscopeProcessRow *) b);

  return x > y ? -1 : x < y ? 1 : 0;
}

/* The cells of a column: which is the column's place in bind_cb. */
static void
set_factory (GtkColumnViewColumn *column,
             int                  which)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (which));
  gtk_column_view_column_set_factory (column, factory);
}

static void
memscope_recording_window_dispose (GObject *object)
{
  MemscopeRecordingWindow *self = (MemscopeRecordingWindow *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recording);
  /* The list may drop its rows after the window lets go of the selection. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->error_text, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_RECORDING_WINDOW);

  G_OBJECT_CLASS (memscope_recording_window_parent_class)->dispose (object);
}

static void
memscope_recording_window_class_init (MemscopeRecordingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_recording_window_dispose;

  /* The load ended: the recording is shown, or the error banner says why not. */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MEMSCOPE_TYPE_BLAME_LIST);
  g_type_ensure (MEMSCOPE_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/"
                                               "memscope-recording-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, loading_box);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, error_banner);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, content);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, summary);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, view);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, process_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, pid_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, footprint_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, growth_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, tags_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, blame_list);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, history_title);
  gtk_widget_class_bind_template_child (widget_class, MemscopeRecordingWindow, history);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, blame_activated_cb);

  gtk_widget_class_install_action (widget_class, "recording.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "recording.export", "s", "list");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
memscope_recording_window_init (MemscopeRecordingWindow *self)
{
  GtkSorter *sorter;
  GtkSortListModel *sorted;

  self->model = memscope_process_model_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  memscope_timeline_set_empty_text (self->timeline, _("Reading the recording…"));
  memscope_timeline_set_used_label (self->history, _("Resident"));
  memscope_timeline_set_empty_text (self->history, _("Choose a process to see its recorded "
                                                     "history"));

  /* Every process of the recording, largest growth first. */
  set_factory (self->process_column, 0);
  set_factory (self->pid_column, 1);
  set_factory (self->footprint_column, 2);
  set_factory (self->growth_column, 3);
  set_factory (self->tags_column, 4);
  sorter = GTK_SORTER (gtk_custom_sorter_new (delta_sort_cb, NULL, NULL));
  sorted = gtk_sort_list_model_new (g_object_ref (memscope_process_model_get_processes (self->model)),
                                    sorter);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
}

MemscopeRecordingWindow *
memscope_recording_window_new (GtkApplication *application,
                               const char     *path)
{
  MemscopeRecordingWindow *self;
  g_autofree char *base = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_RECORDING_WINDOW, "application", application, NULL);
  self->path = g_strdup (path);
  base = g_filename_display_basename (path);
  /* Translators: the title of a window showing a recording file. */
  title = g_strdup_printf (_("%s — Recording"), base);
  gtk_window_set_title (GTK_WINDOW (self), title);
  self->cancellable = g_cancellable_new ();
  memscope_recording_load_async (path, self->cancellable, progress_cb, self, loaded_cb,
                                 g_object_ref (self));
  return self;
}

MemscopeRecording *
memscope_recording_window_get_recording (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return self->recording;
}

gboolean
memscope_recording_window_get_loading (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

const char *
memscope_recording_window_get_error_text (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return self->error_text;
}

MemscopeTimeline *
memscope_recording_window_get_timeline (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return self->timeline;
}

MemscopeBlameList *
memscope_recording_window_get_blame_list (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return self->blame_list;
}

MemscopeTimeline *
memscope_recording_window_get_history (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return self->history;
}

GListModel *
memscope_recording_window_get_processes (MemscopeRecordingWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RECORDING_WINDOW (self), NULL);
  return G_LIST_MODEL (self->selection);
}
