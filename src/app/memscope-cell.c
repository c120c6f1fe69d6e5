/* SPDX-License-Identifier: MIT */
/* One line of text in a list cell whose size never depends on the text.  A GtkLabel asks for a new
 * layout of everything above it whenever its text changes; in a list updated every second that
 * was most of an idle window's cost.  This cell's size comes from its font and a character count
 * alone, so a new value costs one redraw of the cell. */

#include "config.h"

#include "memscope-cell.h"
#include "memscope-style.h"

struct _MemscopeCell
{
  GtkWidget parent_instance;

  /* owned */
  char *text;
  char *tooltip;
  PangoLayout *layout; /* for text, made at the first draw after a change */

  float xalign;
  MemscopeCellTone tone;
  int width_chars;
  int max_width_chars;
  char *sample;
  gboolean numeric;

  /* from the font, refreshed when the style changes */
  int char_width;
  int sample_width;
  int line_height;
};

G_DEFINE_FINAL_TYPE (MemscopeCell, memscope_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_TOOLTIP,
  PROP_XALIGN,
  PROP_TONE,
  PROP_WIDTH_CHARS,
  PROP_MAX_WIDTH_CHARS,
  PROP_SAMPLE,
  PROP_NUMERIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
measure_font (MemscopeCell *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = self->numeric ? pango_font_metrics_get_approximate_digit_width (metrics)
                                 : pango_font_metrics_get_approximate_char_width (metrics);
  int line_height = pango_font_metrics_get_ascent (metrics) + pango_font_metrics_get_descent (metrics);

  self->char_width = PANGO_PIXELS_CEIL (char_width);
  self->line_height = PANGO_PIXELS_CEIL (line_height);
  pango_font_metrics_unref (metrics);
  self->sample_width = 0;
  if (self->sample != NULL)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->sample);

      pango_layout_get_pixel_size (layout, &self->sample_width, NULL);
      g_object_unref (layout);
    }
}

static PangoLayout *
ensure_layout (MemscopeCell *self)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      if (self->numeric)
        {
          /* Tabular figures: a changing number keeps its width and does not wobble. */
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attrs);
          pango_attr_list_unref (attrs);
        }
    }
  return self->layout;
}

static void
memscope_cell_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  MemscopeCell *self = MEMSCOPE_CELL (widget);

  (void) for_size;
  (void) minimum_baseline;
  (void) natural_baseline;

  if (self->char_width == 0)
    measure_font (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As a label's: width-chars at least (numbers are never cut short), max-width-chars when
       * there is room; names end in an ellipsis in between. */
      *minimum = MAX (self->width_chars * self->char_width, self->sample_width);
      *natural = MAX (*minimum, self->max_width_chars * self->char_width);
    }
  else
    *minimum = *natural = self->line_height;
}

static void
tone_color (MemscopeCell *self,
            GdkRGBA      *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, color);
  switch (self->tone)
    {
    case MEMSCOPE_CELL_TONE_GROW:
      memscope_style_lookup_color (GTK_WIDGET (self), "memscope_grow_color", "error_color",
                                   "#c01c28", color);
      break;
    case MEMSCOPE_CELL_TONE_SHRINK:
      memscope_style_lookup_color (GTK_WIDGET (self), "memscope_shrink_color", "success_color",
                                   "#26a269", color);
      break;
    case MEMSCOPE_CELL_TONE_DIM:
      color->alpha *= 0.55f;
      break;
    case MEMSCOPE_CELL_TONE_NORMAL:
    default:
      break;
    }
}

static void
memscope_cell_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  MemscopeCell *self = MEMSCOPE_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle logical;
  GdkRGBA color;
  float xalign = self->xalign;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    return;
  layout = ensure_layout (self);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;
  tone_color (self, &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (floorf ((width - logical.width) * xalign) - logical.x,
                                                floorf ((height - logical.height) / 2.0f)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
memscope_cell_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  MemscopeCell *self = MEMSCOPE_CELL (widget);
  int char_width = self->char_width;
  int sample_width = self->sample_width;
  int line_height = self->line_height;

  GTK_WIDGET_CLASS (memscope_cell_parent_class)->css_changed (widget, change);

  /* A new font, size or theme: shape again, and measure again only if the font's size moved. */
  g_clear_object (&self->layout);
  measure_font (self);
  if (self->char_width != char_width || self->sample_width != sample_width
      || self->line_height != line_height)
    gtk_widget_queue_resize (widget);
}

static void
memscope_cell_direction_changed (GtkWidget        *widget,
                                 GtkTextDirection  previous)
{
  g_clear_object (&MEMSCOPE_CELL (widget)->layout);
  GTK_WIDGET_CLASS (memscope_cell_parent_class)->direction_changed (widget, previous);
}

/* Asked only when the pointer rests on the cell.  Setting a widget's tooltip text makes GTK query
 * the pointer position from the display server at once, every time: for cells whose tooltip
 * follows a value that changes every second, that was a round trip per cell per tick. */
static gboolean
memscope_cell_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_tooltip,
                             GtkTooltip *tooltip)
{
  MemscopeCell *self = MEMSCOPE_CELL (widget);

  (void) x;
  (void) y;
  (void) keyboard_tooltip;

  if (self->tooltip == NULL || *self->tooltip == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->tooltip);
  return TRUE;
}

