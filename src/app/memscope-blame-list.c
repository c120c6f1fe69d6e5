/* SPDX-License-Identifier: MIT */
/* The processes ranked by growth over a selected stretch, computed by the core's blame off the UI thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-blame-list.h"
#include "memscope-format.h"
#include "store.h"
#include "trace.h"

/* ============================================================================================ */
/* MemscopeBlameItem                                                                            */
/* ============================================================================================ */

struct _MemscopeBlameItem
{
  GObject parent_instance;

  ms_blame_row_t row;
  gboolean unattributed;
  GArray *members; /* of ms_blame_row_t: the processes of a merged row, else NULL */
};

G_DEFINE_FINAL_TYPE (MemscopeBlameItem, memscope_blame_item, G_TYPE_OBJECT)

static void
memscope_blame_item_finalize (GObject *object)
{
  MemscopeBlameItem *self = (MemscopeBlameItem *) object;

  g_clear_pointer (&self->members, g_array_unref);

  G_OBJECT_CLASS (memscope_blame_item_parent_class)->finalize (object);
}

static void
memscope_blame_item_class_init (MemscopeBlameItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = memscope_blame_item_finalize;
}

static void
memscope_blame_item_init (MemscopeBlameItem *self)
{
}

/* A row of the result; members are the result's merged processes (or NULL). */
static MemscopeBlameItem *
blame_item_new (const ms_blame_row_t *row,
                const ms_blame_row_t *members,
                gboolean              unattributed)
{
  MemscopeBlameItem *self = g_object_new (MEMSCOPE_TYPE_BLAME_ITEM, NULL);

  self->row = *row;
  self->unattributed = unattributed;
  if (row->count > 1 && members != NULL)
    {
      self->members = g_array_sized_new (FALSE, FALSE, sizeof (ms_blame_row_t), row->count);
      g_array_append_vals (self->members, &members[row->first_member], row->count);
    }
  return self;
}

gint32
memscope_blame_item_get_pid (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.pid;
}

guint64
memscope_blame_item_get_starttime (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.starttime;
}

const char *
memscope_blame_item_get_comm (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), NULL);
  return self->row.comm;
}

gint64
memscope_blame_item_get_start_kib (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.start_kib;
}

gint64
memscope_blame_item_get_end_kib (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.end_kib;
}

gint64
memscope_blame_item_get_delta_kib (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.delta_kib;
}

double
memscope_blame_item_get_share (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.share;
}

int
memscope_blame_item_get_share_pct (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.share_pct;
}

guint
memscope_blame_item_get_count (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->unattributed ? 0 : self->row.count;
}

gboolean
memscope_blame_item_get_started_inside (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), FALSE);
  return self->row.started_inside;
}

gboolean
memscope_blame_item_get_exited_inside (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), FALSE);
  return self->row.exited_inside;
}

/* The largest footprint of a process that started and exited inside the range (the sum over a
 * merged row's processes); 0 for the others. */
gint64
memscope_blame_item_get_peak_kib (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), 0);
  return self->row.peak_kib;
}

gboolean
memscope_blame_item_get_unattributed (MemscopeBlameItem *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_ITEM (self), FALSE);
  return self->unattributed;
}

/* ============================================================================================ */
/* MemscopeBlameList                                                                            */
/* ============================================================================================ */

struct _MemscopeBlameList
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *box;
  GtkWidget *summary;
  GtkWidget *spinner;
  GtkColumnView *view;
  GtkColumnViewColumn *process_column;
  GtkColumnViewColumn *change_column;
  GtkColumnViewColumn *share_column;
  GtkColumnViewColumn *range_column;

  /* owned */
  GListStore *store;
  GCancellable *cancellable;
  char *summary_text;
  gboolean has_machine;
  gint64 machine_delta_kib;
};

G_DEFINE_FINAL_TYPE (MemscopeBlameList, memscope_blame_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_SUMMARY,
  N_PROPS
};

