/* SPDX-License-Identifier: MIT */
/* The tray icon: a StatusNotifierItem with a dbusmenu menu, registered with the watcher. */

#include "config.h"

#include <glib/gi18n.h>
#include <libdbusmenu-glib/menuitem.h>
#include <libdbusmenu-glib/server.h>
#include <math.h>

#include "memscope-alerts.h"
#include "memscope-data-dirs.h"
#include "memscope-explain.h"
#include "memscope-format.h"
#include "memscope-sni-generated.h"
#include "memscope-tray-pixmap.h"
#include "memscope-tray-private.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"
#define MENU_LEAKS_MAX 5
#define TOOLTIP_LEAKS_MAX 5
#define REGISTER_TRIES 10
#define REGISTER_RETRY_MS 500

struct _MemscopeTray
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  MemscopeSniStatusNotifierItem *item;
  DbusmenuServer *menu_server;
  GCancellable *cancellable;
  GArray *leaks; /* MemscopeAlertProcess (copies of the names) */
  GVariant *quiet_pixmap;
  GVariant *attention_pixmap;

  guint watch_id;
  guint retry_id;
  guint n_tries;
  gboolean registered;
  gboolean paused;
  gboolean said_no_watcher;
};

G_DEFINE_FINAL_TYPE (MemscopeTray, memscope_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  PROP_STATUS,
  N_PROPS
};

enum {
  ACTIVATE,
  SHOW_WINDOW,
  INSPECT,
  INSPECT_REMOTE,
  TOGGLE_PAUSE,
  QUIT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
icon_name (const char *suffix)
{
  return g_strconcat (APP_ID, suffix, NULL);
}

static void
set_registered (MemscopeTray *self,
                gboolean      registered)
{
  g_assert (MEMSCOPE_IS_TRAY (self));

  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void register_item (MemscopeTray *self);

static gboolean
retry_cb (gpointer data)
{
  MemscopeTray *self = MEMSCOPE_TRAY (data);

  self->retry_id = 0;
  register_item (self);
  return G_SOURCE_REMOVE;
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  MemscopeTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MEMSCOPE_TRAY (user_data);
  if (reply == NULL)
    {
      /* A watcher that has just taken its name may not serve its object yet: try again a few
       * times.  One that keeps refusing leaves memscope usable through its window and
       * notifications. */
      if (self->n_tries < REGISTER_TRIES && self->watch_id != 0)
        {
          g_clear_handle_id (&self->retry_id, g_source_remove);
          self->retry_id = g_timeout_add (REGISTER_RETRY_MS, retry_cb, self);
        }
      else
        g_debug ("The StatusNotifierWatcher refused the tray item: %s", error->message);
      return;
    }
  g_debug ("Tray item registered with the StatusNotifierWatcher");
  set_registered (self, TRUE);
}

static void
register_item (MemscopeTray *self)
{
  g_assert (MEMSCOPE_IS_TRAY (self));

  /* Registered under our unique name: the watcher finds the item at the well-known path, and a
   * sandbox needs to own no extra name. */
  self->n_tries++;
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)",
                                         g_dbus_connection_get_unique_name (self->connection)),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, register_cb,
                          self);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  MemscopeTray *self = MEMSCOPE_TRAY (user_data);

  self->n_tries = 0;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  register_item (self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  MemscopeTray *self = MEMSCOPE_TRAY (user_data);

  if (self->registered)
    g_debug ("The StatusNotifierWatcher went away: no tray icon until one starts");
  else if (!self->said_no_watcher)
    g_debug ("No StatusNotifierWatcher on the session bus: no tray icon until one starts");
  self->said_no_watcher = TRUE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_registered (self, FALSE);
}

static gboolean
handle_activate_cb (MemscopeSniStatusNotifierItem *item,
                    GDBusMethodInvocation         *invocation,
                    gint                           x,
                    gint                           y,
                    MemscopeTray                  *self)
{
  memscope_sni_status_notifier_item_complete_activate (item, invocation);
  g_signal_emit (self, signals[ACTIVATE], 0);
  return TRUE;
}

