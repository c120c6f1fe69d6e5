/* SPDX-License-Identifier: MIT */
/* What grows inside one process: its smaps mappings grouped by kind, with RSS / PSS / swap and
 * the change since the view started watching it, read off the UI thread every few seconds. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "memscope-format.h"
#include "memscope-sampler-thread.h"
#include "memscope-smaps-view.h"

enum { COL_NAME, COL_RSS, COL_PSS, COL_SWAP, COL_CHANGE, N_COLS };

struct _MemscopeSmapsView
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget *box;
  GtkLabel  *status_label;
  GtkGrid   *grid;
  GtkLabel  *more_label;
  GtkLabel  *cells[MEMSCOPE_SMAPS_MAX_ROWS][N_COLS]; /* COL_NAME: the file name */
  GtkLabel  *dirs[MEMSCOPE_SMAPS_MAX_ROWS];          /* the directory before it */

  /* owned */
  MemscopeSamplerThread *sampler;  /* reads the smaps, here or where the processes live */
  gint32             pid;
  guint64            starttime;
  guint              generation;   /* bumped on each set_process: late replies are dropped */
  GCancellable      *cancellable;
  gboolean           reading;
  guint              timeout_id;
  guint              n_reads;
  ms_smaps_groups_t *baseline;
  ms_smaps_groups_t *now;
  ms_smaps_diff_t    diff;
  guint              n_rows;
  char              *status;
  gint64             read_at_us;
};

G_DEFINE_FINAL_TYPE (MemscopeSmapsView, memscope_smaps_view, GTK_TYPE_WIDGET)

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
groups_free (gpointer data)
{
  ms_smaps_groups_t *groups = data;

  if (groups == NULL)
    return;
  ms_smaps_groups_clear (groups);
  g_free (groups);
}

static const char *
kind_label (ms_smaps_kind_t kind)
{
  switch (kind)
    {
    case MS_SMAPS_HEAP: return _("heap");
    case MS_SMAPS_STACK: return _("stack");
    case MS_SMAPS_ANON: return _("anonymous");
    case MS_SMAPS_ANON_NAMED: return _("named anonymous");
    case MS_SMAPS_FILE: return _("file");
    case MS_SMAPS_SHMEM: return _("shared memory");
    case MS_SMAPS_MEMFD: return _("memfd");
    case MS_SMAPS_DELETED: return _("deleted file");
    case MS_SMAPS_SPECIAL: return _("kernel");
    case MS_SMAPS_N_KINDS:
    default: return _("other");
    }
}

/* What a person recognises: "[heap]", "anonymous", "[anon:v8]", a library path. */
static char *
group_title (const ms_smaps_change_t *change)
{
  const char *name = change->name != NULL ? change->name : "";

  switch (change->kind)
    {
    case MS_SMAPS_HEAP: return g_strdup ("[heap]");
    case MS_SMAPS_STACK: return g_strdup ("[stack]");
    case MS_SMAPS_ANON: return g_strdup (_("anonymous"));
    case MS_SMAPS_ANON_NAMED: return g_strdup_printf ("[anon:%s]", name);
    case MS_SMAPS_MEMFD: return g_strdup_printf ("memfd:%s", name);
    case MS_SMAPS_DELETED: return g_strdup_printf (_("%s (deleted)"), name);
    case MS_SMAPS_SHMEM:
      return g_strdup (*name != '\0' ? name : _("shared anonymous"));
    case MS_SMAPS_FILE:
    case MS_SMAPS_SPECIAL:
    case MS_SMAPS_N_KINDS:
    default:
      return g_strdup (name);
    }
}

