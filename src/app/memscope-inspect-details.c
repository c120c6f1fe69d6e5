/* SPDX-License-Identifier: MIT */
/* The in-depth part of the inspect panel: breakdown gauges, trend graph, what grows inside, and
 * the actions on the process (signals, copy, export). */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-chart-math.h"
#include "memscope-inspect-details-private.h"
#include "memscope-sampler-thread.h"

enum { PART_ANON, PART_FILE, PART_SHMEM, PART_SWAP, N_COMPOSITION };
enum { PART_USS, PART_PSS, PART_RSS, PART_HWM, N_SHARING };

struct _MemscopeInspectDetails
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget              *box;
  GtkLabel               *exited_label;
  GtkWidget              *process_sections;
  MemscopeBreakdownGauge *composition;
  MemscopeBreakdownGauge *sharing;
  GtkDropDown            *window_dropdown;
  MemscopeTrendGraph     *graph;
  MemscopeSmapsView      *smaps;
  MemscopeProcessActions *actions;
  GtkLabel               *export_label;

  /* owned */
  MemscopeProcessRow     *row;
  MemscopeInspectHistory *history;
  gboolean                exited;
  GtkFileChooserNative   *chooser;
};

G_DEFINE_FINAL_TYPE (MemscopeInspectDetails, memscope_inspect_details, GTK_TYPE_WIDGET)

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 3, -1);
  return label;
}

static void
set_export_message (MemscopeInspectDetails *self,
                    const char             *text,
                    gboolean                failed)
{
  g_assert (MEMSCOPE_IS_INSPECT_DETAILS (self));

  gtk_label_set_label (self->export_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), text != NULL && *text != '\0');
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->export_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->export_label), "error");
}

static void
window_changed_cb (GtkDropDown            *dropdown,
                   GParamSpec             *pspec,
                   MemscopeInspectDetails *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  g_assert (MEMSCOPE_IS_INSPECT_DETAILS (self));

  if (selected < MEMSCOPE_CHART_N_WINDOWS)
    memscope_trend_graph_set_window (self->graph, memscope_chart_windows_s[selected]);
}

