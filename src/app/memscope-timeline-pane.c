/* SPDX-License-Identifier: MIT */
/* The window's timeline area: the application's history drawn live, blame of a range, recordings
 * and exports. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "memscope-export.h"
#include "memscope-process-row.h"
#include "memscope-recording-window.h"
#include "memscope-snapshot.h"
#include "memscope-timeline-pane.h"
#include "store.h"

#define MAX_EVENTS 1000 /* rows of the events list */

struct _MemscopeTimelinePane
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *box;
  GtkWidget *revealer;
  GtkWidget *expand_button;
  GtkWidget *span_buttons[4]; /* as spans_s */
  GtkWidget *record_box;
  GtkLabel *record_label;
  GtkWidget *events_popover;
  GtkWidget *events_list;
  GtkLabel *status;
  GtkWidget *open_folder_button; /* shown with "Saved to …" after a recording stops */
  MemscopeTimeline *timeline;
  GtkWidget *blame_revealer;
  MemscopeBlameList *blame_list;

  /* owned */
  MemscopeHistory *history;
  gboolean history_loaded; /* what the history held has been drawn */
  guint n_event_rows;

  char *saved_folder;         /* where the last stopped recording went, while it is said */
  GListModel *process_list;   /* the window's list as shown */
  GtkWidget *trend_graph;     /* exported while mapped */

  /* borrowed */
  GtkApplicationWindow *window;
};

G_DEFINE_FINAL_TYPE (MemscopeTimelinePane, memscope_timeline_pane, GTK_TYPE_WIDGET)

enum {
  HISTORY_LOADED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_PROCESS_LIST,
  PROP_TREND_GRAPH,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];
/* 0: everything the timeline holds. */
static const double spans_s[4] = { 300, 900, 3600, 0 };
/* The buttons of those spans in the template. */
static const char *const span_ids[4] = {
  "span_5_button", "span_15_button", "span_60_button", "span_all_button"
};

static void
set_status (MemscopeTimelinePane *self,
            const char           *text)
{
  gtk_label_set_text (self->status, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL && *text != '\0');
  /* Any other news replaces "Saved to …" and its button. */
  gtk_widget_set_visible (self->open_folder_button, FALSE);
  g_clear_pointer (&self->saved_folder, g_free);
}

/* After Stop: where the file went, and a way to get there. */
static void
show_saved (MemscopeTimelinePane *self,
            const char           *path)
{
  g_autofree char *shown = g_filename_display_name (path);
  /* Translators: after a recording stops; %s is the file's full path. */
  g_autofree char *text = g_strdup_printf (_("Saved to %s"), shown);

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  set_status (self, text);
  /* The label may be cut at its end: the whole path stays in reach. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status), text);
  self->saved_folder = g_path_get_dirname (path);
  gtk_widget_set_visible (self->open_folder_button, TRUE);
}

static void
folder_launched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr (MemscopeTimelinePane) self = data;
  g_autoptr (GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && self->box != NULL)
    {
      /* Translators: %s says why (from the system). */
      g_autofree char *text = g_strdup_printf (_("Cannot open the folder: %s"), error->message);

      set_status (self, text);
    }
}

static void
open_folder_clicked_cb (MemscopeTimelinePane *self)
{
  g_autoptr (GFile) folder = NULL;
  g_autoptr (GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->saved_folder == NULL)
    return;
  folder = g_file_new_for_path (self->saved_folder);
  uri = g_file_get_uri (folder);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           folder_launched_cb, g_object_ref (self));
}

/* --- Events ------------------------------------------------------------------------------- */

static const char *
tag_name (ms_tag_t tag)
{
  if (tag == MS_STORE_TAG_OOM)
    return "OOM";
  return ms_trace_tag_name (tag);
}

/* Why a tag cleared, in words; NULL when the log does not say (written before reasons were). */
static const char *
clear_reason_text (const ms_event_t *ev)
{
  switch (ev->reason)
    {
    case MS_CLEAR_STOPPED:
      if (ev->tag == MS_TAG_LEAK)
        return _("stopped growing");
      if (ev->tag == MS_TAG_SPIKE)
        return _("the jump is over");
      return _("no longer a zombie");
    case MS_CLEAR_EXITED:
      /* A zombie's end is its parent reaping it. */
      return ev->tag == MS_TAG_ZOMBIE ? _("reaped") : _("exited");
    case MS_CLEAR_RESET:
      return _("detector settings changed");
    case MS_CLEAR_UNKNOWN:
    default:
      return NULL;
    }
}

