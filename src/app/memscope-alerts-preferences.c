/* SPDX-License-Identifier: MIT */
/* The Alerts part of Preferences: notifications, machine thresholds, ignored programs, login. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-alerts-preferences.h"
#include "memscope-background.h"

struct _MemscopeAlertsPreferences
{
  GtkBox parent_instance;

  /* owned */
  GSettings *settings;

  /* borrowed children */
  GtkListBox *ignored_list;
  GtkEntry *ignore_entry;
  GtkWidget *add_button;
};

G_DEFINE_FINAL_TYPE (MemscopeAlertsPreferences, memscope_alerts_preferences, GTK_TYPE_BOX)

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* A mnemonic label in the first column, labelling the widget in the second. */
static void
attach_row (GtkGrid    *grid,
            int         row,
            const char *text,
            GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_widget_set_halign (widget, GTK_ALIGN_END);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
}

static GtkWidget *
spin (double lower,
      double upper,
      double step)
{
  GtkWidget *button = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (button), 0);
  return button;
}

static void
set_ignored (MemscopeAlertsPreferences *self,
             GPtrArray                 *programs)
{
  g_assert (MEMSCOPE_IS_ALERTS_PREFERENCES (self));

  g_ptr_array_add (programs, NULL);
  g_settings_set_strv (self->settings, "ignored-programs",
                       (const char * const *) programs->pdata);
}

static void
remove_clicked_cb (GtkButton                 *button,
                   MemscopeAlertsPreferences *self)
{
  const char *program = g_object_get_data (G_OBJECT (button), "program");
  g_auto(GStrv) current = g_settings_get_strv (self->settings, "ignored-programs");
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; current[i] != NULL; i++)
    if (g_strcmp0 (current[i], program) != 0)
      g_ptr_array_add (kept, current[i]);
  set_ignored (self, kept);
  gtk_widget_grab_focus (GTK_WIDGET (self->ignore_entry));
}

static void
add_ignored (MemscopeAlertsPreferences *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->ignore_entry));
  g_autofree char *program = g_strstrip (g_strdup (text));
  g_auto(GStrv) current = NULL;
  g_autoptr(GPtrArray) programs = NULL;

  g_assert (MEMSCOPE_IS_ALERTS_PREFERENCES (self));

  if (*program == '\0')
    return;
  current = g_settings_get_strv (self->settings, "ignored-programs");
  if (!g_strv_contains ((const char * const *) current, program))
    {
      programs = g_ptr_array_new ();
      for (guint i = 0; current[i] != NULL; i++)
        g_ptr_array_add (programs, current[i]);
      g_ptr_array_add (programs, program);
      set_ignored (self, programs);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->ignore_entry), "");
}

static void
add_clicked_cb (GtkButton                 *button,
                MemscopeAlertsPreferences *self)
{
  add_ignored (self);
}

static void
entry_activate_cb (GtkEntry                  *entry,
                   MemscopeAlertsPreferences *self)
{
  add_ignored (self);
}

static void
entry_changed_cb (GtkEditable               *editable,
                  MemscopeAlertsPreferences *self)
{
  const char *text = gtk_editable_get_text (editable);

  while (g_ascii_isspace (*text))
    text++;
  gtk_widget_set_sensitive (self->add_button, *text != '\0');
}

