/* SPDX-License-Identifier: MIT */
/* A thin handle on a side panel's inner edge that resizes the panel by dragging or with the arrow
 * keys, and exposes the width as a property (bound to GSettings to remember it). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_RESIZE_HANDLE (memscope_resize_handle_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeResizeHandle, memscope_resize_handle, MEMSCOPE, RESIZE_HANDLE,
                      GtkWidget)

#define MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH 280
#define MEMSCOPE_RESIZE_HANDLE_MAX_WIDTH 1200
/* What one press of an arrow key changes. */
#define MEMSCOPE_RESIZE_HANDLE_KEY_STEP 24

GtkWidget *memscope_resize_handle_new        (void);

/* The widget whose width-request follows the handle (borrowed; it must outlive the handle or be
 * unset first).  The handle sits on the target's start edge: dragging toward the start widens. */
void       memscope_resize_handle_set_target (MemscopeResizeHandle *self,
                                              GtkWidget            *target);
int        memscope_resize_handle_get_width  (MemscopeResizeHandle *self);
/* Clamped to MIN..MAX and to the window's width less some room for what is beside the panel. */
/* This wide for now instead of the width (a narrow window, a long translation): G_MAXINT for
 * the width.  The width itself is kept, and shown again once the limit goes. */
void       memscope_resize_handle_set_limit  (MemscopeResizeHandle *self,
                                              int                   limit);
int        memscope_resize_handle_get_limit  (MemscopeResizeHandle *self);
void       memscope_resize_handle_set_width  (MemscopeResizeHandle *self,
                                              int                   width);

G_END_DECLS
