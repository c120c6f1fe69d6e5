/* SPDX-License-Identifier: MIT */
/* Preferences: refresh interval, memory value, detector sensitivity, background, columns. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-alerts-preferences.h"
#include "memscope-preferences-dialog.h"

struct _MemscopePreferencesDialog
{
  GtkWindow parent_instance;

  /* template widgets */
  GtkSpinButton *interval_spin;
  GtkDropDown *memory_dropdown;
  GtkScale *sensitivity_scale;
  GtkSwitch *background_switch;
  GtkFlowBox *columns_box;

  /* owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (MemscopePreferencesDialog, memscope_preferences_dialog, GTK_TYPE_WINDOW)

static const struct
{
  const char *key;
  const char *title;
} column_titles[] = {
  { "pid", N_("PID") },
  { "name", N_("Name") },
  { "user", N_("User") },
  { "rss", N_("RSS") },
  { "pss", N_("PSS") },
  { "swap", N_("Swap") },
  { "cpu", N_("CPU %") },
  { "delta", N_("Delta") },
  { "tags", N_("Tags") },
  { "started", N_("Started") },
};

static gboolean
ms_to_seconds (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
seconds_to_ms (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 1000.0 + 0.5));
}

static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "pss") == 0 ? 1 : 0);
  return TRUE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "pss" : "rss");
}

static void
memscope_preferences_dialog_dispose (GObject *object)
{
  MemscopePreferencesDialog *self = (MemscopePreferencesDialog *) object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_PREFERENCES_DIALOG);

  G_OBJECT_CLASS (memscope_preferences_dialog_parent_class)->dispose (object);
}

static void
memscope_preferences_dialog_class_init (MemscopePreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_preferences_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/memscope-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopePreferencesDialog, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, MemscopePreferencesDialog, memory_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MemscopePreferencesDialog, sensitivity_scale);
  gtk_widget_class_bind_template_child (widget_class, MemscopePreferencesDialog, background_switch);
  gtk_widget_class_bind_template_child (widget_class, MemscopePreferencesDialog, columns_box);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
memscope_preferences_dialog_init (MemscopePreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
memscope_preferences_dialog_new (GtkWindow          *parent,
                                 GSettings          *settings,
                                 MemscopeBackground *background)
{
  MemscopePreferencesDialog *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (background == NULL || MEMSCOPE_IS_BACKGROUND (background), NULL);

  self = g_object_new (MEMSCOPE_TYPE_PREFERENCES_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "refresh-interval-ms",
                                gtk_spin_button_get_adjustment (self->interval_spin), "value",
                                G_SETTINGS_BIND_DEFAULT, ms_to_seconds, seconds_to_ms, NULL, NULL);
  g_settings_bind_with_mapping (settings, "memory-value", self->memory_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick, NULL, NULL);
  g_settings_bind (settings, "sensitivity",
                   gtk_range_get_adjustment (GTK_RANGE (self->sensitivity_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* Why the system turned it back off (inside a Flatpak the Background portal decides). */
  if (background != NULL)
    gtk_grid_attach (GTK_GRID (gtk_widget_get_parent (GTK_WIDGET (self->background_switch))),
                     memscope_background_new_problem_label (background,
                                                            MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND,
                                                            GTK_WIDGET (self->background_switch)),
                     0, 4, 2, 1);

  for (guint i = 0; i < G_N_ELEMENTS (column_titles); i++)
    {
      g_autofree char *key = g_strdup_printf ("column-%s-visible", column_titles[i].key);
      GtkWidget *check = gtk_check_button_new_with_label (_(column_titles[i].title));

      g_settings_bind (settings, key, check, "active", G_SETTINGS_BIND_DEFAULT);
      gtk_flow_box_append (self->columns_box, check);
    }
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->columns_box))),
                  memscope_alerts_preferences_new (settings, background));

  return GTK_WIDGET (self);
}