enum {
  PROCESS_ACTIVATED,
  COMPUTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_summary (MemscopeBlameList *self,
             const char        *text)
{
  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  if (g_strcmp0 (self->summary_text, text) == 0)
    return;
  g_free (self->summary_text);
  self->summary_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
set_busy (MemscopeBlameList *self,
          gboolean           busy)
{
  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  if (gtk_widget_get_visible (self->spinner) == busy)
    return;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The core's sentences speak of the probe's options; the window says the same in its words. */
static const char *
status_text (ms_blame_status_t status)
{
  switch (status)
    {
    case MS_BLAME_NO_SAMPLES:
      return _("Nothing was recorded in the selected stretch");
    case MS_BLAME_BEFORE_TRACE:
      return _("The selected stretch starts before the first sample: select a later one");
    case MS_BLAME_EMPTY_WINDOW:
      return _("No sample was taken inside the selected stretch: select a longer one");
    case MS_BLAME_BAD_WINDOW:
      return _("Select a stretch that ends after it starts");
    case MS_BLAME_NO_MEMORY:
      return _("Out of memory");
    case MS_BLAME_OK:
    default:
      return "";
    }
}

/* "14:02:05" for wall-clock times, "1:02:05" into a trace for its own clock. */
static char *
format_moment (double   t,
               gboolean wall_clock)
{
  if (wall_clock)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((gint64) floor (t));

      if (when != NULL)
        return g_date_time_format (when, "%X");
    }
  return memscope_format_clock (t);
}

/* "From 0:00:20 to 0:01:40, memory in use changed by −491 MiB", then what made it up, so that a
 * fall is explained as much as a rise. */
static char *
summary_text (const ms_blame_result_t *result,
              gboolean                 has_machine,
              gboolean                 wall_clock)
{
  g_autofree char *from = format_moment (result->from_sample_s, wall_clock);
  g_autofree char *to = format_moment (result->to_sample_s, wall_clock);
  g_autofree char *grew = memscope_format_signed_size (result->grew_kib);
  g_autofree char *shrank = memscope_format_signed_size (result->shrank_kib);
  g_autofree char *change = NULL;
  g_autofree char *rest = NULL;

  if (!has_machine)
    /* Translators: two times, then signed sizes such as "+512 MiB" and "−64 MiB". */
    return g_strdup_printf (_("From %s to %s, processes grew by %s and shrank or exited by %s"),
                            from, to, grew, shrank);
  change = memscope_format_signed_size (result->machine_end_kib - result->machine_start_kib);
  rest = memscope_format_signed_size (result->unattributed_kib);
  /* Translators: two times, then signed sizes: the change of memory in use, then its parts: the
   * processes' growth, their shrink (with those that exited), and what no process explains. */
  return g_strdup_printf (_("From %s to %s, memory in use changed by %s: processes grew by %s and "
                            "shrank or exited by %s, and %s is not explained by any process"),
                          from, to, change, grew, shrank, rest);
}

/* Shows the rows from the top.  GTK 4.8's list keeps its anchor row through a change of items
 * and overrules a scroll made before the new rows are laid out; a list given its model anew
 * starts at its first row. */
static void
scroll_to_top (MemscopeBlameList *self)
{
  g_autoptr (GtkSelectionModel) model = NULL;

  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  model = g_object_ref (gtk_column_view_get_model (self->view));
  gtk_column_view_set_model (self->view, NULL);
  gtk_column_view_set_model (self->view, model);
}

static void
show_result (MemscopeBlameList       *self,
             const ms_blame_result_t *result,
             const char              *read_error,
             gboolean                 wall_clock)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;

  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  self->has_machine = result->status == MS_BLAME_OK && result->has_machine;
  self->machine_delta_kib = self->has_machine
                            ? result->machine_end_kib - result->machine_start_kib : 0;

  if (result->status == MS_BLAME_OK)
    {
      for (size_t i = 0; i < result->n_rows; i++)
        g_ptr_array_add (items, blame_item_new (&result->rows[i], result->members, FALSE));
      if (self->has_machine)
        {
          ms_blame_row_t rest = { 0 };

          /* Translators: the row of memory growth that no process explains. */
          g_strlcpy (rest.comm, _("Not explained by any process"), sizeof rest.comm);
          rest.start_kib = 0;
          rest.end_kib = result->unattributed_kib;
          rest.delta_kib = result->unattributed_kib;
          rest.share = result->unattributed_share;
          rest.share_pct = result->unattributed_share_pct;
          g_ptr_array_add (items, blame_item_new (&rest, NULL, TRUE));
        }
      summary = summary_text (result, self->has_machine, wall_clock);
    }
  else
    summary = g_strdup (status_text (result->status));

  if (read_error != NULL && *read_error != '\0')
    {
      char *with_error = g_strdup_printf ("%s (%s)", summary, read_error);

      g_free (summary);
      summary = with_error;
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  /* A new result is read from its largest part down, wherever the last one was scrolled to. */
  scroll_to_top (self);
  set_summary (self, summary);
}

void
memscope_blame_list_set_result (MemscopeBlameList       *self,
                                const ms_blame_result_t *result)
{
  g_return_if_fail (MEMSCOPE_IS_BLAME_LIST (self));
  g_return_if_fail (result != NULL);

  memscope_blame_list_cancel (self);
  show_result (self, result, NULL, FALSE);
  g_signal_emit (self, signals[COMPUTED], 0);
}

/* --- The computation ------------------------------------------------------------------------ */

typedef struct
{
  gboolean from_store;
  char *path;
  double from_s, to_s;
  GCancellable *cancellable; /* borrowed from the task */
  ms_blame_t *blame;
} Job;

typedef struct
{
  ms_blame_result_t result;
  char *error;
  gboolean wall_clock;
} JobResult;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->path);
  g_clear_pointer (&job->blame, ms_blame_free);
  g_free (job);
}

