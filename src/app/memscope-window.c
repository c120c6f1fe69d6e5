/* SPDX-License-Identifier: MIT */
/* The main window: the live process list with its header bar, banners and inspect panel. */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <unistd.h>

#include "memscope-cell.h"
#include "memscope-format.h"
#include "memscope-host-banner.h"
#include "memscope-inspect-panel.h"
#include "memscope-resize-handle.h"
#include "memscope-memory-gauge.h"
#include "memscope-sort-model.h"
#include "memscope-sparkline.h"
#include "memscope-tag-pills.h"
#include "memscope-timeline-pane.h"
#include "memscope-window.h"

/* Snapshots to wait for a process to be listed before inspecting it is given up. */
#define PENDING_TRIES 5

/* How long the undo bar stays after a reset, unless it has the keyboard focus. */
#define UNDO_SHOWN_MS 10000

/* How many characters of a remote machine's name the header bar always shows. */
#define REMOTE_LABEL_MIN_CHARS 20

/* The list's columns, in order (column_keys names them). */
enum { COLUMN_PID, COLUMN_NAME, COLUMN_USER, COLUMN_RSS, COLUMN_PSS, COLUMN_SWAP, COLUMN_CPU,
       COLUMN_DELTA, COLUMN_TAGS, COLUMN_STARTED, N_COLUMNS };

struct _MemscopeWindow
{
  GtkApplicationWindow parent_instance;

  /* template widgets */
  MemscopeMemoryGauge *gauge;
  MemscopeHostBanner *host_banner;
  GtkLabel *remote_label;
  GtkSearchEntry *search_entry;
  GtkMenuButton *filter_button;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkRevealer *paused_revealer;
  GtkLabel *paused_label;
  GtkRevealer *pss_revealer;
  GtkLabel *pss_label;
  GtkRevealer *undo_revealer;
  GtkLabel *undo_label;
  GtkWidget *undo_button;
  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkColumnView *column_view;
  GtkColumnViewColumn *pid_column;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *user_column;
  GtkColumnViewColumn *rss_column;
  GtkColumnViewColumn *pss_column;
  GtkColumnViewColumn *swap_column;
  GtkColumnViewColumn *cpu_column;
  GtkColumnViewColumn *delta_column;
  GtkColumnViewColumn *tags_column;
  GtkColumnViewColumn *started_column;
  GtkLabel *empty_title;
  GtkLabel *empty_detail;
  GtkWidget *panel_separator;
  MemscopeInspectPanel *inspect_panel;
  MemscopeTimelinePane *timeline_pane;

  /* owned */
  GSettings *settings;
  MemscopeSamplerThread *sampler;
  MemscopeHistory *history;
  MemscopeProcessModel *model;
  MemscopeSortModel *sort_model;
  GtkTreeListRowSorter *row_sorter;
  GtkFilterListModel *filter_model;
  GtkCustomFilter *filter;
  GtkSingleSelection *selection;
  MemscopeSnapshot *held;          /* the newest snapshot while paused */
  char *search_fold;               /* casefolded search text, NULL when empty */
  GArray *undo_baselines;          /* ms_baseline_t before the last reset, while it can be undone */
  guint undo_timeout_id;
  guint undo_shown_ms;

  MemscopeProcessRow *focused_row; /* inspected while the window is shown and active */

  /* borrowed */
  GtkColumnViewColumn *key_sort_column;

  /* win.inspect-process asked for a process not listed yet */
  gint32 pending_pid;
  guint64 pending_starttime;
  guint pending_tries;

  double held_scroll_value;      /* the offset to keep through the next layout */
  gboolean holding_scroll;
  gboolean restoring_scroll;
  gboolean start_pending;        /* show the list's start once the new order is laid out */
  gulong after_paint_id;
  GdkFrameClock *frame_clock;    /* borrowed while realized */

  /* Columns that make room for Name, Delta, Tags and Started in a narrow list: bits of
   * column_keys, set while the list's viewport is narrower than its columns. */
  guint yielded_columns;
  int yielded_width[N_COLUMNS];  /* what each freed when it yielded */
  guint fit_columns_id;

  gboolean key_sort_reversed;
  gboolean paused;
  gboolean pss_dismissed;
  gboolean only_tagged;
  gboolean only_mine;
  gboolean hide_kernel;  /* kernel threads hold no user memory: hidden unless asked for */
  uid_t my_uid;
};

G_DEFINE_FINAL_TYPE (MemscopeWindow, memscope_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SAMPLER,
  PROP_HISTORY,
  PROP_PAUSED,
  PROP_FOCUSED_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_focused_row (MemscopeWindow *self);
static void update_filter_button (MemscopeWindow *self);
static void retry_pending      (MemscopeWindow *self);

static const char *column_keys[] = {
  "pid", "name", "user", "rss", "pss", "swap", "cpu", "delta", "tags", "started",
};

/* ---- columns that yield in a narrow list ---- */

static GtkColumnViewColumn *
column_at (MemscopeWindow *self,
           guint           index)
{
  GtkColumnViewColumn *columns[N_COLUMNS] = {
    self->pid_column, self->name_column, self->user_column, self->rss_column,
    self->pss_column, self->swap_column, self->cpu_column, self->delta_column,
    self->tags_column, self->started_column,
  };

  g_assert (index < N_COLUMNS);
  return columns[index];
}

/* Each column is shown when the user wants it and it has not yielded its room. */
static void
apply_column_visibility (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autofree char *key = g_strdup_printf ("column-%s-visible", column_keys[i]);
      gboolean visible = g_settings_get_boolean (self->settings, key)
                         && (self->yielded_columns & (1u << i)) == 0;

      if (gtk_column_view_column_get_visible (column_at (self, i)) != visible)
        gtk_column_view_column_set_visible (column_at (self, i), visible);
    }
}

/* Which columns make room first when the list is narrow (the inspect panel open, a small window):
 * the app is about growth, so Name, Delta, Tags and Started stay; CPU, the user, swap, the PID
 * and the memory figure the list does not sort by go, in that order, the other one last. */
static guint
yield_order (MemscopeWindow *self,
             guint           step)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  gboolean pss_first = g_settings_get_enum (self->settings, "memory-value") == 1;
  const guint order[] = { COLUMN_CPU, COLUMN_USER, COLUMN_SWAP, COLUMN_PID,
                          pss_first ? COLUMN_RSS : COLUMN_PSS,
                          pss_first ? COLUMN_PSS : COLUMN_RSS };

  return step < G_N_ELEMENTS (order) ? order[step] : N_COLUMNS;
}

/* What the columns need side by side: a list narrower than that scrolls sideways. */
static int
columns_width (MemscopeWindow *self)
{
  int minimum = 0, natural = 0;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  gtk_widget_measure (GTK_WIDGET (self->column_view), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  return minimum;
}

/* How wide the column is laid out now: its title in the list's header (GTK 4.8 keeps one per
 * column, in the columns' order, and gives columns no width of their own). */
static int
column_width (MemscopeWindow *self,
              guint           index)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GtkWidget *title = header != NULL ? gtk_widget_get_first_child (header) : NULL;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  for (guint i = 0; i < index && title != NULL; i++)
    title = gtk_widget_get_next_sibling (title);
  return title != NULL && gtk_widget_get_visible (title) ? gtk_widget_get_width (title) : 0;
}

/* Past the columns that yield, the panel gives up width (down to its minimum; what no longer
 * fits in it is cut at its edge) so Name, Delta, Tags and Started fit beside it.  As room comes
 * it takes width back up to the user's, or to what its content needs when that is more (a long
 * translation), so nothing is cut where there is room.  Returns the slack left. */
static int
fit_panel (MemscopeWindow *self,
           int             slack)
{
  MemscopeInspectPanel *panel = self->inspect_panel;
  int wanted = memscope_inspect_panel_get_width (panel);
  int limit = memscope_inspect_panel_get_max_width (panel);
  int shown = limit != G_MAXINT ? limit : wanted;
  int target = MAX (wanted, memscope_inspect_panel_get_content_min_width (panel));
  int before;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (panel)) || slack == 0)
    return slack;
  before = shown;
  if (slack < 0)
    shown = MAX (shown + slack, MIN (shown, MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH));
  else if (shown < target)
    shown = MIN (shown + slack, target);
  else if (shown > target)
    shown = target;
  memscope_inspect_panel_set_max_width (panel, shown == wanted ? G_MAXINT : shown);
  return slack - (shown - before);
}

/* Runs once the list is laid out: the sizes measured now are the ones drawn.  A column view
 * narrower than its columns is allocated their minimum widths, so what a column frees is its
 * width now; it is kept to know when the column fits again. */