/* What an event row says after its time. */
static char *
event_text (const ms_store_event_t *ev)
{
  g_autofree char *comm = NULL;
  const char *reason;

  if (ev->event.tag == MS_STORE_TAG_OOM)
    {
      /* The count is formatted on its own: a format macro inside a message hides it from
       * xgettext. */
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, ev->oom_kills);

      /* Translators: %s is how many processes the kernel's OOM killer ended. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "OOM: the kernel ended %s process",
                                           "OOM: the kernel ended %s processes",
                                           (gulong) MIN (ev->oom_kills, G_MAXULONG)),
                              count);
    }
  comm = g_utf8_make_valid (ev->event.comm, -1);
  if (ev->event.set)
    /* Translators: a tag (LEAK, SPIKE, ZOMBIE) set on a process: its name and pid. */
    return g_strdup_printf (_("%s set: %s (%d)"), tag_name (ev->event.tag), comm, ev->event.pid);
  reason = clear_reason_text (&ev->event);
  if (reason == NULL)
    /* Translators: a tag (LEAK, SPIKE, ZOMBIE) cleared on a process: its name and pid. */
    return g_strdup_printf (_("%s cleared: %s (%d)"), tag_name (ev->event.tag), comm,
                            ev->event.pid);
  /* Translators: a tag cleared on a process (name, pid), then why: "stopped growing",
   * "exited" ... */
  return g_strdup_printf (_("%s cleared: %s (%d), %s"), tag_name (ev->event.tag), comm,
                          ev->event.pid, reason);
}

/* The local day of a time, for the list's day headers. */
static gint64
day_of (double time_s)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((gint64) floor (time_s));

  if (when == NULL)
    return G_MININT64;
  return (gint64) g_date_time_get_year (when) * 1000 + g_date_time_get_day_of_year (when);
}

/* A header above the first row of each day: "Today", "Yesterday" or the date. */
static void
event_header_cb (GtkListBoxRow *row,
                 GtkListBoxRow *before,
                 gpointer       data)
{
  const ms_store_event_t *ev = g_object_get_data (G_OBJECT (row), "event");
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *text = NULL;
  gint64 day = day_of (ev->event.time_s);
  GtkWidget *label;

  if (before != NULL)
    {
      const ms_store_event_t *prev = g_object_get_data (G_OBJECT (before), "event");

      if (day_of (prev->event.time_s) == day)
        {
          gtk_list_box_row_set_header (row, NULL);
          return;
        }
    }
  when = g_date_time_new_from_unix_local ((gint64) floor (ev->event.time_s));
  now = g_date_time_new_now_local ();
  if (when == NULL)
    text = g_strdup ("?");
  else if (day == day_of ((double) g_date_time_to_unix (now)))
    text = g_strdup (_("Today"));
  else if (day == day_of ((double) g_date_time_to_unix (now) - 86400))
    text = g_strdup (_("Yesterday"));
  else
    text = g_date_time_format (when, "%x");
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, before != NULL ? 9 : 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_list_box_row_set_header (row, label);
}

static void
add_event_row (MemscopeTimelinePane   *self,
               const ms_store_event_t *ev,
               gboolean                mark)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((gint64) ev->event.time_s);
  g_autofree char *time_text = when != NULL ? g_date_time_format (when, "%X") : g_strdup ("?");
  g_autofree char *text = event_text (ev);
  GtkWidget *row, *box, *time_label, *label;

  if (ev->event.set && mark)
    {
      g_autofree char *tip = g_strdup_printf ("%s  %s", time_text, text);

      memscope_timeline_add_mark (self->timeline, ev->event.time_s, tip);
    }
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  time_label = gtk_label_new (time_text);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "dim-label");
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), time_label);
  gtk_box_append (GTK_BOX (box), label);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  g_object_set_data_full (G_OBJECT (row), "event", g_memdup2 (ev, sizeof *ev), g_free);
  gtk_widget_set_tooltip_text (row, ev->event.tag == MS_STORE_TAG_OOM
                                    ? _("Show this time on the timeline")
                                    : _("Show this time on the timeline and inspect the process"));
  gtk_list_box_prepend (GTK_LIST_BOX (self->events_list), row);
}

