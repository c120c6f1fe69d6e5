/* SPDX-License-Identifier: MIT */
/* The side panel with the basic facts of one process (the full inspector grows from it). */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-format.h"
#include "memscope-inspect-panel.h"
#include "memscope-resize-handle.h"
#include "memscope-tag-pills.h"

typedef enum
{
  FIELD_PID,
  FIELD_USER,
  FIELD_STATE,
  FIELD_THREADS,
  FIELD_STARTED,
  FIELD_RSS,
  FIELD_PSS,
  FIELD_USS,
  FIELD_SWAP,
  FIELD_ANON,
  FIELD_FILE,
  FIELD_SHMEM,
  FIELD_HWM,
  FIELD_DELTA,
  FIELD_BASELINE,
  N_FIELDS
} Field;

struct _MemscopeInspectPanel
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *scroller;
  GtkWidget *box;
  GtkLabel *title_label;
  GtkGrid *grid;
  GtkLabel *cmdline_label;
  MemscopeTagPills *pills;
  GtkLabel *explanation_label;
  GtkWidget *frame;
  MemscopeResizeHandle *resize_handle;
  MemscopeInspectDetails *details;

  /* owned */
  MemscopeProcessRow *row;
  gulong notify_id;
  GSettings *settings;
  GArray *own_points; /* ms_history_point_t, when snapshots carry no history (host probe) */
  GtkLabel *values[N_FIELDS];

  /* what the process last showed while alive: kept, as the past, once it has exited (a dying
   * process turns zombie with nothing resident and its tags cleared first) */
  ms_proc_t last_live;
  gboolean have_last_live;
  guint32 last_tags;
  char *last_explanation;
};

G_DEFINE_FINAL_TYPE (MemscopeInspectPanel, memscope_inspect_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
field_title (Field field)
{
  switch (field)
    {
    case FIELD_PID: return _("PID");
    case FIELD_USER: return _("User");
    case FIELD_STATE: return _("State");
    case FIELD_THREADS: return _("Threads");
    case FIELD_STARTED: return _("Started");
    case FIELD_RSS: return _("Resident (RSS)");
    case FIELD_PSS: return _("Proportional (PSS)");
    case FIELD_USS: return _("Private (USS)");
    case FIELD_SWAP: return _("Swap");
    case FIELD_ANON: return _("Anonymous");
    case FIELD_FILE: return _("File-backed");
    case FIELD_SHMEM: return _("Shared memory");
    case FIELD_HWM: return _("Peak resident");
    case FIELD_DELTA: return _("Growth since baseline");
    case FIELD_BASELINE: return _("Baseline");
    case N_FIELDS:
    default: return "";
    }
}

static const char *
state_text (char state)
{
  switch (state)
    {
    case 'R': return _("Running");
    case 'S': return _("Sleeping");
    case 'D': return _("Waiting for I/O");
    case 'Z': return _("Zombie");
    case 'T': return _("Stopped");
    case 't': return _("Traced");
    case 'X': return _("Dead");
    case 'I': return _("Idle");
    default: return _("Unknown");
    }
}

/* An application row: its name, its processes and what they sum to. */
static void
refresh_group (MemscopeInspectPanel *self)
{
  GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (self->row));
  guint n = g_list_model_get_n_items (members);
  g_autofree char *pss = memscope_format_size (memscope_process_row_get_pss_kib (self->row));
  g_autofree char *summary = NULL;
  const char *explanation = memscope_process_row_get_explanation (self->row);

  g_assert (MEMSCOPE_IS_INSPECT_PANEL (self));

  gtk_label_set_label (self->title_label, memscope_process_row_get_name (self->row));
  summary = g_strdup_printf (ngettext ("An application of %u process, %s together (%s).",
                                       "An application of %u processes, %s together (%s).", n),
                             n, pss,
                             memscope_process_row_get_n_rss_members (self->row) > 0
                               ? _("PSS where known, else RSS") : _("PSS"));
  gtk_label_set_label (self->cmdline_label, summary);
  memscope_tag_pills_set_tags (self->pills, memscope_process_row_get_tags (self->row));
  memscope_tag_pills_set_explanation (self->pills, explanation);
  /* No pills, no empty line of them between the heading and "No tags". */
  gtk_widget_set_visible (GTK_WIDGET (self->pills),
                          memscope_process_row_get_tags (self->row) != 0);
  gtk_label_set_label (self->explanation_label,
                       memscope_process_row_get_tags (self->row) == 0
                         ? _("No tags: nothing unusual seen.")
                         : explanation != NULL ? explanation : _("Tagged by the detector."));
}