static gboolean
fit_columns_cb (gpointer data)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->scroller);
  int room = (int) gtk_adjustment_get_page_size (adjustment);
  int slack = room - columns_width (self);
  guint step = 0;
  gboolean changed = FALSE;
  gboolean yielded_now;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  self->fit_columns_id = 0;
  if (room <= 0)
    return G_SOURCE_REMOVE;

  while (yield_order (self, step) < N_COLUMNS
         && (self->yielded_columns & (1u << yield_order (self, step))) != 0)
    step++;
  /* Narrower than the columns: the next in line yield until they fit. */
  while (slack < 0 && yield_order (self, step) < N_COLUMNS)
    {
      guint index = yield_order (self, step++);
      int width = column_width (self, index);

      self->yielded_columns |= 1u << index;
      self->yielded_width[index] = width;
      slack += width;
      changed = TRUE;
    }
  yielded_now = changed;
  /* Wider: the panel takes back the width it gave up, then the last to yield come back while
   * they fit. */
  if (!yielded_now && slack > 0)
    slack = MAX (fit_panel (self, slack), 0);
  while (!yielded_now && step > 0 && self->yielded_width[yield_order (self, step - 1)] <= slack)
    {
      guint index = yield_order (self, --step);

      self->yielded_columns &= ~(1u << index);
      slack -= self->yielded_width[index];
      changed = TRUE;
    }
  if (changed)
    apply_column_visibility (self);
  if (slack < 0)
    fit_panel (self, slack);
  return G_SOURCE_REMOVE;
}

/* The list's viewport or its columns changed size: fit them once this layout is done (a
 * column's visibility cannot change while the list is being allocated). */
static void
list_width_changed_cb (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (self->fit_columns_id == 0)
    self->fit_columns_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_columns_cb, self, NULL);
}

static void
column_setting_changed_cb (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  apply_column_visibility (self);
  list_width_changed_cb (self);
}

/* ---- the list's cells, built in code ----
 *
 * GTK 4.8's list view keeps widgets for up to 200 rows and builds a new row's widgets from
 * scratch when a process arrives.  Cells built here cost a few widgets and one signal handler per
 * property shown; a GtkBuilderListItemFactory parsed its XML and set up expression watches
 * (several per cell) for every new row. */

typedef struct
{
  GtkWidget *(*setup) (void);
  void (*show) (GtkWidget *child, MemscopeProcessRow *row);
  const char *watch[5];          /* the row's properties the cell shows, NULL-terminated */
} CellKind;

static GQuark cell_kind_quark;

/* The row a list item shows, kept from bind to unbind: the tree's row forgets its item when it
 * leaves the model, before the list unbinds it. */
static GQuark bound_row_quark;

static GtkWidget *
numeric_cell_new (const char *sample)
{
  return g_object_new (MEMSCOPE_TYPE_CELL, "xalign", 1.0f, "numeric", TRUE, "sample", sample,
                       NULL);
}

static GtkWidget *
setup_pid (void)
{
  return numeric_cell_new ("4194304");
}

static void
show_pid (GtkWidget          *child,
          MemscopeProcessRow *row)
{
  g_autofree char *text = NULL;
  int pid = memscope_process_row_get_pid (row);

  if (!memscope_process_row_get_is_group (row) && pid > 0)
    text = g_strdup_printf ("%d", pid);
  memscope_cell_set_text (MEMSCOPE_CELL (child), text != NULL ? text : "");
}

static GtkWidget *
setup_name (void)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *name = g_object_new (MEMSCOPE_TYPE_CELL, "width-chars", 10, "max-width-chars", 24,
                                  "hexpand", TRUE, NULL);
  GtkWidget *members = g_object_new (MEMSCOPE_TYPE_CELL, "width-chars", 11, NULL);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 16);
  gtk_widget_add_css_class (members, "dim-label");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), members);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  return expander;
}

static void
show_name (GtkWidget          *child,
           MemscopeProcessRow *row)
{
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (image);
  GtkWidget *members = gtk_widget_get_next_sibling (name);
  GIcon *icon = memscope_process_row_get_icon (row);
  gboolean is_group = memscope_process_row_get_is_group (row);
  g_autofree char *count = NULL;

  if (gtk_image_get_gicon (GTK_IMAGE (image)) != icon)
    gtk_image_set_from_gicon (GTK_IMAGE (image), icon);
  gtk_widget_set_visible (image, icon != NULL);
  memscope_cell_set_text (MEMSCOPE_CELL (name), memscope_process_row_get_name (row));
  memscope_cell_set_tooltip (MEMSCOPE_CELL (name), memscope_process_row_get_cmdline (row));
  if (is_group)
    {
      guint n = memscope_process_row_get_n_members (row);

      count = g_strdup_printf (ngettext ("%u process", "%u processes", n), n);
    }
  memscope_cell_set_text (MEMSCOPE_CELL (members), count != NULL ? count : "");
  gtk_widget_set_visible (members, is_group);
}

static GtkWidget *
setup_user (void)
{
  return g_object_new (MEMSCOPE_TYPE_CELL, "width-chars", 8, NULL);
}

static void
show_user (GtkWidget          *child,
           MemscopeProcessRow *row)
{
  memscope_cell_set_text (MEMSCOPE_CELL (child), memscope_process_row_get_user (row));
}

static GtkWidget *
setup_size (void)
{
  return numeric_cell_new ("9999.9 MiB");
}

static void
show_rss (GtkWidget          *child,
          MemscopeProcessRow *row)
{
  g_autofree char *text = memscope_format_size (memscope_process_row_get_rss_kib (row));

  memscope_cell_set_text (MEMSCOPE_CELL (child), text);
}

static char *
format_pss (gint64   pss_kib,
            gboolean stale,
            guint    n_rss_members,
            gboolean is_group)
{
  g_autofree char *size = memscope_format_size (pss_kib);

  if (pss_kib < 0)
    return g_steal_pointer (&size);
  if (stale)
    /* Translators: a PSS read longer ago than memscope promises; shown, and sorted on, as it is,
     * but never passed off as current. */
    return g_strdup_printf (_("%s (old)"), size);
  if (is_group && n_rss_members > 0)
    /* Translators: a summed PSS that counts some members' RSS instead; the tooltip says so. */
    return g_strdup_printf (_("%s (+RSS)"), size);
  return g_steal_pointer (&size);
}

static char *
pss_tooltip (gint64   pss_kib,
             gboolean stale,
             guint    n_rss_members,
             gboolean is_group)
{
  if (is_group && n_rss_members > 0)
    return g_strdup_printf (ngettext ("Sum of PSS, plus the resident size (RSS) of %u process "
                                      "whose PSS is unknown",
                                      "Sum of PSS, plus the resident size (RSS) of %u processes "
                                      "whose PSS is unknown", n_rss_members), n_rss_members);
  if (is_group)
    return g_strdup (_("Sum of the members' proportional memory (PSS)"));
  if (pss_kib < 0)
    return g_strdup (_("PSS unknown: the kernel shows a process's proportional memory only to "
                       "its owner and to root. To see it: sudo memscope-probe snapshot --pss"));
  if (stale)
    return g_strdup (_("PSS read over a minute ago: more processes need reading than the "
                       "budget allows. The inspected process is read every tick"));
  return g_strdup (_("Proportional memory: shared pages divided among their users"));
}

static void
show_pss (GtkWidget          *child,
          MemscopeProcessRow *row)
{
  gint64 pss_kib = memscope_process_row_get_pss_kib (row);
  gboolean stale = memscope_process_row_get_pss_stale (row);
  guint n_rss_members = memscope_process_row_get_n_rss_members (row);
  gboolean is_group = memscope_process_row_get_is_group (row);
  g_autofree char *text = format_pss (pss_kib, stale, n_rss_members, is_group);
  g_autofree char *tooltip = pss_tooltip (pss_kib, stale, n_rss_members, is_group);

  memscope_cell_set_text (MEMSCOPE_CELL (child), text);
  memscope_cell_set_tooltip (MEMSCOPE_CELL (child), tooltip);
}

static void
show_swap (GtkWidget          *child,
           MemscopeProcessRow *row)
{
  g_autofree char *text = memscope_format_size (memscope_process_row_get_swap_kib (row));

  memscope_cell_set_text (MEMSCOPE_CELL (child), text);
}

static GtkWidget *
setup_cpu (void)
{
  return numeric_cell_new ("100.0");
}

