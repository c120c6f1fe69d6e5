/* SPDX-License-Identifier: MIT */
/* A thin handle on a side panel's inner edge that resizes the panel by dragging or with the arrow
 * keys, and exposes the width as a property (bound to GSettings to remember it). */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-resize-handle.h"

#define HANDLE_WIDTH 6
/* What stays for the list beside the panel when the window is narrow. */
#define ROOM_BESIDE 240

struct _MemscopeResizeHandle
{
  GtkWidget parent_instance;

  /* borrowed */
  GtkWidget *target;

  /* owned */
  int width;
  int limit;
  int drag_start_width;
};

G_DEFINE_FINAL_TYPE (MemscopeResizeHandle, memscope_resize_handle, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
clamp_width (MemscopeResizeHandle *self,
             int                   width)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  int max = MEMSCOPE_RESIZE_HANDLE_MAX_WIDTH;

  g_assert (MEMSCOPE_IS_RESIZE_HANDLE (self));

  if (root != NULL && gtk_widget_get_width (GTK_WIDGET (root)) > 0)
    max = MIN (max, gtk_widget_get_width (GTK_WIDGET (root)) - ROOM_BESIDE);
  max = MAX (max, MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH);
  return CLAMP (width, MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH, max);
}

static void
update_target (MemscopeResizeHandle *self)
{
  if (self->target != NULL)
    gtk_widget_set_size_request (self->target,
                                 self->limit != G_MAXINT ? self->limit : self->width, -1);
}

static void
update_accessible (MemscopeResizeHandle *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN,
                                  (double) MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX,
                                  (double) MEMSCOPE_RESIZE_HANDLE_MAX_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) self->width,
                                  -1);
}

static void
drag_begin_cb (GtkGestureDrag       *gesture,
               double                x,
               double                y,
               MemscopeResizeHandle *self)
{
  g_assert (MEMSCOPE_IS_RESIZE_HANDLE (self));

  self->drag_start_width = self->width;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag       *gesture,
                double                dx,
                double                dy,
                MemscopeResizeHandle *self)
{
  g_assert (MEMSCOPE_IS_RESIZE_HANDLE (self));

  /* The handle is on the panel's start edge: moving it toward the start widens the panel. */
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    dx = -dx;
  memscope_resize_handle_set_width (self, self->drag_start_width - (int) dx);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MemscopeResizeHandle  *self)
{
  int step = MEMSCOPE_RESIZE_HANDLE_KEY_STEP;

  g_assert (MEMSCOPE_IS_RESIZE_HANDLE (self));

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    step = -step;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      memscope_resize_handle_set_width (self, self->width + step);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      memscope_resize_handle_set_width (self, self->width - step);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
memscope_resize_handle_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  int height = gtk_widget_get_height (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA line;

  /* A hairline like a separator; the focus ring shows when reached from the keyboard. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &line);
  line.alpha *= gtk_widget_has_focus (widget) ? 0.6f : 0.15f;
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (width / 2.0f - 0.5f, 0, 1, height));
}

static void
memscope_resize_handle_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? HANDLE_WIDTH : 1;
}

static void
memscope_resize_handle_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MemscopeResizeHandle *self = MEMSCOPE_RESIZE_HANDLE (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_resize_handle_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MemscopeResizeHandle *self = MEMSCOPE_RESIZE_HANDLE (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      memscope_resize_handle_set_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_resize_handle_class_init (MemscopeResizeHandleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = memscope_resize_handle_get_property;
  object_class->set_property = memscope_resize_handle_set_property;
  widget_class->snapshot = memscope_resize_handle_snapshot;
  widget_class->measure = memscope_resize_handle_measure;

  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH,
                      MEMSCOPE_RESIZE_HANDLE_MAX_WIDTH, 380,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "resizehandle");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SEPARATOR);
}

static void
memscope_resize_handle_init (MemscopeResizeHandle *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_autoptr(GdkCursor) cursor = gdk_cursor_new_from_name ("col-resize", NULL);

  self->width = 380;
  self->limit = G_MAXINT;
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_widget_set_cursor (GTK_WIDGET (self), cursor);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Drag, or focus and press ← or →, to resize the panel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Panel width"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_ORIENTATION,
                                  GTK_ORIENTATION_VERTICAL, -1);
  update_accessible (self);
}

GtkWidget *
memscope_resize_handle_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_RESIZE_HANDLE, NULL);
}

void
memscope_resize_handle_set_target (MemscopeResizeHandle *self,
                                   GtkWidget            *target)
{
  g_return_if_fail (MEMSCOPE_IS_RESIZE_HANDLE (self));
  g_return_if_fail (target == NULL || GTK_IS_WIDGET (target));

  self->target = target;
  update_target (self);
}

int
memscope_resize_handle_get_width (MemscopeResizeHandle *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RESIZE_HANDLE (self), 0);
  return self->width;
}

void
memscope_resize_handle_set_width (MemscopeResizeHandle *self,
                                  int                   width)
{
  g_return_if_fail (MEMSCOPE_IS_RESIZE_HANDLE (self));

  width = clamp_width (self, width);
  if (self->width == width)
    return;
  self->width = width;
  update_target (self);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
}

void
memscope_resize_handle_set_limit (MemscopeResizeHandle *self,
                                  int                   limit)
{
  g_return_if_fail (MEMSCOPE_IS_RESIZE_HANDLE (self));

  if (self->limit == limit)
    return;
  self->limit = limit;
  update_target (self);
}

int
memscope_resize_handle_get_limit (MemscopeResizeHandle *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_RESIZE_HANDLE (self), G_MAXINT);
  return self->limit;
}