static gboolean
handle_secondary_activate_cb (MemscopeSniStatusNotifierItem *item,
                              GDBusMethodInvocation         *invocation,
                              gint                           x,
                              gint                           y,
                              MemscopeTray                  *self)
{
  memscope_sni_status_notifier_item_complete_secondary_activate (item, invocation);
  g_signal_emit (self, signals[SHOW_WINDOW], 0);
  return TRUE;
}

static gboolean
handle_context_menu_cb (MemscopeSniStatusNotifierItem *item,
                        GDBusMethodInvocation         *invocation,
                        gint                           x,
                        gint                           y,
                        MemscopeTray                  *self)
{
  /* Hosts show the exported dbusmenu themselves; nothing to draw here. */
  memscope_sni_status_notifier_item_complete_context_menu (item, invocation);
  return TRUE;
}

static gboolean
handle_scroll_cb (MemscopeSniStatusNotifierItem *item,
                  GDBusMethodInvocation         *invocation,
                  gint                           delta,
                  const char                    *orientation,
                  MemscopeTray                  *self)
{
  memscope_sni_status_notifier_item_complete_scroll (item, invocation);
  return TRUE;
}

static void
show_activated_cb (DbusmenuMenuitem *menuitem,
                   guint             timestamp,
                   MemscopeTray     *self)
{
  g_signal_emit (self, signals[SHOW_WINDOW], 0);
}

static void
pause_activated_cb (DbusmenuMenuitem *menuitem,
                    guint             timestamp,
                    MemscopeTray     *self)
{
  g_signal_emit (self, signals[TOGGLE_PAUSE], 0);
}

static void
quit_activated_cb (DbusmenuMenuitem *menuitem,
                   guint             timestamp,
                   MemscopeTray     *self)
{
  g_signal_emit (self, signals[QUIT], 0);
}

static void
leak_activated_cb (DbusmenuMenuitem *menuitem,
                   guint             timestamp,
                   MemscopeTray     *self)
{
  gint32 pid = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (menuitem), "pid"));
  guint64 *starttime = g_object_get_data (G_OBJECT (menuitem), "starttime");
  const char *machine = g_object_get_data (G_OBJECT (menuitem), "machine");

  if (machine != NULL)
    g_signal_emit (self, signals[INSPECT_REMOTE], 0, machine, pid,
                   starttime != NULL ? *starttime : 0);
  else
    g_signal_emit (self, signals[INSPECT], 0, pid, starttime != NULL ? *starttime : 0);
}

static DbusmenuMenuitem *
add_item (DbusmenuMenuitem *root,
          const char       *label,
          GCallback         callback,
          MemscopeTray     *self)
{
  DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

  if (label != NULL)
    dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_LABEL, label);
  else
    dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_TYPE,
                                    "separator");
  if (callback != NULL)
    g_signal_connect_object (item, DBUSMENU_MENUITEM_SIGNAL_ITEM_ACTIVATED, callback, self, 0);
  dbusmenu_menuitem_child_append (root, item);
  g_object_unref (item);
  return item;
}