static void
show_cpu (GtkWidget          *child,
          MemscopeProcessRow *row)
{
  double cpu_pct = memscope_process_row_get_cpu_pct (row);
  char text[G_ASCII_DTOSTR_BUF_SIZE] = "";

  if (cpu_pct >= 0)
    g_snprintf (text, sizeof text, "%.1f", cpu_pct);
  memscope_cell_set_text (MEMSCOPE_CELL (child), text);
}

static GtkWidget *
setup_delta (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cell = numeric_cell_new ("+9999.9 MiB");

  gtk_widget_set_hexpand (cell, TRUE);
  gtk_box_append (GTK_BOX (box), cell);
  gtk_box_append (GTK_BOX (box), g_object_new (MEMSCOPE_TYPE_SPARKLINE, NULL));
  return box;
}

static void
show_delta (GtkWidget          *child,
            MemscopeProcessRow *row)
{
  MemscopeCell *cell = MEMSCOPE_CELL (gtk_widget_get_first_child (child));
  gint64 delta_kib = memscope_process_row_get_delta_kib (row);
  g_autofree char *text = memscope_format_signed_size (delta_kib);

  memscope_cell_set_text (cell, text);
  memscope_cell_set_tone (cell, delta_kib > 0 ? MEMSCOPE_CELL_TONE_GROW
                                : delta_kib < 0 ? MEMSCOPE_CELL_TONE_SHRINK
                                : MEMSCOPE_CELL_TONE_DIM);
}

static GtkWidget *
setup_tags (void)
{
  /* Room for one pill whether or not a row has one: a tag coming or going does not move the
   * columns or the inspect panel beside them. */
  return g_object_new (MEMSCOPE_TYPE_TAG_PILLS, "width-request", 64, NULL);
}

static void
show_tags (GtkWidget          *child,
           MemscopeProcessRow *row)
{
  memscope_tag_pills_set_tags (MEMSCOPE_TAG_PILLS (child), memscope_process_row_get_tags (row));
  memscope_tag_pills_set_explanation (MEMSCOPE_TAG_PILLS (child),
                                      memscope_process_row_get_explanation (row));
}

static GtkWidget *
setup_started (void)
{
  return numeric_cell_new ("Mmm 2888");
}

static char *
format_started (double start_unix)
{
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (start_unix <= 0)
    return g_strdup ("");
  started = g_date_time_new_from_unix_local ((gint64) start_unix);
  now = g_date_time_new_now_local ();
  if (started == NULL || now == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (started) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (started) == g_date_time_get_day_of_year (now))
    return g_date_time_format (started, "%H:%M");
  /* Before today: the day, as short as the language writes it ("Nov 14", "14. Nov"); before
   * this year, the month and the year.  The column's sample ("Mmm 2888") is as wide. */
  if (g_date_time_get_year (started) == g_date_time_get_year (now))
    /* Translators: a process's start date in the list, this year, as g_date_time_format()
     * writes it ("%-d. %b" in German).  xgettext:no-c-format */
    return g_date_time_format (started, C_("started", "%b %-d"));
  /* Translators: a process's start date in the list, an earlier year, as
   * g_date_time_format() writes it.  xgettext:no-c-format */
  return g_date_time_format (started, C_("started", "%b %Y"));
}

static void
show_started (GtkWidget          *child,
              MemscopeProcessRow *row)
{
  g_autofree char *text = format_started (memscope_process_row_get_start_unix (row));

  memscope_cell_set_text (MEMSCOPE_CELL (child), text);
}

/* In column order (COLUMN_PID ... COLUMN_STARTED). */
static const CellKind cell_kinds[N_COLUMNS] = {
  { setup_pid, show_pid, { "notify::pid", NULL } },
  { setup_name, show_name, { "notify::name", "notify::cmdline", "notify::icon",
                             "notify::n-members", NULL } },
  { setup_user, show_user, { "notify::user", NULL } },
  { setup_size, show_rss, { "notify::rss-kib", NULL } },
  { setup_size, show_pss, { "notify::pss-kib", "notify::pss-stale", "notify::n-rss-members",
                            NULL } },
  { setup_size, show_swap, { "notify::swap-kib", NULL } },
  { setup_cpu, show_cpu, { "notify::cpu-pct", NULL } },
  { setup_delta, show_delta, { "notify::delta-kib", NULL } },
  { setup_tags, show_tags, { "notify::tags", "notify::explanation", NULL } },
  { setup_started, show_started, { "notify::start-unix", NULL } },
};

static void
row_changed_cb (MemscopeProcessRow *row,
                GParamSpec         *pspec,
                GtkListItem        *list_item)
{
  const CellKind *kind = g_object_get_qdata (G_OBJECT (list_item), cell_kind_quark);

  (void) pspec;
  kind->show (gtk_list_item_get_child (list_item), row);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               const CellKind           *kind)
{
  (void) factory;
  g_object_set_qdata (G_OBJECT (list_item), cell_kind_quark, (gpointer) kind);
  gtk_list_item_set_child (list_item, kind->setup ());
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              const CellKind           *kind)
{
  GtkTreeListRow *tree_row = gtk_list_item_get_item (list_item);
  MemscopeProcessRow *row = tree_row != NULL ? gtk_tree_list_row_get_item (tree_row) : NULL;
  GtkWidget *child = gtk_list_item_get_child (list_item);

  (void) factory;
  if (row == NULL)
    return;
  g_object_set_qdata_full (G_OBJECT (list_item), bound_row_quark, row, g_object_unref);
  if (kind->setup == setup_name)
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), tree_row);
  else if (kind->setup == setup_delta)
    memscope_sparkline_set_row (MEMSCOPE_SPARKLINE (gtk_widget_get_last_child (child)), row);
  kind->show (child, row);
  for (guint i = 0; kind->watch[i] != NULL; i++)
    g_signal_connect (row, kind->watch[i], G_CALLBACK (row_changed_cb), list_item);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                const CellKind           *kind)
{
  MemscopeProcessRow *row = g_object_get_qdata (G_OBJECT (list_item), bound_row_quark);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  (void) factory;
  if (row == NULL)
    return;
  g_signal_handlers_disconnect_by_data (row, list_item);
  if (kind->setup == setup_name)
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
  else if (kind->setup == setup_delta)
    memscope_sparkline_set_row (MEMSCOPE_SPARKLINE (gtk_widget_get_last_child (child)), NULL);
  g_object_set_qdata (G_OBJECT (list_item), bound_row_quark, NULL);
}

static GtkListItemFactory *
cell_factory_new (guint column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  const CellKind *kind = &cell_kinds[column];

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) kind);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) kind);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), (gpointer) kind);
  g_signal_connect (factory, "teardown", G_CALLBACK (cell_unbind_cb), (gpointer) kind);
  return factory;
}

/* ---- filtering, sorting, state ---- */

static gboolean
row_passes (MemscopeWindow     *self,
            MemscopeProcessRow *row)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (memscope_process_row_get_is_group (row))
    {
      GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (row));
      guint n = g_list_model_get_n_items (members);

      if (self->search_fold != NULL
          && memscope_process_row_matches (row, self->search_fold)
          && !self->only_tagged && !self->only_mine)
        return TRUE;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, i);

          if (row_passes (self, member))
            return TRUE;
        }
      return FALSE;
    }

  if (self->hide_kernel && memscope_process_row_get_proc (row)->kernel_thread)
    return FALSE;
  if (self->only_tagged && memscope_process_row_get_tags (row) == 0)
    return FALSE;
  if (self->only_mine && memscope_process_row_get_uid (row) != self->my_uid)
    return FALSE;
  if (self->search_fold != NULL && !memscope_process_row_matches (row, self->search_fold))
    return FALSE;
  return TRUE;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  MemscopeWindow *self = user_data;
  g_autoptr(MemscopeProcessRow) row = gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (item));

  if (!self->only_tagged && !self->only_mine && !self->hide_kernel && self->search_fold == NULL)
    return TRUE;
  return row != NULL && row_passes (self, row);
}

static gboolean
filtering (MemscopeWindow *self)
{
  return self->only_tagged || self->only_mine || self->search_fold != NULL;
}

