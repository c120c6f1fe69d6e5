/* SPDX-License-Identifier: MIT */
/* The banner that says the host probe is not running, why, when it is tried again, with Retry. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-host-banner.h"

struct _MemscopeHostBanner
{
  GtkWidget parent_instance;

  /* children */
  GtkRevealer *revealer;
  GtkLabel *label;
  GtkButton *retry_button;

  /* owned */
  MemscopeHostSource *source;

  gint64 retry_at_us;  /* monotonic time of the next automatic start, 0 for none */
  guint countdown_id;
};

G_DEFINE_FINAL_TYPE (MemscopeHostBanner, memscope_host_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update (MemscopeHostBanner *self);

static gboolean
countdown_cb (gpointer data)
{
  MemscopeHostBanner *self = data;

  update (self);
  return G_SOURCE_CONTINUE;
}

static void
update (MemscopeHostBanner *self)
{
  MemscopeHostState state = MEMSCOPE_HOST_STATE_STOPPED;
  g_autofree char *text = NULL;

  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  if (self->source != NULL)
    state = memscope_host_source_get_state (self->source);

  if (state == MEMSCOPE_HOST_STATE_FAILED)
    {
      const char *error = memscope_host_source_get_error (self->source);
      gint64 left_us = self->retry_at_us - g_get_monotonic_time ();

      if (self->retry_at_us > 0 && left_us > 0)
        {
          guint left_s = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

          /* Translators: the first %s says why ("The host probe ended with status 1"). */
          text = g_strdup_printf (ngettext ("Cannot see the computer's processes: %s. Trying "
                                            "again in %u second.",
                                            "Cannot see the computer's processes: %s. Trying "
                                            "again in %u seconds.", left_s),
                                  error != NULL ? error : "", left_s);
        }
      else
        text = g_strdup_printf (_("Cannot see the computer's processes: %s."),
                                error != NULL ? error : "");
    }
  else if (state == MEMSCOPE_HOST_STATE_STARTING && self->source != NULL
           && memscope_host_source_get_n_starts (self->source) > 1)
    text = g_strdup (_("Starting the host probe again…"));

  if (text != NULL)
    gtk_label_set_label (self->label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), state == MEMSCOPE_HOST_STATE_FAILED);
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
  /* A hidden banner takes no room and no keyboard focus. */
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);

  if (text == NULL || self->retry_at_us == 0 || g_get_monotonic_time () >= self->retry_at_us)
    g_clear_handle_id (&self->countdown_id, g_source_remove);
  else if (self->countdown_id == 0)
    self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
}

static void
source_changed_cb (MemscopeHostBanner *self)
{
  guint delay_s;

  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  delay_s = memscope_host_source_get_retry_delay_s (self->source);
  if (memscope_host_source_get_state (self->source) == MEMSCOPE_HOST_STATE_FAILED && delay_s > 0)
    self->retry_at_us = g_get_monotonic_time () + (gint64) delay_s * G_USEC_PER_SEC;
  else
    self->retry_at_us = 0;
  update (self);
}

static void
retry_clicked_cb (MemscopeHostBanner *self)
{
  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  if (self->source != NULL)
    memscope_host_source_retry (self->source);
}

MemscopeHostSource *
memscope_host_banner_get_source (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), NULL);
  return self->source;
}

void
memscope_host_banner_set_source (MemscopeHostBanner *self,
                                 MemscopeHostSource *source)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_BANNER (self));
  g_return_if_fail (source == NULL || MEMSCOPE_IS_HOST_SOURCE (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    {
      g_signal_connect_object (source, "notify::state", G_CALLBACK (source_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "notify::error", G_CALLBACK (source_changed_cb), self,
                               G_CONNECT_SWAPPED);
      source_changed_cb (self);
    }
  else
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

const char *
memscope_host_banner_get_text (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), NULL);
  return gtk_revealer_get_reveal_child (self->revealer) ? gtk_label_get_label (self->label) : "";
}

gboolean
memscope_host_banner_get_shown (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

GtkWidget *
memscope_host_banner_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_HOST_BANNER, NULL);
}

static void
memscope_host_banner_dispose (GObject *object)
{
  MemscopeHostBanner *self = (MemscopeHostBanner *) object;

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  if (self->revealer != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->revealer)));

  G_OBJECT_CLASS (memscope_host_banner_parent_class)->dispose (object);
}

static void
memscope_host_banner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MemscopeHostBanner *self = MEMSCOPE_HOST_BANNER (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_host_banner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MemscopeHostBanner *self = MEMSCOPE_HOST_BANNER (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      memscope_host_banner_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_host_banner_class_init (MemscopeHostBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_host_banner_dispose;
  object_class->get_property = memscope_host_banner_get_property;
  object_class->set_property = memscope_host_banner_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, MEMSCOPE_TYPE_HOST_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hostbanner");
}

static void
memscope_host_banner_init (MemscopeHostBanner *self)
{
  GtkWidget *box;

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "banner");
  gtk_widget_add_css_class (box, "error");
  gtk_revealer_set_child (self->revealer, box);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->retry_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Retry")));
  gtk_widget_set_valign (GTK_WIDGET (self->retry_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button),
                               _("Start the host probe again now"));
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (retry_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->retry_button));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
