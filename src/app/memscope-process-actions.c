/* SPDX-License-Identifier: MIT */
/* Stop / Continue / End / Kill for the inspected process (End application for a group), each
 * confirmed by name, with the outcome shown and never swallowed. */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>

#include "memscope-process-actions-private.h"
#include "memscope-sampler-thread.h"
#include "signals.h"

struct _MemscopeProcessActions
{
  GtkWidget parent_instance;

  /* children */
  GtkWidget *box;
  GtkWidget *process_buttons;
  GtkWidget *group_button;
  GtkLabel  *message_label;

  /* owned */
  MemscopeProcessRow *row;
  MemscopeSamplerThread *sampler; /* sends the signals, here or where the processes live */
  GtkWidget          *confirmation;
  char               *message;
  gboolean            failed;
  gboolean            exited;
  guint               generation; /* bumped when the row changes */
  gulong              state_id;   /* the row's notify::state */
};

G_DEFINE_FINAL_TYPE (MemscopeProcessActions, memscope_process_actions, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_message (MemscopeProcessActions *self,
             const char             *message,
             gboolean                failed)
{
  g_assert (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : "");
  self->failed = failed;
  gtk_label_set_label (self->message_label, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), *self->message != '\0');
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  /* Screen readers hear the outcome without hunting for it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->message, -1);
}

static void
update_sensitivity (MemscopeProcessActions *self)
{
  gboolean is_group = self->row != NULL && memscope_process_row_get_is_group (self->row);
  gboolean can_act = self->row != NULL && !self->exited;
  char state = self->row != NULL && !is_group ? memscope_process_row_get_proc (self->row)->state : 0;
  /* A zombie has already exited (only its parent can clear it); a stopped process can only be
   * continued, a running one only stopped. */
  gboolean alive = state != 'Z' && state != 'X' && state != 'x';
  gboolean stopped = state == 'T';

  g_assert (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  gtk_widget_set_visible (self->process_buttons, !is_group);
  gtk_widget_set_visible (self->group_button, is_group);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "process.stop",
                                 can_act && !is_group && alive && !stopped);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "process.continue",
                                 can_act && !is_group && stopped);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "process.end", can_act && !is_group && alive);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "process.kill", can_act && !is_group && alive);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "process.end-group", can_act && is_group);
}

/* "“firefox” (PID 1234)", or "“firefox” (PID 1234) on build-box" for a remote's process. */
static char *
describe_on (const char         *remote,
             MemscopeProcessRow *row)
{
  if (remote != NULL)
    /* Translators: the last %s is the remote machine's name. */
    return g_strdup_printf (_("“%s” (PID %d) on %s"), memscope_process_row_get_name (row),
                            memscope_process_row_get_pid (row), remote);
  return g_strdup_printf (_("“%s” (PID %d)"), memscope_process_row_get_name (row),
                          memscope_process_row_get_pid (row));
}

static const char *
remote_of (MemscopeProcessActions *self)
{
  return memscope_sampler_thread_get_remote (self->sampler);
}

static char *
describe (MemscopeProcessActions *self,
          MemscopeProcessRow     *row)
{
  return describe_on (remote_of (self), row);
}

/* What went wrong, in words that say what to do about it. */
static char *
failure_text (MemscopeProcessActions *self,
              MemscopeProcessRow     *row,
              int                     sig,
              const GError           *error)
{
  g_autofree char *who = describe (self, row);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup_printf (_("Not permitted to signal %s: it belongs to another user. Run "
                              "memscope as that user or as root to stop or end it."), who);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_strdup_printf (_("%s is already gone."), who);
  return g_strdup_printf (_("Could not send %s to %s: %s"), ms_signal_name (sig), who,
                          error->message);
}

static char *
done_text (int         sig,
           const char *who)
{
  switch (sig)
    {
    case SIGSTOP: return g_strdup_printf (_("Stopped %s."), who);
    case SIGCONT: return g_strdup_printf (_("Continued %s."), who);
    case SIGTERM: return g_strdup_printf (_("Asked %s to end."), who);
    case SIGKILL: return g_strdup_printf (_("Killed %s."), who);
    default: return g_strdup (who);
    }
}

/* One request to signal a process or every process of a group: results may arrive later (from
 * the host probe in a Flatpak), so they are counted until all are in. */
