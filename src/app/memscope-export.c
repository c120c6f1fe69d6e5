/* SPDX-License-Identifier: MIT */
/* Exports: the current list as CSV and widgets as PNG, rendered the way GTK draws them. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-export.h"
#include "memscope-process-row.h"
#include "memscope-style.h"

static void
csv_field (GString    *out,
           const char *text)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
tags_text (GString *out,
           guint32  tags)
{
  gboolean first = TRUE;
  static const struct { guint32 bit; const char *name; } names[] = {
    { MS_TAG_LEAK, "LEAK" }, { MS_TAG_SPIKE, "SPIKE" }, { MS_TAG_ZOMBIE, "ZOMBIE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (tags & names[i].bit)
      {
        if (!first)
          g_string_append_c (out, ' ');
        g_string_append (out, names[i].name);
        first = FALSE;
      }
}

gboolean
memscope_export_rows_csv (GListModel  *rows,
                          const char  *path,
                          GError     **error)
{
  g_autoptr (GString) out = g_string_new ("pid,starttime,name,user,group,rss_kib,pss_kib,"
                                          "swap_kib,delta_kib,tags\n");
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (rows, i);
      MemscopeProcessRow *row;
      const ms_proc_t *proc;
      gboolean group;

      /* A tree list hands out GtkTreeListRow wrappers: unwrap them. */
      if (GTK_IS_TREE_LIST_ROW (item))
        {
          GObject *inner = gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (item));

          g_object_unref (item);
          item = inner;
        }
      if (!MEMSCOPE_IS_PROCESS_ROW (item))
        continue;
      row = MEMSCOPE_PROCESS_ROW (item);
      group = memscope_process_row_get_is_group (row);
      proc = memscope_process_row_get_proc (row);
      if (!group)
        g_string_append_printf (out, "%d,%" G_GUINT64_FORMAT ",",
                                memscope_process_row_get_pid (row),
                                memscope_process_row_get_starttime (row));
      else
        g_string_append (out, ",,");
      csv_field (out, memscope_process_row_get_name (row));
      g_string_append_c (out, ',');
      csv_field (out, group ? "" : memscope_process_row_get_user (row));
      g_string_append_c (out, ',');
      csv_field (out, memscope_process_row_get_group_key (row));
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",", memscope_process_row_get_rss_kib (row));
      if (memscope_process_row_get_pss_kib (row) >= 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, memscope_process_row_get_pss_kib (row));
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                              proc != NULL ? MAX (proc->swap_kib, 0) : 0,
                              memscope_process_row_get_delta_kib (row));
      tags_text (out, memscope_process_row_get_tags (row));
      g_string_append_c (out, '\n');
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

gboolean
memscope_export_widget_png (GtkWidget   *widget,
                            const char  *path,
                            GError     **error)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  native = gtk_widget_get_native (widget);
  if (width <= 0 || height <= 0 || native == NULL || gtk_native_get_renderer (native) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   _("Nothing to export: the graph is not shown"));
      return FALSE;
    }
  renderer = gtk_native_get_renderer (native);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  /* The widget draws on the window's background: give the image that background too, or a
   * dark theme's light text ends up on a transparent (later white) image. */
  {
    GdkRGBA bg;

    memscope_style_lookup_color (widget, "window_bg_color", "theme_bg_color", "white", &bg);
    gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  }
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("Nothing to export: the graph is empty"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: cannot write the image"), path);
      return FALSE;
    }
  return TRUE;
}