static void
update_empty_state (MemscopeWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  g_autofree char *title = NULL;
  const char *detail = "";

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (memscope_process_model_get_snapshot (self->model) == NULL)
    {
      if (memscope_sampler_thread_get_error (self->sampler) != NULL)
        {
          title = g_strdup (_("No processes to show"));
          detail = _("memscope cannot read the process list; the message above says why.");
        }
      else
        title = g_strdup (_("Reading processes…"));
    }
  else if (self->search_fold != NULL)
    {
      title = g_strdup_printf (_("No processes match “%s”"),
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      detail = _("Search looks at the name, command line, PID and user. Press Esc to clear it.");
    }
  else if (self->only_tagged)
    {
      title = g_strdup (_("No tagged processes"));
      detail = _("Nothing is leaking, spiking or a zombie right now.");
    }
  else if (self->only_mine)
    {
      title = g_strdup (_("None of the processes are yours"));
      detail = _("Turn off “Only my processes” in the Filter menu to see everyone's.");
    }
  else
    title = g_strdup (_("No processes"));

  gtk_label_set_label (self->empty_title, title);
  gtk_label_set_label (self->empty_detail, detail);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
update_banners (MemscopeWindow *self)
{
  guint n_hidden = memscope_process_model_get_n_pss_hidden (self->model);
  const char *error = memscope_sampler_thread_get_error (self->sampler);

  g_assert (MEMSCOPE_IS_WINDOW (self));

  gtk_revealer_set_reveal_child (self->error_revealer, error != NULL);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot read processes: %s"), error);

      gtk_label_set_label (self->error_label, text);
    }

  if (n_hidden > 0 && !self->pss_dismissed)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("PSS is unknown for %u process of another user: the kernel "
                                   "shows proportional memory only to a process's owner and to "
                                   "root. To see it, run “sudo memscope-probe snapshot --pss”.",
                                   "PSS is unknown for %u processes of other users: the kernel "
                                   "shows proportional memory only to a process's owner and to "
                                   "root. To see it, run “sudo memscope-probe snapshot --pss”.",
                                   n_hidden), n_hidden);

      if (g_strcmp0 (gtk_label_get_label (self->pss_label), text) != 0)
        gtk_label_set_label (self->pss_label, text);
    }
  gtk_revealer_set_reveal_child (self->pss_revealer, n_hidden > 0 && !self->pss_dismissed);
}

/* The list view anchors its scroll position on a row; when a resort moves that row away, the
 * view follows it at the next layout.  Users expect the page to stay put, so the offset from
 * before the update is held until that layout has been painted. */
static void
scroll_value_changed_cb (MemscopeWindow *self,
                         GtkAdjustment  *vadjustment)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (!self->holding_scroll || self->restoring_scroll)
    return;
  if (gtk_adjustment_get_value (vadjustment) == self->held_scroll_value)
    return;
  self->restoring_scroll = TRUE;
  gtk_adjustment_set_value (vadjustment, self->held_scroll_value);
  self->restoring_scroll = FALSE;
}

static void show_list_start (MemscopeWindow *self);

static void
after_paint_cb (MemscopeWindow *self)
{
  self->holding_scroll = FALSE;
  if (self->start_pending)
    {
      self->start_pending = FALSE;
      show_list_start (self);
    }
}

static void
window_realize_cb (MemscopeWindow *self)
{
  self->frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (self->frame_clock != NULL)
    self->after_paint_id = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                     G_CALLBACK (after_paint_cb), self);
}

static void
window_unrealize_cb (MemscopeWindow *self)
{
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;
}

/* A row that moves leaves the list and comes back at its new place: the selection goes with it. */
static void
keep_selection (MemscopeWindow *self,
                gpointer        selected)
{
  GListModel *list = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (list);

  if (selected == NULL || gtk_single_selection_get_selected_item (self->selection) == selected)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      if (item == selected)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

/* The list view inside the column view: GTK 4.8 offers scrolling to an item only as its
 * "list.scroll-to-item" action. */
static GtkWidget *
inner_list_view (MemscopeWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* Puts the start of the list at the top of the view.  The list view anchors on an item, not a
 * position: when another row is inserted above the anchored first row (a process overtaking it),
 * the view follows the old first row and the new one is drawn above the viewport, out of reach
 * of the scroll bar.  Anchoring on position 0 again keeps it in view. */
static void
show_list_start (MemscopeWindow *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *list_view = inner_list_view (self);

  g_assert (MEMSCOPE_IS_WINDOW (self));

  self->held_scroll_value = 0;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0 && list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", 0);
  gtk_adjustment_set_value (vadjustment, 0);
}

/* Where the view should stand after rows moved: at the start when it was there (the largest
 * process must never hide above the viewport), else with the selected process at the same height
 * on screen when it was in view, else where it was. */
static void
refresh_view (MemscopeWindow *self,
              gboolean        refilter)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GListModel *list = G_LIST_MODEL (self->selection);
  g_autoptr(GObject) selected = NULL;
  guint n = g_list_model_get_n_items (list);
  double upper = gtk_adjustment_get_upper (vadjustment);
  double page = gtk_adjustment_get_page_size (vadjustment);
  double value, row_height = n > 0 && upper > 0 ? upper / n : 0;
  guint selected_before = gtk_single_selection_get_selected (self->selection);
  gboolean at_start, keep_selected = FALSE;
  double selected_offset = 0;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (!self->holding_scroll)
    self->held_scroll_value = gtk_adjustment_get_value (vadjustment);
  value = self->held_scroll_value;
  self->holding_scroll = gtk_widget_get_mapped (GTK_WIDGET (self));
  /* The hold ends with the next frame, even when the update changed nothing on screen: a
   * scroll of the user's after it must not be undone. */
  if (self->holding_scroll && self->frame_clock != NULL)
    gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
  /* At the start: the view, or the selection on the first row while that row is in view. */
  at_start = row_height <= 0 || value < row_height / 2
             || (selected_before == 0 && value < page - row_height / 2);
  if (!at_start && selected_before != GTK_INVALID_LIST_POSITION)
    {
      selected_offset = selected_before * row_height - value;
      keep_selected = selected_offset > -row_height / 2 && selected_offset < page - row_height / 2;
    }

  g_set_object (&selected, gtk_single_selection_get_selected_item (self->selection));
  if (memscope_sort_model_refresh (self->sort_model) > 0)
    keep_selection (self, selected);
  if (refilter)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  if (at_start)
    {
      if (self->holding_scroll && !self->start_pending)
        show_list_start (self);
      self->held_scroll_value = 0;
    }
  else if (keep_selected
           && gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    {
      guint now = gtk_single_selection_get_selected (self->selection);
      double n_now = g_list_model_get_n_items (list);
      double target = now * row_height - selected_offset;

      /* The list view places rows on whole pixels. */
      target = round (CLAMP (target, 0, MAX (n_now * row_height - page, 0)));
      self->held_scroll_value = target;
    }
  scroll_value_changed_cb (self, vadjustment);
  update_empty_state (self);
}

/* Grouped, a process alone in its group is listed as itself and its group only from a second
 * member on: when the selected row gave way to the other form (or a member, listed under its
 * group, became a plain row), the selection follows it. */
static gboolean
select_listed (MemscopeWindow     *self,
               MemscopeProcessRow *row)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  g_assert (MEMSCOPE_IS_WINDOW (self));

  for (guint i = 0; row != NULL && i < n; i++)
    if (memscope_window_get_row_at (self, i) == row)
      {
        gtk_single_selection_set_selected (self->selection, i);
        return TRUE;
      }
  return FALSE;
}

static void
follow_regrouped (MemscopeWindow     *self,
                  MemscopeProcessRow *was_selected)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (was_selected == NULL
      || gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    return;
  if (memscope_process_row_get_is_group (was_selected))
    {
      GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (was_selected));

      if (g_list_model_get_n_items (members) == 1)
        {
          g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, 0);

          select_listed (self, member);
        }
    }
  else if (memscope_process_model_lookup (self->model, memscope_process_row_get_pid (was_selected),
                                          memscope_process_row_get_starttime (was_selected))
           == was_selected
           && !select_listed (self, was_selected))
    select_listed (self, memscope_process_row_get_parent (was_selected));
}

static void
apply_snapshot (MemscopeWindow         *self,
                const MemscopeSnapshot *snapshot)
{
  gint64 start_us = g_get_monotonic_time ();
  gint64 model_us;
  g_autoptr(MemscopeProcessRow) was_selected = NULL;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (memscope_process_model_get_grouping (self->model))
    g_set_object (&was_selected, memscope_window_get_selected_row (self));
  if (!memscope_process_model_apply (self->model, snapshot))
    return;
  follow_regrouped (self, was_selected);
  memscope_sparkline_update_all ();
  model_us = g_get_monotonic_time ();
  if (gtk_widget_get_visible (GTK_WIDGET (self->inspect_panel)))
    memscope_inspect_panel_apply_snapshot (self->inspect_panel, snapshot);
  memscope_memory_gauge_update (self->gauge, &snapshot->base.mem, &snapshot->base.pressure);
  refresh_view (self, filtering (self));
  update_banners (self);
  /* G_MESSAGES_DEBUG=memscope shows what each update costs the main thread. */
  g_debug ("applied %zu processes in %.2f ms (model %.2f ms)", snapshot->base.n_procs,
           (g_get_monotonic_time () - start_us) / 1000.0, (model_us - start_us) / 1000.0);
}