static void
rebuild_menu (MemscopeTray *self)
{
  DbusmenuMenuitem *root = dbusmenu_menuitem_new ();
  DbusmenuMenuitem *pause;

  g_assert (MEMSCOPE_IS_TRAY (self));

  add_item (root, _("Show memscope"), G_CALLBACK (show_activated_cb), self);
  if (self->leaks->len > 0)
    add_item (root, NULL, NULL, self);
  for (guint i = 0; i < self->leaks->len && i < MENU_LEAKS_MAX; i++)
    {
      const MemscopeAlertProcess *p = &g_array_index (self->leaks, MemscopeAlertProcess, i);
      g_autofree char *rate = memscope_format_rate (p->rate_kib_s);
      g_autofree char *growth = memscope_format_size (p->growth_kib);
      g_autofree char *label = NULL;
      g_autoptr(GString) name = g_string_new (p->name);

      /* Menu labels take "_" as a mnemonic mark; a name's own underscores must stay. */
      g_string_replace (name, "_", "__", 0);
      /* TRANSLATORS: a menu item inspecting a leaking process, with its rate and growth so far:
       * "Inspect leaky (8.0 MiB/s, +1.2 GiB)" */
      if (p->machine != NULL)
        {
          g_autoptr(GString) machine = g_string_new (p->machine);

          g_string_replace (machine, "_", "__", 0);
          /* TRANSLATORS: a menu item inspecting a leaking process on another machine, with its
           * rate and growth so far: "Inspect leaky on build-box (8.0 MiB/s, +1.2 GiB)" */
          label = g_strdup_printf (_("Inspect %s on %s (%s, +%s)"), name->str, machine->str,
                                   rate, growth);
        }
      else
        label = g_strdup_printf (_("Inspect %s (%s, +%s)"), name->str, rate, growth);
      DbusmenuMenuitem *item = add_item (root, label, G_CALLBACK (leak_activated_cb), self);

      g_object_set_data (G_OBJECT (item), "pid", GINT_TO_POINTER (p->pid));
      g_object_set_data_full (G_OBJECT (item), "starttime",
                              g_memdup2 (&p->starttime, sizeof p->starttime), g_free);
      if (p->machine != NULL)
        g_object_set_data_full (G_OBJECT (item), "machine", g_strdup (p->machine), g_free);
    }
  add_item (root, NULL, NULL, self);
  pause = add_item (root, _("Pause alerts for an hour"), G_CALLBACK (pause_activated_cb), self);
  dbusmenu_menuitem_property_set (pause, DBUSMENU_MENUITEM_PROP_TOGGLE_TYPE,
                                  DBUSMENU_MENUITEM_TOGGLE_CHECK);
  dbusmenu_menuitem_property_set_int (pause, DBUSMENU_MENUITEM_PROP_TOGGLE_STATE,
                                      self->paused ? DBUSMENU_MENUITEM_TOGGLE_STATE_CHECKED
                                                   : DBUSMENU_MENUITEM_TOGGLE_STATE_UNCHECKED);
  add_item (root, _("Quit"), G_CALLBACK (quit_activated_cb), self);

  dbusmenu_server_set_root (self->menu_server, root);
  g_object_unref (root);
}

static void
update_tooltip (MemscopeTray *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *title;

  g_assert (MEMSCOPE_IS_TRAY (self));

  if (self->leaks->len == 0)
    title = _("memscope: no process is leaking");
  else
    title = _("memscope: leaking processes");
  for (guint i = 0; i < self->leaks->len && i < TOOLTIP_LEAKS_MAX; i++)
    {
      const MemscopeAlertProcess *p = &g_array_index (self->leaks, MemscopeAlertProcess, i);
      /* TRANSLATORS: a process on another machine: "leaky on build-box" */
      g_autofree char *where = p->machine != NULL ? g_strdup_printf (_("%s on %s"), p->name,
                                                                     p->machine)
                                                  : NULL;
      g_autofree char *name = g_markup_escape_text (where != NULL ? where : p->name, -1);
      g_autofree char *rate = memscope_format_rate (p->rate_kib_s);
      g_autofree char *growth = memscope_format_size (p->growth_kib);

      if (i > 0)
        g_string_append_c (text, '\n');
      if (isfinite (p->duration_s))
        {
          g_autofree char *duration = memscope_format_duration (p->duration_s);

          /* TRANSLATORS: live figures of a leak: "leaky (pid 42) grows 8.0 MiB/s: +1.2 GiB in
           * 2 min 30 s" */
          g_string_append_printf (text, _("%s (pid %d) grows %s: +%s in %s"), name, p->pid,
                                  rate, growth, duration);
        }
      else
        g_string_append_printf (text, _("%s (pid %d) grows %s"), name, p->pid, rate);
      if (isfinite (p->exhaust_s))
        {
          g_autofree char *exhaust = memscope_explain_exhaust (p->exhaust_s);

          g_string_append_c (text, '\n');
          g_string_append (text, exhaust);
        }
    }
  if (self->leaks->len > TOOLTIP_LEAKS_MAX)
    {
      guint more = self->leaks->len - TOOLTIP_LEAKS_MAX;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, ngettext ("and %u more", "and %u more", more), more);
    }
  if (self->paused)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, _("Alerts are paused."));
    }

  /* The icon by name only: the tooltip changes with a leak's live figures, and pixmaps in it
   * would travel the bus each time. */
  memscope_sni_status_notifier_item_set_tool_tip (
    self->item,
    g_variant_new ("(s@a(iiay)ss)", memscope_sni_status_notifier_item_get_icon_name (self->item),
                   g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0), title, text->str));
  memscope_sni_status_notifier_item_emit_new_tool_tip (self->item);
}