static void
refresh (MemscopeInspectPanel *self)
{
  const ms_proc_t *proc;
  char *text[N_FIELDS] = { NULL };
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) started = NULL;
  const char *explanation;
  guint32 tags;
  gboolean exited;

  g_assert (MEMSCOPE_IS_INSPECT_PANEL (self));

  if (self->row == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->grid), !memscope_process_row_get_is_group (self->row));
  if (memscope_process_row_get_is_group (self->row))
    {
      refresh_group (self);
      return;
    }

  proc = memscope_process_row_get_proc (self->row);
  tags = memscope_process_row_get_tags (self->row);
  explanation = memscope_process_row_get_explanation (self->row);
  exited = memscope_inspect_details_get_exited (self->details);
  if (!exited && proc->state != 'Z' && proc->state != 'X')
    {
      self->last_live = *proc;
      self->have_last_live = TRUE;
      self->last_tags = tags;
      g_free (self->last_explanation);
      self->last_explanation = g_strdup (explanation);
    }
  else if (exited && self->have_last_live)
    {
      proc = &self->last_live;
      tags = self->last_tags;
      explanation = self->last_explanation;
    }
  title = g_strdup (memscope_process_row_get_name (self->row));
  gtk_label_set_label (self->title_label, title);

  text[FIELD_PID] = g_strdup_printf ("%d", proc->pid);
  text[FIELD_USER] = g_strdup (memscope_process_row_get_user (self->row));
  text[FIELD_STATE] = g_strdup_printf ("%s (%c)", state_text (proc->state),
                                       proc->state ? proc->state : '?');
  text[FIELD_THREADS] = g_strdup_printf ("%d", proc->threads);
  if (proc->start_unix > 0)
    started = g_date_time_new_from_unix_local ((gint64) proc->start_unix);
  if (started != NULL)
    {
      g_autofree char *when = g_date_time_format (started, "%x %X");
      g_autofree char *age = memscope_format_age (g_get_real_time () / G_USEC_PER_SEC
                                                  - proc->start_unix);

      text[FIELD_STARTED] = g_strdup_printf (_("%s (for %s)"), when, age);
    }
  else
    text[FIELD_STARTED] = g_strdup (MEMSCOPE_FORMAT_UNKNOWN);
  text[FIELD_RSS] = memscope_format_size (proc->rss_kib);
  if (proc->pss_kib < 0 && !proc->kernel_thread)
    text[FIELD_PSS] = g_strdup (_("unknown (another user's process)"));
  else
    text[FIELD_PSS] = memscope_format_size (proc->pss_kib);
  text[FIELD_USS] = memscope_format_size (proc->uss_kib);
  text[FIELD_SWAP] = memscope_format_size (proc->swap_kib);
  text[FIELD_ANON] = memscope_format_size (proc->anon_kib);
  text[FIELD_FILE] = memscope_format_size (proc->file_kib);
  text[FIELD_SHMEM] = memscope_format_size (proc->shmem_kib);
  text[FIELD_HWM] = memscope_format_size (proc->hwm_kib);
  text[FIELD_DELTA] = memscope_format_signed_size (proc->delta_kib);
  text[FIELD_BASELINE] = memscope_format_size (proc->baseline_kib);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (g_strcmp0 (gtk_label_get_label (self->values[i]), text[i]) != 0)
        gtk_label_set_label (self->values[i], text[i]);
      g_free (text[i]);
    }

  gtk_label_set_label (self->cmdline_label,
                       *memscope_process_row_get_cmdline (self->row) != '\0'
                         ? memscope_process_row_get_cmdline (self->row)
                         : _("(no command line: a kernel thread or a zombie)"));
  memscope_tag_pills_set_tags (self->pills, tags);
  memscope_tag_pills_set_explanation (self->pills, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->pills), tags != 0);
  if (exited)
    {
      /* The past, not the present: what was seen while it ran. */
      g_autofree char *past = NULL;

      if (tags == 0)
        past = g_strdup (_("It had no tags while memscope watched it."));
      else
        /* TRANSLATORS: the detector's explanation of a process that has exited since */
        past = g_strdup_printf (_("Before it exited: %s"),
                                explanation != NULL ? explanation : _("Tagged by the detector."));
      gtk_label_set_label (self->explanation_label, past);
      gtk_label_set_label (self->values[FIELD_STATE], _("Exited"));
    }
  else if (tags == 0)
    gtk_label_set_label (self->explanation_label, _("No tags: nothing unusual seen."));
  else
    gtk_label_set_label (self->explanation_label,
                         explanation != NULL ? explanation : _("Tagged by the detector."));
  memscope_inspect_details_update (self->details);
}