static void
snapshot_cb (MemscopeWindow         *self,
             const MemscopeSnapshot *snapshot,
             MemscopeSamplerThread  *sampler)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (self->paused)
    {
      /* Sampling goes on for alerts; the list stays as it is until resumed. */
      g_clear_pointer (&self->held, memscope_snapshot_unref);
      self->held = memscope_snapshot_ref (snapshot);
    }
  else
    {
      apply_snapshot (self, snapshot);
      /* Paused, the list does not change: a pending process cannot turn up, and waiting for it
       * uses up no try. */
      retry_pending (self);
    }
}

static void
sampler_error_cb (MemscopeWindow *self)
{
  update_banners (self);
  update_empty_state (self);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  GListStore *members;

  if (!memscope_process_row_get_is_group (item))
    return NULL;
  members = memscope_process_row_get_members (item);
  return members != NULL ? G_LIST_MODEL (g_object_ref (members)) : NULL;
}

static void
set_grouping (MemscopeWindow *self,
              gboolean        grouping)
{
  g_autoptr(GtkTreeListModel) tree = NULL;
  GListModel *root;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  memscope_process_model_set_grouping (self->model, grouping);
  root = grouping ? memscope_process_model_get_groups (self->model)
                  : memscope_process_model_get_processes (self->model);
  tree = gtk_tree_list_model_new (g_object_ref (root), FALSE, FALSE, create_children_cb,
                                  NULL, NULL);
  memscope_sort_model_set_model (self->sort_model, G_LIST_MODEL (tree));
  update_empty_state (self);
}

static void sort_by (MemscopeWindow *self,
                     const char     *what);

static void
settings_changed_cb (MemscopeWindow *self,
                     const char     *key,
                     GSettings      *settings)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (g_strcmp0 (key, "group-processes") == 0)
    set_grouping (self, g_settings_get_boolean (settings, key));
  else if (g_strcmp0 (key, "memory-value") == 0
           && (self->key_sort_column == self->rss_column
               || self->key_sort_column == self->pss_column))
    {
      /* Sorted by memory: follow the new choice, in the same direction. */
      gboolean reversed = self->key_sort_reversed;

      self->key_sort_column = NULL;
      sort_by (self, "memory");
      if (reversed)
        sort_by (self, "memory");
    }
  else if (g_strcmp0 (key, "only-tagged") == 0 || g_strcmp0 (key, "only-mine") == 0
           || g_strcmp0 (key, "show-kernel-threads") == 0)
    {
      self->only_tagged = g_settings_get_boolean (settings, "only-tagged");
      self->only_mine = g_settings_get_boolean (settings, "only-mine");
      self->hide_kernel = !g_settings_get_boolean (settings, "show-kernel-threads");
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
      update_empty_state (self);
      update_filter_button (self);
    }
}

/* An active filter shows on its button (count, highlight, tooltip and what a screen reader
 * says), not only in the menu. */
static void
update_filter_button (MemscopeWindow *self)
{
  guint n_active = (self->only_tagged ? 1 : 0) + (self->only_mine ? 1 : 0);
  g_autofree char *label = NULL;
  const char *description;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (n_active == 0)
    {
      label = g_strdup (_("Filter"));
      description = _("Show only tagged processes or only yours");
    }
  else
    {
      /* Translators: the filter button while filters are on; %u is how many (1 or 2). */
      label = g_strdup_printf (_("Filter (%u)"), n_active);
      if (self->only_tagged && self->only_mine)
        description = _("Filtered: only your tagged processes are shown");
      else if (self->only_tagged)
        description = _("Filtered: only tagged processes are shown");
      else
        description = _("Filtered: only your processes are shown");
    }
  gtk_menu_button_set_label (self->filter_button, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  if (n_active > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "filter-active");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "filter-active");
}

static void
search_changed_cb (MemscopeWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_assert (MEMSCOPE_IS_WINDOW (self));

  g_clear_pointer (&self->search_fold, g_free);
  if (*stripped != '\0')
    self->search_fold = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
}

static void
close_panel (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self->inspect_panel)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->inspect_panel), FALSE);
  gtk_widget_set_visible (self->panel_separator, FALSE);
  memscope_inspect_panel_set_row (self->inspect_panel, NULL);
  memscope_sampler_thread_set_pss_priority (self->sampler, 0, 0);
  update_focused_row (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Esc: the panel first, then the search. */
static void
escape (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->inspect_panel)))
    close_panel (self);
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
}

static void
stop_search_cb (MemscopeWindow *self)
{
  escape (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
search_activate_cb (MemscopeWindow *self)
{
  /* Enter in the search field takes the user to the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
}

MemscopeProcessRow *
memscope_window_get_row_at (MemscopeWindow *self,
                            guint           position)
{
  g_autoptr(GtkTreeListRow) tree_row = NULL;
  g_autoptr(GObject) item = NULL;

  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  tree_row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (tree_row == NULL)
    return NULL;
  item = gtk_tree_list_row_get_item (tree_row);
  /* Borrowed: the model keeps the row alive while it is listed. */
  return MEMSCOPE_PROCESS_ROW (item);
}

static void
open_panel (MemscopeWindow     *self,
            MemscopeProcessRow *row)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  memscope_inspect_panel_set_row (self->inspect_panel, row);
  gtk_widget_set_visible (self->panel_separator, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->inspect_panel), TRUE);
  memscope_sampler_thread_set_pss_priority (self->sampler, memscope_process_row_get_pid (row),
                                            memscope_process_row_get_starttime (row));
  update_focused_row (self);
}

/* The process the user is looking at: inspected in the shown, active window. */
static void
update_focused_row (MemscopeWindow *self)
{
  MemscopeProcessRow *row = NULL;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (self->inspect_panel != NULL && gtk_widget_get_visible (GTK_WIDGET (self))
      && gtk_window_is_active (GTK_WINDOW (self)))
    row = memscope_window_get_inspected_row (self);
  if (g_set_object (&self->focused_row, row))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUSED_ROW]);
}

static void
row_activated_cb (MemscopeWindow *self,
                  guint           position)
{
  g_autoptr(GtkTreeListRow) tree_row = NULL;
  MemscopeProcessRow *row;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  tree_row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (tree_row == NULL)
    return;
  row = memscope_window_get_row_at (self, position);
  if (memscope_process_row_get_is_group (row))
    gtk_tree_list_row_set_expanded (tree_row, !gtk_tree_list_row_get_expanded (tree_row));
  /* A group opens the panel too: it lists the application's processes and can end them all. */
  open_panel (self, row);
}

/* GTK 4.8 has no scroll-to for list views: move the scrolled window's adjustment so the row at
 * `position` is inside the page (rows have one height, so the position gives the offset). */
static void
scroll_to_position (MemscopeWindow *self,
                    guint           position)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  double upper = gtk_adjustment_get_upper (vadjustment);
  double page = gtk_adjustment_get_page_size (vadjustment);
  double value = gtk_adjustment_get_value (vadjustment);
  double row_height, top;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (n == 0 || upper <= 0)
    return;
  row_height = upper / n;
  top = position * row_height;
  if (top < value)
    value = top;
  else if (top + row_height > value + page)
    value = top + row_height - page;
  else
    return;
  /* A deliberate move: what a pending update must keep is now this offset. */
  self->held_scroll_value = value;
  gtk_adjustment_set_value (vadjustment, value);
}

static void
move_selection (MemscopeWindow *self,
                int             delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint position = gtk_single_selection_get_selected (self->selection);

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (n == 0)
    return;
  if (position == GTK_INVALID_LIST_POSITION)
    position = delta > 0 ? 0 : n - 1;
  else if (delta < 0)
    position = position >= (guint) -delta ? position + delta : 0;
  else
    position = MIN (position + delta, n - 1);
  gtk_single_selection_set_selected (self->selection, position);
  scroll_to_position (self, position);
}

static GtkColumnViewColumn *
column_for_key (MemscopeWindow *self,
                const char     *what)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (g_strcmp0 (what, "memory") == 0)
    return g_settings_get_enum (self->settings, "memory-value") == 1 ? self->pss_column
                                                                      : self->rss_column;
  if (g_strcmp0 (what, "cpu") == 0)
    return self->cpu_column;
  if (g_strcmp0 (what, "delta") == 0)
    return self->delta_column;
  if (g_strcmp0 (what, "pid") == 0)
    return self->pid_column;
  return NULL;
}