static char *
change_text (const ms_smaps_change_t *change)
{
  if (change->growth_kib == 0 && change->appeared)
    return g_strdup (_("new"));
  return memscope_format_signed_size (change->growth_kib);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_status (MemscopeSmapsView *self,
            const char        *status)
{
  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  g_free (self->status);
  self->status = g_strdup (status);
  set_label (self->status_label, status);
}

static void
ensure_row (MemscopeSmapsView *self,
            guint              row)
{
  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  if (self->cells[row][0] != NULL)
    return;
  for (guint c = 0; c < N_COLS; c++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), c == COL_NAME ? 0.0f : 1.0f);
      if (c == COL_NAME)
        {
          /* A path is its directory, dimmed, then its file name: both shorten in the middle,
           * and the directory first (its gap to its natural width is the larger), so every row
           * keeps its file name whole where one fits. */
          GtkWidget *name = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
          GtkWidget *dir = gtk_label_new (NULL);

          gtk_label_set_xalign (GTK_LABEL (dir), 0.0f);
          gtk_label_set_ellipsize (GTK_LABEL (dir), PANGO_ELLIPSIZE_MIDDLE);
          gtk_widget_add_css_class (dir, "dim-label");
          gtk_widget_set_visible (dir, FALSE);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
          gtk_widget_set_hexpand (label, TRUE);
          gtk_box_append (GTK_BOX (name), dir);
          gtk_box_append (GTK_BOX (name), label);
          gtk_widget_set_hexpand (name, TRUE);
          /* The whole width for the name, its figures on the line below: four figures beside
           * it left a panel-wide view a few characters of path. */
          gtk_grid_attach (self->grid, name, 0, (int) (2 * row + 1), N_COLS - 1, 1);
          self->dirs[row] = GTK_LABEL (dir);
        }
      else
        {
          gtk_widget_add_css_class (label, "numeric");
          /* A little air after each mapping's figures, so the pairs of lines read as rows. */
          gtk_widget_set_margin_bottom (label, 4);
          gtk_grid_attach (self->grid, label, (int) c - 1, (int) (2 * row + 2), 1, 1);
        }
      self->cells[row][c] = GTK_LABEL (label);
    }
}

/* Kernel areas such as [vvar] or [vsyscall] hold nothing countable: a row of zeros says nothing
 * about what grows. */
static gboolean
change_is_empty (const ms_smaps_change_t *change)
{
  return change->rss_kib == 0 && change->pss_kib <= 0 && change->swap_kib == 0
         && change->growth_kib == 0;
}

/* The title split where a path's file name begins ("" and the title when it is no path). */
static void
split_title (const char  *title,
             char       **dir,
             const char **base)
{
  const char *slash = *title == '/' ? strrchr (title, '/') : NULL;

  if (slash == NULL || slash[1] == '\0')
    {
      *dir = g_strdup ("");
      *base = title;
      return;
    }
  *dir = g_strndup (title, (gsize) (slash + 1 - title));
  *base = slash + 1;
}