typedef struct
{
  MemscopeProcessActions *self;
  MemscopeProcessRow     *row; /* the process, or the group */
  int                     sig;
  guint                   n_total;
  guint                   n_done;
  guint                   n_ok;
  GString                *failures;
  guint                   generation;
} Batch;

static void
batch_finish (Batch *batch)
{
  MemscopeProcessActions *self = batch->self;

  /* The panel moved on to another process meanwhile: this outcome is not about it. */
  if (batch->generation == self->generation)
    {
      if (!memscope_process_row_get_is_group (batch->row))
        {
          if (batch->n_ok == 1)
            {
              g_autofree char *who = describe (self, batch->row);
              g_autofree char *text = done_text (batch->sig, who);

              set_message (self, text, FALSE);
            }
          else
            set_message (self, batch->failures->str + 1, TRUE);
        }
      else
        {
          g_autofree char *text =
            g_strdup_printf (ngettext ("Asked %u of %u process of “%s” to end.",
                                       "Asked %u of %u processes of “%s” to end.",
                                       batch->n_total),
                             batch->n_ok, batch->n_total,
                             memscope_process_row_get_name (batch->row));

          g_string_prepend (batch->failures, text);
          set_message (self, batch->failures->str, batch->n_ok < batch->n_total);
        }
      g_signal_emit (self, signals[SIGNAL_SENT], 0, batch->sig);
    }

  g_string_free (batch->failures, TRUE);
  g_object_unref (batch->row);
  g_object_unref (batch->self);
  g_free (batch);
}

/* error: NULL when the signal was sent. */
static void
batch_result (Batch              *batch,
              MemscopeProcessRow *target,
              const GError       *error)
{
  if (error == NULL)
    batch->n_ok++;
  else
    {
      g_autofree char *why = failure_text (batch->self, target, batch->sig, error);

      g_string_append_printf (batch->failures, "\n%s", why);
    }
  if (++batch->n_done == batch->n_total)
    batch_finish (batch);
}

typedef struct
{
  Batch              *batch;
  MemscopeProcessRow *target;
} Send;

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;

  memscope_sampler_thread_send_signal_finish (MEMSCOPE_SAMPLER_THREAD (source), result, &error);
  batch_result (send->batch, send->target, error);
  g_object_unref (send->target);
  g_free (send);
}

/* The sampler sends it where the processes live (here, on the host of a Flatpak, or on a
 * remote machine); the result may arrive later. */
static void
send_one (Batch              *batch,
          MemscopeProcessRow *target)
{
  Send *send = g_new0 (Send, 1);

  send->batch = batch;
  send->target = g_object_ref (target);
  memscope_sampler_thread_send_signal (batch->self->sampler,
                                       memscope_process_row_get_pid (target),
                                       memscope_process_row_get_starttime (target), batch->sig,
                                       NULL, send_done_cb, send);
}

static void
send_now (MemscopeProcessActions *self,
          int                     sig)
{
  Batch *batch;
  GListModel *members = NULL;

  g_assert (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  if (self->row == NULL)
    return;

  batch = g_new0 (Batch, 1);
  batch->self = g_object_ref (self);
  batch->row = g_object_ref (self->row);
  batch->sig = sig;
  batch->failures = g_string_new (NULL);
  batch->generation = self->generation;
  if (memscope_process_row_get_is_group (self->row))
    members = G_LIST_MODEL (memscope_process_row_get_members (self->row));
  batch->n_total = members != NULL ? g_list_model_get_n_items (members) : 1;

  if (batch->n_total == 0)
    {
      batch_finish (batch);
      return;
    }
  if (members == NULL)
    {
      send_one (batch, batch->row);
      return;
    }
  /* The batch may finish (and be freed) with the last member. */
  for (guint i = 0, n = batch->n_total; i < n; i++)
    {
      g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, i);

      send_one (batch, member);
    }
}

static void
confirmation_response_cb (GtkDialog              *dialog,
                          int                     response,
                          MemscopeProcessActions *self)
{
  int sig = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "memscope-signal"));

  g_assert (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  if (self->confirmation == GTK_WIDGET (dialog))
    self->confirmation = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    send_now (self, sig);
}

