/* SPDX-License-Identifier: MIT */
/* The Alerts part of Preferences: notifications, machine thresholds, ignored programs, login. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-alerts-preferences-private.h"

struct _MemscopeAlertsPreferences
{
  GtkBox parent_instance;

  /* template widgets */
  GtkGrid *grid;
  GtkSwitch *enabled_switch;
  GtkCheckButton *leak_check;
  GtkCheckButton *spike_check;
  GtkSpinButton *low_spin;
  GtkSpinButton *pressure_spin;
  GtkSwitch *login_switch;
  GtkListBox *ignored_list;
  GtkEntry *ignore_entry;
  GtkWidget *add_button;

  /* owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (MemscopeAlertsPreferences, memscope_alerts_preferences, GTK_TYPE_BOX)

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

  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_ALERTS_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (memscope_alerts_preferences_parent_class)->dispose (object);
}

static void
memscope_alerts_preferences_class_init (MemscopeAlertsPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_alerts_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/"
                                               "memscope-alerts-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, grid);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, leak_check);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, spike_check);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, low_spin);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, pressure_spin);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, login_switch);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, ignored_list);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, ignore_entry);
  gtk_widget_class_bind_template_child (widget_class, MemscopeAlertsPreferences, add_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
}

static void
memscope_alerts_preferences_init (MemscopeAlertsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
memscope_alerts_preferences_new (GSettings          *settings,
                                 MemscopeBackground *background)
{
  MemscopeAlertsPreferences *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (background == NULL || MEMSCOPE_IS_BACKGROUND (background), NULL);

  self = g_object_new (MEMSCOPE_TYPE_ALERTS_PREFERENCES, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "alerts-enabled", self->enabled_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-leak", self->leak_check, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-spike", self->spike_check, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "low-memory-percent", gtk_spin_button_get_adjustment (self->low_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "pressure-threshold",
                   gtk_spin_button_get_adjustment (self->pressure_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* Why the system turned it back off (inside a Flatpak the Background portal decides). */
  if (background != NULL)
    gtk_grid_attach (self->grid,
                     memscope_background_new_problem_label (background,
                                                            MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART,
                                                            GTK_WIDGET (self->login_switch)),
                     0, 5, 2, 1);

  g_signal_connect_object (settings, "changed::ignored-programs", G_CALLBACK (ignored_changed_cb),
                           self, 0);
  rebuild_ignored (self);

  return GTK_WIDGET (self);
}
