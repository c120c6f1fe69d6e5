/* SPDX-License-Identifier: MIT */
/* Runs a command on the host through the Flatpak session helper's HostCommand. */

#include "config.h"

#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "memscope-host-command-private.h"
#include "memscope-seams.h"

#define FLATPAK_BUS_NAME "org.freedesktop.Flatpak"
#define FLATPAK_PATH "/org/freedesktop/Flatpak/Development"
#define FLATPAK_IFACE "org.freedesktop.Flatpak.Development"
/* HostCommand flags: the host process is ended when this app's bus connection goes away. */
#define FLATPAK_HOST_COMMAND_WATCH_BUS (1u << 1)
/* Exits of pids not known yet that are kept until the helper's answer gives ours. */
#define EARLY_EXITS_MAX 64

struct _MemscopeHostCommand
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *bus;
  GArray *early_exits;   /* (pid, wait status) pairs seen before our pid was known */
  guint exited_subscription;
  guint32 pid;
  int wait_status;
  int pending_signal;    /* to send once the pid is known, 0 for none */
  gboolean spawn_answered;
  gboolean exited;
};

typedef struct
{
  guint32 pid;
  int wait_status;
} EarlyExit;

G_DEFINE_FINAL_TYPE (MemscopeHostCommand, memscope_host_command, G_TYPE_OBJECT)

enum {
  SPAWNED,
  SPAWN_FAILED,
  EXITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static int wanted_for_testing = -1;

gboolean
memscope_host_command_wanted (void)
{
  int forced = g_atomic_int_get (&wanted_for_testing);

  return forced >= 0 ? forced : memscope_inside_flatpak ();
}

void
memscope_host_command_set_wanted_for_testing (gboolean wanted)
{
  g_atomic_int_set (&wanted_for_testing, wanted ? 1 : 0);
}

static void
send_signal_now (MemscopeHostCommand *self,
                 int                  sig)
{
  g_assert (MEMSCOPE_IS_HOST_COMMAND (self));

  /* The helper refuses a pid that has ended ("No such pid"): nothing to do about that. */
  g_dbus_connection_call (self->bus, FLATPAK_BUS_NAME, FLATPAK_PATH, FLATPAK_IFACE,
                          "HostCommandSignal",
                          g_variant_new ("(uub)", self->pid, (guint32) sig, FALSE),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

static void
set_exited (MemscopeHostCommand *self,
            int                  wait_status)
{
  g_assert (MEMSCOPE_IS_HOST_COMMAND (self));

  if (self->exited)
    return;
  self->exited = TRUE;
  self->wait_status = wait_status;
  self->pending_signal = 0;
  g_signal_emit (self, signals[EXITED], 0, wait_status);
}

static void
exited_cb (GDBusConnection *bus,
           const char      *sender,
           const char      *path,
           const char      *iface,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         data)
{
  MemscopeHostCommand *self = data;
  guint32 pid, wait_status;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uu)")))
    return;
  g_variant_get (parameters, "(uu)", &pid, &wait_status);
  if (self->pid == 0 && !self->spawn_answered)
    {
      EarlyExit early = { pid, (int) wait_status };

      /* The helper answers before the command can end, but the answer and the signal travel
       * apart: keep it until the answer says whose it is. */
      if (self->early_exits->len < EARLY_EXITS_MAX)
        g_array_append_val (self->early_exits, early);
      return;
    }
  if (pid != self->pid || self->pid == 0)
    return;
  set_exited (self, (int) wait_status);
}

static void
spawned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(MemscopeHostCommand) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), NULL,
                                                           result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->spawn_answered = TRUE;
  if (reply == NULL)
    {
      g_array_set_size (self->early_exits, 0);
      self->pending_signal = 0;
      g_signal_emit (self, signals[SPAWN_FAILED], 0, error);
      return;
    }
  g_variant_get (reply, "(u)", &self->pid);
  g_signal_emit (self, signals[SPAWNED], 0, self->pid);
  for (guint i = 0; i < self->early_exits->len; i++)
    {
      EarlyExit *early = &g_array_index (self->early_exits, EarlyExit, i);

      if (early->pid == self->pid)
        set_exited (self, early->wait_status);
    }
  g_array_set_size (self->early_exits, 0);
  if (self->pending_signal != 0 && !self->exited)
    send_signal_now (self, self->pending_signal);
  self->pending_signal = 0;
}

