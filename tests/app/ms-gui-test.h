/* SPDX-License-Identifier: MIT */
/* What the GTK test programs share: main-loop waits, widget lookup, renders, texts, processes. */
#pragma once

#include <gtk/gtk.h>
#include <sys/types.h>

#include "memscope-application.h"
#include "memscope-host-source.h"
#include "memscope-inspect-details.h"
#include "memscope-window.h"
#include "ms-test.h"
#include "parse.h"

G_BEGIN_DECLS

typedef gboolean (*MsGuiDoneFunc) (gpointer data);

/* Lets one warning of GTK 4.8 through without ending the test (warnings are fatal here):
 * "GtkColumnListView failed to scroll to given position. Ignoring...", which its list base gives
 * when the adjustment moves before the list has laid out rows that just changed (seen only on a
 * heavily loaded machine).  GTK then ignores that one move; the tests still check where the view
 * stands.  Every other message goes to GLib's default writer, fatal as before. */
void       ms_gui_allow_list_scroll_warning (void);

/* Texts are compared literally: untranslated (LANGUAGE=C), with a dot for decimals.  Calls
 * ms_gui_allow_list_scroll_warning. */
void       ms_gui_test_init     (int          *argc,
                                 char       ***argv);

/* Runs the main loop until done (data) holds; g_error after timeout_ms, naming what. */
void       ms_gui_wait_until    (MsGuiDoneFunc done,
                                 gpointer      data,
                                 guint         timeout_ms,
                                 const char   *what);
/* The same, saying whether done (data) came to hold instead of failing. */
gboolean   ms_gui_wait_for      (MsGuiDoneFunc done,
                                 gpointer      data,
                                 guint         timeout_ms);
/* Whether done (data) came to hold within timeout_ms, asking every 2 ms between non-blocking
 * iterations: for conditions that change without a main-loop event (another thread's state). */
gboolean   ms_gui_poll_until    (MsGuiDoneFunc done,
                                 gpointer      data,
                                 guint         timeout_ms);
/* Dispatches what is pending for duration_ms, so revealers and layouts catch up. */
void       ms_gui_settle        (guint         duration_ms);
/* Dispatches what is pending now, without blocking. */
void       ms_gui_drain         (void);
/* Dispatches up to n_first events, gives the X server pause_ms to answer, then drains: after
 * input sent through the X server or before a render. */
void       ms_gui_pump          (guint         n_first,
                                 guint         pause_ms);

/* A gboolean flag: a MsGuiDoneFunc that reads it, a signal handler that sets it, a wait. */
gboolean   ms_gui_flag_is_set   (gpointer      flag);
void       ms_gui_set_flag_cb   (gpointer      instance,
                                 gboolean     *flag);
void       ms_gui_wait_for_flag (gboolean     *flag,
                                 guint         timeout_ms,
                                 const char   *what);

/* Runs a command line (xdotool, say) and the main loop until it exits (20 s at most). */
void       ms_gui_run_command   (const char   *command_line);

/* Types keys (xdotool's names, separated by spaces) into the mapped toplevel window, through the
 * X server as a person would, while the main loop runs.  It returns once xdotool has sent them:
 * the caller then awaits the state they cause (MS_GUI_AWAIT). */
void       ms_gui_type_keys     (GtkWidget    *window,
                                 const char   *keys);

/* How long a test waits for what input or a tick causes: generous, since it only matters when
 * something is broken, and a loaded machine running the sanitizer build is slow. */
#define MS_GUI_WAIT_MS 30000

/* Runs the main loop until expr holds; fails the test, naming what, after timeout_ms. */
#define MS_GUI_AWAIT(expr, timeout_ms, what) \
  G_STMT_START { \
    gint64 ms_gui_await_end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000; \
    while (!(expr)) \
      { \
        if (g_get_monotonic_time () > ms_gui_await_end_) \
          g_error ("timed out waiting for %s", (what)); \
        if (!g_main_context_iteration (NULL, FALSE)) \
          g_usleep (2000); \
      } \
  } G_STMT_END

/* Whether text holds needle, reading the no-break spaces GLib puts in sizes as spaces. */
gboolean   ms_gui_contains      (const char   *text,
                                 const char   *needle);

/* The text a mapped label or list cell shows, else NULL. */
const char *ms_gui_shown_text   (GtkWidget    *widget);

/* The first widget of the type at or below root, depth first. */
GtkWidget *ms_gui_find_widget   (GtkWidget    *root,
                                 GType         type);

/* Renders the widget as its window draws it once it is mapped and a frame has been drawn, and
 * saves it as png_name in MS_BUILDDIR for a person to look at. */
GdkTexture *ms_gui_render       (GtkWidget    *widget,
                                 const char   *png_name);
/* The same, returning how many pixels differ from the top-left one. */
guint64    ms_gui_render_distinct_pixels (GtkWidget  *widget,
                                          const char *png_name);

/* Whether the host source reached state within timeout_ms (its state changes on a thread). */
gboolean   ms_gui_wait_for_host_state (MemscopeHostSource *source,
                                       MemscopeHostState   state,
                                       guint               timeout_ms);

/* Starts memscope (non-unique) sampling every refresh_interval_ms and activates it. */
MemscopeApplication *ms_gui_start_app (guint            refresh_interval_ms,
                                       MemscopeWindow **window);
/* Closes the window, dispatches what that leaves pending, quits and frees the application. */
void       ms_gui_stop_app      (MemscopeApplication *app,
                                 MemscopeWindow      *window);

/* Whether the child GINT_TO_POINTER (pid) has exited; reaps it if so. */
gboolean   ms_gui_child_gone    (gpointer      pid);
/* A leak-sim that starts at 16 MiB and grows 8 MiB/s for 60 s, once it says it is ready; the
 * caller reaps it. */
GPid       ms_gui_spawn_leak_sim (const char  *name);

/* A row for a process as the list would make it, owned by the user the test runs as. */
MemscopeProcessRow *ms_gui_row_new (pid_t       pid,
                                    guint64     starttime,
                                    const char *comm);
/* The state the next tick would bring (R, S, T, Z...). */
void       ms_gui_row_set_state (MemscopeProcessRow *row,
                                 char                state);
/* Inspect details in a scrolled 440x700 window, presented and mapped; returns the window. */
GtkWindow *ms_gui_show_details  (MemscopeInspectDetails **details);
/* Selects row in window, inspects it and asks its panel to send sig: the panel's actions, with
 * their confirmation showing; *text (free it) is the confirmation's question. */
MemscopeProcessActions *ms_gui_request_signal (MemscopeWindow     *window,
                                               MemscopeProcessRow *row,
                                               int                 sig,
                                               char              **text);
/* Growth of the heap and the anonymous groups in the smaps view. */
gint64     ms_gui_anonymous_growth_kib (MemscopeSmapsView *view);

G_END_DECLS
