/* SPDX-License-Identifier: MIT */
/* "Connect to Remote Machine…": a destination typed in, or one of the recent ones (this computer
 * first), opens that machine's window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_CONNECT_DIALOG (memscope_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeConnectDialog, memscope_connect_dialog, MEMSCOPE, CONNECT_DIALOG,
                      GtkWindow)

/* Lists "This Computer" and the destinations of the key recent-remotes of `settings`.  A chosen
 * remote goes to the application's action app.connect-remote, this computer to its activation. */
GtkWidget  *memscope_connect_dialog_new            (GtkWindow             *parent,
                                                    GSettings             *settings);
GtkEditable *memscope_connect_dialog_get_entry     (MemscopeConnectDialog *self);
/* The rows offered: 0 is this computer, then the recent remotes, newest first. */
GtkListBox *memscope_connect_dialog_get_list       (MemscopeConnectDialog *self);
/* Connects to what the entry says; FALSE (the dialog stays, saying why) when it cannot be used. */
gboolean    memscope_connect_dialog_connect        (MemscopeConnectDialog *self);
/* Why the last destination was refused, "" when none was. */
const char *memscope_connect_dialog_get_error_text (MemscopeConnectDialog *self);

G_END_DECLS
