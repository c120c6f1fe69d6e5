/* SPDX-License-Identifier: MIT */
/* The tray item as a host reads it over D-Bus, on a bus of its own: pixmaps of valid sizes that
 * show on dark and light panels, an icon theme path holding the named icons, and attention that
 * changes the icon itself with NewIcon.  Also where a build-tree run finds its icons and
 * translations. */

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "memscope-alerts.h"
#include "memscope-data-dirs-private.h"
#include "memscope-tray-private.h"
#include "ms-test.h"

#define ITEM_IFACE "org.kde.StatusNotifierItem"
#define WAIT_MS 10000

static GDBusConnection *tray_connection;
static GDBusConnection *host;

static GDBusConnection *
connect_to (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *count reaches want; FALSE when WAIT_MS passed first. */
static gboolean
wait_for_count (const guint *count,
                guint        want)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (WAIT_MS, timed_out_cb, &timed_out);

  while (*count < want && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return *count >= want;
}

typedef struct
{
  guint done;
  GVariant *value;
} Reply;

static void
got_property_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Reply *reply = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) answer =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  g_assert_no_error (error);
  g_variant_get (answer, "(v)", &reply->value);
  reply->done = 1;
}

/* A property of the item as the host reads it (asynchronously: the item answers from this
 * thread's main context). */