static void
chooser_response_cb (GtkNativeDialog        *chooser,
                     int                     response,
                     MemscopeInspectDetails *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (MEMSCOPE_IS_INSPECT_DETAILS (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  csv = memscope_inspect_details_dup_csv (self);
  if (csv == NULL)
    {
      set_export_message (self, _("There is no history to export yet."), TRUE);
      return;
    }
  /* A few hundred rows: written at once, there is nothing to wait for. */
  if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the history: %s"),
                                               error->message);

      set_export_message (self, text, TRUE);
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *text = g_strdup_printf (_("History exported to %s."), name);

      set_export_message (self, text, FALSE);
    }
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MemscopeInspectDetails *self = MEMSCOPE_INSPECT_DETAILS (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;

  if (self->history == NULL || self->history->n_points == 0)
    {
      set_export_message (self, _("There is no history to export yet."), TRUE);
      return;
    }
  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new (_("Export History as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  name = g_strdup_printf ("%s-%d-history.csv", self->history->comm, self->history->pid);
  g_strdelimit (name, "/", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MemscopeInspectDetails *self = MEMSCOPE_INSPECT_DETAILS (widget);
  g_autofree char *text = memscope_inspect_details_dup_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  set_export_message (self, _("Details copied."), FALSE);
}

static void
signal_sent_cb (MemscopeProcessActions *actions,
                int                     sig,
                MemscopeInspectDetails *self)
{
  g_assert (MEMSCOPE_IS_INSPECT_DETAILS (self));

  /* The process's memory may change at once (a stopped process no longer grows): read again. */
  memscope_smaps_view_refresh (self->smaps);
}

static void
update_visibility (MemscopeInspectDetails *self)
{
  gboolean is_process = self->row != NULL && !memscope_process_row_get_is_group (self->row);

  g_assert (MEMSCOPE_IS_INSPECT_DETAILS (self));

  gtk_widget_set_visible (self->process_sections, is_process);
  gtk_widget_set_visible (GTK_WIDGET (self->exited_label), self->exited);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspect.export-csv", is_process);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspect.copy", self->row != NULL);
}

static void
memscope_inspect_details_dispose (GObject *object)
{
  MemscopeInspectDetails *self = (MemscopeInspectDetails *) object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->row);
  g_clear_pointer (&self->history, memscope_inspect_history_unref);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (memscope_inspect_details_parent_class)->dispose (object);
}

static void
memscope_inspect_details_class_init (MemscopeInspectDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_inspect_details_dispose;

  gtk_widget_class_install_action (widget_class, "inspect.copy", NULL, copy_action_cb);
  gtk_widget_class_install_action (widget_class, "inspect.export-csv", NULL, export_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "inspect.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "inspect.export-csv", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspectdetails");
}

static void
memscope_inspect_details_init (MemscopeInspectDetails *self)
{
  static const char *window_names[MEMSCOPE_CHART_N_WINDOWS + 1] = {
    N_("Last minute"), N_("Last 5 minutes"), N_("Last 15 minutes"), N_("Last 60 minutes"), NULL,
  };
  const char *translated[MEMSCOPE_CHART_N_WINDOWS + 1];
  GtkWidget *sections, *row, *label, *button, *buttons;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  label = gtk_label_new (_("This process has exited. The panel keeps its last data."));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "banner");
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (self->box), label);
  self->exited_label = GTK_LABEL (label);

  sections = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (self->box), sections);
  self->process_sections = sections;

  gtk_box_append (GTK_BOX (sections), heading (_("Where the memory is")));
  self->composition = MEMSCOPE_BREAKDOWN_GAUGE (memscope_breakdown_gauge_new (_("Where the memory is")));
  memscope_breakdown_gauge_add_part (self->composition, "anon", _("Anonymous"));
  memscope_breakdown_gauge_add_part (self->composition, "file", _("File-backed"));
  memscope_breakdown_gauge_add_part (self->composition, "shmem", _("Shared memory"));
  memscope_breakdown_gauge_add_part (self->composition, "swap", _("Swap"));
  gtk_box_append (GTK_BOX (sections), GTK_WIDGET (self->composition));

  gtk_box_append (GTK_BOX (sections), heading (_("Private and shared")));
  self->sharing = MEMSCOPE_BREAKDOWN_GAUGE (memscope_breakdown_gauge_new (_("Private and shared")));
  memscope_breakdown_gauge_add_part (self->sharing, "uss", _("Private (USS)"));
  memscope_breakdown_gauge_add_part (self->sharing, "pss", _("Proportional (PSS)"));
  memscope_breakdown_gauge_add_part (self->sharing, "rss", _("Resident (RSS)"));
  memscope_breakdown_gauge_add_part (self->sharing, "hwm", _("Peak resident"));
  gtk_box_append (GTK_BOX (sections), GTK_WIDGET (self->sharing));

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = heading (_("Over time"));
  gtk_widget_set_hexpand (label, TRUE);
  /* Beside the time it shows, the heading wraps in a narrow panel rather than widen it. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_box_append (GTK_BOX (row), label);
  for (guint i = 0; i <= MEMSCOPE_CHART_N_WINDOWS; i++)
    translated[i] = window_names[i] != NULL ? _(window_names[i]) : NULL;
  self->window_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (translated));
  gtk_drop_down_set_selected (self->window_dropdown, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->window_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Time shown in the graph"), -1);
  g_signal_connect_object (self->window_dropdown, "notify::selected",
                           G_CALLBACK (window_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->window_dropdown));
  gtk_box_append (GTK_BOX (sections), row);
  self->graph = MEMSCOPE_TREND_GRAPH (memscope_trend_graph_new ());
  memscope_trend_graph_set_window (self->graph, memscope_chart_windows_s[1]);
  gtk_box_append (GTK_BOX (sections), GTK_WIDGET (self->graph));

  gtk_box_append (GTK_BOX (sections), heading (_("What grows inside")));
  self->smaps = MEMSCOPE_SMAPS_VIEW (memscope_smaps_view_new ());
  gtk_box_append (GTK_BOX (sections), GTK_WIDGET (self->smaps));

  gtk_box_append (GTK_BOX (self->box), heading (_("Actions")));
  self->actions = MEMSCOPE_PROCESS_ACTIONS (memscope_process_actions_new ());
  g_signal_connect_object (self->actions, "signal-sent", G_CALLBACK (signal_sent_cb), self, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->actions));

  /* Wraps in a narrow panel or a longer language, rather than widening it. */
  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  button = gtk_button_new_with_mnemonic (_("C_opy Details"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "inspect.copy");
  gtk_widget_set_tooltip_text (button, _("Copy everything shown about the process as text "
                                         "(Shift+Ctrl+C)"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
  button = gtk_button_new_with_mnemonic (_("Export _History as CSV…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "inspect.export-csv");
  gtk_widget_set_tooltip_text (button, _("Save this process's memory history as a trace CSV "
                                         "(Shift+Ctrl+E)"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
  gtk_box_append (GTK_BOX (self->box), buttons);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (self->box), label);
  self->export_label = GTK_LABEL (label);

  update_visibility (self);
}

GtkWidget *
memscope_inspect_details_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_INSPECT_DETAILS, NULL);
}

void
memscope_inspect_details_set_row (MemscopeInspectDetails *self,
                                  MemscopeProcessRow     *row)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self));
  g_return_if_fail (row == NULL || MEMSCOPE_IS_PROCESS_ROW (row));

  if (self->row == row)
    return;
  g_set_object (&self->row, row);
  self->exited = FALSE;
  g_clear_pointer (&self->history, memscope_inspect_history_unref);
  memscope_trend_graph_set_points (self->graph, NULL, 0, 0);
  memscope_trend_graph_set_leak (self->graph, FALSE, 0, 0, 0);
  set_export_message (self, NULL, FALSE);
  memscope_process_actions_set_row (self->actions, row);
  if (row != NULL && !memscope_process_row_get_is_group (row))
    memscope_smaps_view_set_process (self->smaps,
                                     memscope_process_row_get_pid (row),
                                     memscope_process_row_get_starttime (row));
  else
    memscope_smaps_view_set_process (self->smaps, 0, 0);
  update_visibility (self);
  memscope_inspect_details_update (self);
}