/* Destroyed with its parent window, or by the desktop: forget it, never destroy it twice. */
static void
confirmation_destroyed_cb (MemscopeProcessActions *self,
                           GtkWidget              *dialog)
{
  g_assert (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  if (self->confirmation == dialog)
    self->confirmation = NULL;
}

/* The question, what it means and the button that does it, per signal. */
static void
confirmation_texts (MemscopeProcessActions  *self,
                    int                      sig,
                    char                   **question,
                    char                   **detail,
                    const char             **button)
{
  g_autofree char *who = describe (self, self->row);

  switch (sig)
    {
    case SIGSTOP:
      *question = g_strdup_printf (_("Stop %s?"), who);
      *detail = g_strdup (_("It freezes until it is continued. Stopping a process the desktop "
                            "needs can freeze the desktop too."));
      *button = _("_Stop");
      break;
    case SIGKILL:
      *question = g_strdup_printf (_("Kill %s?"), who);
      *detail = g_strdup (_("It ends at once, without a chance to save anything."));
      *button = _("_Kill");
      break;
    case SIGTERM:
    default:
      *question = g_strdup_printf (_("End %s?"), who);
      *detail = g_strdup (_("It is asked to quit; unsaved work in it may be lost."));
      *button = _("_End");
      break;
    }
}

void
memscope_process_actions_request (MemscopeProcessActions *self,
                                  int                     sig)
{
  g_autofree char *question = NULL;
  g_autofree char *detail = NULL;
  const char *button = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self));
  g_return_if_fail (ms_signal_name (sig) != NULL);

  if (self->row == NULL || self->exited)
    return;
  if (sig == SIGCONT && !memscope_process_row_get_is_group (self->row))
    {
      send_now (self, sig);
      return;
    }

  if (memscope_process_row_get_is_group (self->row))
    {
      GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (self->row));
      guint n = g_list_model_get_n_items (members);
      GString *list = g_string_new (NULL);

      sig = SIGTERM;
      if (remote_of (self) != NULL)
        /* Translators: the last %s is the remote machine's name. */
        question = g_strdup_printf (ngettext ("End the application “%s” (%u process) on %s?",
                                              "End the application “%s” (%u processes) on %s?",
                                              n),
                                    memscope_process_row_get_name (self->row), n,
                                    remote_of (self));
      else
        question = g_strdup_printf (ngettext ("End the application “%s” (%u process)?",
                                              "End the application “%s” (%u processes)?", n),
                                    memscope_process_row_get_name (self->row), n);
      g_string_append (list, _("Each of these is asked to quit; unsaved work may be lost:"));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, i);
          g_autofree char *who = describe_on (NULL, member);

          g_string_append_printf (list, "\n%s", who);
        }
      detail = g_string_free (list, FALSE);
      button = _("_End Application");
    }
  else
    confirmation_texts (self, sig, &question, &detail, &button);

  if (self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->confirmation)));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", question);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  {
    GtkWidget *accept = gtk_dialog_add_button (GTK_DIALOG (dialog), button, GTK_RESPONSE_ACCEPT);

    gtk_widget_add_css_class (accept, "destructive-action");
  }
  /* Enter must not end a process by accident: Cancel is the default. */
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data (G_OBJECT (dialog), "memscope-signal", GINT_TO_POINTER (sig));
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirmation_response_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (confirmation_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->confirmation = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  MemscopeProcessActions *self = MEMSCOPE_PROCESS_ACTIONS (widget);

  if (g_str_equal (action_name, "process.stop"))
    memscope_process_actions_request (self, SIGSTOP);
  else if (g_str_equal (action_name, "process.continue"))
    memscope_process_actions_request (self, SIGCONT);
  else if (g_str_equal (action_name, "process.kill"))
    memscope_process_actions_request (self, SIGKILL);
  else
    memscope_process_actions_request (self, SIGTERM);
}