static void
show_event (MemscopeTimelinePane   *self,
            const ms_store_event_t *ev)
{
  add_event_row (self, ev, TRUE);
  /* The newest rows, as the history keeps the newest events. */
  if (++self->n_event_rows > MAX_EVENTS)
    {
      gtk_list_box_remove (GTK_LIST_BOX (self->events_list),
                           gtk_widget_get_last_child (self->events_list));
      self->n_event_rows--;
    }
}

/* --- The history, live --------------------------------------------------------------------- */

static void
point_added_cb (MemscopeTimelinePane        *self,
                const MemscopeTimelinePoint *point)
{
  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->history_loaded)
    memscope_timeline_append (self->timeline, point);
}

static void
event_added_cb (MemscopeTimelinePane   *self,
                const ms_store_event_t *ev)
{
  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->history_loaded)
    show_event (self, ev);
}

/* Everything the history holds (what earlier runs left, what this one saw before the window
 * opened), then each new point and event as it comes. */
static void
history_loaded_cb (MemscopeTimelinePane *self)
{
  GArray *points, *events;

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->history_loaded)
    return;
  points = memscope_history_get_points (self->history);
  events = memscope_history_get_events (self->history);
  for (guint i = 0; i < points->len; i++)
    memscope_timeline_append (self->timeline, &g_array_index (points, MemscopeTimelinePoint, i));
  for (guint i = 0; i < events->len; i++)
    show_event (self, &g_array_index (events, ms_store_event_t, i));
  self->history_loaded = TRUE;
  g_signal_emit (self, signals[HISTORY_LOADED], 0);
}

static void
history_error_cb (MemscopeTimelinePane *self)
{
  const char *error = memscope_history_get_error (self->history);

  /* The timeline still works live; only the rolling recording is lost. */
  if (error != NULL)
    set_status (self, error);
}

static void
n_recorded_cb (MemscopeTimelinePane *self)
{
  guint n = memscope_history_get_n_recorded (self->history);
  g_autofree char *text = NULL;

  if (memscope_history_get_recording_path (self->history) == NULL || n == 0)
    return;
  /* Translators: shown while recording; %u counts the samples written. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recording: %u sample",
                                       "Recording: %u samples", n), n);
  gtk_label_set_text (self->record_label, text);
}

static void
recording_path_cb (MemscopeTimelinePane *self)
{
  const char *path = memscope_history_get_recording_path (self->history);

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (path != NULL)
    {
      g_autofree char *base = g_filename_display_name (path);
      /* Translators: %s is the file being recorded to. */
      g_autofree char *tooltip = g_strdup_printf (_("Recording to %s"), base);

      gtk_widget_set_tooltip_text (self->record_box, tooltip);
      gtk_label_set_text (self->record_label, _("Recording…"));
    }
  gtk_widget_set_visible (self->record_box, path != NULL);
  if (self->window != NULL)
    {
      GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self->window), "stop-recording");

      if (stop != NULL)
        g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), path != NULL);
    }
}

static void
recording_failed_cb (MemscopeTimelinePane *self,
                     const char           *message)
{
  set_status (self, message);
}

/* --- Blame ------------------------------------------------------------------------------------ */

static void
range_selected_cb (MemscopeTimelinePane *self,
                   double                from_s,
                   double                to_s)
{
  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->blame_revealer), TRUE);
  /* The live timeline runs on wall-clock time, the store's clock. */
  memscope_blame_list_compute_store (self->blame_list, memscope_history_get_dir (self->history),
                                     from_s, to_s);
}

static void
has_selection_cb (MemscopeTimelinePane *self)
{
  if (!memscope_timeline_get_selection (self->timeline, NULL, NULL))
    {
      memscope_blame_list_cancel (self->blame_list);
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->blame_revealer), FALSE);
    }
}