static void
show_diff (MemscopeSmapsView *self)
{
  guint row = 0;
  guint n_more = 0;

  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  for (gsize i = 0; i < self->diff.n_changes; i++)
    {
      const ms_smaps_change_t *change = &self->diff.changes[i];
      g_autofree char *title = NULL;
      g_autofree char *dir = NULL;
      const char *base;
      g_autofree char *rss = NULL;
      g_autofree char *pss = NULL;
      g_autofree char *swap = NULL;
      g_autofree char *delta = NULL;
      g_autofree char *tooltip = NULL;

      if (change_is_empty (change))
        continue;
      if (row == MEMSCOPE_SMAPS_MAX_ROWS)
        {
          n_more++;
          continue;
        }
      title = group_title (change);
      split_title (title, &dir, &base);
      rss = memscope_format_size (change->rss_kib);
      pss = memscope_format_size (change->pss_kib);
      swap = memscope_format_size (change->swap_kib);
      delta = change_text (change);

      ensure_row (self, row);
      set_label (self->dirs[row], dir);
      gtk_widget_set_visible (GTK_WIDGET (self->dirs[row]), *dir != '\0');
      set_label (self->cells[row][COL_NAME], base);
      /* A file name stays whole up to 24 characters; the directory shortens first. */
      gtk_label_set_width_chars (self->cells[row][COL_NAME], MIN ((int) g_utf8_strlen (base, -1),
                                                                  24));
      set_label (self->cells[row][COL_RSS], rss);
      set_label (self->cells[row][COL_PSS], pss);
      set_label (self->cells[row][COL_SWAP], swap);
      set_label (self->cells[row][COL_CHANGE], delta);
      tooltip = g_strdup_printf (ngettext ("%s (%s, %u mapping)", "%s (%s, %u mappings)",
                                           change->mappings),
                                 title, kind_label (change->kind), change->mappings);
      if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->cells[row][COL_NAME])),
                     tooltip) != 0)
        {
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->cells[row][COL_NAME]), tooltip);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->dirs[row]), tooltip);
        }
      gtk_widget_remove_css_class (GTK_WIDGET (self->cells[row][COL_CHANGE]),
                                   change->growth_kib > 0 ? "shrink" : "grow");
      if (change->growth_kib != 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->cells[row][COL_CHANGE]),
                                  change->growth_kib > 0 ? "grow" : "shrink");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->cells[row][COL_CHANGE]), "grow");
      for (guint c = 0; c < N_COLS; c++)
        gtk_widget_set_visible (c == COL_NAME
                                  ? gtk_widget_get_parent (GTK_WIDGET (self->cells[row][c]))
                                  : GTK_WIDGET (self->cells[row][c]), TRUE);
      row++;
    }
  self->n_rows = row;
  for (; row < MEMSCOPE_SMAPS_MAX_ROWS && self->cells[row][0] != NULL; row++)
    for (guint c = 0; c < N_COLS; c++)
      gtk_widget_set_visible (c == COL_NAME
                                ? gtk_widget_get_parent (GTK_WIDGET (self->cells[row][c]))
                                : GTK_WIDGET (self->cells[row][c]), FALSE);

  if (n_more > 0)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("and %u more group",
                                                         "and %u more groups", n_more),
                                               n_more);

      set_label (self->more_label, more);
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
}

static void
clear_readings (MemscopeSmapsView *self)
{
  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  /* The diff borrows names from both readings: it goes first. */
  ms_smaps_diff_clear (&self->diff);
  ms_smaps_diff_init (&self->diff);
  if (self->now != self->baseline)
    g_clear_pointer (&self->now, groups_free);
  self->now = NULL;
  g_clear_pointer (&self->baseline, groups_free);
  self->n_reads = 0;
}

/* Why a reading failed, from the local reader (errno codes) or the host probe (GIO codes). */
static gboolean
error_is_gone (const GError *error)
{
  /* ENOENT: the pid's directory went away between the checks. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static gboolean
error_is_denied (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

/* A reading arrived (groups owned, or error): shown unless another process is watched now. */
static void
apply_reading (MemscopeSmapsView *self,
               guint              generation,
               ms_smaps_groups_t *groups,
               const GError      *error)
{
  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  if (generation != self->generation)
    {
      groups_free (groups);
      return;
    }
  self->reading = FALSE;

  if (groups == NULL)
    {
      g_autofree char *status = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (error_is_gone (error))
        status = g_strdup (self->n_reads > 0
                             ? _("The process has exited; this is its last reading.")
                             : _("The process has exited."));
      else if (error_is_denied (error))
        status = g_strdup (_("Another user's process: its mappings can be read by that user "
                             "or by root."));
      else
        status = g_strdup_printf (_("Cannot read the mappings: %s"),
                                  error != NULL ? error->message : _("unknown error"));
      set_status (self, status);
      g_signal_emit (self, signals[UPDATED], 0);
      return;
    }

  /* An exiting process (a zombie, or one being torn down) shows an empty map: that is not its
   * memory shrinking to nothing, so the last real reading stays, marked as such. */
  if (groups->n_mappings == 0 && self->n_reads > 0 && self->now != NULL
      && self->now->n_mappings > 0)
    {
      groups_free (groups);
      set_status (self, _("The process has exited; this is its last reading."));
      g_signal_emit (self, signals[UPDATED], 0);
      return;
    }

  ms_smaps_diff_clear (&self->diff);
  ms_smaps_diff_init (&self->diff);
  if (self->baseline == NULL)
    self->baseline = groups;
  else
    {
      if (self->now != self->baseline)
        groups_free (self->now);
      self->now = groups;
    }
  if (self->now == NULL)
    self->now = self->baseline;
  ms_smaps_groups_diff (self->baseline, self->now, &self->diff);
  self->n_reads++;
  self->read_at_us = g_get_monotonic_time ();

  {
    g_autofree char *total = memscope_format_size (self->now->total.rss_kib);
    g_autofree char *status =
      g_strdup_printf (ngettext ("%s resident in %zu mapping; change since the panel opened.",
                                 "%s resident in %zu mappings; change since the panel opened.",
                                 self->now->n_mappings),
                       total, self->now->n_mappings);

    set_status (self, status);
  }
  show_diff (self);
  g_signal_emit (self, signals[UPDATED], 0);
}

typedef struct
{
  MemscopeSmapsView *self;
  guint              generation;
} Read;

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GError) error = NULL;
  ms_smaps_groups_t *groups;

  groups = memscope_sampler_thread_read_smaps_groups_finish (MEMSCOPE_SAMPLER_THREAD (source),
                                                             result, &error);
  apply_reading (read->self, read->generation, groups, error);
  g_object_unref (read->self);
  g_free (read);
}