static void
job_result_free (gpointer data)
{
  JobResult *r = data;

  ms_blame_result_clear (&r->result);
  g_free (r->error);
  g_free (r);
}

static int
job_sample_cb (ms_snapshot_t *snap,
               void          *user)
{
  Job *job = user;

  if (g_cancellable_is_cancelled (job->cancellable))
    return 1;
  ms_blame_feed (job->blame, snap);
  /* A sample past the end cannot change the result: stop reading there. */
  return ms_blame_done (job->blame) ? 1 : 0;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  JobResult *r = g_new0 (JobResult, 1);
  char err[1024] = "";
  int rc;

  job->cancellable = cancellable;
  job->blame = ms_blame_new (job->from_s, job->to_s);
  if (job->from_store)
    {
      unsigned damaged = 0;

      /* A little before `from`, so the sample "at from" is found even between two samples. */
      rc = ms_store_read (job->path, job->from_s - 120, job->to_s + 120, job_sample_cb, job,
                          &damaged, err, sizeof err);
      if (rc >= 0 && damaged == 0)
        err[0] = '\0';
    }
  else
    rc = ms_trace_read_path (job->path, job_sample_cb, job, err, sizeof err);

  if (g_task_return_error_if_cancelled (task))
    {
      job_result_free (r);
      return;
    }
  /* A script's short-lived processes are one row per program, not dozens (short of memory, they
   * stay a row each). */
  if (ms_blame_finish (job->blame, &r->result) == MS_BLAME_OK)
    ms_blame_aggregate (&r->result);
  r->wall_clock = job->from_store;
  if (rc < 0 || err[0] != '\0')
    r->error = g_strdup (err);
  g_task_return_pointer (task, r, job_result_free);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MemscopeBlameList *self = MEMSCOPE_BLAME_LIST (source);
  g_autoptr (GError) error = NULL;
  JobResult *r = g_task_propagate_pointer (G_TASK (result), &error);

  if (r == NULL)
    return; /* cancelled: a newer request owns the list now */
  if (g_task_get_cancellable (G_TASK (result)) == self->cancellable)
    {
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
    }
  show_result (self, &r->result, r->error, r->wall_clock);
  job_result_free (r);
  g_signal_emit (self, signals[COMPUTED], 0);
}