/* Whether the list as shown has a row for the process. */
static gboolean
process_listed (MemscopeTimelinePane *self,
                gint32                pid,
                guint64               starttime)
{
  guint n;

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->process_list == NULL)
    return FALSE;
  n = g_list_model_get_n_items (self->process_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (self->process_list, i);
      g_autoptr (GObject) row = GTK_IS_TREE_LIST_ROW (item)
        ? gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (item)) : g_object_ref (item);

      if (MEMSCOPE_IS_PROCESS_ROW (row)
          && !memscope_process_row_get_is_group (MEMSCOPE_PROCESS_ROW (row))
          && memscope_process_row_get_pid (MEMSCOPE_PROCESS_ROW (row)) == pid
          && memscope_process_row_get_starttime (MEMSCOPE_PROCESS_ROW (row)) == starttime)
        return TRUE;
    }
  return FALSE;
}

static void
blame_activated_cb (MemscopeTimelinePane *self,
                    gint32                pid,
                    guint64               starttime)
{
  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (!process_listed (self, pid, starttime))
    {
      set_status (self, _("That process has exited or is filtered out of the list"));
      return;
    }
  set_status (self, NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.inspect-process", "(it)", pid, starttime);
}

/* An event's row: the timeline shows its time (with a span that holds it) and the process it
 * names is inspected when the list shows it. */
static void
event_activated_cb (MemscopeTimelinePane *self,
                    GtkListBoxRow        *row)
{
  const ms_store_event_t *ev = g_object_get_data (G_OBJECT (row), "event");
  MemscopeTimelinePoint oldest;
  double time_s;

  g_assert (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (ev == NULL)
    return;
  time_s = ev->event.time_s;
  gtk_popover_popdown (GTK_POPOVER (self->events_popover));
  set_status (self, NULL);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->expand_button), TRUE);
  if (!memscope_timeline_get_point (self->timeline, 0, &oldest) || time_s < oldest.time_s)
    set_status (self, _("The timeline no longer holds that time"));
  else
    {
      /* The shortest span that shows it. */
      for (guint i = 0; i < G_N_ELEMENTS (spans_s)
                        && !memscope_timeline_get_time_visible (self->timeline, time_s); i++)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->span_buttons[i]), TRUE);
      memscope_timeline_set_cursor (self->timeline, time_s);
    }
  if (ev->event.tag != MS_STORE_TAG_OOM)
    {
      if (process_listed (self, ev->event.pid, ev->event.starttime))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.inspect-process", "(it)",
                                    ev->event.pid, ev->event.starttime);
      else
        set_status (self, _("That process has exited or is filtered out of the list"));
    }
}

/* --- Recording, opening and exports ----------------------------------------------------------- */

gboolean
memscope_timeline_pane_start_recording (MemscopeTimelinePane  *self,
                                        const char            *path,
                                        GError               **error)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->history != NULL, FALSE);

  if (!memscope_history_start_recording (self->history, path, error))
    return FALSE;
  set_status (self, NULL);
  return TRUE;
}

void
memscope_timeline_pane_stop_recording (MemscopeTimelinePane *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self));

  if (self->history == NULL)
    return;
  path = g_strdup (memscope_history_get_recording_path (self->history));
  memscope_history_stop_recording (self->history);
  if (path != NULL)
    show_saved (self, path);
}

/* Recordings are named by when they start, so one never overwrites another by default. */
char *
memscope_timeline_pane_dup_recording_name (GDateTime *when)
{
  g_return_val_if_fail (when != NULL, NULL);

  return g_date_time_format (when, "memscope-recording-%Y-%m-%d-%H%M%S.csv");
}

const char *
memscope_timeline_pane_get_status (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status)))
    return NULL;
  return gtk_label_get_text (self->status);
}

GtkWidget *
memscope_timeline_pane_get_open_folder_button (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->open_folder_button;
}

const char *
memscope_timeline_pane_get_saved_folder (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->saved_folder;
}

