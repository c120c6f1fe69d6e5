/* SPDX-License-Identifier: MIT */
/* The single-instance application: sampling, history, settings, app-wide commands and the window. */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "memscope-alerts-controller.h"
#include "memscope-application.h"
#include "memscope-color-scheme.h"
#include "memscope-connect-dialog.h"
#include "memscope-preferences-dialog.h"
#include "memscope-remote.h"
#include "memscope-render-policy.h"
#include "memscope-style.h"
#include "memscope-window.h"

struct _MemscopeApplication
{
  GtkApplication parent_instance;

  /* owned */
  GSettings *settings;
  MemscopeSamplerThread *sampler;
  MemscopeHistory *history; /* the sampled machine's, with or without a window */
  MemscopeColorScheme *color_scheme;
  MemscopeAlertsController *alerts;
  MemscopeBackground *background; /* start at login, and background running inside a Flatpak */

  /* borrowed */
  MemscopeWindow *window;

  guint give_back_id;

  gboolean held; /* the window is hidden and we keep running for alerts */
  gboolean start_hidden; /* --background: the first activation maps no window */
  gboolean keep_running; /* started with --background: closing the window never quits */
  char *start_remote;    /* --remote DESTINATION: the first activation opens that instead */
};

/* How many remote machines the Connect dialog remembers. */
#define RECENT_REMOTES_MAX 10

/* What a remote machine's window samples with; it lives as long as the window. */
typedef struct
{
  MemscopeSamplerThread *sampler;
  MemscopeHistory *history;
  MemscopeAlertsController *alerts; /* the application's: the machine feeds its alerts */
  char *name;
} RemoteMachine;

static void
remote_machine_free (gpointer data)
{
  RemoteMachine *machine = data;

  if (machine->alerts != NULL)
    memscope_alerts_controller_remove_machine (machine->alerts, machine->name);
  g_clear_weak_pointer (&machine->alerts);
  g_free (machine->name);
  /* Stopped first, so no tick arrives for a history that has written its last sample. */
  g_clear_object (&machine->sampler);
  g_clear_object (&machine->history);
  g_free (machine);
}

G_DEFINE_FINAL_TYPE (MemscopeApplication, memscope_application, GTK_TYPE_APPLICATION)

/* How often freed memory goes back to the system (seconds). */
#define GIVE_BACK_S 30

/* glibc keeps what was freed for the next allocation, and gives back only what lies at the top
 * of its heap.  Starting (the first reading of every process, the last hour read back) and each
 * process that exits free memory below what stays in use, so the size stayed at its high-water
 * mark.  Freed pages go back to the system now and then; what is in use is not touched.  A few
 * milliseconds for a heap of tens of MiB. */
static gboolean
give_back_memory_cb (gpointer data)
{
  (void) data;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_CONTINUE;
}

void
memscope_load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/memscope/Memscope/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  memscope_style_install_tones (display);
}