static void
update_status (MemscopeTray *self)
{
  gboolean attention = self->leaks->len > 0;
  const char *status = attention ? "NeedsAttention" : "Passive";
  g_autofree char *icon = NULL;

  g_assert (MEMSCOPE_IS_TRAY (self));

  if (g_strcmp0 (memscope_sni_status_notifier_item_get_status (self->item), status) == 0)
    return;
  /* The icon itself changes too: many hosts show neither the status nor the attention icon. */
  icon = icon_name (attention ? "-tray-attention-symbolic" : "-tray-symbolic");
  g_object_set (self->item,
                "icon-name", icon,
                "icon-pixmap", attention ? self->attention_pixmap : self->quiet_pixmap,
                NULL);
  memscope_sni_status_notifier_item_emit_new_icon (self->item);
  memscope_sni_status_notifier_item_set_status (self->item, status);
  memscope_sni_status_notifier_item_emit_new_status (self->item, status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
memscope_tray_set_leaks (MemscopeTray *self,
                         const GArray *leaks)
{
  g_return_if_fail (MEMSCOPE_IS_TRAY (self));

  g_array_set_size (self->leaks, 0);
  for (guint i = 0; leaks != NULL && i < leaks->len; i++)
    {
      MemscopeAlertProcess p = g_array_index (leaks, MemscopeAlertProcess, i);

      p.name = g_strdup (p.name);
      p.exe = g_strdup (p.exe);
      p.machine = g_strdup (p.machine);
      g_array_append_val (self->leaks, p);
    }
  update_status (self);
  update_tooltip (self);
  rebuild_menu (self);
}

void
memscope_tray_set_paused (MemscopeTray *self,
                          gboolean      paused)
{
  g_return_if_fail (MEMSCOPE_IS_TRAY (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  update_tooltip (self);
  rebuild_menu (self);
}

DbusmenuMenuitem *
memscope_tray_get_menu_root (MemscopeTray *self)
{
  GValue root = G_VALUE_INIT;
  DbusmenuMenuitem *item;

  g_return_val_if_fail (MEMSCOPE_IS_TRAY (self), NULL);

  g_value_init (&root, G_TYPE_OBJECT);
  g_object_get_property (G_OBJECT (self->menu_server), DBUSMENU_SERVER_PROP_ROOT_NODE, &root);
  /* The server holds it: borrowed. */
  item = g_value_get_object (&root);
  g_value_unset (&root);
  return item;
}

gboolean
memscope_tray_get_registered (MemscopeTray *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TRAY (self), FALSE);
  return self->registered;
}

const char *
memscope_tray_get_status (MemscopeTray *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TRAY (self), NULL);
  return memscope_sni_status_notifier_item_get_status (self->item);
}

static void
leak_clear (gpointer data)
{
  MemscopeAlertProcess *p = data;

  g_clear_pointer (&p->name, g_free);
  g_clear_pointer (&p->exe, g_free);
  g_clear_pointer (&p->machine, g_free);
}

static void
memscope_tray_dispose (GObject *object)
{
  MemscopeTray *self = (MemscopeTray *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->item != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->item));
  g_clear_object (&self->item);
  g_clear_object (&self->menu_server);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->leaks, g_array_unref);
  g_clear_pointer (&self->quiet_pixmap, g_variant_unref);
  g_clear_pointer (&self->attention_pixmap, g_variant_unref);

  G_OBJECT_CLASS (memscope_tray_parent_class)->dispose (object);
}