GtkWindow *
memscope_timeline_pane_open_recording (MemscopeTimelinePane *self,
                                       const char           *path)
{
  MemscopeRecordingWindow *window;
  GtkApplication *app = NULL;

  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (self->window != NULL)
    app = gtk_window_get_application (GTK_WINDOW (self->window));
  window = memscope_recording_window_new (app, path);
  if (self->window != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self->window));
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

typedef enum
{
  CHOOSE_RECORD,
  CHOOSE_OPEN,
  CHOOSE_EXPORT_LIST,
  CHOOSE_EXPORT_TIMELINE,
  CHOOSE_EXPORT_TREND,
} Choice;

static void
chooser_response_cb (GtkNativeDialog      *dialog,
                     int                   response,
                     MemscopeTimelinePane *self)
{
  Choice choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "choice"));
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    goto out;
  switch (choice)
    {
    case CHOOSE_RECORD:
      ok = memscope_timeline_pane_start_recording (self, path, &error);
      break;
    case CHOOSE_OPEN:
      memscope_timeline_pane_open_recording (self, path);
      break;
    case CHOOSE_EXPORT_LIST:
      {
        GListModel *list = g_object_get_data (G_OBJECT (dialog), "list");

        ok = list != NULL && memscope_export_rows_csv (list, path, &error);
      }
      break;
    case CHOOSE_EXPORT_TIMELINE:
      ok = memscope_export_widget_png (GTK_WIDGET (self->timeline), path, &error);
      break;
    case CHOOSE_EXPORT_TREND:
    default:
      {
        GtkWidget *graph = self->trend_graph != NULL && gtk_widget_get_mapped (self->trend_graph)
          ? self->trend_graph : NULL;

        if (graph == NULL)
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                       _("Inspect a process first: its trend graph is what gets exported"));
        else
          ok = memscope_export_widget_png (graph, path, &error);
        ok = ok && graph != NULL;
      }
      break;
    }
  if (!ok)
    set_status (self, error != NULL ? error->message : _("The export failed"));
  else if (choice != CHOOSE_RECORD && choice != CHOOSE_OPEN)
    {
      g_autofree char *shown = g_filename_display_name (path);
      /* Translators: %s is the file written. */
      g_autofree char *text = g_strdup_printf (_("Saved %s"), shown);

      set_status (self, text);
    }
out:
  g_object_unref (dialog);
}

static void
choose_file (MemscopeTimelinePane *self,
             Choice                choice)
{
  static const struct { const char *title; const char *accept; const char *name; } texts[] = {
    { N_("Record to"), N_("_Record"), NULL /* by the time: see dup_recording_name */ },
    { N_("Open Recording"), N_("_Open"), NULL },
    { N_("Export List"), N_("_Export"), "processes.csv" },
    { N_("Export Timeline"), N_("_Export"), "timeline.png" },
    { N_("Export Trend Graph"), N_("_Export"), "trend.png" },
  };
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (choice == CHOOSE_RECORD)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();

      name = memscope_timeline_pane_dup_recording_name (now);
    }
  else if (texts[choice].name != NULL)
    name = g_strdup (texts[choice].name);
  dialog = gtk_file_chooser_native_new (_(texts[choice].title),
                                        self->window != NULL ? GTK_WINDOW (self->window) : NULL,
                                        choice == CHOOSE_OPEN ? GTK_FILE_CHOOSER_ACTION_OPEN
                                                              : GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _(texts[choice].accept), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (choice == CHOOSE_OPEN || choice == CHOOSE_RECORD)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Traces (CSV)"));
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      g_object_unref (filter);
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("All files"));
      gtk_file_filter_add_pattern (filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      g_object_unref (filter);
    }
  /* The list as shown: sorted, filtered, groups expanded or not. */
  if (choice == CHOOSE_EXPORT_LIST && self->process_list != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "list", g_object_ref (self->process_list),
                            g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "choice", GINT_TO_POINTER (choice));
  g_signal_connect_object (dialog, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
record_to_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  choose_file (data, CHOOSE_RECORD);
}

static void
stop_recording_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  memscope_timeline_pane_stop_recording (data);
}

static void
open_recording_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  choose_file (data, CHOOSE_OPEN);
}

