/* SPDX-License-Identifier: MIT */
/* Follows the desktop's light/dark preference through the Settings portal. */

#include "config.h"

#include <gio/gio.h>
#include <gtk/gtk.h>

#include "memscope-color-scheme.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS "org.freedesktop.portal.Settings"
#define APPEARANCE "org.freedesktop.appearance"

struct _MemscopeColorScheme
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *bus;
  GCancellable *cancellable;
  guint signal_id;

  gboolean prefer_dark;
};

G_DEFINE_FINAL_TYPE (MemscopeColorScheme, memscope_color_scheme, G_TYPE_OBJECT)

static void
apply_value (MemscopeColorScheme *self,
             GVariant            *value)
{
  g_autoptr(GVariant) inner = NULL;
  GtkSettings *settings;

  g_assert (MEMSCOPE_IS_COLOR_SCHEME (self));

  /* Read wraps the value in one or two variants depending on the portal version. */
  inner = g_variant_ref (value);
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = next;
    }
  if (!g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    return;

  /* 1 = prefer dark, 2 = prefer light, 0 = no preference (the theme's default: light). */
  self->prefer_dark = g_variant_get_uint32 (inner) == 1;
  settings = gtk_settings_get_default ();
  if (settings != NULL)
    g_object_set (settings, "gtk-application-prefer-dark-theme", self->prefer_dark, NULL);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MemscopeColorScheme) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply == NULL)
    return; /* no portal, or no such setting: keep the theme's default */
  g_variant_get (reply, "(v)", &value);
  apply_value (self, value);
}

static void
setting_changed_cb (GDBusConnection *connection,
                    const char      *sender_name,
                    const char      *object_path,
                    const char      *interface_name,
                    const char      *signal_name,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  MemscopeColorScheme *self = user_data;
  const char *namespace;
  const char *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_strcmp0 (namespace, APPEARANCE) == 0 && g_strcmp0 (key, "color-scheme") == 0)
    apply_value (self, value);
}

static void
memscope_color_scheme_dispose (GObject *object)
{
  MemscopeColorScheme *self = (MemscopeColorScheme *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->bus != NULL && self->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->signal_id);
  self->signal_id = 0;
  g_clear_object (&self->bus);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (memscope_color_scheme_parent_class)->dispose (object);
}

static void
memscope_color_scheme_class_init (MemscopeColorSchemeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = memscope_color_scheme_dispose;
}

static void
memscope_color_scheme_init (MemscopeColorScheme *self)
{
  self->cancellable = g_cancellable_new ();
}

MemscopeColorScheme *
memscope_color_scheme_new (void)
{
  MemscopeColorScheme *self = g_object_new (MEMSCOPE_TYPE_COLOR_SCHEME, NULL);

  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (self->bus == NULL)
    return self;

  self->signal_id = g_dbus_connection_signal_subscribe (self->bus, PORTAL_NAME, PORTAL_SETTINGS,
                                                        "SettingChanged", PORTAL_PATH, APPEARANCE,
                                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                                        setting_changed_cb, self, NULL);
  g_dbus_connection_call (self->bus, PORTAL_NAME, PORTAL_PATH, PORTAL_SETTINGS, "Read",
                          g_variant_new ("(ss)", APPEARANCE, "color-scheme"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                          self->cancellable, read_cb, g_object_ref (self));
  return self;
}

gboolean
memscope_color_scheme_get_prefer_dark (MemscopeColorScheme *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_COLOR_SCHEME (self), FALSE);
  return self->prefer_dark;
}