/* A first key press shows the biggest first (the smallest PID for p), the second reverses. */
static void
sort_by (MemscopeWindow *self,
         const char     *what)
{
  GtkColumnViewColumn *column = column_for_key (self, what);

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (column == NULL)
    return;
  if (self->key_sort_column == column)
    self->key_sort_reversed = !self->key_sort_reversed;
  else
    self->key_sort_reversed = FALSE;
  self->key_sort_column = column;
  /* The new order is shown from its start anyway; going there first also spares GTK 4.8's list
   * view a resort under an offset that no longer exists ("failed to scroll to given position"). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->start_pending)
    show_list_start (self);
  /* Drop the earlier keys first, so the header shows one sort arrow, not a stack of them. */
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (self->column_view, column,
                                  (column == self->pid_column) == self->key_sort_reversed
                                    ? GTK_SORT_DESCENDING
                                    : GTK_SORT_ASCENDING);
}

/* A new order (a key, a header click) is shown from its start, whatever was selected. */
static void
sorter_changed_cb (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->frame_clock == NULL)
    return;
  /* Every row moved and none is laid out yet: moving the view now makes GTK 4.8's list view look
   * for a row at an offset it cannot place.  Hold the start until the frame is painted, then
   * anchor there. */
  self->held_scroll_value = 0;
  self->holding_scroll = TRUE;
  self->start_pending = TRUE;
  gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
add_baseline (GArray             *baselines,
              MemscopeProcessRow *row)
{
  const ms_proc_t *proc = memscope_process_row_get_proc (row);
  ms_baseline_t b = { proc->pid, proc->starttime, proc->baseline_kib };

  if (!memscope_process_row_get_is_group (row) && proc->pid > 0)
    g_array_append_val (baselines, b);
}

static void
hide_undo (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  g_clear_pointer (&self->undo_baselines, g_array_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", FALSE);
  /* The focus would otherwise stay on a button that is sliding away. */
  if (gtk_widget_get_focus_child (GTK_WIDGET (self->undo_revealer)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  gtk_revealer_set_reveal_child (self->undo_revealer, FALSE);
}

static gboolean
undo_timeout_cb (gpointer data)
{
  MemscopeWindow *self = data;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  /* Someone reaching for Undo with the keyboard keeps it. */
  if (gtk_widget_get_focus_child (GTK_WIDGET (self->undo_revealer)) != NULL)
    return G_SOURCE_CONTINUE;
  self->undo_timeout_id = 0;
  hide_undo (self);
  return G_SOURCE_REMOVE;
}

/* Says what was reset and, when the sampler can put the baselines back, offers Undo. */
static void
show_undo (MemscopeWindow     *self,
           MemscopeProcessRow *row,
           GArray             *baselines)
{
  gboolean can_undo = memscope_sampler_thread_can_restore_baselines (self->sampler);
  g_autofree char *text = NULL;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  g_clear_pointer (&self->undo_baselines, g_array_unref);
  if (can_undo)
    self->undo_baselines = g_array_ref (baselines);
  if (row == NULL)
    text = g_strdup (can_undo ? _("Every baseline reset: growth counts from now")
                              : _("Every baseline reset: growth counts from now. The host probe is "
                                  "too old to undo it."));
  else
    /* Translators: %s is the process or application whose baseline was reset. */
    text = g_strdup_printf (can_undo ? _("Baseline of %s reset")
                                     : _("Baseline of %s reset. The host probe is too old to undo "
                                         "it."),
                            memscope_process_row_get_name (row));
  gtk_label_set_text (self->undo_label, text);
  gtk_widget_set_visible (self->undo_button, can_undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", can_undo);
  gtk_revealer_set_reveal_child (self->undo_revealer, TRUE);
  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  self->undo_timeout_id = g_timeout_add (self->undo_shown_ms, undo_timeout_cb, self);
}

static void
reset_baseline (MemscopeWindow     *self,
                MemscopeProcessRow *row)
{
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (ms_baseline_t));

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (row == NULL)
    {
      GListModel *processes = memscope_process_model_get_processes (self->model);

      for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
        {
          g_autoptr(MemscopeProcessRow) process = g_list_model_get_item (processes, i);

          add_baseline (before, process);
        }
      memscope_sampler_thread_reset_baseline (self->sampler, 0, 0);
    }
  else if (memscope_process_row_get_is_group (row))
    {
      GListModel *members = G_LIST_MODEL (memscope_process_row_get_members (row));

      for (guint i = 0; i < g_list_model_get_n_items (members); i++)
        {
          g_autoptr(MemscopeProcessRow) member = g_list_model_get_item (members, i);

          add_baseline (before, member);
          memscope_sampler_thread_reset_baseline (self->sampler,
                                                  memscope_process_row_get_pid (member),
                                                  memscope_process_row_get_starttime (member));
        }
    }
  else
    {
      add_baseline (before, row);
      memscope_sampler_thread_reset_baseline (self->sampler, memscope_process_row_get_pid (row),
                                              memscope_process_row_get_starttime (row));
    }
  show_undo (self, row, before);
  /* Show the new zero at once rather than up to a whole interval later. */
  memscope_sampler_thread_tick_now (self->sampler);
}

/* Puts back the baselines the last reset replaced: the deltas, and with them the sparklines
 * (see memscope-process-row.c), are as they were. */
static void
undo_reset (MemscopeWindow *self)
{
  g_autoptr(GArray) baselines = NULL;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (self->undo_baselines == NULL)
    return;
  baselines = g_array_ref (self->undo_baselines);
  hide_undo (self);
  if (memscope_sampler_thread_restore_baselines (self->sampler, baselines))
    memscope_sampler_thread_tick_now (self->sampler);
}

static gboolean
text_field_has_focus (MemscopeWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (GtkWidget *widget = focus; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_EDITABLE (widget))
      return TRUE;
  return FALSE;
}

/* Runs in the capture phase, before the focused widget: list rows bind Space themselves, and the
 * window must have it first.  Single letters act only while no text field has focus. */
static gboolean
key_pressed_cb (MemscopeWindow        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (keyval == GDK_KEY_Escape && mods == 0)
    {
      if (gtk_widget_get_visible (GTK_WIDGET (self->inspect_panel))
          || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
        {
          escape (self);
          return GDK_EVENT_STOP;
        }
      return GDK_EVENT_PROPAGATE;
    }

  if (text_field_has_focus (self))
    return GDK_EVENT_PROPAGATE;
  if ((mods & ~GDK_SHIFT_MASK) != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      if (mods & GDK_SHIFT_MASK)
        reset_baseline (self, memscope_window_get_selected_row (self));
      else
        reset_baseline (self, NULL);
      return GDK_EVENT_STOP;
    default:
      break;
    }

  if (mods != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_j:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.move-selection", "i", 1);
      return GDK_EVENT_STOP;
    case GDK_KEY_k:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.move-selection", "i", -1);
      return GDK_EVENT_STOP;
    case GDK_KEY_g:
      g_settings_set_boolean (self->settings, "group-processes",
                              !g_settings_get_boolean (self->settings, "group-processes"));
      return GDK_EVENT_STOP;
    case GDK_KEY_m:
      sort_by (self, "memory");
      return GDK_EVENT_STOP;
    case GDK_KEY_c:
      sort_by (self, "cpu");
      return GDK_EVENT_STOP;
    case GDK_KEY_d:
      sort_by (self, "delta");
      return GDK_EVENT_STOP;
    case GDK_KEY_p:
      sort_by (self, "pid");
      return GDK_EVENT_STOP;
    case GDK_KEY_q:
      gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      {
        guint position = gtk_single_selection_get_selected (self->selection);

        /* Enter inspects the selected row (which j and k move, unlike the keyboard focus);
         * elsewhere (header buttons, the panel) Enter keeps its usual meaning. */
        GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

        if (position != GTK_INVALID_LIST_POSITION && focus != NULL
            && (focus == GTK_WIDGET (self->column_view)
                || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view))))
          {
            row_activated_cb (self, position);
            return GDK_EVENT_STOP;
          }
      }
      return GDK_EVENT_PROPAGATE;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* ---- actions ---- */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
close_panel_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  close_panel (MEMSCOPE_WINDOW (widget));
}

static void
move_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  move_selection (MEMSCOPE_WINDOW (widget), g_variant_get_int32 (parameter));
}

static void
reset_baseline_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  reset_baseline (MEMSCOPE_WINDOW (widget), NULL);
}

static void
reset_selected_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (widget);
  MemscopeProcessRow *row = memscope_window_get_selected_row (self);

  if (row != NULL)
    reset_baseline (self, row);
}