static void
export_list_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  choose_file (data, CHOOSE_EXPORT_LIST);
}

static void
export_timeline_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  MemscopeTimelinePane *self = data;

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
  choose_file (self, CHOOSE_EXPORT_TIMELINE);
}

static void
export_trend_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  choose_file (data, CHOOSE_EXPORT_TREND);
}

static void
show_timeline_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  MemscopeTimelinePane *self = data;
  gboolean shown = !gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->expand_button), shown);
  if (shown)
    gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
span_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       data)
{
  MemscopeTimelinePane *self = data;
  int minutes = g_variant_get_int32 (parameter);

  for (guint i = 0; i < G_N_ELEMENTS (spans_s); i++)
    if (spans_s[i] == minutes * 60.0)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->span_buttons[i]), TRUE);
}

static const struct
{
  const char *action;
  const char *accels[2];
} shortcuts[] = {
  { "win.record-to", { "<Primary>r", NULL } },
  { "win.stop-recording", { "<Primary><Shift>r", NULL } },
  { "win.open-recording", { "<Primary>o", NULL } },
  { "win.export-list", { "<Primary>e", NULL } },
  { "win.export-timeline", { "<Primary><Shift>t", NULL } },
  { "win.show-timeline", { "<Primary>t", NULL } },
  { "win.timeline-span(5)", { "<Primary>1", NULL } },
  { "win.timeline-span(15)", { "<Primary>2", NULL } },
  { "win.timeline-span(60)", { "<Primary>3", NULL } },
  { "win.timeline-span(0)", { "<Primary>4", NULL } },
};

static void
set_accels (GtkWindow *window)
{
  GtkApplication *app = gtk_window_get_application (window);

  if (app == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (app, shortcuts[i].action, shortcuts[i].accels);
}

void
memscope_timeline_pane_attach (MemscopeTimelinePane *self,
                               GtkApplicationWindow *window)
{
  const GActionEntry entries[] = {
    { "record-to", record_to_cb, NULL, NULL, NULL, { 0 } },
    { "stop-recording", stop_recording_cb, NULL, NULL, NULL, { 0 } },
    { "open-recording", open_recording_cb, NULL, NULL, NULL, { 0 } },
    { "export-list", export_list_cb, NULL, NULL, NULL, { 0 } },
    { "export-timeline", export_timeline_cb, NULL, NULL, NULL, { 0 } },
    { "export-trend", export_trend_cb, NULL, NULL, NULL, { 0 } },
    { "show-timeline", show_timeline_cb, NULL, NULL, NULL, { 0 } },
    { "timeline-span", span_cb, "i", NULL, NULL, { 0 } },
  };
  GAction *stop;

  g_return_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self));
  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries), self);
  stop = g_action_map_lookup_action (G_ACTION_MAP (window), "stop-recording");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop),
                               self->history != NULL
                               && memscope_history_get_recording_path (self->history) != NULL);
  /* A window under construction gets its application only after its constructed(). */
  set_accels (GTK_WINDOW (window));
  g_signal_connect (window, "notify::application", G_CALLBACK (set_accels), NULL);
}

/* --- Object ------------------------------------------------------------------------------------ */

static void
span_toggled_cb (GtkToggleButton      *button,
                 MemscopeTimelinePane *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (spans_s); i++)
    if (self->span_buttons[i] == GTK_WIDGET (button))
      memscope_timeline_set_span_s (self->timeline, spans_s[i]);
}

static void
memscope_timeline_pane_dispose (GObject *object)
{
  MemscopeTimelinePane *self = (MemscopeTimelinePane *) object;

  /* A recording goes on in the history: it belongs to the application, not the window. */
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_object (&self->process_list);
  g_clear_object (&self->trend_graph);
  g_clear_pointer (&self->saved_folder, g_free);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_TIMELINE_PANE);

  G_OBJECT_CLASS (memscope_timeline_pane_parent_class)->dispose (object);
}

