/* SPDX-License-Identifier: MIT */
/* LEAK / SPIKE / ZOMBIE pills whose tooltips give the detector's explanation. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_TAG_PILLS (memscope_tag_pills_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTagPills, memscope_tag_pills, MEMSCOPE, TAG_PILLS, GtkWidget)

GtkWidget  *memscope_tag_pills_new             (void);
guint       memscope_tag_pills_get_tags        (MemscopeTagPills *self);
void        memscope_tag_pills_set_tags        (MemscopeTagPills *self,
                                                guint             tags);
const char *memscope_tag_pills_get_explanation (MemscopeTagPills *self);
void        memscope_tag_pills_set_explanation (MemscopeTagPills *self,
                                                const char       *explanation);

/* Text for one tag bit ("LEAK"); NULL for none. */
const char *memscope_tag_name                  (guint             tag);

G_END_DECLS