static GtkWidget *
make_button (const char *label,
             const char *action,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

/* Only the button takes focus, not the flow box's child around it. */
static void
flow_append (GtkWidget *flow,
             GtkWidget *child)
{
  gtk_flow_box_append (GTK_FLOW_BOX (flow), child);
  gtk_widget_set_focusable (gtk_widget_get_parent (child), FALSE);
}

static void
memscope_process_actions_dispose (GObject *object)
{
  MemscopeProcessActions *self = (MemscopeProcessActions *) object;

  if (self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->confirmation)));
  if (self->row != NULL)
    g_clear_signal_handler (&self->state_id, self->row);
  g_clear_object (&self->row);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (memscope_process_actions_parent_class)->dispose (object);
}

static void
memscope_process_actions_finalize (GObject *object)
{
  MemscopeProcessActions *self = (MemscopeProcessActions *) object;

  g_free (self->message);
  g_clear_object (&self->sampler);

  G_OBJECT_CLASS (memscope_process_actions_parent_class)->finalize (object);
}

static void
memscope_process_actions_class_init (MemscopeProcessActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_process_actions_dispose;
  object_class->finalize = memscope_process_actions_finalize;

  /* After a signal was sent (or failed) to the process or group: (int signal). */
  signals[SIGNAL_SENT] = g_signal_new ("signal-sent", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "process.stop", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "process.continue", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "process.end", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "process.kill", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "process.end-group", NULL, action_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "processactions");
}

static void
memscope_process_actions_init (MemscopeProcessActions *self)
{
  GtkWidget *buttons, *message;

  self->sampler = memscope_sampler_thread_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* A row that wraps in a narrow panel or a longer language, rather than widening it. */
  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 4);
  flow_append (buttons, make_button (_("S_top…"), "process.stop",
                                     _("Freeze the process (SIGSTOP) until it is continued")));
  flow_append (buttons, make_button (_("C_ontinue"), "process.continue",
                                     _("Let a stopped process run again (SIGCONT)")));
  flow_append (buttons, make_button (_("_End…"), "process.end",
                                     _("Ask the process to quit (SIGTERM)")));
  flow_append (buttons, make_button (_("_Kill…"), "process.kill",
                                     _("End the process at once (SIGKILL)")));
  gtk_box_append (GTK_BOX (self->box), buttons);
  self->process_buttons = buttons;

  self->group_button = make_button (_("_End Application…"), "process.end-group",
                                    _("Ask every process of this application to quit (SIGTERM)"));
  gtk_widget_set_halign (self->group_button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->box), self->group_button);

  message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (message), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_widget_set_visible (message, FALSE);
  gtk_box_append (GTK_BOX (self->box), message);
  self->message_label = GTK_LABEL (message);

  self->message = g_strdup ("");
  update_sensitivity (self);
}

GtkWidget *
memscope_process_actions_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_PROCESS_ACTIONS, NULL);
}

void
memscope_process_actions_set_row (MemscopeProcessActions *self,
                                  MemscopeProcessRow     *row)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self));
  g_return_if_fail (row == NULL || MEMSCOPE_IS_PROCESS_ROW (row));

  if (self->row == row)
    return;
  if (self->row != NULL)
    g_clear_signal_handler (&self->state_id, self->row);
  g_set_object (&self->row, row);
  if (row != NULL)
    self->state_id = g_signal_connect_object (row, "notify::state",
                                              G_CALLBACK (update_sensitivity), self,
                                              G_CONNECT_SWAPPED);
  self->generation++;
  self->exited = FALSE;
  if (self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->confirmation)));
  set_message (self, NULL, FALSE);
  update_sensitivity (self);
}

void
memscope_process_actions_set_sampler (MemscopeProcessActions *self,
                                      MemscopeSamplerThread  *sampler)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self));
  g_return_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler));

  g_set_object (&self->sampler, sampler);
}

void
memscope_process_actions_set_exited (MemscopeProcessActions *self,
                                     gboolean                exited)
{
  g_return_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self));

  exited = !!exited;
  if (self->exited == exited)
    return;
  self->exited = exited;
  if (exited && self->confirmation != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->confirmation)));
  update_sensitivity (self);
}

GtkWidget *
memscope_process_actions_get_confirmation (MemscopeProcessActions *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self), NULL);
  return self->confirmation;
}

const char *
memscope_process_actions_get_message (MemscopeProcessActions *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self), NULL);
  return self->message;
}

gboolean
memscope_process_actions_get_failed (MemscopeProcessActions *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_PROCESS_ACTIONS (self), FALSE);
  return self->failed;
}