static void
memscope_timeline_pane_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MemscopeTimelinePane *self = MEMSCOPE_TIMELINE_PANE (object);

  switch (prop_id)
    {
    case PROP_PROCESS_LIST:
      g_value_set_object (value, self->process_list);
      break;
    case PROP_TREND_GRAPH:
      g_value_set_object (value, self->trend_graph);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_timeline_pane_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MemscopeTimelinePane *self = MEMSCOPE_TIMELINE_PANE (object);

  switch (prop_id)
    {
    case PROP_PROCESS_LIST:
      if (g_set_object (&self->process_list, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_TREND_GRAPH:
      if (g_set_object (&self->trend_graph, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_timeline_pane_class_init (MemscopeTimelinePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_timeline_pane_dispose;
  object_class->get_property = memscope_timeline_pane_get_property;
  object_class->set_property = memscope_timeline_pane_set_property;

  /* The process list as the window shows it (GtkTreeListRows of MemscopeProcessRows, or the
   * rows themselves): "Export List" writes it, and a blamed process is inspected when listed. */
  properties[PROP_PROCESS_LIST] =
    g_param_spec_object ("process-list", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The graph "Export Trend Graph" draws, while it is mapped (the inspected process's). */
  properties[PROP_TREND_GRAPH] =
    g_param_spec_object ("trend-graph", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* What the history held when the pane met it is on the timeline and in the events list. */
  signals[HISTORY_LOADED] = g_signal_new ("history-loaded", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MEMSCOPE_TYPE_BLAME_LIST);
  g_type_ensure (MEMSCOPE_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/"
                                               "memscope-timeline-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, box);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, expand_button);
  for (guint i = 0; i < G_N_ELEMENTS (span_ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, span_ids[i], FALSE,
                                               G_STRUCT_OFFSET (MemscopeTimelinePane, span_buttons)
                                               + i * sizeof (GtkWidget *));
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, record_box);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, record_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, events_popover);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, events_list);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, status);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, open_folder_button);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, timeline);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, blame_revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeTimelinePane, blame_list);
  gtk_widget_class_bind_template_callback (widget_class, span_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, event_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_selection_cb);
  gtk_widget_class_bind_template_callback (widget_class, blame_activated_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_list_box_invalidate_headers",
                                                G_CALLBACK (gtk_list_box_invalidate_headers));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "timelinepane");
}

static void
memscope_timeline_pane_init (MemscopeTimelinePane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (GTK_LIST_BOX (self->events_list), event_header_cb, NULL, NULL);
}

void
memscope_timeline_pane_set_history (MemscopeTimelinePane *self,
                                    MemscopeHistory      *history)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self));
  g_return_if_fail (MEMSCOPE_IS_HISTORY (history));
  g_return_if_fail (self->history == NULL);

  self->history = g_object_ref (history);
  g_signal_connect_object (history, "loaded", G_CALLBACK (history_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "point-added", G_CALLBACK (point_added_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "event-added", G_CALLBACK (event_added_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "notify::error", G_CALLBACK (history_error_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "notify::recording-path", G_CALLBACK (recording_path_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "notify::n-recorded", G_CALLBACK (n_recorded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "recording-failed", G_CALLBACK (recording_failed_cb), self,
                           G_CONNECT_SWAPPED);
  history_error_cb (self);
  recording_path_cb (self);
  n_recorded_cb (self);
  if (memscope_history_get_loaded (history))
    history_loaded_cb (self);
}

GtkWidget *
memscope_timeline_pane_new (MemscopeHistory *history)
{
  MemscopeTimelinePane *self = g_object_new (MEMSCOPE_TYPE_TIMELINE_PANE, NULL);

  if (history != NULL)
    memscope_timeline_pane_set_history (self, history);
  return GTK_WIDGET (self);
}

MemscopeTimeline *
memscope_timeline_pane_get_timeline (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->timeline;
}

MemscopeBlameList *
memscope_timeline_pane_get_blame_list (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->blame_list;
}

MemscopeHistory *
memscope_timeline_pane_get_history (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->history;
}

gboolean
memscope_timeline_pane_get_history_loaded (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), FALSE);
  return self->history_loaded;
}

GArray *
memscope_timeline_pane_get_events (MemscopeTimelinePane *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE_PANE (self), NULL);
  return self->history != NULL ? memscope_history_get_events (self->history) : NULL;
}