static void
sort_by_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sort_by (MEMSCOPE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
inspect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    row_activated_cb (self, position);
}

/* Selects the pending process and opens the panel on it once it is listed. */
static gboolean
try_inspect_pending (MemscopeWindow *self)
{
  MemscopeProcessRow *row;
  guint position;

  g_assert (MEMSCOPE_IS_WINDOW (self));

  row = memscope_process_model_lookup (self->model, self->pending_pid, self->pending_starttime);
  if (row == NULL || !memscope_window_select_row (self, row))
    return FALSE;
  position = gtk_single_selection_get_selected (self->selection);
  g_debug ("Inspecting process %d (start time %" G_GUINT64_FORMAT ")",
           self->pending_pid, self->pending_starttime);
  self->pending_pid = 0;
  self->pending_starttime = 0;
  row_activated_cb (self, position);
  return TRUE;
}

/* After each snapshot: the pending process may be listed now, or it is given up. */
static void
retry_pending (MemscopeWindow *self)
{
  g_assert (MEMSCOPE_IS_WINDOW (self));

  if (self->pending_pid <= 0 || try_inspect_pending (self))
    return;
  if (++self->pending_tries >= PENDING_TRIES)
    {
      g_debug ("Process %d (start time %" G_GUINT64_FORMAT ") was not listed: not inspecting it",
               self->pending_pid, self->pending_starttime);
      self->pending_pid = 0;
      self->pending_starttime = 0;
    }
}

/* win.inspect-process((pid, starttime)): selects the process and opens the panel on it.  A
 * window made just now lists nothing until its first snapshot: the request waits for the
 * process to be listed, PENDING_TRIES snapshots at most. */
static void
inspect_process_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (widget);
  gint32 pid;
  guint64 starttime;

  g_variant_get (parameter, "(it)", &pid, &starttime);
  if (pid <= 0)
    {
      g_debug ("Not inspecting process %d: no such process id", pid);
      return;
    }
  self->pending_pid = pid;
  self->pending_starttime = starttime;
  self->pending_tries = 0;
  try_inspect_pending (self);
}

static void
undo_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  undo_reset (MEMSCOPE_WINDOW (widget));
}

static void
dismiss_undo_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  hide_undo (MEMSCOPE_WINDOW (widget));
}

static void
dismiss_pss_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (widget);

  self->pss_dismissed = TRUE;
  update_banners (self);
}

/* ---- object ---- */

static void
memscope_window_constructed (GObject *object)
{
  MemscopeWindow *self = (MemscopeWindow *) object;
  GtkSorter *column_sorter;

  G_OBJECT_CLASS (memscope_window_parent_class)->constructed (object);

  g_assert (self->sampler != NULL);
  g_assert (self->history != NULL);

  g_signal_connect_object (self->sampler, "snapshot", G_CALLBACK (snapshot_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sampler, "notify::error", G_CALLBACK (sampler_error_cb), self,
                           G_CONNECT_SWAPPED);
  memscope_host_banner_set_source (self->host_banner,
                                   memscope_sampler_thread_get_host_source (self->sampler));
  /* Each window's panel signals and reads smaps where its own processes are. */
  memscope_inspect_details_set_sampler (memscope_inspect_panel_get_details (self->inspect_panel),
                                        self->sampler);
  if (memscope_window_get_remote (self) != NULL)
    {
      const char *remote = memscope_window_get_remote (self);
      g_autofree char *title = NULL;
      g_autofree char *tooltip = NULL;

      /* Translators: the window's title when it shows a remote machine's processes. */
      title = g_strdup_printf (_("%s — memscope"), remote);
      gtk_window_set_title (GTK_WINDOW (self), title);
      /* Translators: %s is a remote machine's name, as given to ssh. */
      tooltip = g_strdup_printf (_("Processes of the remote machine %s"), remote);
      gtk_label_set_label (self->remote_label, remote);
      /* The header bar centres the search entry, which gives way first: a name up to
       * REMOTE_LABEL_MIN_CHARS is never cut, a longer one keeps at least that much. */
      gtk_label_set_width_chars (self->remote_label,
                                 (int) MIN (g_utf8_strlen (remote, -1), REMOTE_LABEL_MIN_CHARS));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remote_label), tooltip);
      gtk_widget_set_visible (GTK_WIDGET (self->remote_label), TRUE);
    }
  /* The application's history as a timeline and events, recordings and exports. */
  memscope_timeline_pane_set_history (self->timeline_pane, self->history);
  memscope_timeline_pane_attach (self->timeline_pane, GTK_APPLICATION_WINDOW (self));

  /* processes or groups → tree rows → sorted (children within parents) → filtered → selected */
  /* Numbers sort straight from the rows' fields: the order is checked every tick. */
  {
    const struct
    {
      GtkColumnViewColumn *column;
      MemscopeRowField field;
    } numeric[] = {
      { self->pid_column, MEMSCOPE_ROW_FIELD_PID },
      { self->rss_column, MEMSCOPE_ROW_FIELD_RSS },
      { self->pss_column, MEMSCOPE_ROW_FIELD_PSS },
      { self->swap_column, MEMSCOPE_ROW_FIELD_SWAP },
      { self->cpu_column, MEMSCOPE_ROW_FIELD_CPU },
      { self->delta_column, MEMSCOPE_ROW_FIELD_DELTA },
      { self->tags_column, MEMSCOPE_ROW_FIELD_TAGS },
      { self->started_column, MEMSCOPE_ROW_FIELD_STARTED },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (numeric); i++)
      {
        g_autoptr(GtkCustomSorter) sorter =
          gtk_custom_sorter_new (memscope_process_row_compare, GINT_TO_POINTER (numeric[i].field),
                                 NULL);

        gtk_column_view_column_set_sorter (numeric[i].column, GTK_SORTER (sorter));
      }
  }
  column_sorter = gtk_column_view_get_sorter (self->column_view);
  self->row_sorter = gtk_tree_list_row_sorter_new (g_object_ref (column_sorter));
  self->sort_model = memscope_sort_model_new (NULL, GTK_SORTER (self->row_sorter));
  /* After the sort model's own handler: the rows are in their new order by then. */
  g_signal_connect_object (self->row_sorter, "changed", G_CALLBACK (sorter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* What the pane exports and looks blamed processes up in; what its trend export draws. */
  g_object_set (self->timeline_pane,
                "process-list", self->selection,
                "trend-graph",
                memscope_inspect_details_get_trend_graph (
                  memscope_inspect_panel_get_details (self->inspect_panel)),
                NULL);

  self->only_tagged = g_settings_get_boolean (self->settings, "only-tagged");
  self->only_mine = g_settings_get_boolean (self->settings, "only-mine");
  self->hide_kernel = !g_settings_get_boolean (self->settings, "show-kernel-threads");
  update_filter_button (self);
  set_grouping (self, g_settings_get_boolean (self->settings, "group-processes"));
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  sort_by (self, "memory");
  /* The model goes to the view last: when the first snapshot arrived before the window, sorting
   * or regrouping a model the view already shows, before the view was ever allocated, crashed in
   * GTK 4.8's list item manager now and then. */
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scroll_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "realize", G_CALLBACK (window_realize_cb), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (window_unrealize_cb), NULL);
  g_signal_connect (self, "notify::visible", G_CALLBACK (update_focused_row), NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (update_focused_row), NULL);

  /* Start on the list, so the single-letter keys work at once (not in the search field). */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->column_view));

  if (memscope_process_model_get_snapshot (self->model) == NULL)
    update_empty_state (self);
  update_banners (self);
}

static void
memscope_window_dispose (GObject *object)
{
  MemscopeWindow *self = (MemscopeWindow *) object;

  g_clear_handle_id (&self->fit_columns_id, g_source_remove);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->row_sorter);
  g_clear_pointer (&self->held, memscope_snapshot_unref);
  g_clear_pointer (&self->search_fold, g_free);
  g_clear_object (&self->focused_row);
  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  g_clear_pointer (&self->undo_baselines, g_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), MEMSCOPE_TYPE_WINDOW);

  g_clear_object (&self->model);
  g_clear_object (&self->sampler);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (memscope_window_parent_class)->dispose (object);
}