static void
memscope_cell_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MemscopeCell *self = MEMSCOPE_CELL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_TOOLTIP:
      g_value_set_string (value, self->tooltip);
      break;
    case PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;
    case PROP_TONE:
      g_value_set_int (value, self->tone);
      break;
    case PROP_WIDTH_CHARS:
      g_value_set_int (value, self->width_chars);
      break;
    case PROP_MAX_WIDTH_CHARS:
      g_value_set_int (value, self->max_width_chars);
      break;
    case PROP_SAMPLE:
      g_value_set_string (value, self->sample);
      break;
    case PROP_NUMERIC:
      g_value_set_boolean (value, self->numeric);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_cell_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MemscopeCell *self = MEMSCOPE_CELL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      memscope_cell_set_text (self, g_value_get_string (value));
      break;
    case PROP_TOOLTIP:
      memscope_cell_set_tooltip (self, g_value_get_string (value));
      break;
    case PROP_XALIGN:
      self->xalign = g_value_get_float (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PROP_TONE:
      memscope_cell_set_tone (self, g_value_get_int (value));
      break;
    case PROP_WIDTH_CHARS:
      self->width_chars = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_MAX_WIDTH_CHARS:
      self->max_width_chars = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_SAMPLE:
      g_free (self->sample);
      self->sample = g_value_dup_string (value);
      self->char_width = 0;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_NUMERIC:
      self->numeric = g_value_get_boolean (value);
      self->char_width = 0;
      g_clear_object (&self->layout);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_cell_finalize (GObject *object)
{
  MemscopeCell *self = MEMSCOPE_CELL (object);

  g_clear_object (&self->layout);
  g_free (self->text);
  g_free (self->tooltip);
  g_free (self->sample);

  G_OBJECT_CLASS (memscope_cell_parent_class)->finalize (object);
}

static void
memscope_cell_class_init (MemscopeCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = memscope_cell_finalize;
  object_class->get_property = memscope_cell_get_property;
  object_class->set_property = memscope_cell_set_property;
  widget_class->measure = memscope_cell_measure;
  widget_class->snapshot = memscope_cell_snapshot;
  widget_class->css_changed = memscope_cell_css_changed;
  widget_class->query_tooltip = memscope_cell_query_tooltip;
  widget_class->direction_changed = memscope_cell_direction_changed;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Like tooltip-text, but cheap to change often. */
  properties[PROP_TOOLTIP] =
    g_param_spec_string ("tooltip", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL, 0.0f, 1.0f, 0.0f,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* A MemscopeCellTone. */
  properties[PROP_TONE] =
    g_param_spec_int ("tone", NULL, NULL, MEMSCOPE_CELL_TONE_NORMAL, MEMSCOPE_CELL_TONE_DIM,
                      MEMSCOPE_CELL_TONE_NORMAL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The width asked for, in characters (digits when numeric). */
  properties[PROP_WIDTH_CHARS] =
    g_param_spec_int ("width-chars", NULL, NULL, 1, 200, 8,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The width wanted when there is room, in characters (0: width-chars). */
  properties[PROP_MAX_WIDTH_CHARS] =
    g_param_spec_int ("max-width-chars", NULL, NULL, 0, 200, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The widest text expected (not translated: its width is what counts), when wider than
   * width-chars. */
  properties[PROP_SAMPLE] =
    g_param_spec_string ("sample", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMERIC] =
    g_param_spec_boolean ("numeric", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "cell-text");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
memscope_cell_init (MemscopeCell *self)
{
  self->width_chars = 8;
}

GtkWidget *
memscope_cell_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_CELL, NULL);
}

void
memscope_cell_set_text (MemscopeCell *self,
                        const char   *text)
{
  g_return_if_fail (MEMSCOPE_IS_CELL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_object (&self->layout);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text != NULL ? self->text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
memscope_cell_set_tone (MemscopeCell     *self,
                        MemscopeCellTone  tone)
{
  g_return_if_fail (MEMSCOPE_IS_CELL (self));

  if (self->tone == tone)
    return;
  self->tone = tone;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TONE]);
}

void
memscope_cell_set_tooltip (MemscopeCell *self,
                           const char   *tooltip)
{
  gboolean has_tooltip = tooltip != NULL && *tooltip != '\0';

  g_return_if_fail (MEMSCOPE_IS_CELL (self));

  if (g_strcmp0 (self->tooltip, tooltip) == 0)
    return;
  g_free (self->tooltip);
  self->tooltip = g_strdup (tooltip);
  if (gtk_widget_get_has_tooltip (GTK_WIDGET (self)) != has_tooltip)
    gtk_widget_set_has_tooltip (GTK_WIDGET (self), has_tooltip);
  /* What a screen reader says about the cell beyond its text. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  has_tooltip ? tooltip : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
}

const char *
memscope_cell_get_text (MemscopeCell *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_CELL (self), NULL);
  return self->text;
}