static void
rebuild_ignored (MemscopeAlertsPreferences *self)
{
  g_auto(GStrv) programs = g_settings_get_strv (self->settings, "ignored-programs");
  GtkListBoxRow *row;

  g_assert (MEMSCOPE_IS_ALERTS_PREFERENCES (self));

  /* Rows only: the placeholder is a child of the list too and must stay. */
  while ((row = gtk_list_box_get_row_at_index (self->ignored_list, 0)) != NULL)
    gtk_list_box_remove (self->ignored_list, GTK_WIDGET (row));

  for (guint i = 0; programs[i] != NULL; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (programs[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Stop ignoring %s"), programs[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tooltip, -1);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "program", g_strdup (programs[i]), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
      gtk_widget_set_margin_start (box, 6);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_append (self->ignored_list, box);
    }
}

static void
ignored_changed_cb (GSettings                 *settings,
                    const char                *key,
                    MemscopeAlertsPreferences *self)
{
  rebuild_ignored (self);
}

guint
memscope_alerts_preferences_get_n_ignored (MemscopeAlertsPreferences *self)
{
  guint n = 0;

  g_return_val_if_fail (MEMSCOPE_IS_ALERTS_PREFERENCES (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->ignored_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;
  return n;
}

static void
memscope_alerts_preferences_dispose (GObject *object)
{
  MemscopeAlertsPreferences *self = (MemscopeAlertsPreferences *) object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_box_remove (GTK_BOX (self), child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (memscope_alerts_preferences_parent_class)->dispose (object);
}

static void
memscope_alerts_preferences_class_init (MemscopeAlertsPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_alerts_preferences_dispose;
}

static void
memscope_alerts_preferences_init (MemscopeAlertsPreferences *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
}

GtkWidget *
memscope_alerts_preferences_new (GSettings *settings)
{
  MemscopeAlertsPreferences *self;
  GtkGrid *grid;
  GtkWidget *enabled, *leak, *spike, *tags, *low, *pressure, *login, *add_box, *scroller;
  GtkWidget *placeholder;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MEMSCOPE_TYPE_ALERTS_PREFERENCES, NULL);
  self->settings = g_object_ref (settings);

  gtk_box_append (GTK_BOX (self), heading (_("Alerts")));
  grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (grid, 12);
  gtk_grid_set_column_spacing (grid, 24);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (grid));

  enabled = gtk_switch_new ();
  attach_row (grid, 0, _("Show _notifications"), enabled);
  g_settings_bind (settings, "alerts-enabled", enabled, "active", G_SETTINGS_BIND_DEFAULT);

  tags = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  leak = gtk_check_button_new_with_mnemonic (_("_Leaks"));
  spike = gtk_check_button_new_with_mnemonic (_("S_pikes"));
  gtk_box_append (GTK_BOX (tags), leak);
  gtk_box_append (GTK_BOX (tags), spike);
  attach_row (grid, 1, _("Notify about"), tags);
  g_settings_bind (settings, "notify-leak", leak, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-spike", spike, "active", G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (enabled, "active", tags, "sensitive", G_BINDING_SYNC_CREATE);

  low = spin (0, 50, 1);
  attach_row (grid, 2, _("Warn when _available memory falls under (%)"), low);
  g_settings_bind (settings, "low-memory-percent",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (low)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  pressure = spin (0, 100, 5);
  attach_row (grid, 3, _("…or when memory _pressure reaches (%, 0 never)"), pressure);
  g_settings_bind (settings, "pressure-threshold",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (pressure)), "value",
                   G_SETTINGS_BIND_DEFAULT);

  login = gtk_switch_new ();
  attach_row (grid, 4, _("Start at _login, in the background"), login);
  g_settings_bind (settings, "start-at-login", login, "active", G_SETTINGS_BIND_DEFAULT);
  /* Why the system turned it back off (inside a Flatpak the Background portal decides). */
  if (memscope_background_get_default () != NULL)
    gtk_grid_attach (grid,
                     memscope_background_new_problem_label (memscope_background_get_default (),
                                                            MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART,
                                                            login),
                     0, 5, 2, 1);

  gtk_box_append (GTK_BOX (self), heading (_("Ignored programs")));
  self->ignored_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->ignored_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->ignored_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ignored_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Ignored programs"), -1);
  placeholder = gtk_label_new (_("None: every program can alert"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 6);
  gtk_widget_set_margin_bottom (placeholder, 6);
  gtk_list_box_set_placeholder (self->ignored_list, placeholder);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 120);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                 GTK_WIDGET (self->ignored_list));
  gtk_box_append (GTK_BOX (self), scroller);

  add_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->ignore_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->ignore_entry, _("Program name or executable path"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ignore_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Program to ignore"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->ignore_entry), TRUE);
  self->add_button = gtk_button_new_with_mnemonic (_("_Ignore"));
  gtk_widget_set_sensitive (self->add_button, FALSE);
  gtk_box_append (GTK_BOX (add_box), GTK_WIDGET (self->ignore_entry));
  gtk_box_append (GTK_BOX (add_box), self->add_button);
  gtk_box_append (GTK_BOX (self), add_box);
  g_signal_connect_object (self->ignore_entry, "activate", G_CALLBACK (entry_activate_cb),
                           self, 0);
  g_signal_connect_object (self->ignore_entry, "changed", G_CALLBACK (entry_changed_cb), self, 0);
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (add_clicked_cb), self, 0);

  g_signal_connect_object (settings, "changed::ignored-programs", G_CALLBACK (ignored_changed_cb),
                           self, 0);
  rebuild_ignored (self);

  return GTK_WIDGET (self);
}
