/* SPDX-License-Identifier: MIT */
/* "Connect to Remote Machine…": a destination typed in, or one of the recent ones. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-connect-dialog.h"
#include "memscope-remote.h"

struct _MemscopeConnectDialog
{
  GtkWindow parent_instance;

  /* children */
  GtkEntry   *entry;
  GtkListBox *list;
  GtkLabel   *error_label;

  /* owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (MemscopeConnectDialog, memscope_connect_dialog, GTK_TYPE_WINDOW)

/* The destination a row stands for; NULL for this computer. */
#define ROW_DESTINATION "memscope-destination"

static GApplication *
application_of (MemscopeConnectDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL && parent != NULL)
    application = gtk_window_get_application (parent);
  return application != NULL ? G_APPLICATION (application) : g_application_get_default ();
}

static void
set_error (MemscopeConnectDialog *self,
           const char            *text)
{
  g_assert (MEMSCOPE_IS_CONNECT_DIALOG (self));

  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  /* Screen readers hear why the destination was refused from the entry itself. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "",
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID,
                               text != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                            : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static gboolean
open_destination (MemscopeConnectDialog *self,
                  const char            *text)
{
  g_autoptr(MemscopeRemoteDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  GApplication *application;

  g_assert (MEMSCOPE_IS_CONNECT_DIALOG (self));

  destination = memscope_remote_destination_parse (text, &error);
  if (destination == NULL)
    {
      set_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      return FALSE;
    }
  set_error (self, NULL);
  application = application_of (self);
  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "connect-remote",
                                    g_variant_new_string (text));
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

gboolean
memscope_connect_dialog_connect (MemscopeConnectDialog *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_CONNECT_DIALOG (self), FALSE);
  return open_destination (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
row_activated_cb (MemscopeConnectDialog *self,
                  GtkListBoxRow         *row)
{
  const char *destination = g_object_get_data (G_OBJECT (row), ROW_DESTINATION);

  g_assert (MEMSCOPE_IS_CONNECT_DIALOG (self));

  if (destination != NULL)
    {
      open_destination (self, destination);
      return;
    }
  /* This computer: its window, as launching memscope again shows it. */
  if (application_of (self) != NULL)
    g_application_activate (application_of (self));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Choosing a recent machine with the keyboard or a click fills the entry too. */
static void
row_selected_cb (MemscopeConnectDialog *self,
                 GtkListBoxRow         *row)
{
  const char *destination = row != NULL ? g_object_get_data (G_OBJECT (row), ROW_DESTINATION)
                                        : NULL;

  if (destination != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), destination);
}

static void
entry_activate_cb (MemscopeConnectDialog *self)
{
  memscope_connect_dialog_connect (self);
}

static void
add_row (MemscopeConnectDialog *self,
         const char            *label,
         const char            *destination)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_label_new (label);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box),
                  gtk_image_new_from_icon_name (destination != NULL ? "network-server-symbolic"
                                                                    : "computer-symbolic"));
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (row), ROW_DESTINATION, g_strdup (destination), g_free);
  gtk_list_box_append (self->list, row);
}

GtkEditable *
memscope_connect_dialog_get_entry (MemscopeConnectDialog *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_CONNECT_DIALOG (self), NULL);
  return GTK_EDITABLE (self->entry);
}

GtkListBox *
memscope_connect_dialog_get_list (MemscopeConnectDialog *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_CONNECT_DIALOG (self), NULL);
  return self->list;
}

const char *
memscope_connect_dialog_get_error_text (MemscopeConnectDialog *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_CONNECT_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : "";
}

GtkWidget *
memscope_connect_dialog_new (GtkWindow *parent,
                             GSettings *settings)
{
  MemscopeConnectDialog *self;
  g_auto(GStrv) recent = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MEMSCOPE_TYPE_CONNECT_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       "title", _("Connect to Remote Machine"),
                       "default-width", 560,
                       NULL);
  if (parent != NULL && gtk_window_get_application (parent) != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->settings = g_object_ref (settings);

  add_row (self, _("This Computer"), NULL);
  recent = g_settings_get_strv (settings, "recent-remotes");
  for (guint i = 0; recent[i] != NULL; i++)
    add_row (self, recent[i], recent[i]);
  return GTK_WIDGET (self);
}

static void
memscope_connect_dialog_dispose (GObject *object)
{
  MemscopeConnectDialog *self = (MemscopeConnectDialog *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (memscope_connect_dialog_parent_class)->dispose (object);
}

static void
memscope_connect_dialog_class_init (MemscopeConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_connect_dialog_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
memscope_connect_dialog_init (MemscopeConnectDialog *self)
{
  GtkWidget *box, *label, *scroller, *cancel, *connect, *header;

  header = gtk_header_bar_new ();
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  connect = gtk_button_new_with_mnemonic (_("C_onnect"));
  gtk_widget_add_css_class (connect, "suggested-action");
  g_signal_connect_swapped (connect, "clicked", G_CALLBACK (entry_activate_cb), self);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), connect);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  label = gtk_label_new_with_mnemonic (_("_Machine"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->entry, _("user@host, an ssh alias or ssh://host:port"));
  gtk_entry_set_activates_default (self->entry, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->entry),
                               _("Connected with your own ssh setup; the machine needs "
                                 "memscope's probe, which memscope offers to copy"));
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  label = gtk_label_new_with_mnemonic (_("_Recent"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  gtk_box_append (GTK_BOX (box), label);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (self->list, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->list));
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->list, "row-selected", G_CALLBACK (row_selected_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Recent machines"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (box), scroller);

  label = gtk_label_new (_("Double-click a machine, or press Enter on it, to open its window."));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), connect);
}
