/* SPDX-License-Identifier: MIT */
/* LEAK / SPIKE / ZOMBIE pills whose tooltips give the detector's explanation. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-tag-pills.h"
#include "ms-types.h"

static const struct
{
  guint tag;
  const char *css_class;
} pill_kinds[] = {
  { MS_TAG_LEAK, "leak" },
  { MS_TAG_SPIKE, "spike" },
  { MS_TAG_ZOMBIE, "zombie" },
};

#define N_PILLS G_N_ELEMENTS (pill_kinds)

struct _MemscopeTagPills
{
  GtkWidget parent_instance;

  /* owned (children, each made when its tag is first set) */
  GtkWidget *pills[3];

  char *explanation;
  guint tags;
};

G_DEFINE_FINAL_TYPE (MemscopeTagPills, memscope_tag_pills, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAGS,
  PROP_EXPLANATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
memscope_tag_name (guint tag)
{
  switch (tag)
    {
    case MS_TAG_LEAK:
      return _("LEAK");
    case MS_TAG_SPIKE:
      return _("SPIKE");
    case MS_TAG_ZOMBIE:
      return _("ZOMBIE");
    default:
      return NULL;
    }
}

static const char *
fallback_explanation (guint tag)
{
  switch (tag)
    {
    case MS_TAG_LEAK:
      return _("Memory keeps growing and does not level off");
    case MS_TAG_SPIKE:
      return _("Memory jumped within a few seconds");
    case MS_TAG_ZOMBIE:
      return _("The process has exited but its parent has not collected it (state Z)");
    default:
      return NULL;
    }
}

/* A pill's label is made the first time its tag is set: most rows never carry one, and the list
 * keeps the widgets of a few hundred rows. */
static void
add_pill (MemscopeTagPills *self,
          guint             i)
{
  GtkWidget *previous = NULL;

  for (guint k = 0; k < i; k++)
    if (self->pills[k] != NULL)
      previous = self->pills[k];
  self->pills[i] = gtk_label_new (memscope_tag_name (pill_kinds[i].tag));
  gtk_widget_add_css_class (self->pills[i], "pill");
  gtk_widget_add_css_class (self->pills[i], pill_kinds[i].css_class);
  gtk_widget_set_valign (self->pills[i], GTK_ALIGN_CENTER);
  gtk_widget_insert_after (self->pills[i], GTK_WIDGET (self), previous);
}

static void
update_pills (MemscopeTagPills *self)
{
  g_assert (MEMSCOPE_IS_TAG_PILLS (self));

  for (guint i = 0; i < N_PILLS; i++)
    {
      gboolean on = (self->tags & pill_kinds[i].tag) != 0;

      if (on && self->pills[i] == NULL)
        add_pill (self, i);
      if (self->pills[i] != NULL)
        gtk_widget_set_visible (self->pills[i], on);
      if (on)
        {
          const char *why = self->explanation != NULL && *self->explanation != '\0'
                              ? self->explanation
                              : fallback_explanation (pill_kinds[i].tag);

          gtk_widget_set_tooltip_text (self->pills[i], why);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->pills[i]),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
        }
    }
}

static void
memscope_tag_pills_dispose (GObject *object)
{
  MemscopeTagPills *self = (MemscopeTagPills *) object;

  for (guint i = 0; i < N_PILLS; i++)
    g_clear_pointer (&self->pills[i], gtk_widget_unparent);
  g_clear_pointer (&self->explanation, g_free);

  G_OBJECT_CLASS (memscope_tag_pills_parent_class)->dispose (object);
}

static void
memscope_tag_pills_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MemscopeTagPills *self = MEMSCOPE_TAG_PILLS (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      g_value_set_uint (value, self->tags);
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, self->explanation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_tag_pills_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MemscopeTagPills *self = MEMSCOPE_TAG_PILLS (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      memscope_tag_pills_set_tags (self, g_value_get_uint (value));
      break;
    case PROP_EXPLANATION:
      memscope_tag_pills_set_explanation (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_tag_pills_class_init (MemscopeTagPillsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_tag_pills_dispose;
  object_class->get_property = memscope_tag_pills_get_property;
  object_class->set_property = memscope_tag_pills_set_property;

  properties[PROP_TAGS] =
    g_param_spec_uint ("tags", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPLANATION] =
    g_param_spec_string ("explanation", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "tagpills");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
memscope_tag_pills_init (MemscopeTagPills *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
}

GtkWidget *
memscope_tag_pills_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_TAG_PILLS, NULL);
}

guint
memscope_tag_pills_get_tags (MemscopeTagPills *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TAG_PILLS (self), 0);
  return self->tags;
}

void
memscope_tag_pills_set_tags (MemscopeTagPills *self,
                             guint             tags)
{
  g_return_if_fail (MEMSCOPE_IS_TAG_PILLS (self));

  if (self->tags == tags)
    return;
  self->tags = tags;
  update_pills (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

const char *
memscope_tag_pills_get_explanation (MemscopeTagPills *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TAG_PILLS (self), NULL);
  return self->explanation;
}

void
memscope_tag_pills_set_explanation (MemscopeTagPills *self,
                                    const char       *explanation)
{
  g_return_if_fail (MEMSCOPE_IS_TAG_PILLS (self));

  if (g_strcmp0 (self->explanation, explanation) == 0)
    return;
  g_free (self->explanation);
  self->explanation = g_strdup (explanation);
  update_pills (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLANATION]);
}