static void
start_job (MemscopeBlameList *self,
           gboolean           from_store,
           const char        *path,
           double             from_s,
           double             to_s)
{
  g_autoptr (GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  memscope_blame_list_cancel (self);
  self->cancellable = g_cancellable_new ();
  job->from_store = from_store;
  job->path = g_strdup (path);
  job->from_s = from_s;
  job->to_s = to_s;
  task = g_task_new (self, self->cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, job_free);
  /* A cancelled job's result must not arrive after the newer one's. */
  g_task_set_return_on_cancel (task, FALSE);
  set_busy (self, TRUE);
  set_summary (self, _("Computing…"));
  g_task_run_in_thread (task, job_thread);
}

void
memscope_blame_list_compute_trace (MemscopeBlameList *self,
                                   const char        *path,
                                   double             from_s,
                                   double             to_s)
{
  g_return_if_fail (MEMSCOPE_IS_BLAME_LIST (self));
  g_return_if_fail (path != NULL);

  start_job (self, FALSE, path, from_s, to_s);
}

void
memscope_blame_list_compute_store (MemscopeBlameList *self,
                                   const char        *dir,
                                   double             from_unix,
                                   double             to_unix)
{
  g_return_if_fail (MEMSCOPE_IS_BLAME_LIST (self));
  g_return_if_fail (dir != NULL);

  /* The store keeps times to the millisecond: a sample taken at exactly from_unix may read back
   * up to half a millisecond later, and must still count as the sample "at from". */
  start_job (self, TRUE, dir, from_unix + 0.001, to_unix + 0.001);
}

void
memscope_blame_list_cancel (MemscopeBlameList *self)
{
  g_return_if_fail (MEMSCOPE_IS_BLAME_LIST (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  set_busy (self, FALSE);
}

gboolean
memscope_blame_list_get_busy (MemscopeBlameList *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_LIST (self), FALSE);
  return self->cancellable != NULL;
}

const char *
memscope_blame_list_get_summary (MemscopeBlameList *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_LIST (self), NULL);
  return self->summary_text;
}

gboolean
memscope_blame_list_get_machine_delta (MemscopeBlameList *self,
                                       gint64            *delta_kib)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_LIST (self), FALSE);

  if (delta_kib != NULL)
    *delta_kib = self->machine_delta_kib;
  return self->has_machine;
}

GListModel *
memscope_blame_list_get_model (MemscopeBlameList *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BLAME_LIST (self), NULL);
  return G_LIST_MODEL (self->store);
}

/* --- Columns -------------------------------------------------------------------------------- */

typedef enum
{
  COLUMN_PROCESS,
  COLUMN_GROWTH,
  COLUMN_SHARE,
  COLUMN_RANGE,
} Column;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_PROCESS ? 0.0f : 1.0f);
  if (column == COLUMN_PROCESS)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static char *
printable_comm (const char *comm)
{
  /* comm may hold any byte: show what is not UTF-8 as the replacement character. */
  return g_utf8_make_valid (comm, -1);
}

