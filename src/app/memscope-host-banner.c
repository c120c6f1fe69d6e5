/* SPDX-License-Identifier: MIT */
/* The banner that says the host probe is not running, why, when it is tried again, with Retry. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "memscope-host-banner.h"
#include "memscope-remote.h"

struct _MemscopeHostBanner
{
  GtkWidget parent_instance;

  /* children */
  GtkRevealer *revealer;
  GtkLabel *label;
  GtkButton *retry_button;
  GtkButton *copy_button;
  GtkButton *cancel_button; /* shown while a copy is under way */

  /* owned */
  MemscopeHostSource *source;

  GCancellable *copy_cancellable; /* a copy of the probe under way */
  char *copy_error;               /* why the last copy failed, else NULL */
  char *static_probe;             /* what Copy Probe copies; NULL: the installation's */

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

/* A message as the middle of a sentence: without the full stop it may end with ("" for NULL). */
static char *
sentence (const char *message)
{
  gsize n = message != NULL ? strlen (message) : 0;

  while (n > 0 && message[n - 1] == '.')
    n--;
  return g_strndup (message != NULL ? message : "", n);
}

static void
update (MemscopeHostBanner *self)
{
  MemscopeHostState state = MEMSCOPE_HOST_STATE_STOPPED;
  MemscopeHostFailure failure;
  g_autofree char *text = NULL;
  const char *remote;
  gboolean can_copy;

  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  if (self->source != NULL)
    state = memscope_host_source_get_state (self->source);

  remote = self->source != NULL ? memscope_host_source_get_remote (self->source) : NULL;
  failure = self->source != NULL ? memscope_host_source_get_failure (self->source)
                                 : MEMSCOPE_HOST_FAILURE_NONE;
  can_copy = state == MEMSCOPE_HOST_STATE_FAILED
             && memscope_host_source_get_destination (self->source) != NULL
             && (failure == MEMSCOPE_HOST_FAILURE_NO_PROBE
                 || failure == MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE);

  if (self->copy_cancellable != NULL)
    /* Translators: %s is a remote machine's name. */
    text = g_strdup_printf (_("Copying memscope's probe to %s…"), remote);
  else if (state == MEMSCOPE_HOST_STATE_FAILED && remote != NULL)
    {
      const char *error = memscope_host_source_get_error (self->source);
      gint64 left_us = self->retry_at_us - g_get_monotonic_time ();
      g_autofree char *why = sentence (error);
      GString *said = g_string_new (why);

      if (can_copy)
        {
          g_string_truncate (said, 0);
          /* Translators: the first %s says why ("memscope-probe is not installed on build-box"),
           * the second is the remote machine's name. */
          g_string_append_printf (said, _("%s. Copy memscope's probe to %s to watch it (into "
                                          "its cache directory, for this user only)"),
                                  why, remote);
        }
      if (self->copy_error != NULL)
        {
          g_autofree char *before = g_string_free (said, FALSE);
          g_autofree char *copy_error = sentence (self->copy_error);

          /* Translators: two sentences: why the remote cannot be watched, then why copying
           * the probe there failed. */
          said = g_string_new (NULL);
          g_string_append_printf (said, _("%s. %s"), before, copy_error);
        }
      if (self->retry_at_us > 0 && left_us > 0)
        {
          guint left_s = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

          /* Translators: the first %s says why ("Cannot connect to build-box: …"). */
          text = g_strdup_printf (ngettext ("%s. Trying again in %u second.",
                                            "%s. Trying again in %u seconds.", left_s),
                                  said->str, left_s);
        }
      else
        text = g_strdup_printf ("%s.", said->str);
      g_string_free (said, TRUE);
    }
  else if (state == MEMSCOPE_HOST_STATE_FAILED)
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
  else if (state == MEMSCOPE_HOST_STATE_STARTING && remote != NULL
           && memscope_host_source_get_n_starts (self->source) > 1)
    /* Translators: %s is a remote machine's name. */
    text = g_strdup_printf (_("Connecting to %s again…"), remote);
  else if (state == MEMSCOPE_HOST_STATE_STARTING && self->source != NULL
           && memscope_host_source_get_n_starts (self->source) > 1)
    text = g_strdup (_("Starting the host probe again…"));

  if (text != NULL)
    gtk_label_set_label (self->label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button),
                            state == MEMSCOPE_HOST_STATE_FAILED && self->copy_cancellable == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button),
                               remote != NULL ? _("Connect to the remote machine again now")
                                              : _("Start the host probe again now"));
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button),
                          can_copy && self->copy_cancellable == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->copy_cancellable != NULL);
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

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(MemscopeHostBanner) self = data;
  g_autoptr(GError) error = NULL;

  if (!memscope_remote_copy_probe_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->copy_error, g_free);
  if (error != NULL)
    {
      self->copy_error = g_strdup (error->message);
      update (self);
      return;
    }
  /* The remote command prefers the copy in the cache over one on its PATH. */
  if (self->source != NULL)
    memscope_host_source_retry (self->source);
  update (self);
}