static void
memscope_inspect_panel_dispose (GObject *object)
{
  MemscopeInspectPanel *self = (MemscopeInspectPanel *) object;

  memscope_inspect_panel_set_row (self, NULL);
  g_clear_pointer (&self->last_explanation, g_free);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->own_points, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_INSPECT_PANEL);

  G_OBJECT_CLASS (memscope_inspect_panel_parent_class)->dispose (object);
}

static void
memscope_inspect_panel_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MemscopeInspectPanel *self = MEMSCOPE_INSPECT_PANEL (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_object (value, self->row);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_inspect_panel_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MemscopeInspectPanel *self = MEMSCOPE_INSPECT_PANEL (object);

  switch (prop_id)
    {
    case PROP_ROW:
      memscope_inspect_panel_set_row (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_inspect_panel_class_init (MemscopeInspectPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_inspect_panel_dispose;
  object_class->get_property = memscope_inspect_panel_get_property;
  object_class->set_property = memscope_inspect_panel_set_property;

  properties[PROP_ROW] =
    g_param_spec_object ("row", NULL, NULL, MEMSCOPE_TYPE_PROCESS_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MEMSCOPE_TYPE_TAG_PILLS);
  g_type_ensure (MEMSCOPE_TYPE_RESIZE_HANDLE);
  g_type_ensure (MEMSCOPE_TYPE_INSPECT_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/memscope-inspect-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, box);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, cmdline_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, pills);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, frame);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, resize_handle);
  gtk_widget_class_bind_template_child (widget_class, MemscopeInspectPanel, details);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspectpanel");
}

static void
memscope_inspect_panel_init (MemscopeInspectPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->own_points = g_array_new (FALSE, FALSE, sizeof (ms_history_point_t));

  /* Resizable from its inner edge; the width is remembered. */
  memscope_resize_handle_set_target (self->resize_handle, self->scroller);
  self->settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_bind (self->settings, "inspect-panel-width", self->resize_handle, "width",
                   G_SETTINGS_BIND_DEFAULT);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *title = gtk_label_new (field_title (i));
      GtkWidget *value = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
      gtk_widget_add_css_class (title, "dim-label");
      /* A long title ("Zuwachs seit Ausgangswert") takes two lines rather than leave its value
       * a sliver in a narrow panel, where "+600,0 MiB" broke inside its unit. */
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 14);
      gtk_widget_set_valign (title, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (value), 0.0f);
      gtk_widget_set_valign (value, GTK_ALIGN_START);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (value, "numeric");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
      gtk_grid_attach (self->grid, title, 0, (int) i, 1, 1);
      gtk_grid_attach (self->grid, value, 1, (int) i, 1, 1);
      /* The breakdown gauges below show these sizes with their shares. */
      if (i >= FIELD_RSS && i <= FIELD_HWM)
        {
          gtk_widget_set_visible (title, FALSE);
          gtk_widget_set_visible (value, FALSE);
        }
      self->values[i] = GTK_LABEL (value);
    }
}

GtkWidget *
memscope_inspect_panel_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_INSPECT_PANEL, NULL);
}

MemscopeProcessRow *
memscope_inspect_panel_get_row (MemscopeInspectPanel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self), NULL);
  return self->row;
}