static GVariant *
item_property (const char *name)
{
  Reply reply = { 0, NULL };

  g_dbus_connection_call (host, g_dbus_connection_get_unique_name (tray_connection),
                          MEMSCOPE_TRAY_ITEM_PATH, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", ITEM_IFACE, name), G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, got_property_cb, &reply);
  g_assert_true (wait_for_count (&reply.done, 1));
  return reply.value;
}

static char *
item_string (const char *name)
{
  g_autoptr(GVariant) value = item_property (name);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_dup_string (value, NULL);
}

static void
new_icon_cb (GDBusConnection *connection,
             const char      *sender,
             const char      *path,
             const char      *iface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         data)
{
  guint *n_new_icons = data;

  (*n_new_icons)++;
}

/* WCAG's relative luminance of an sRGB colour, channels 0–1. */
static double
luminance (const double rgb[3])
{
  double sum = 0;
  static const double weights[3] = { 0.2126, 0.7152, 0.0722 };

  for (int c = 0; c < 3; c++)
    {
      double v = rgb[c] <= 0.04045 ? rgb[c] / 12.92 : pow ((rgb[c] + 0.055) / 1.055, 2.4);

      sum += weights[c] * v;
    }
  return sum;
}

static double
contrast (double a,
          double b)
{
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

/* Panels the icon must show on: GTK's dark and light header bars, black and white. */
static const double panels[][3] = {
  { 0.188, 0.188, 0.188 },
  { 0.922, 0.922, 0.922 },
  { 0.0, 0.0, 0.0 },
  { 1.0, 1.0, 1.0 },
};

/* Checks one a(iiay) pixmap as the specification has it and returns its images as cairo
 * surfaces, smallest first. */
static GPtrArray *
check_pixmap (GVariant *pixmap)
{
  static const int sizes[] = { 16, 22, 32, 48 };
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  GVariantIter iter;
  gint32 width, height;
  GVariant *bytes;
  guint i = 0;

  g_assert_true (g_variant_is_of_type (pixmap, G_VARIANT_TYPE ("a(iiay)")));
  g_assert_cmpuint (g_variant_n_children (pixmap), ==, G_N_ELEMENTS (sizes));
  g_variant_iter_init (&iter, pixmap);
  while (g_variant_iter_next (&iter, "(ii@ay)", &width, &height, &bytes))
    {
      gsize n_bytes;
      const guint8 *data = g_variant_get_fixed_array (bytes, &n_bytes, 1);
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      guint8 *pixels = cairo_image_surface_get_data (image);
      int stride = cairo_image_surface_get_stride (image);
      guint n_transparent = 0;

      g_assert_cmpint (width, ==, sizes[i]);
      g_assert_cmpint (height, ==, sizes[i]);
      g_assert_cmpuint (n_bytes, ==, (gsize) width * height * 4);

      /* Network byte order, A R G B, not premultiplied: into cairo's premultiplied words. */
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            const guint8 *p = data + ((gsize) y * width + x) * 4;
            guint a = p[0];
            guint32 word = (guint32) a << 24;

            if (a == 0)
              {
                n_transparent++;
                g_assert_cmpuint (p[1] | p[2] | p[3], ==, 0);
              }
            for (int c = 0; c < 3; c++)
              word |= (guint32) ((p[1 + c] * a + 127) / 255) << (16 - 8 * c);
            ((guint32 *) (pixels + (gsize) y * stride))[x] = word;
          }
      cairo_surface_mark_dirty (image);
      /* An icon, not a filled square. */
      g_assert_cmpuint (n_transparent, >, (guint) (width * height) / 8);
      g_assert_cmpuint (n_transparent, <, (guint) (width * height) * 7 / 8);

      /* On every panel, enough of it stands out (WCAG's 3:1 for graphics) to be seen. */
      for (guint k = 0; k < G_N_ELEMENTS (panels); k++)
        {
          double panel_luminance = luminance (panels[k]);
          guint n_visible = 0;

          for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
              {
                const guint8 *p = data + ((gsize) y * width + x) * 4;
                double alpha = p[0] / 255.0;
                double rgb[3];

                for (int c = 0; c < 3; c++)
                  rgb[c] = alpha * p[1 + c] / 255.0 + (1 - alpha) * panels[k][c];
                if (contrast (luminance (rgb), panel_luminance) >= 3.0)
                  n_visible++;
              }
          g_assert_cmpuint (n_visible, >=, (guint) (width * height) / 5);
        }
      g_ptr_array_add (images, image);
      g_variant_unref (bytes);
      i++;
    }
  return images;
}

/* Both icons at every size on each panel, as a host draws the pixmaps, for a person to look at. */
static void
save_pixmaps (GPtrArray *quiet,
              GPtrArray *attention)
{
  const int cell = 56;
  cairo_surface_t *sheet = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                                       cell * quiet->len * 2,
                                                       cell * G_N_ELEMENTS (panels));
  cairo_t *cr = cairo_create (sheet);
  g_autofree char *png = g_build_filename (g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR")
                                                                    : ".",
                                           "tray-pixmaps.png", NULL);

  for (guint k = 0; k < G_N_ELEMENTS (panels); k++)
    {
      cairo_set_source_rgb (cr, panels[k][0], panels[k][1], panels[k][2]);
      cairo_rectangle (cr, 0, k * cell, cell * quiet->len * 2, cell);
      cairo_fill (cr);
      for (guint i = 0; i < quiet->len * 2; i++)
        {
          cairo_surface_t *image = g_ptr_array_index (i < quiet->len ? quiet : attention,
                                                      i % quiet->len);
          int size = cairo_image_surface_get_width (image);

          cairo_set_source_surface (cr, image, i * cell + (cell - size) / 2,
                                    k * cell + (cell - size) / 2);
          cairo_paint (cr);
        }
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (sheet, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (sheet);
  g_test_message ("pixmaps on dark and light panels: %s", png);
}

static void
set_one_leak (MemscopeTray *tray)
{
  g_autoptr(GArray) leaks = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  MemscopeAlertProcess p = {
    .pid = 4242,
    .starttime = 1,
    .name = (char *) "leaky",
    .rate_kib_s = 8192,
    .duration_s = 90,
    .exhaust_s = NAN,
    .jump_kib = NAN,
    .footprint_kib = 1 << 20,
    .growth_kib = 1 << 19,
  };

  g_array_append_val (leaks, p);
  memscope_tray_set_leaks (tray, leaks);
}

/* The top-level menu item whose label holds `text`, as the menu server exports it (on the
 * session bus, so read here in process); NULL when there is none. */
static DbusmenuMenuitem *
find_menu_item (MemscopeTray *tray,
                const char   *text)
{
  DbusmenuMenuitem *root = memscope_tray_get_menu_root (tray);

  for (GList *l = dbusmenu_menuitem_get_children (root); l != NULL; l = l->next)
    {
      const char *label = dbusmenu_menuitem_property_get (l->data, DBUSMENU_MENUITEM_PROP_LABEL);

      if (label != NULL && strstr (label, text) != NULL)
        return l->data;
    }
  return NULL;
}

typedef struct
{
  guint n_local;
  guint n_remote;
  gint32 pid;
  char *machine;
} Inspected;

static void
inspect_cb (MemscopeTray *tray,
            gint          pid,
            guint64       starttime,
            Inspected    *seen)
{
  seen->n_local++;
  seen->pid = pid;
}

static void
inspect_remote_cb (MemscopeTray *tray,
                   const char   *machine,
                   gint          pid,
                   guint64       starttime,
                   Inspected    *seen)
{
  seen->n_remote++;
  seen->pid = pid;
  g_free (seen->machine);
  seen->machine = g_strdup (machine);
}

static void
click (DbusmenuMenuitem *item)
{
  dbusmenu_menuitem_handle_event (item, DBUSMENU_MENUITEM_EVENT_ACTIVATED, NULL, 0);
}

/* The same pid leaking here and on another machine: two entries, the remote one naming its
 * machine and inspecting the process there.  On test_item's tray: a tray made and dropped at once
 * would leave its menu server still getting the session bus as the test bus goes down. */
static void
check_remote_leak (MemscopeTray *tray)
{
  g_autoptr(GArray) leaks = g_array_new (FALSE, TRUE, sizeof (MemscopeAlertProcess));
  MemscopeAlertProcess local = {
    .pid = 4242, .starttime = 1, .name = (char *) "leaky", .rate_kib_s = 8192,
    .duration_s = 90, .exhaust_s = NAN, .jump_kib = NAN, .footprint_kib = 1 << 20,
    .growth_kib = 1 << 19,
  };
  MemscopeAlertProcess remote = local;
  g_autoptr(GVariant) tooltip = NULL;
  g_autofree char *text = NULL;
  Inspected seen = { 0 };
  DbusmenuMenuitem *local_item;
  DbusmenuMenuitem *remote_item;

  remote.name = (char *) "leak-sim";
  remote.machine = (char *) "build_box";
  g_array_append_val (leaks, remote);
  g_array_append_val (leaks, local);
  memscope_tray_set_leaks (tray, leaks);
  g_signal_connect (tray, "inspect", G_CALLBACK (inspect_cb), &seen);
  g_signal_connect (tray, "inspect-remote", G_CALLBACK (inspect_remote_cb), &seen);

  /* The machine's own underscore is no mnemonic mark. */
  remote_item = find_menu_item (tray, "Inspect leak-sim on build__box (");
  local_item = find_menu_item (tray, "Inspect leaky (");
  g_assert_nonnull (remote_item);
  g_assert_nonnull (local_item);
  g_assert_true (remote_item != local_item);
  tooltip = item_property ("ToolTip");
  g_variant_get_child (tooltip, 3, "s", &text);
  g_assert_nonnull (strstr (text, "leak-sim on build_box (pid 4242)"));
  g_assert_nonnull (strstr (text, "leaky (pid 4242)"));

  click (remote_item);
  g_assert_true (wait_for_count (&seen.n_remote, 1));
  g_assert_cmpstr (seen.machine, ==, "build_box");
  g_assert_cmpint (seen.pid, ==, 4242);
  g_assert_cmpuint (seen.n_local, ==, 0);
  click (local_item);
  g_assert_true (wait_for_count (&seen.n_local, 1));
  g_assert_cmpuint (seen.n_remote, ==, 1);
  g_free (seen.machine);
  g_signal_handlers_disconnect_by_data (tray, &seen);
  memscope_tray_set_leaks (tray, NULL);
}

static void
test_item (void)
{
  g_autoptr(MemscopeTray) tray = memscope_tray_new (tray_connection);
  g_autoptr(GVariant) quiet_pixmap = NULL;
  g_autoptr(GVariant) attention_pixmap = NULL;
  g_autoptr(GVariant) pixmap = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GPtrArray) quiet_images = NULL;
  g_autoptr(GPtrArray) attention_images = NULL;
  g_autofree char *quiet_name = NULL;
  g_autofree char *attention_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *theme_path = NULL;
  g_autofree char *status = NULL;
  guint n_new_icons = 0;
  guint subscription;

  subscription = g_dbus_connection_signal_subscribe (
    host, g_dbus_connection_get_unique_name (tray_connection), ITEM_IFACE, "NewIcon",
    MEMSCOPE_TRAY_ITEM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, new_icon_cb, &n_new_icons, NULL);

  quiet_name = item_string ("IconName");
  attention_name = item_string ("AttentionIconName");
  g_assert_cmpstr (quiet_name, ==, APP_ID "-tray-symbolic");
  g_assert_cmpstr (attention_name, ==, APP_ID "-tray-attention-symbolic");
  quiet_pixmap = item_property ("IconPixmap");
  attention_pixmap = item_property ("AttentionIconPixmap");
  quiet_images = check_pixmap (quiet_pixmap);
  attention_images = check_pixmap (attention_pixmap);
  g_assert_false (g_variant_equal (quiet_pixmap, attention_pixmap));
  save_pixmaps (quiet_images, attention_images);

  /* The theme path is the one memscope looks its icons up in (this test program is no build of
   * memscope, so the installed one; test_build_tree covers the build tree's). */
  theme_path = item_string ("IconThemePath");
  g_assert_cmpstr (theme_path, ==, memscope_data_dirs_get_icon_theme_dir ());

  /* A leak: the icon itself turns to the attention icon, and the host is told. */
  set_one_leak (tray);
  g_assert_true (wait_for_count (&n_new_icons, 1));
  name = item_string ("IconName");
  g_assert_cmpstr (name, ==, attention_name);
  pixmap = item_property ("IconPixmap");
  g_assert_true (g_variant_equal (pixmap, attention_pixmap));
  status = item_string ("Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  tooltip = item_property ("ToolTip");
  g_assert_true (g_variant_is_of_type (tooltip, G_VARIANT_TYPE ("(sa(iiay)ss)")));
  g_clear_pointer (&name, g_free);
  g_variant_get_child (tooltip, 0, "s", &name);
  g_assert_cmpstr (name, ==, attention_name);
  g_assert_cmpuint (n_new_icons, ==, 1);

  /* Another tick of the same leak changes no icon (the property read after it arrives after any
   * signal sent before it). */
  set_one_leak (tray);
  g_clear_pointer (&name, g_free);
  name = item_string ("IconName");
  g_assert_cmpstr (name, ==, attention_name);
  g_assert_cmpuint (n_new_icons, ==, 1);

  /* Quiet again. */
  memscope_tray_set_leaks (tray, NULL);
  g_clear_pointer (&name, g_free);
  name = item_string ("IconName");
  g_assert_cmpstr (name, ==, quiet_name);
  g_assert_true (wait_for_count (&n_new_icons, 2));
  g_clear_pointer (&pixmap, g_variant_unref);
  pixmap = item_property ("IconPixmap");
  g_assert_true (g_variant_equal (pixmap, quiet_pixmap));
  g_assert_cmpuint (n_new_icons, ==, 2);

  check_remote_leak (tray);

  g_dbus_connection_signal_unsubscribe (host, subscription);
}

/* memscope built here finds its icons and its catalogues in this build directory; a program
 * elsewhere is taken as installed. */
static void
test_build_tree (void)
{
  const char *memscope = g_getenv ("MS_MEMSCOPE");
  const char *builddir = g_getenv ("MS_BUILDDIR");
  g_autofree char *root = NULL;
  g_autofree char *real_builddir = NULL;
  g_autofree char *fake_root = NULL;
  g_autofree char *fake_program = NULL;
  g_autofree char *fake_marker_dir = NULL;
  g_autofree char *fake_marker = NULL;
  g_autofree char *mo = NULL;

  g_assert_nonnull (memscope);
  g_assert_nonnull (builddir);
  root = memscope_data_dirs_find_build_root (memscope);
  g_assert_nonnull (root);
  real_builddir = g_canonicalize_filename (builddir, NULL);
  g_assert_cmpstr (root, ==, real_builddir);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *icon = g_strconcat (APP_ID, i == 0 ? "-tray-symbolic.svg"
                                                          : "-tray-attention-symbolic.svg", NULL);
      g_autofree char *path = g_build_filename (root, "data", "icons", "hicolor", "symbolic",
                                                "apps", icon, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  mo = g_build_filename (root, "po", "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  /* An installed layout, and a src/app that is no meson build's. */
  g_assert_null (memscope_data_dirs_find_build_root ("/usr/bin/memscope"));
  g_assert_null (memscope_data_dirs_find_build_root ("memscope"));
  fake_root = g_dir_make_tmp ("memscope-build-XXXXXX", NULL);
  g_assert_nonnull (fake_root);
  fake_program = g_build_filename (fake_root, "src", "app", "memscope", NULL);
  g_assert_null (memscope_data_dirs_find_build_root (fake_program));
  fake_marker_dir = g_build_filename (fake_root, "meson-info", NULL);
  g_assert_cmpint (g_mkdir (fake_marker_dir, 0755), ==, 0);
  fake_marker = g_build_filename (fake_marker_dir, "meson-info.json", NULL);
  g_assert_true (g_file_set_contents (fake_marker, "{}", -1, NULL));
  g_clear_pointer (&root, g_free);
  root = memscope_data_dirs_find_build_root (fake_program);
  g_assert_cmpstr (root, ==, fake_root);
  ms_test_remove_tree (fake_root);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  tray_connection = connect_to (bus);
  host = connect_to (bus);

  g_test_add_func ("/tray/item", test_item);
  g_test_add_func ("/tray/build-tree", test_build_tree);
  status = g_test_run ();

  g_dbus_connection_close_sync (host, NULL, NULL);
  g_dbus_connection_close_sync (tray_connection, NULL, NULL);
  g_clear_object (&host);
  g_clear_object (&tray_connection);
  g_test_dbus_down (bus);
  return status;
}
