/* SPDX-License-Identifier: MIT */
/* Shaped text kept between frames for drawn widgets: labels that repeat every tick are shaped
 * once, which is most of what drawing a chart costs. */

#include "config.h"

#include "memscope-text-cache.h"

/* A chart shows a few dozen texts; values that change every tick would otherwise pile up. */
#define MAX_ENTRIES 96

struct _MemscopeTextCache
{
  GtkWidget  *widget; /* borrowed: the cache belongs to it */
  double      scale;
  GHashTable *layouts; /* text → Entry */
  guint       frame;
};

typedef struct
{
  PangoLayout *layout;
  guint        frame; /* the last frame it was drawn in */
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_object_unref (entry->layout);
  g_free (entry);
}

MemscopeTextCache *
memscope_text_cache_new (GtkWidget *widget,
                         double     scale)
{
  MemscopeTextCache *self = g_new0 (MemscopeTextCache, 1);

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self->widget = widget;
  self->scale = scale;
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  return self;
}

void
memscope_text_cache_free (MemscopeTextCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->layouts);
  g_free (self);
}

PangoLayout *
memscope_text_cache_get (MemscopeTextCache *self,
                         const char        *text)
{
  PangoAttrList *attrs;
  Entry *entry;

  g_return_val_if_fail (self != NULL, NULL);

  if (text == NULL)
    text = "";
  entry = g_hash_table_lookup (self->layouts, text);
  if (entry != NULL)
    {
      entry->frame = self->frame;
      return entry->layout;
    }

  entry = g_new0 (Entry, 1);
  entry->frame = self->frame;
  entry->layout = gtk_widget_create_pango_layout (self->widget, text);
  attrs = pango_attr_list_new ();
  if (self->scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (self->scale));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (entry->layout, attrs);
  pango_attr_list_unref (attrs);
  g_hash_table_insert (self->layouts, g_strdup (text), entry);
  return entry->layout;
}

static gboolean
unused_cb (gpointer key,
           gpointer value,
           gpointer user_data)
{
  const Entry *entry = value;
  const MemscopeTextCache *self = user_data;

  return entry->frame + 1 < self->frame;
}

void
memscope_text_cache_trim (MemscopeTextCache *self)
{
  g_return_if_fail (self != NULL);

  /* Texts of the last frame stay (tick labels, names); values that moved on go. */
  self->frame++;
  if (g_hash_table_size (self->layouts) > MAX_ENTRIES)
    g_hash_table_foreach_remove (self->layouts, unused_cb, self);
}

void
memscope_text_cache_clear (MemscopeTextCache *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->layouts);
}