static gboolean
close_request_cb (MemscopeApplication *self,
                  GtkWindow           *window)
{
  g_assert (MEMSCOPE_IS_APPLICATION (self));

  /* A background instance was asked to outlive its window; only Quit ends it. */
  if (!self->keep_running && !g_settings_get_boolean (self->settings, "run-in-background"))
    return FALSE;

  /* Hidden, the window draws nothing while sampling (and alerts) go on. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  if (!self->held)
    {
      self->held = TRUE;
      g_application_hold (G_APPLICATION (self));
    }
  memscope_alerts_controller_went_background (self->alerts);
  return TRUE;
}

/* The process the user is looking at needs no popup. */
static void
focused_row_cb (MemscopeApplication *self)
{
  MemscopeAlerts *alerts;
  g_autoptr(MemscopeProcessRow) row = NULL;

  g_assert (MEMSCOPE_IS_APPLICATION (self));

  if (self->alerts == NULL)
    return;
  alerts = memscope_alerts_controller_get_alerts (self->alerts);
  if (self->window != NULL)
    g_object_get (self->window, "focused-row", &row, NULL);
  if (row != NULL)
    memscope_alerts_set_focused (alerts, memscope_process_row_get_pid (row),
                                 memscope_process_row_get_starttime (row));
  else
    memscope_alerts_set_focused (alerts, 0, 0);
}

/* The same for a remote window and its machine's alerts. */
static void
remote_focused_row_cb (MemscopeWindow *window,
                       GParamSpec     *pspec,
                       MemscopeAlerts *alerts)
{
  g_autoptr(MemscopeProcessRow) row = NULL;

  g_object_get (window, "focused-row", &row, NULL);
  if (row != NULL)
    memscope_alerts_set_focused (alerts, memscope_process_row_get_pid (row),
                                 memscope_process_row_get_starttime (row));
  else
    memscope_alerts_set_focused (alerts, 0, 0);
}

static void
window_destroyed_cb (MemscopeApplication *self)
{
  self->window = NULL;
  focused_row_cb (self);
}

static void
remember_remote (MemscopeApplication             *self,
                 const MemscopeRemoteDestination *destination)
{
  g_autofree char *text = memscope_remote_destination_to_string (destination);
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-remotes");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_assert (MEMSCOPE_IS_APPLICATION (self));

  g_strv_builder_add (builder, text);
  for (guint i = 0; recent[i] != NULL && n < RECENT_REMOTES_MAX; i++)
    if (g_strcmp0 (recent[i], text) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-remotes", (const char * const *) updated);
}

/* A destination joins the recent ones once its probe has said hello, so a typo or a machine that
 * never answered does not push real ones off the list. */
static void
remote_state_cb (MemscopeHostSource  *source,
                 GParamSpec          *pspec,
                 MemscopeApplication *self)
{
  if (memscope_host_source_get_state (source) != MEMSCOPE_HOST_STATE_RUNNING)
    return;
  remember_remote (self, memscope_host_source_get_destination (source));
  g_signal_handlers_disconnect_by_func (source, remote_state_cb, self);
}

GtkWindow *
memscope_application_open_remote (MemscopeApplication  *self,
                                  const char           *destination_text,
                                  GError              **error)
{
  g_autoptr(MemscopeRemoteDestination) destination = NULL;
  g_autoptr(MemscopeHostSource) source = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  RemoteMachine *machine;
  MemscopeWindow *window;

  g_return_val_if_fail (MEMSCOPE_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (destination_text != NULL, NULL);

  destination = memscope_remote_destination_parse (destination_text, error);
  if (destination == NULL)
    return NULL;

  /* One window per machine: asking again shows the one that is open. */
  name = memscope_remote_destination_dup_display_name (destination);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (MEMSCOPE_IS_WINDOW (l->data)
        && g_strcmp0 (memscope_window_get_remote (l->data), name) == 0)
      {
        gtk_window_present (l->data);
        return GTK_WINDOW (l->data);
      }

  /* Its own source, sampler and history: a local and any remote windows are open at once. */
  machine = g_new0 (RemoteMachine, 1);
  source = memscope_host_source_new_for_destination (destination);
  g_signal_connect_object (source, "notify::state", G_CALLBACK (remote_state_cb), self, 0);
  machine->sampler = memscope_sampler_thread_new_for_source (source);
  g_settings_bind (self->settings, "refresh-interval-ms", machine->sampler, "interval-ms",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "sensitivity", machine->sampler, "sensitivity",
                   G_SETTINGS_BIND_GET);
  memscope_sampler_thread_start (machine->sampler);
  dir = memscope_history_dir_for (machine->sampler);
  machine->history = memscope_history_new (machine->sampler, dir);

  window = memscope_window_new (GTK_APPLICATION (self), machine->sampler, machine->history);
  g_object_set_data_full (G_OBJECT (window), "memscope-remote-machine", machine,
                          remote_machine_free);
  /* Its leaks alert like this machine's, named after it. */
  if (self->alerts != NULL)
    {
      g_autofree char *text = memscope_remote_destination_to_string (destination);
      MemscopeAlerts *alerts;

      machine->name = g_strdup (name);
      g_set_weak_pointer (&machine->alerts, self->alerts);
      alerts = memscope_alerts_controller_add_machine (self->alerts, name, text,
                                                       machine->sampler);
      g_signal_connect_object (window, "notify::focused-row",
                               G_CALLBACK (remote_focused_row_cb), alerts, 0);
    }
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
connect_remote_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MemscopeApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (memscope_application_open_remote (self, g_variant_get_string (parameter, NULL), &error)
      == NULL)
    g_printerr ("memscope: %s\n", error->message);
}

static void
connect_dialog_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MemscopeApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog = memscope_connect_dialog_new (parent, self->settings);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
memscope_application_activate (GApplication *application)
{
  MemscopeApplication *self = MEMSCOPE_APPLICATION (application);

  if (self->start_remote != NULL)
    {
      g_autofree char *text = g_steal_pointer (&self->start_remote);
      g_autoptr(GError) error = NULL;

      /* `memscope --remote DESTINATION` opens that machine's window only. */
      if (memscope_application_open_remote (self, text, &error) == NULL)
        g_printerr ("memscope: %s\n", error->message);
      return;
    }

  /* This machine is sampled from its first window or `--background` on, and from then on for
   * as long as memscope runs (the day's history, its alerts); `--remote` alone watches nothing
   * here.  Starting again does nothing. */
  memscope_sampler_thread_start (self->sampler);
  if (self->start_hidden)
    {
      /* `memscope --background`: sample and alert with no window until one is asked for. */
      self->start_hidden = FALSE;
      if (!self->held)
        {
          self->held = TRUE;
          g_application_hold (application);
        }
      memscope_alerts_controller_went_background (self->alerts);
      return;
    }
  if (self->window == NULL)
    {
      self->window = memscope_window_new (GTK_APPLICATION (self), self->sampler,
                                          self->history);
      g_signal_connect_object (self->window, "close-request", G_CALLBACK (close_request_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->window, "destroy", G_CALLBACK (window_destroyed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->window, "notify::focused-row", G_CALLBACK (focused_row_cb),
                               self, G_CONNECT_SWAPPED);
    }
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (application);
    }
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  MemscopeApplication *self = user_data;
  GList *windows;

  /* Every window, remote ones too: each ends its own sampler, history and ssh as it goes.
   * GtkApplication's shutdown destroys none of them.  Held, since destroying one can take
   * others with it (its dialogs); those have left the application by their turn. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_window_get_application (GTK_WINDOW (l->data)) != NULL)
      gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  MemscopeApplication *self = user_data;
  const char *authors[] = { _("The memscope authors"), NULL };
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  /* Until the app's own icon is installed, a stock one rather than a missing-image square. */
  const char *logos[] = { APP_ID, "utilities-system-monitor", "system-search-symbolic" };
  const char *logo = logos[G_N_ELEMENTS (logos) - 1];

  for (guint i = 0; i < G_N_ELEMENTS (logos); i++)
    if (gtk_icon_theme_has_icon (theme, logos[i]))
      {
        logo = logos[i];
        break;
      }

  gtk_show_about_dialog (self->window != NULL ? GTK_WINDOW (self->window) : NULL,
                         "program-name", "memscope",
                         "logo-icon-name", logo,
                         "version", PACKAGE_VERSION,
                         "comments", _("Find the process that makes memory grow, and since when"),
                         "license-type", GTK_LICENSE_MIT_X11,
                         "copyright", _("© The memscope authors"),
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MemscopeApplication *self = user_data;
  GtkWidget *dialog = memscope_preferences_dialog_new (GTK_WINDOW (self->window), self->settings,
                                                       self->background);

  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "connect-remote", connect_remote_action, "s", NULL, NULL, { 0 } },
  { "connect", connect_dialog_action, NULL, NULL, NULL, { 0 } },
};

static GtkWindow *
open_remote_cb (GtkApplication *application,
                const char     *destination)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = memscope_application_open_remote (MEMSCOPE_APPLICATION (application), destination,
                                             &error);
  if (window == NULL)
    g_printerr ("memscope: %s\n", error->message);
  return window;
}

static GtkWindow *
get_window_cb (GtkApplication *application)
{
  return memscope_application_get_window (MEMSCOPE_APPLICATION (application));
}

static void
memscope_application_startup (GApplication *application)
{
  MemscopeApplication *self = MEMSCOPE_APPLICATION (application);
  const char *quit_accels[] = { "<Primary>q", NULL };
  const char *prefs_accels[] = { "<Primary>comma", NULL };

  G_APPLICATION_CLASS (memscope_application_parent_class)->startup (application);
  /* gtk_init() has run: before any window or child, the environment goes back to the user's. */
  memscope_render_policy_apply (gdk_display_get_default ());

  memscope_load_style ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         prefs_accels);

  self->settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  self->sampler = memscope_sampler_thread_new ();
  g_settings_bind (self->settings, "refresh-interval-ms", self->sampler, "interval-ms",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "sensitivity", self->sampler, "sensitivity",
                   G_SETTINGS_BIND_GET);
  /* Started by the first activation that is about this machine (see activate). */
  {
    g_autofree char *dir = memscope_history_dir_for (self->sampler);

    self->history = memscope_history_new (self->sampler, dir);
  }
  self->background =
    memscope_background_new (self->settings, g_application_get_dbus_connection (application));
  self->alerts = memscope_alerts_controller_new (GTK_APPLICATION (self), self->settings,
                                                 self->sampler, self->background, get_window_cb);
  memscope_alerts_controller_set_remote_opener (self->alerts, open_remote_cb);

  self->color_scheme = memscope_color_scheme_new ();
  self->give_back_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, GIVE_BACK_S,
                                                   give_back_memory_cb, NULL, NULL);
}

static void
memscope_application_shutdown (GApplication *application)
{
  MemscopeApplication *self = MEMSCOPE_APPLICATION (application);

  G_APPLICATION_CLASS (memscope_application_parent_class)->shutdown (application);

  g_clear_handle_id (&self->give_back_id, g_source_remove);
  g_clear_object (&self->alerts);
  g_clear_object (&self->background);
  g_clear_object (&self->color_scheme);
  /* Stopped first, so no tick arrives for a history that has written its last sample. */
  g_clear_object (&self->sampler);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->start_remote, g_free);
}