void
memscope_smaps_view_refresh (MemscopeSmapsView *self)
{
  Read *read;

  g_return_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self));

  if (self->pid <= 0 || self->reading)
    return;

  /* The sampler reads where the processes live: here off the UI thread, or through the probe
   * of a Flatpak's host or of a remote machine. */
  read = g_new0 (Read, 1);
  read->self = g_object_ref (self);
  read->generation = self->generation;
  self->reading = TRUE;
  memscope_sampler_thread_read_smaps_groups (self->sampler, self->pid, self->starttime,
                                             self->cancellable, read_done_cb, read);
}

void
memscope_smaps_view_set_sampler (MemscopeSmapsView     *self,
                                 MemscopeSamplerThread *sampler)
{
  g_return_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self));
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler));

  g_set_object (&self->sampler, sampler);
}

static gboolean
refresh_timeout_cb (gpointer data)
{
  memscope_smaps_view_refresh (MEMSCOPE_SMAPS_VIEW (data));
  return G_SOURCE_CONTINUE;
}

static void
update_timer (MemscopeSmapsView *self)
{
  gboolean want = self->pid > 0 && gtk_widget_get_mapped (GTK_WIDGET (self));

  g_assert (MEMSCOPE_IS_SMAPS_VIEW (self));

  if (want && self->timeout_id == 0)
    {
      self->timeout_id = g_timeout_add (MEMSCOPE_SMAPS_REFRESH_MS, refresh_timeout_cb, self);
      memscope_smaps_view_refresh (self);
    }
  else if (!want)
    g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static void
memscope_smaps_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (memscope_smaps_view_parent_class)->map (widget);
  update_timer (MEMSCOPE_SMAPS_VIEW (widget));
}

static void
memscope_smaps_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (memscope_smaps_view_parent_class)->unmap (widget);
  /* Hidden: no reading (it takes the target's map lock), no redraw. */
  update_timer (MEMSCOPE_SMAPS_VIEW (widget));
}

static void
memscope_smaps_view_dispose (GObject *object)
{
  MemscopeSmapsView *self = (MemscopeSmapsView *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (memscope_smaps_view_parent_class)->dispose (object);
}

static void
memscope_smaps_view_finalize (GObject *object)
{
  MemscopeSmapsView *self = (MemscopeSmapsView *) object;

  clear_readings (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sampler);
  g_free (self->status);

  G_OBJECT_CLASS (memscope_smaps_view_parent_class)->finalize (object);
}

static void
memscope_smaps_view_class_init (MemscopeSmapsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_smaps_view_dispose;
  object_class->finalize = memscope_smaps_view_finalize;
  widget_class->map = memscope_smaps_view_map;
  widget_class->unmap = memscope_smaps_view_unmap;

  /* After each reading (or failure to read) has been shown. */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "smapsview");
}