MemscopeProcessRow *
memscope_inspect_details_get_row (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->row;
}

void
memscope_inspect_details_set_sampler (MemscopeInspectDetails *self,
                                      MemscopeSamplerThread  *sampler)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self));
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler));

  memscope_process_actions_set_sampler (self->actions, sampler);
  memscope_smaps_view_set_sampler (self->smaps, sampler);
}

void
memscope_inspect_details_update (MemscopeInspectDetails *self)
{
  const ms_proc_t *proc;
  gint64 composition[N_COMPOSITION];
  gint64 sharing[N_SHARING];

  g_return_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self));

  if (self->row == NULL || memscope_process_row_get_is_group (self->row))
    return;

  proc = memscope_process_row_get_proc (self->row);
  composition[PART_ANON] = proc->anon_kib;
  composition[PART_FILE] = proc->file_kib;
  composition[PART_SHMEM] = proc->shmem_kib;
  composition[PART_SWAP] = proc->swap_kib;
  memscope_breakdown_gauge_set_values (self->composition, composition, N_COMPOSITION,
                                       ms_footprint_kib (proc->rss_kib, proc->swap_kib),
                                       _("footprint"), TRUE);

  sharing[PART_USS] = proc->uss_kib;
  sharing[PART_PSS] = proc->pss_kib;
  sharing[PART_RSS] = proc->rss_kib;
  sharing[PART_HWM] = proc->hwm_kib;
  /* The peak bounds the others: shares are of it, so "RSS 60 %" reads as "60 % of the peak". */
  memscope_breakdown_gauge_set_values (self->sharing, sharing, N_SHARING,
                                       MAX (proc->hwm_kib, proc->rss_kib), _("peak resident"),
                                       FALSE);
  memscope_trend_graph_set_baseline (self->graph, proc->baseline_kib);
}