/* "37 processes of sleep started inside the range: 20044, 20045, …" */
static char *
members_tooltip (MemscopeBlameItem *item)
{
  g_autoptr (GString) pids = g_string_new (NULL);
  g_autofree char *comm = printable_comm (item->row.comm);

  for (guint i = 0; item->members != NULL && i < item->members->len; i++)
    {
      if (i == 20)
        {
          g_string_append (pids, ", …");
          break;
        }
      g_string_append_printf (pids, "%s%d", i > 0 ? ", " : "",
                              g_array_index (item->members, ms_blame_row_t, i).pid);
    }
  if (item->row.started_inside && item->row.exited_inside)
    /* Translators: a count, a program's name and its processes' pids. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u process of %s started and exited inside the range: "
                                         "%s",
                                         "%u processes of %s started and exited inside the "
                                         "range: %s",
                                         item->row.count),
                            item->row.count, comm, pids->str);
  if (item->row.started_inside)
    /* Translators: a count, a program's name and its processes' pids. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u process of %s started inside the range: %s",
                                         "%u processes of %s started inside the range: %s",
                                         item->row.count),
                            item->row.count, comm, pids->str);
  /* Translators: a count, a program's name and its processes' pids. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u process of %s exited inside the range: %s",
                                       "%u processes of %s exited inside the range: %s",
                                       item->row.count),
                          item->row.count, comm, pids->str);
}

static char *
share_text (MemscopeBlameItem *item)
{
  int pct = item->row.share_pct;

  if (pct == 0 && item->row.delta_kib != 0)
    return g_strdup (item->row.delta_kib > 0 ? _("<1 %") : _("−<1 %"));
  if (pct < 0)
    /* Translators: a negative share of the change, e.g. "−45 %" (with a minus sign). */
    return g_strdup_printf (_("−%d %%"), -pct);
  /* Translators: a share of the change, e.g. "45 %". */
  return g_strdup_printf (_("%d %%"), pct);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  MemscopeBlameItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (label, "grow");
  gtk_widget_remove_css_class (label, "shrink");
  gtk_widget_remove_css_class (label, "dim-label");
  gtk_widget_set_tooltip_text (label, NULL);
  switch (column)
    {
    case COLUMN_PROCESS:
      if (item->unattributed)
        {
          text = g_strdup (item->row.comm);
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_set_tooltip_text (label, _("Kernel memory, tmpfs and shared memory, page "
                                                "cache: the change of memory in use that no "
                                                "process's footprint accounts for"));
        }
      else if (item->row.count > 1)
        {
          g_autofree char *comm = printable_comm (item->row.comm);
          g_autofree char *tooltip = members_tooltip (item);

          if (item->row.started_inside && item->row.exited_inside)
            /* Translators: a program's name and how many of its processes started and exited
             * inside the range, e.g. "sleep ×37 (came and went)". */
            text = g_strdup_printf (_("%s ×%u (came and went)"), comm, item->row.count);
          else if (item->row.started_inside)
            /* Translators: a program's name and how many of its processes started, e.g.
             * "sleep ×37 (started)". */
            text = g_strdup_printf (_("%s ×%u (started)"), comm, item->row.count);
          else
            /* Translators: a program's name and how many of its processes exited, e.g.
             * "sleep ×12 (exited)". */
            text = g_strdup_printf (_("%s ×%u (exited)"), comm, item->row.count);
          gtk_widget_set_tooltip_text (label, tooltip);
        }
      else
        {
          g_autofree char *comm = printable_comm (item->row.comm);
          const char *note = item->row.started_inside && item->row.exited_inside
                             ? _(" (came and went)")
                             : item->row.started_inside ? _(" (started)")
                             : item->row.exited_inside ? _(" (exited)") : "";

          /* Translators: process name, pid, and maybe " (started)", " (exited)" or " (came and
           * went)". */
          text = g_strdup_printf (_("%s — %d%s"), comm, item->row.pid, note);
        }
      break;
    case COLUMN_GROWTH:
      text = memscope_format_signed_size (item->row.delta_kib);
      if (item->row.delta_kib > 0)
        gtk_widget_add_css_class (label, "grow");
      else if (item->row.delta_kib < 0)
        gtk_widget_add_css_class (label, "shrink");
      break;
    case COLUMN_SHARE:
      text = share_text (item);
      gtk_widget_set_tooltip_text (label, _("Share of the whole change: all growth, all shrink "
                                            "and what no process explains, added up as sizes"));
      break;
    case COLUMN_RANGE:
    default:
      if (item->unattributed)
        text = g_strdup ("");
      else if (item->row.started_inside && item->row.exited_inside)
        {
          g_autofree char *peak = memscope_format_size (item->row.peak_kib);

          /* Translators: the largest footprint of a process that started and exited inside the
           * range (of its processes together for a merged row), e.g. "peak 812 MiB". */
          text = g_strdup_printf (_("peak %s"), peak);
          gtk_widget_set_tooltip_text (label, _("Started and exited inside the range: no part of "
                                                "the change between its ends, but it held this "
                                                "much on the way"));
        }
      else
        {
          g_autofree char *a = memscope_format_size (item->row.start_kib);
          g_autofree char *b = memscope_format_size (item->row.end_kib);

          text = g_strdup_printf ("%s → %s", a, b);
        }
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

/* The largest change first, growth or shrink, so the rows that explain most are at the top. */
static int
compare_magnitude_cb (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const MemscopeBlameItem *x = a, *y = b;
  gint64 mx = ABS (x->row.delta_kib), my = ABS (y->row.delta_kib);

  if (mx == my)
    {
      /* Among the rows of no change, what came and went held the most on the way. */
      mx = x->row.peak_kib;
      my = y->row.peak_kib;
    }
  return mx > my ? GTK_ORDERING_SMALLER : mx < my ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_delta_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const MemscopeBlameItem *x = a, *y = b;

  return x->row.delta_kib < y->row.delta_kib ? GTK_ORDERING_SMALLER
         : x->row.delta_kib > y->row.delta_kib ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_name_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const MemscopeBlameItem *x = a, *y = b;

  return g_utf8_collate (x->row.comm, y->row.comm) < 0 ? GTK_ORDERING_SMALLER
         : g_utf8_collate (x->row.comm, y->row.comm) > 0 ? GTK_ORDERING_LARGER
         : GTK_ORDERING_EQUAL;
}

/* A column's cells, and its order when its header is clicked (NULL: none). */
static void
set_cells (GtkColumnViewColumn *col,
           Column               column,
           GCompareDataFunc     compare)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  gtk_column_view_column_set_factory (col, factory);
  if (compare != NULL)
    {
      g_autoptr (GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare, NULL, NULL));

      gtk_column_view_column_set_sorter (col, sorter);
    }
}