MemscopeHostCommand *
memscope_host_command_spawn (const char * const  *argv,
                             int                  stdin_fd,
                             int                  stdout_fd,
                             int                  stderr_fd,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(MemscopeHostCommand) self = NULL;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  GVariantBuilder argv_builder, fd_builder;
  int in_handle, out_handle, err_handle;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (stdin_fd >= 0 && stdout_fd >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MEMSCOPE_TYPE_HOST_COMMAND, NULL);
  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (self->bus == NULL)
    return NULL;
  in_handle = g_unix_fd_list_append (fds, stdin_fd, error);
  if (in_handle < 0)
    return NULL;
  out_handle = g_unix_fd_list_append (fds, stdout_fd, error);
  if (out_handle < 0)
    return NULL;
  err_handle = g_unix_fd_list_append (fds, stderr_fd >= 0 ? stderr_fd : STDERR_FILENO, error);
  if (err_handle < 0)
    return NULL;

  g_variant_builder_init (&argv_builder, G_VARIANT_TYPE ("aay"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_variant_builder_add (&argv_builder, "@ay", g_variant_new_bytestring (argv[i]));
  g_variant_builder_init (&fd_builder, G_VARIANT_TYPE ("a{uh}"));
  g_variant_builder_add (&fd_builder, "{uh}", 0, in_handle);
  g_variant_builder_add (&fd_builder, "{uh}", 1, out_handle);
  g_variant_builder_add (&fd_builder, "{uh}", 2, err_handle);

  /* Subscribe before the call so an early exit cannot be missed. */
  self->exited_subscription =
    g_dbus_connection_signal_subscribe (self->bus, FLATPAK_BUS_NAME, FLATPAK_IFACE,
                                        "HostCommandExited", FLATPAK_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, exited_cb, self, NULL);
  g_dbus_connection_call_with_unix_fd_list (self->bus, FLATPAK_BUS_NAME, FLATPAK_PATH,
                                            FLATPAK_IFACE, "HostCommand",
                                            g_variant_new ("(^ay@aay@a{uh}@a{ss}u)", "/",
                                                           g_variant_builder_end (&argv_builder),
                                                           g_variant_builder_end (&fd_builder),
                                                           g_variant_new_array (G_VARIANT_TYPE ("{ss}"),
                                                                                NULL, 0),
                                                           FLATPAK_HOST_COMMAND_WATCH_BUS),
                                            G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                            G_MAXINT, fds, cancellable, spawned_cb,
                                            g_object_ref (self));
  return g_steal_pointer (&self);
}

guint32
memscope_host_command_get_pid (MemscopeHostCommand *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_COMMAND (self), 0);
  return self->pid;
}

gboolean
memscope_host_command_has_exited (MemscopeHostCommand *self,
                                  int                 *wait_status)
{
  g_return_val_if_fail (MEMSCOPE_IS_HOST_COMMAND (self), FALSE);

  if (self->exited && wait_status != NULL)
    *wait_status = self->wait_status;
  return self->exited;
}

void
memscope_host_command_send_signal (MemscopeHostCommand *self,
                                   int                  sig)
{
  g_return_if_fail (MEMSCOPE_IS_HOST_COMMAND (self));
  g_return_if_fail (sig > 0);

  if (self->exited)
    return;
  if (self->pid != 0)
    send_signal_now (self, sig);
  else if (!self->spawn_answered)
    self->pending_signal = sig;
}

static void
memscope_host_command_dispose (GObject *object)
{
  MemscopeHostCommand *self = (MemscopeHostCommand *) object;

  if (self->exited_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->exited_subscription);
  self->exited_subscription = 0;
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (memscope_host_command_parent_class)->dispose (object);
}

static void
memscope_host_command_finalize (GObject *object)
{
  MemscopeHostCommand *self = (MemscopeHostCommand *) object;

  g_array_unref (self->early_exits);

  G_OBJECT_CLASS (memscope_host_command_parent_class)->finalize (object);
}

static void
memscope_host_command_class_init (MemscopeHostCommandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_host_command_dispose;
  object_class->finalize = memscope_host_command_finalize;

  signals[SPAWNED] = g_signal_new ("spawned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SPAWN_FAILED] = g_signal_new ("spawn-failed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        G_TYPE_ERROR);
  signals[EXITED] = g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
memscope_host_command_init (MemscopeHostCommand *self)
{
  self->early_exits = g_array_new (FALSE, FALSE, sizeof (EarlyExit));
}