void
memscope_inspect_details_set_history (MemscopeInspectDetails *self,
                                      MemscopeInspectHistory *history,
                                      double                  now_s)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self));

  if (history == NULL || self->row == NULL
      || history->pid != memscope_process_row_get_pid (self->row)
      || history->starttime != memscope_process_row_get_starttime (self->row))
    return;

  if (history->exited)
    memscope_inspect_details_set_exited (self, TRUE);
  /* Once the history forgets an exited process, the last points shown stay. */
  if (history->n_points == 0 && self->history != NULL && self->history->n_points > 0)
    return;
  if (self->history != history)
    {
      g_clear_pointer (&self->history, memscope_inspect_history_unref);
      self->history = memscope_inspect_history_ref (history);
    }
  memscope_trend_graph_set_points (self->graph, history->points, history->n_points, now_s);
  if (history->leaking)
    memscope_trend_graph_set_leak (self->graph, TRUE, history->leak.rate_kib_s,
                                   history->leak.duration_s, history->leak.exhaust_s);
  else
    memscope_trend_graph_set_leak (self->graph, FALSE, 0, 0, 0);
}

void
memscope_inspect_details_set_exited (MemscopeInspectDetails *self,
                                     gboolean                exited)
{
  g_return_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self));

  exited = !!exited;
  if (self->exited == exited)
    return;
  self->exited = exited;
  memscope_process_actions_set_exited (self->actions, exited);
  update_visibility (self);
}

gboolean
memscope_inspect_details_get_exited (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), FALSE);
  return self->exited;
}

char *
memscope_inspect_details_dup_text (MemscopeInspectDetails *self)
{
  GString *text;
  const ms_proc_t *proc;

  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);

  if (self->row == NULL)
    return g_strdup ("");

  text = g_string_new (NULL);
  proc = memscope_process_row_get_proc (self->row);
  if (memscope_process_row_get_is_group (self->row))
    {
      GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (self->row));

      g_string_append_printf (text, _("Application: %s\n"), memscope_process_row_get_name (self->row));
      for (guint i = 0; i < g_list_model_get_n_items (members); i++)
        {
          g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, i);

          g_string_append_printf (text, _("  %s (PID %d)\n"), memscope_process_row_get_name (member),
                                  memscope_process_row_get_pid (member));
        }
      return g_string_free (text, FALSE);
    }

  g_string_append_printf (text, _("Process: %s\n"), memscope_process_row_get_name (self->row));
  g_string_append_printf (text, _("PID: %d\n"), proc->pid);
  g_string_append_printf (text, _("User: %s\n"), memscope_process_row_get_user (self->row));
  g_string_append_printf (text, _("State: %c\n"), proc->state ? proc->state : '?');
  g_string_append_printf (text, _("Threads: %d\n"), proc->threads);
  g_string_append_printf (text, _("Command line: %s\n"), memscope_process_row_get_cmdline (self->row));
  if (memscope_process_row_get_explanation (self->row) != NULL)
    g_string_append_printf (text, _("Tags: %s\n"), memscope_process_row_get_explanation (self->row));
  if (self->exited)
    g_string_append_printf (text, "%s\n", gtk_label_get_label (self->exited_label));
  g_string_append_printf (text, "%s\n", memscope_breakdown_gauge_get_summary (self->composition));
  g_string_append_printf (text, "%s\n", memscope_breakdown_gauge_get_summary (self->sharing));
  g_string_append_printf (text, "%s\n", memscope_trend_graph_get_summary (self->graph));
  {
    g_autofree char *smaps = memscope_smaps_view_dup_text (self->smaps);

    g_string_append_printf (text, _("What grows inside:\n%s"), smaps);
  }
  return g_string_free (text, FALSE);
}

char *
memscope_inspect_details_dup_csv (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);

  if (self->history == NULL || self->history->n_points == 0)
    return NULL;
  return memscope_inspect_history_to_csv (self->history,
                                          self->row != NULL
                                            ? memscope_process_row_get_proc (self->row) : NULL);
}

GtkFileChooserNative *
memscope_inspect_details_get_export_chooser (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->chooser;
}

const char *
memscope_inspect_details_get_export_message (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return gtk_label_get_label (self->export_label);
}

MemscopeBreakdownGauge *
memscope_inspect_details_get_composition (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->composition;
}

MemscopeBreakdownGauge *
memscope_inspect_details_get_sharing (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->sharing;
}

MemscopeTrendGraph *
memscope_inspect_details_get_trend_graph (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->graph;
}

MemscopeSmapsView *
memscope_inspect_details_get_smaps_view (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->smaps;
}

MemscopeProcessActions *
memscope_inspect_details_get_actions (MemscopeInspectDetails *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_INSPECT_DETAILS (self), NULL);
  return self->actions;
}