static void
memscope_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SAMPLER:
      g_value_set_object (value, self->sampler);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_FOCUSED_ROW:
      g_value_set_object (value, self->focused_row);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MemscopeWindow *self = MEMSCOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SAMPLER:
      self->sampler = g_value_dup_object (value);
      break;
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    case PROP_PAUSED:
      memscope_window_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_window_class_init (MemscopeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  cell_kind_quark = g_quark_from_static_string ("memscope-cell-kind");
  bound_row_quark = g_quark_from_static_string ("memscope-bound-row");

  object_class->constructed = memscope_window_constructed;
  object_class->dispose = memscope_window_dispose;
  object_class->get_property = memscope_window_get_property;
  object_class->set_property = memscope_window_set_property;

  properties[PROP_SAMPLER] =
    g_param_spec_object ("sampler", NULL, NULL, MEMSCOPE_TYPE_SAMPLER_THREAD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The sampler's machine's history, which outlives the window. */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, MEMSCOPE_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The process inspected while the window is shown and active (alerts spare it), or NULL. */
  properties[PROP_FOCUSED_ROW] =
    g_param_spec_object ("focused-row", NULL, NULL, MEMSCOPE_TYPE_PROCESS_ROW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MEMSCOPE_TYPE_CELL);
  g_type_ensure (MEMSCOPE_TYPE_PROCESS_ROW);
  g_type_ensure (MEMSCOPE_TYPE_MEMORY_GAUGE);
  g_type_ensure (MEMSCOPE_TYPE_SPARKLINE);
  g_type_ensure (MEMSCOPE_TYPE_TAG_PILLS);
  g_type_ensure (MEMSCOPE_TYPE_INSPECT_PANEL);
  g_type_ensure (MEMSCOPE_TYPE_HOST_BANNER);
  g_type_ensure (MEMSCOPE_TYPE_TIMELINE_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/memscope-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, gauge);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, host_banner);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, remote_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, paused_revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, paused_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, pss_revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, pss_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, undo_revealer);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, undo_label);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, pid_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, user_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, rss_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, pss_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, swap_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, cpu_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, delta_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, tags_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, started_column);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, timeline_pane);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, empty_title);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, empty_detail);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, panel_separator);
  gtk_widget_class_bind_template_child (widget_class, MemscopeWindow, inspect_panel);

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.close-panel", NULL, close_panel_action);
  gtk_widget_class_install_action (widget_class, "win.reset-baseline", NULL,
                                   reset_baseline_action);
  gtk_widget_class_install_action (widget_class, "win.reset-selected-baseline", NULL,
                                   reset_selected_action);
  gtk_widget_class_install_action (widget_class, "win.sort-by", "s", sort_by_action);
  /* j and k: the selection moves by this many rows and stays in view. */
  gtk_widget_class_install_action (widget_class, "win.move-selection", "i",
                                   move_selection_action);
  gtk_widget_class_install_action (widget_class, "win.inspect", NULL, inspect_action);
  /* The one way to ask for a process: the timeline, notifications and the tray use it. */
  gtk_widget_class_install_action (widget_class, "win.inspect-process", "(it)",
                                   inspect_process_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-pss", NULL, dismiss_pss_action);
  /* The last reset of baselines, while its bar is shown. */
  gtk_widget_class_install_action (widget_class, "win.undo-reset", NULL, undo_reset_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-undo", NULL, dismiss_undo_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "win.undo-reset", NULL);
}

static void
memscope_window_init (MemscopeWindow *self)
{
  GtkEventController *keys;

  self->my_uid = getuid ();
  self->settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  self->model = memscope_process_model_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->undo_shown_ms = UNDO_SHOWN_MS;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", FALSE);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  /* Settings become actions: the filter menu, the group toggle and the column menu use them. */
  {
    const char *keys_as_actions[] = { "group-processes", "only-tagged", "only-mine",
                                      "show-kernel-threads" };

    for (guint i = 0; i < G_N_ELEMENTS (keys_as_actions); i++)
      {
        g_autoptr(GAction) action = g_settings_create_action (self->settings, keys_as_actions[i]);

        g_action_map_add_action (G_ACTION_MAP (self), action);
      }
  }

  {
    GtkColumnViewColumn *columns[] = {
      self->pid_column, self->name_column, self->user_column, self->rss_column,
      self->pss_column, self->swap_column, self->cpu_column, self->delta_column,
      self->tags_column, self->started_column,
    };

    for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
      {
        g_autofree char *visible_key = g_strdup_printf ("column-%s-visible", column_keys[i]);
        g_autoptr(GAction) action = g_settings_create_action (self->settings, visible_key);

        g_autofree char *signal = g_strdup_printf ("changed::%s", visible_key);

        /* GTK 4.8 columns have no id: our own keys name them.  Shown is what the user wants
         * unless the column yields its room (fit_columns_cb). */
        g_signal_connect_object (self->settings, signal, G_CALLBACK (column_setting_changed_cb),
                                 self, G_CONNECT_SWAPPED);
        g_autofree char *width_key = g_strdup_printf ("column-%s-width", column_keys[i]);
        g_autoptr(GtkListItemFactory) factory = cell_factory_new (i);

        gtk_column_view_column_set_factory (columns[i], factory);
        g_settings_bind (self->settings, width_key, columns[i], "fixed-width",
                         G_SETTINGS_BIND_DEFAULT);
        g_action_map_add_action (G_ACTION_MAP (self), action);
      }
    apply_column_visibility (self);
    g_signal_connect_object (self->settings, "changed::memory-value",
                             G_CALLBACK (list_width_changed_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scroller), "changed",
                             G_CALLBACK (list_width_changed_cb), self, G_CONNECT_SWAPPED);
  }

  g_settings_bind (self->settings, "window-width", self, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}

MemscopeWindow *
memscope_window_new (GtkApplication        *application,
                     MemscopeSamplerThread *sampler,
                     MemscopeHistory       *history)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (MEMSCOPE_IS_SAMPLER_THREAD (sampler), NULL);
  g_return_val_if_fail (MEMSCOPE_IS_HISTORY (history), NULL);

  return g_object_new (MEMSCOPE_TYPE_WINDOW,
                       "application", application,
                       "sampler", sampler,
                       "history", history,
                       NULL);
}

MemscopeProcessModel *
memscope_window_get_model (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);
  return self->model;
}

GtkColumnView *
memscope_window_get_column_view (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);
  return self->column_view;
}

GtkEditable *
memscope_window_get_search_entry (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkSingleSelection *
memscope_window_get_selection (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);
  return self->selection;
}

MemscopeProcessRow *
memscope_window_get_selected_row (MemscopeWindow *self)
{
  guint position;

  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return memscope_window_get_row_at (self, position);
}

gboolean
memscope_window_select_row (MemscopeWindow     *self,
                            MemscopeProcessRow *row)
{
  guint n;

  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    if (memscope_window_get_row_at (self, i) == row)
      {
        gtk_single_selection_set_selected (self->selection, i);
        scroll_to_position (self, i);
        return TRUE;
      }
  return FALSE;
}

MemscopeProcessRow *
memscope_window_get_inspected_row (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->inspect_panel)))
    return NULL;
  return memscope_inspect_panel_get_row (self->inspect_panel);
}

gboolean
memscope_window_get_paused (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), FALSE);
  return self->paused;
}

void
memscope_window_set_paused (MemscopeWindow *self,
                            gboolean        paused)
{
  g_return_if_fail (MEMSCOPE_IS_WINDOW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;

  if (paused)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *clock = g_date_time_format (now, "%X");
      g_autofree char *text = g_strdup_printf (_("Paused: the list shows the processes as they "
                                                 "were at %s. Sampling and alerts go on."),
                                               clock);

      gtk_label_set_label (self->paused_label, text);
    }
  gtk_revealer_set_reveal_child (self->paused_revealer, paused);

  if (!paused && self->held != NULL)
    {
      g_autoptr(MemscopeSnapshot) held = g_steal_pointer (&self->held);

      apply_snapshot (self, held);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

const char *
memscope_window_get_empty_text (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") != 0)
    return NULL;
  return gtk_label_get_label (self->empty_title);
}

/* What the bar after a reset says while it is shown, else NULL. */
const char *
memscope_window_get_undo_text (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->undo_revealer))
    return NULL;
  return gtk_label_get_text (self->undo_label);
}

gboolean
memscope_window_get_can_undo_reset (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), FALSE);
  return self->undo_baselines != NULL;
}

/* How long the bar stays up after a reset (a test need not wait the usual ten seconds). */
void
memscope_window_set_undo_shown_ms (MemscopeWindow *self,
                                   guint           shown_ms)
{
  g_return_if_fail (MEMSCOPE_IS_WINDOW (self));
  self->undo_shown_ms = MAX (shown_ms, 1);
}

const char *
memscope_window_get_remote (MemscopeWindow *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_WINDOW (self), NULL);

  return memscope_sampler_thread_get_remote (self->sampler);
}