static void
activate_cb (GtkColumnView     *view,
             guint              position,
             MemscopeBlameList *self)
{
  g_autoptr (MemscopeBlameItem) item =
    g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), position);

  g_assert (MEMSCOPE_IS_BLAME_LIST (self));

  /* A merged row is no one process. */
  if (item == NULL || item->unattributed || item->row.count > 1)
    return;
  g_signal_emit (self, signals[PROCESS_ACTIVATED], 0, item->row.pid, (guint64) item->row.starttime);
}

static void
memscope_blame_list_dispose (GObject *object)
{
  MemscopeBlameList *self = (MemscopeBlameList *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_BLAME_LIST);
  g_clear_object (&self->store);
  g_clear_pointer (&self->summary_text, g_free);

  G_OBJECT_CLASS (memscope_blame_list_parent_class)->dispose (object);
}

static void
memscope_blame_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MemscopeBlameList *self = MEMSCOPE_BLAME_LIST (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, memscope_blame_list_get_busy (self));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_blame_list_class_init (MemscopeBlameListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_blame_list_dispose;
  object_class->get_property = memscope_blame_list_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A process row was activated (Enter or double click): inspect it live, or show its recorded
   * history.  Never for the unattributed row. */
  signals[PROCESS_ACTIVATED] = g_signal_new ("process-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                             2, G_TYPE_INT, G_TYPE_UINT64);
  /* The list shows a new result. */
  signals[COMPUTED] = g_signal_new ("computed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/"
                                               "memscope-blame-list.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, box);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, summary);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, spinner);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, view);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, process_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, change_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, share_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeBlameList, range_column);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "blamelist");
}

static void
memscope_blame_list_init (MemscopeBlameList *self)
{
  GtkSingleSelection *selection;
  GtkSortListModel *sorted;
  GtkMultiSorter *sorter;

  self->store = g_list_store_new (MEMSCOPE_TYPE_BLAME_ITEM);

  gtk_widget_init_template (GTK_WIDGET (self));

  set_cells (self->process_column, COLUMN_PROCESS, compare_name_cb);
  set_cells (self->change_column, COLUMN_GROWTH, compare_delta_cb);
  set_cells (self->share_column, COLUMN_SHARE, compare_delta_cb);
  set_cells (self->range_column, COLUMN_RANGE, NULL);
  /* A clicked column's order first, else the size of the change. */
  sorter = gtk_multi_sorter_new ();
  gtk_multi_sorter_append (sorter, g_object_ref (gtk_column_view_get_sorter (self->view)));
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_custom_sorter_new (compare_magnitude_cb, NULL,
                                                                      NULL)));
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                    GTK_SORTER (sorter));
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  self->summary_text = g_strdup (gtk_label_get_text (GTK_LABEL (self->summary)));
}

GtkWidget *
memscope_blame_list_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_BLAME_LIST, NULL);
}