static void
copy_clicked_cb (MemscopeHostBanner *self)
{
  const MemscopeRemoteDestination *destination;

  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  if (self->source == NULL || self->copy_cancellable != NULL)
    return;
  destination = memscope_host_source_get_destination (self->source);
  if (destination == NULL)
    return;
  g_clear_pointer (&self->copy_error, g_free);
  self->copy_cancellable = g_cancellable_new ();
  memscope_remote_copy_probe_async (destination, self->static_probe, self->copy_cancellable,
                                    copy_done_cb,
                                    g_object_ref (self));
  update (self);
}

/* The copy ends where it is: ssh is ended, and a probe already in the remote's cache is kept
 * (the copy replaces it only once whole). */
static void
cancel_clicked_cb (MemscopeHostBanner *self)
{
  g_assert (MEMSCOPE_IS_HOST_BANNER (self));

  if (self->copy_cancellable == NULL)
    return;
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->copy_error, g_free);
  update (self);
}

void
memscope_host_banner_cancel_copy (MemscopeHostBanner *self)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_BANNER (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->cancel_button)))
    g_signal_emit_by_name (self->cancel_button, "clicked");
}

gboolean
memscope_host_banner_get_offers_cancel (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer)
         && gtk_widget_get_visible (GTK_WIDGET (self->cancel_button));
}

void
memscope_host_banner_set_static_probe (MemscopeHostBanner *self,
                                       const char         *path)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_BANNER (self));

  g_free (self->static_probe);
  self->static_probe = g_strdup (path);
}

void
memscope_host_banner_copy_probe (MemscopeHostBanner *self)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_BANNER (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->copy_button)))
    copy_clicked_cb (self);
}

gboolean
memscope_host_banner_get_offers_copy (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer)
         && gtk_widget_get_visible (GTK_WIDGET (self->copy_button));
}

gboolean
memscope_host_banner_get_copying (MemscopeHostBanner *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_BANNER (self), FALSE);
  return self->copy_cancellable != NULL;
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
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->copy_error, g_free);
  g_set_object (&self->source, source);
  if (source != NULL)
    {
      g_signal_connect_object (source, "notify::state", G_CALLBACK (source_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "notify::error", G_CALLBACK (source_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (source, "notify::failure", G_CALLBACK (source_changed_cb), self,
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
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->copy_error, g_free);
  g_clear_pointer (&self->static_probe, g_free);
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

  /* Only on the user's click: nothing is copied to another machine unasked. */
  self->copy_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Copy Probe")));
  gtk_widget_set_valign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button),
                               _("Copy memscope's probe to the remote machine's cache directory "
                                 "and start it"));
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), FALSE);
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->copy_button));

  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_set_valign (GTK_WIDGET (self->cancel_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               _("Stop copying the probe; a probe already there is kept"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->cancel_button));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