static void
memscope_tray_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MemscopeTray *self = MEMSCOPE_TRAY (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_STATUS:
      g_value_set_string (value, memscope_tray_get_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_tray_class_init (MemscopeTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_tray_dispose;
  object_class->get_property = memscope_tray_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SHOW_WINDOW] = g_signal_new ("show-window", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[INSPECT] = g_signal_new ("inspect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT64);
  signals[INSPECT_REMOTE] = g_signal_new ("inspect-remote", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          3, G_TYPE_STRING, G_TYPE_INT, G_TYPE_UINT64);
  signals[TOGGLE_PAUSE] = g_signal_new ("toggle-pause", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[QUIT] = g_signal_new ("quit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);
}

static void
memscope_tray_init (MemscopeTray *self)
{
  self->cancellable = g_cancellable_new ();
  self->leaks = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  g_array_set_clear_func (self->leaks, leak_clear);
}

MemscopeTray *
memscope_tray_new (GDBusConnection *connection)
{
  g_autoptr(MemscopeTray) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *attention = NULL;
  GVariant *no_pixmaps;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (MEMSCOPE_TYPE_TRAY, NULL);
  self->connection = g_object_ref (connection);

  icon = icon_name ("-tray-symbolic");
  attention = icon_name ("-tray-attention-symbolic");
  self->quiet_pixmap = memscope_tray_pixmap_new (MEMSCOPE_TRAY_ICON_QUIET);
  self->attention_pixmap = memscope_tray_pixmap_new (MEMSCOPE_TRAY_ICON_ATTENTION);

  self->item = memscope_sni_status_notifier_item_skeleton_new ();
  no_pixmaps = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0));
  g_object_set (self->item,
                "category", "SystemServices",
                "id", "memscope",
                "title", "memscope",
                "status", "Passive",
                "window-id", 0,
                /* Named icons are symbolic, so a host colours them like its panel; this path
                 * finds them in the build tree too, and the pixmaps serve hosts that look up
                 * no names. */
                "icon-theme-path", memscope_data_dirs_get_icon_theme_dir (),
                "menu", MEMSCOPE_TRAY_MENU_PATH,
                "item-is-menu", FALSE,
                "icon-name", icon,
                "icon-pixmap", self->quiet_pixmap,
                "overlay-icon-name", "",
                "overlay-icon-pixmap", no_pixmaps,
                "attention-icon-name", attention,
                "attention-icon-pixmap", self->attention_pixmap,
                "attention-movie-name", "",
                NULL);
  g_variant_unref (no_pixmaps);
  g_signal_connect_object (self->item, "handle-activate", G_CALLBACK (handle_activate_cb),
                           self, 0);
  g_signal_connect_object (self->item, "handle-secondary-activate",
                           G_CALLBACK (handle_secondary_activate_cb), self, 0);
  g_signal_connect_object (self->item, "handle-context-menu",
                           G_CALLBACK (handle_context_menu_cb), self, 0);
  g_signal_connect_object (self->item, "handle-scroll", G_CALLBACK (handle_scroll_cb), self, 0);
  update_tooltip (self);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->item), connection,
                                         MEMSCOPE_TRAY_ITEM_PATH, &error))
    {
      g_debug ("The tray item could not be exported: %s", error->message);
      return g_steal_pointer (&self);
    }

  self->menu_server = dbusmenu_server_new (MEMSCOPE_TRAY_MENU_PATH);
  rebuild_menu (self);

  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
  return g_steal_pointer (&self);
}
