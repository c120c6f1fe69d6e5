/* SPDX-License-Identifier: MIT */
/* Background running and "start at login": the Background portal inside a Flatpak, else XDG. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the portal runs at login, inside the sandbox: `flatpak run --command=memscope APP_ID
 * --background`. */
#define MEMSCOPE_BACKGROUND_COMMAND "memscope"
#define MEMSCOPE_BACKGROUND_ARGUMENT "--background"

#define MEMSCOPE_BACKGROUND_ERROR (memscope_background_error_quark ())
GQuark memscope_background_error_quark (void);

typedef enum
{
  /* The user or the system said no, or the portal's question was dismissed. */
  MEMSCOPE_BACKGROUND_ERROR_DENIED,
  /* Background running allowed, start at login not. */
  MEMSCOPE_BACKGROUND_ERROR_AUTOSTART_DENIED,
  /* Nobody offers org.freedesktop.portal.Background. */
  MEMSCOPE_BACKGROUND_ERROR_NO_PORTAL,
  /* The call failed, or no answer came in time. */
  MEMSCOPE_BACKGROUND_ERROR_FAILED,
} MemscopeBackgroundError;

/* Which preference a problem belongs to. */
typedef enum
{
  MEMSCOPE_BACKGROUND_TOPIC_AUTOSTART,  /* start-at-login */
  MEMSCOPE_BACKGROUND_TOPIC_BACKGROUND, /* run-in-background */
} MemscopeBackgroundTopic;

/* Whether memscope runs inside a Flatpak sandbox: the file Flatpak puts at
 * MEMSCOPE_FLATPAK_INFO (memscope-seams.h) exists.  A parameter so tests can use a fixture. */
gboolean memscope_background_detect_sandbox (const char *info_path);

/* One RequestBackground call on `connection` (the session bus, or the sandbox's proxy of it):
 * asks for background permission and sets (autostart TRUE) or removes (FALSE) the login entry
 * running MEMSCOPE_BACKGROUND_COMMAND MEMSCOPE_BACKGROUND_ARGUMENT.  `parent_window` is a portal
 * window handle ("x11:XID") or NULL.  Gives up after `timeout_ms` without an answer (0: the
 * default, long enough for a person to answer the portal's question).  The finish function
 * returns TRUE when granted; else an error in MEMSCOPE_BACKGROUND_ERROR whose message says why
 * in plain words (translated), or G_IO_ERROR_CANCELLED. */
void     memscope_background_request_async  (GDBusConnection     *connection,
                                             const char          *parent_window,
                                             gboolean             autostart,
                                             guint                timeout_ms,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean memscope_background_request_finish (GAsyncResult        *result,
                                             GError             **error);

#define MEMSCOPE_TYPE_BACKGROUND (memscope_background_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeBackground, memscope_background, MEMSCOPE, BACKGROUND, GObject)

/* Follows the start-at-login and run-in-background keys of `settings`: inside a Flatpak (per
 * MEMSCOPE_FLATPAK_INFO, memscope-seams.h) each change goes to the portal on `connection` (NULL:
 * no bus, every request fails as "no portal"); outside, start-at-login writes or removes the XDG
 * autostart entry.  A refusal turns the key back off and sets the topic's problem.  The
 * application makes one and hands it to what needs it (the alerts controller, the preferences). */
MemscopeBackground *memscope_background_new             (GSettings               *settings,
                                                         GDBusConnection         *connection);

gboolean            memscope_background_get_sandboxed   (MemscopeBackground      *self);
/* 0 is the default; see memscope_background_request_async(). */
void                memscope_background_set_timeout_ms  (MemscopeBackground      *self,
                                                         guint                    timeout_ms);
/* The window was hidden (or never shown) and memscope keeps running: inside a Flatpak ask for
 * background permission once per run.  A refusal turns run-in-background off. */
void                memscope_background_went_background (MemscopeBackground      *self);
/* Why the topic's preference was turned back off (translated), or NULL. */
const char         *memscope_background_get_problem     (MemscopeBackground      *self,
                                                         MemscopeBackgroundTopic  topic);
/* Whether a portal request is under way. */
gboolean            memscope_background_get_busy        (MemscopeBackground      *self);

/* A label for the preference's row that shows the topic's problem and hides while there is
 * none; `preference` (the switch) is described by it for screen readers. */
GtkWidget          *memscope_background_new_problem_label (MemscopeBackground      *self,
                                                           MemscopeBackgroundTopic  topic,
                                                           GtkWidget               *preference);

G_END_DECLS