static int
memscope_application_handle_local_options (GApplication *application,
                                           GVariantDict *options)
{
  const char *remote = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("memscope %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "remote", "&s", &remote))
    {
      g_autoptr(MemscopeRemoteDestination) destination = NULL;
      g_autoptr(GError) error = NULL;

      destination = memscope_remote_destination_parse (remote, &error);
      if (destination == NULL)
        {
          g_printerr ("memscope: %s\n", error->message);
          return 1;
        }
      if (!g_application_register (application, NULL, &error))
        {
          g_printerr ("memscope: %s\n", error->message);
          return 1;
        }
      /* memscope already runs: it opens the window. */
      if (g_application_get_is_remote (application))
        {
          g_action_group_activate_action (G_ACTION_GROUP (application), "connect-remote",
                                          g_variant_new_string (remote));
          return 0;
        }
      g_free (MEMSCOPE_APPLICATION (application)->start_remote);
      MEMSCOPE_APPLICATION (application)->start_remote = g_strdup (remote);
      return -1;
    }
  if (g_variant_dict_contains (options, "background"))
    {
      g_autoptr(GError) error = NULL;

      /* Already running: leave it as it is rather than show its window. */
      if (!g_application_register (application, NULL, &error))
        {
          g_printerr ("memscope: %s\n", error->message);
          return 1;
        }
      if (g_application_get_is_remote (application))
        return 0;
      MEMSCOPE_APPLICATION (application)->start_hidden = TRUE;
      MEMSCOPE_APPLICATION (application)->keep_running = TRUE;
    }
  return -1;
}

static void
memscope_application_class_init (MemscopeApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = memscope_application_activate;
  app_class->startup = memscope_application_startup;
  app_class->shutdown = memscope_application_shutdown;
  app_class->handle_local_options = memscope_application_handle_local_options;
}

static void
memscope_application_init (MemscopeApplication *self)
{
  const GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start without a window and alert from the background"), NULL },
    { "remote", 'r', 0, G_OPTION_ARG_STRING, NULL,
      N_("Watch another machine's processes over ssh (DESTINATION as ssh takes it: "
         "[USER@]HOST, an ssh config alias or ssh://[USER@]HOST[:PORT])"),
      N_("DESTINATION") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Find the process that makes memory grow. "
                                              "Launching memscope again shows its window."));
}

MemscopeApplication *
memscope_application_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/memscope/Memscope",
                       NULL);
}

MemscopeSamplerThread *
memscope_application_get_sampler (MemscopeApplication *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_APPLICATION (self), NULL);
  return self->sampler;
}

MemscopeHistory *
memscope_application_get_history (MemscopeApplication *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_APPLICATION (self), NULL);
  return self->history;
}

GtkWindow *
memscope_application_get_window (MemscopeApplication *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_APPLICATION (self), NULL);
  return self->window != NULL ? GTK_WINDOW (self->window) : NULL;
}