void
memscope_inspect_panel_set_row (MemscopeInspectPanel *self,
                                MemscopeProcessRow   *row)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self));
  g_return_if_fail (row == NULL || MEMSCOPE_IS_PROCESS_ROW (row));

  if (self->row == row)
    return;
  if (self->row != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->row);
      memscope_process_row_watch_history (self->row, FALSE);
    }
  g_set_object (&self->row, row);
  self->have_last_live = FALSE;
  self->last_tags = 0;
  g_clear_pointer (&self->last_explanation, g_free);
  if (self->own_points != NULL)
    g_array_set_size (self->own_points, 0);
  memscope_inspect_details_set_row (self->details, row);
  if (row != NULL)
    {
      GtkAdjustment *vadjustment =
        gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));

      /* Another process starts at the top, its name in view. */
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
      /* One refresh per tick: the history serial moves once per applied snapshot. */
      memscope_process_row_watch_history (row, TRUE);
      self->notify_id = g_signal_connect_object (row, "notify::history-serial",
                                                 G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
      refresh (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
}

/* The row's process in this snapshot, appended to the panel's own points; exited when absent. */
static MemscopeInspectHistory *
own_history (MemscopeInspectPanel   *self,
             const MemscopeSnapshot *snapshot)
{
  gint32 pid = memscope_process_row_get_pid (self->row);
  guint64 starttime = memscope_process_row_get_starttime (self->row);
  const ms_proc_t *found = NULL;
  MemscopeInspectHistory *history;

  g_assert (MEMSCOPE_IS_INSPECT_PANEL (self));

  for (gsize i = 0; i < snapshot->base.n_procs && found == NULL; i++)
    if (snapshot->base.procs[i].pid == pid && snapshot->base.procs[i].starttime == starttime)
      found = &snapshot->base.procs[i];
  if (found != NULL)
    {
      ms_history_point_t point;

      point.time_s = snapshot->base.time_s;
      point.rss_kib = found->rss_kib;
      point.swap_kib = found->swap_kib;
      point.pss_kib = found->pss_kib;
      point.footprint_kib = ms_footprint_kib (found->rss_kib, found->swap_kib);
      if (self->own_points->len >= MEMSCOPE_INSPECT_HISTORY_MAX_POINTS)
        g_array_remove_index (self->own_points, 0);
      g_array_append_val (self->own_points, point);
    }
  history = memscope_inspect_history_new (pid, starttime, memscope_process_row_get_name (self->row),
                                          (const ms_history_point_t *) (gpointer) self->own_points->data,
                                          self->own_points->len, NULL);
  history->exited = found == NULL;
  return history;
}

void
memscope_inspect_panel_apply_snapshot (MemscopeInspectPanel   *self,
                                       const MemscopeSnapshot *snapshot)
{
  gboolean was_exited;

  g_return_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self));
  g_return_if_fail (snapshot != NULL);

  if (self->row == NULL || memscope_process_row_get_is_group (self->row))
    return;
  was_exited = memscope_inspect_details_get_exited (self->details);
  if (snapshot->inspect != NULL)
    memscope_inspect_details_set_history (self->details, snapshot->inspect,
                                          snapshot->base.time_s);
  else
    {
      /* A snapshot taken before the sampler's worker learnt which process is inspected
       * carries no detector history: the panel keeps its own from the snapshots it sees. */
      g_autoptr(MemscopeInspectHistory) own = own_history (self, snapshot);

      memscope_inspect_details_set_history (self->details, own, snapshot->base.time_s);
    }
  /* The row stops updating once its process is gone: say so once, keep the rest. */
  if (!was_exited && memscope_inspect_details_get_exited (self->details))
    refresh (self);
}

MemscopeInspectDetails *
memscope_inspect_panel_get_details (MemscopeInspectPanel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self), NULL);
  return self->details;
}

void
memscope_inspect_panel_set_width (MemscopeInspectPanel *self,
                                  int                   width)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self));
  memscope_resize_handle_set_width (self->resize_handle, width);
}

int
memscope_inspect_panel_get_width (MemscopeInspectPanel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self), 0);
  return memscope_resize_handle_get_width (self->resize_handle);
}

void
memscope_inspect_panel_set_max_width (MemscopeInspectPanel *self,
                                      int                   max_width)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self));
  memscope_resize_handle_set_limit (self->resize_handle, max_width);
}

int
memscope_inspect_panel_get_max_width (MemscopeInspectPanel *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self), G_MAXINT);
  return memscope_resize_handle_get_limit (self->resize_handle);
}

int
memscope_inspect_panel_get_content_min_width (MemscopeInspectPanel *self)
{
  int minimum = 0, natural = 0;

  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_PANEL (self), 0);

  /* What the panel cannot be narrower than without cutting its content. */
  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum;
}