static void
memscope_smaps_view_init (MemscopeSmapsView *self)
{
  static const char *headers[N_COLS] = { NULL, N_("RSS"), N_("PSS"), N_("Swap"),
                                         N_("Change") };
  GtkWidget *status, *grid, *more;

  self->sampler = memscope_sampler_thread_new ();
  self->cancellable = g_cancellable_new ();
  ms_smaps_diff_init (&self->diff);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  status = gtk_label_new (_("Not read yet."));
  gtk_label_set_xalign (GTK_LABEL (status), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_box_append (GTK_BOX (self->box), status);
  self->status_label = GTK_LABEL (status);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  /* The figures' columns share the width, each under its heading; a mapping's name has a line
   * of its own above its figures, so no column of names widens the table: the section's heading
   * says what the rows are.  A narrow panel keeps every figure whole. */
  for (guint c = COL_NAME + 1; c < N_COLS; c++)
    {
      GtkWidget *header = gtk_label_new (_(headers[c]));

      gtk_label_set_xalign (GTK_LABEL (header), 1.0f);
      gtk_widget_set_hexpand (header, TRUE);
      gtk_widget_add_css_class (header, "heading");
      gtk_grid_attach (GTK_GRID (grid), header, (int) c - 1, 0, 1, 1);
    }
  gtk_box_append (GTK_BOX (self->box), grid);
  self->grid = GTK_GRID (grid);

  more = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (more), 0.0f);
  gtk_widget_add_css_class (more, "dim-label");
  gtk_widget_set_visible (more, FALSE);
  gtk_box_append (GTK_BOX (self->box), more);
  self->more_label = GTK_LABEL (more);
}

GtkWidget *
memscope_smaps_view_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_SMAPS_VIEW, NULL);
}

void
memscope_smaps_view_set_process (MemscopeSmapsView *self,
                                 gint32             pid,
                                 guint64            starttime)
{
  g_return_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self));

  if (self->pid == pid && self->starttime == starttime)
    return;

  /* A read in flight belongs to the previous process: let it finish and drop its reply. */
  self->generation++;
  self->reading = FALSE;
  self->pid = pid;
  self->starttime = starttime;
  clear_readings (self);
  show_diff (self);
  set_status (self, pid > 0 ? _("Reading the mappings…") : "");

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  update_timer (self);
}

guint
memscope_smaps_view_get_n_reads (MemscopeSmapsView *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), 0);
  return self->n_reads;
}

const char *
memscope_smaps_view_get_status (MemscopeSmapsView *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), NULL);
  return self->status;
}

gint64
memscope_smaps_view_get_growth_kib (MemscopeSmapsView *self,
                                    ms_smaps_kind_t    kind)
{
  gint64 sum = 0;

  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), 0);

  for (gsize i = 0; i < self->diff.n_changes; i++)
    if (self->diff.changes[i].kind == kind)
      sum += self->diff.changes[i].growth_kib;
  return sum;
}

guint
memscope_smaps_view_get_n_rows (MemscopeSmapsView *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), 0);
  return self->n_rows;
}

char *
memscope_smaps_view_dup_row_text (MemscopeSmapsView *self,
                                  guint              row)
{
  GString *text;

  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  text = g_string_new (NULL);
  for (guint c = 0; c < N_COLS; c++)
    {
      if (c > 0)
        g_string_append_c (text, '\t');
      if (c == COL_NAME)
        g_string_append (text, gtk_label_get_label (self->dirs[row]));
      g_string_append (text, gtk_label_get_label (self->cells[row][c]));
    }
  return g_string_free (text, FALSE);
}

char *
memscope_smaps_view_dup_text (MemscopeSmapsView *self)
{
  GString *text;

  g_return_val_if_fail (MEMSCOPE_IS_SMAPS_VIEW (self), NULL);

  text = g_string_new (self->status);
  g_string_append_c (text, '\n');
  for (guint row = 0; row < self->n_rows; row++)
    {
      g_autofree char *line = memscope_smaps_view_dup_row_text (self, row);

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (text, FALSE);
}
