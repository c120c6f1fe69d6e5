/* SPDX-License-Identifier: MIT */
/* One line of text in a list cell whose size never depends on the text: a new value only redraws
 * the cell, where a label would make the whole list measure itself again every tick. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_CELL (memscope_cell_get_type ())
G_DECLARE_FINAL_TYPE (MemscopeCell, memscope_cell, MEMSCOPE, CELL, GtkWidget)

/* How a value reads: growth and shrink in memscope's colours (memscope_grow_color and
 * memscope_shrink_color, readable ones from the theme: memscope-style.h), nothing to see dimmed.  A property of the cell rather than
 * CSS classes: a class change makes GTK compute the cell's style again, and a window that shows
 * change would do that for many cells every second. */
typedef enum
{
  MEMSCOPE_CELL_TONE_NORMAL,
  MEMSCOPE_CELL_TONE_GROW,
  MEMSCOPE_CELL_TONE_SHRINK,
  MEMSCOPE_CELL_TONE_DIM,
} MemscopeCellTone;

GtkWidget  *memscope_cell_new      (void);
void        memscope_cell_set_tone (MemscopeCell     *self,
                                    MemscopeCellTone  tone);
void        memscope_cell_set_text (MemscopeCell *self,
                                    const char   *text);
const char *memscope_cell_get_text (MemscopeCell *self);
void        memscope_cell_set_tooltip (MemscopeCell *self,
                                       const char   *tooltip);

G_END_DECLS
