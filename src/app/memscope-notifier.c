/* SPDX-License-Identifier: MIT */
/* Turns alerts into desktop notifications (GNotification) with Inspect and Ignore buttons. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-explain.h"
#include "memscope-format.h"
#include "memscope-notifier-private.h"

#define SUMMARY_MAX_LINES 5

struct _MemscopeNotifier
{
  GObject parent_instance;

  /* borrowed: the application owns us */
  GApplication *application;
};

G_DEFINE_FINAL_TYPE (MemscopeNotifier, memscope_notifier, G_TYPE_OBJECT)

static const MemscopeAlertProcess *
first_process (const MemscopeAlert *alert)
{
  if (alert->processes == NULL || alert->processes->len == 0)
    return NULL;
  return &g_array_index (alert->processes, MemscopeAlertProcess, 0);
}

static void
append_leak_body (GString                    *body,
                  const MemscopeAlertProcess *p)
{
  g_autofree char *name = g_markup_escape_text (p->name, -1);
  g_autofree char *rate = memscope_format_rate (p->rate_kib_s);
  g_autofree char *growth = memscope_format_size (p->growth_kib);

  if (isfinite (p->duration_s))
    {
      g_autofree char *duration = memscope_format_duration (p->duration_s);

      /* TRANSLATORS: "leaky (pid 42) grows 8.0 MiB/s: 1.2 GiB in 2 min 30 s." */
      g_string_append_printf (body, _("%s (pid %d) grows %s: %s in %s."), name, p->pid, rate,
                              growth, duration);
    }
  else
    g_string_append_printf (body, _("%s (pid %d) grows %s: %s so far."), name, p->pid, rate,
                            growth);
  if (isfinite (p->exhaust_s))
    {
      g_autofree char *exhaust = memscope_explain_exhaust (p->exhaust_s);

      g_string_append_c (body, '\n');
      g_string_append (body, exhaust);
    }
}

static void
append_growers (GString             *body,
                const MemscopeAlert *alert)
{
  if (alert->processes->len == 0)
    return;
  g_string_append_c (body, '\n');
  g_string_append (body, _("Growing most:"));
  for (guint i = 0; i < alert->processes->len; i++)
    {
      const MemscopeAlertProcess *p = &g_array_index (alert->processes, MemscopeAlertProcess, i);
      g_autofree char *name = g_markup_escape_text (p->name, -1);
      g_autofree char *growth = memscope_format_size (p->growth_kib);

      g_string_append_c (body, '\n');
      /* TRANSLATORS: one line of a list: "firefox (pid 42) +1.2 GiB" */
      g_string_append_printf (body, _("%s (pid %d) +%s"), name, p->pid, growth);
    }
}

void
memscope_notifier_format (const MemscopeAlert *alert,
                          char               **title,
                          char               **body)
{
  const MemscopeAlertProcess *p;
  g_autoptr(GString) text = g_string_new (NULL);
  char *heading = NULL;

  g_return_if_fail (alert != NULL);
  g_return_if_fail (title != NULL && body != NULL);

  p = first_process (alert);
  switch (alert->kind)
    {
    case MEMSCOPE_ALERT_LEAK:
      g_return_if_fail (p != NULL);
      /* The title is plain text by the specification: not escaped. */
      if (alert->machine != NULL)
        /* TRANSLATORS: "leaky on build-box is leaking memory"; the second is a machine */
        heading = g_strdup_printf (_("%s on %s is leaking memory"), p->name, alert->machine);
      else
        heading = g_strdup_printf (_("%s is leaking memory"), p->name);
      append_leak_body (text, p);
      break;

    case MEMSCOPE_ALERT_SPIKE:
      {
        g_autofree char *name = NULL;
        g_autofree char *jump = NULL;
        g_autofree char *now = NULL;

        g_return_if_fail (p != NULL);
        name = g_markup_escape_text (p->name, -1);
        jump = memscope_format_size (isfinite (p->jump_kib) ? (gint64) p->jump_kib : 0);
        now = memscope_format_size (p->footprint_kib);
        if (alert->machine != NULL)
          /* TRANSLATORS: "leaky on build-box jumped in memory"; the second is a machine */
          heading = g_strdup_printf (_("%s on %s jumped in memory"), p->name, alert->machine);
        else
          heading = g_strdup_printf (_("%s jumped in memory"), p->name);
        /* TRANSLATORS: "leaky (pid 42) grew by 256 MiB within seconds and now holds 1.2 GiB." */
        g_string_append_printf (text, _("%s (pid %d) grew by %s within seconds and now holds %s."),
                                name, p->pid, jump, now);
      }
      break;

    case MEMSCOPE_ALERT_SUMMARY:
      if (alert->machine != NULL)
        /* TRANSLATORS: "3 processes on build-box are leaking memory" */
        heading = g_strdup_printf (ngettext ("%u process on %s is leaking memory",
                                             "%u processes on %s are leaking memory",
                                             alert->processes->len),
                                   alert->processes->len, alert->machine);
      else
        heading = g_strdup_printf (ngettext ("%u process is leaking memory",
                                             "%u processes are leaking memory",
                                             alert->processes->len),
                                   alert->processes->len);
      for (guint i = 0; i < alert->processes->len && i < SUMMARY_MAX_LINES; i++)
        {
          const MemscopeAlertProcess *q = &g_array_index (alert->processes,
                                                          MemscopeAlertProcess, i);
          g_autofree char *name = g_markup_escape_text (q->name, -1);
          g_autofree char *rate = memscope_format_rate (q->rate_kib_s);

          if (i > 0)
            g_string_append_c (text, '\n');
          /* TRANSLATORS: one line of a list: "leaky (pid 42) 8.0 MiB/s" */
          g_string_append_printf (text, _("%s (pid %d) %s"), name, q->pid, rate);
        }
      if (alert->processes->len > SUMMARY_MAX_LINES)
        {
          guint more = alert->processes->len - SUMMARY_MAX_LINES;

          g_string_append_c (text, '\n');
          g_string_append_printf (text, ngettext ("and %u more", "and %u more", more), more);
        }
      break;

    case MEMSCOPE_ALERT_LOW_MEMORY:
      if (alert->machine != NULL)
        /* TRANSLATORS: "Memory is running short on build-box" */
        heading = g_strdup_printf (_("Memory is running short on %s"), alert->machine);
      else
        heading = g_strdup (_("Memory is running short"));
      if (alert->mem_total_kib > 0 && alert->mem_available_kib >= 0)
        {
          g_autofree char *avail = memscope_format_size (alert->mem_available_kib);
          g_autofree char *total = memscope_format_size (alert->mem_total_kib);

          g_string_append_printf (text, _("%s of %s is available."), avail, total);
        }
      if (isfinite (alert->pressure_some_avg10) && alert->pressure_some_avg10 >= 1.0)
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append_printf (text,
                                  _("Programs waited for memory %.0f %% of the last 10 s."),
                                  alert->pressure_some_avg10);
        }
      append_growers (text, alert);
      break;

    case MEMSCOPE_ALERT_OOM_KILL:
    default:
      if (p != NULL)
        {
          g_autofree char *held = memscope_format_size (p->footprint_kib);
          g_autofree char *name = g_markup_escape_text (p->name, -1);

          if (alert->machine != NULL)
            /* TRANSLATORS: "Out of memory on build-box: firefox was ended" */
            heading = g_strdup_printf (_("Out of memory on %s: %s was ended"), alert->machine,
                                       p->name);
          else
            heading = g_strdup_printf (_("Out of memory: %s was ended"), p->name);
          /* TRANSLATORS: "The kernel ended firefox (pid 42), which held 3.1 GiB, to free
           * memory." */
          g_string_append_printf (text,
                                  _("The kernel ended %s (pid %d), which held %s, to free "
                                    "memory."),
                                  name, p->pid, held);
          for (guint i = 1; i < alert->processes->len; i++)
            {
              const MemscopeAlertProcess *q = &g_array_index (alert->processes,
                                                              MemscopeAlertProcess, i);
              g_autofree char *qname = g_markup_escape_text (q->name, -1);
              g_autofree char *qheld = memscope_format_size (q->footprint_kib);

              g_string_append_c (text, '\n');
              g_string_append_printf (text, _("Also ended: %s (pid %d), %s."), qname, q->pid,
                                      qheld);
            }
        }
      else
        {
          if (alert->machine != NULL)
            /* TRANSLATORS: "Out of memory on build-box: a process was ended" */
            heading = g_strdup_printf (_("Out of memory on %s: a process was ended"),
                                       alert->machine);
          else
            heading = g_strdup (_("Out of memory: a process was ended"));
          g_string_append (text, _("The kernel ended a process to free memory; it exited "
                                   "before memscope could see it."));
        }
      break;
    }

  *title = heading;
  *body = g_string_free (g_steal_pointer (&text), FALSE);
}

static GVariant *
process_target (const MemscopeAlert        *alert,
                const MemscopeAlertProcess *p)
{
  if (alert->machine != NULL)
    return g_variant_new (MEMSCOPE_REMOTE_PROCESS_TARGET_TYPE, alert->machine, p->pid,
                          p->starttime);
  return g_variant_new (MEMSCOPE_PROCESS_TARGET_TYPE, p->pid, p->starttime);
}

const char *
memscope_notifier_inspect_action (const MemscopeAlert  *alert,
                                  GVariant            **target)
{
  const MemscopeAlertProcess *p;

  g_return_val_if_fail (alert != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);

  *target = NULL;
  p = first_process (alert);
  /* The victim of an OOM kill is gone: a click shows the window. */
  if (p == NULL || alert->kind == MEMSCOPE_ALERT_OOM_KILL)
    return NULL;
  *target = process_target (alert, p);
  /* Another machine's processes are inspected in that machine's window. */
  return alert->machine != NULL ? "app." MEMSCOPE_ACTION_INSPECT_REMOTE
                                : "app." MEMSCOPE_ACTION_INSPECT;
}

GNotification *
memscope_notifier_build (const MemscopeAlert *alert)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GIcon) icon = NULL;
  const MemscopeAlertProcess *p;
  const char *inspect_action;
  const char *ignore_action;
  GNotification *notification;

  g_return_val_if_fail (alert != NULL, NULL);

  memscope_notifier_format (alert, &title, &body);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);

  inspect_action = alert->machine != NULL ? "app." MEMSCOPE_ACTION_INSPECT_REMOTE
                                          : "app." MEMSCOPE_ACTION_INSPECT;
  ignore_action = alert->machine != NULL ? "app." MEMSCOPE_ACTION_IGNORE_REMOTE
                                         : "app." MEMSCOPE_ACTION_IGNORE;
  p = first_process (alert);
  switch (alert->kind)
    {
    case MEMSCOPE_ALERT_LEAK:
    case MEMSCOPE_ALERT_SPIKE:
      g_notification_set_default_action_and_target_value (notification,
                                                          inspect_action,
                                                          process_target (alert, p));
      g_notification_add_button_with_target_value (notification, _("Inspect"),
                                                   inspect_action,
                                                   process_target (alert, p));
      g_notification_add_button_with_target_value (notification, _("Ignore"),
                                                   ignore_action,
                                                   process_target (alert, p));
      break;

    case MEMSCOPE_ALERT_SUMMARY:
    case MEMSCOPE_ALERT_LOW_MEMORY:
      /* The fastest or largest grower is the one to look at first. */
      if (p != NULL)
        g_notification_set_default_action_and_target_value (notification,
                                                            inspect_action,
                                                            process_target (alert, p));
      g_notification_set_priority (notification, alert->kind == MEMSCOPE_ALERT_LOW_MEMORY
                                                   ? G_NOTIFICATION_PRIORITY_HIGH
                                                   : G_NOTIFICATION_PRIORITY_NORMAL);
      break;

    case MEMSCOPE_ALERT_OOM_KILL:
    default:
      /* The victim is gone: a click shows the window. */
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      break;
    }
  return notification;
}

void
memscope_notifier_show (MemscopeNotifier    *self,
                        const MemscopeAlert *alert)
{
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (MEMSCOPE_IS_NOTIFIER (self));
  g_return_if_fail (alert != NULL);

  if (self->application == NULL)
    return;
  notification = memscope_notifier_build (alert);
  g_application_send_notification (self->application, alert->id, notification);
}

void
memscope_notifier_withdraw (MemscopeNotifier *self,
                            const char       *id)
{
  g_return_if_fail (MEMSCOPE_IS_NOTIFIER (self));
  g_return_if_fail (id != NULL);

  if (self->application != NULL)
    g_application_withdraw_notification (self->application, id);
}

void
memscope_notifier_show_background_hint (MemscopeNotifier *self,
                                        gboolean          have_tray)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;

  g_return_if_fail (MEMSCOPE_IS_NOTIFIER (self));

  if (self->application == NULL)
    return;
  notification = g_notification_new (_("memscope is running in the background"));
  g_notification_set_body (notification,
                           have_tray
                           ? _("It keeps watching memory and tells you when a process leaks. "
                               "Click its icon in the system tray or start memscope again to "
                               "show the window; choose Quit in the tray menu to stop it.")
                           : _("It keeps watching memory and tells you when a process leaks. "
                               "Start memscope again to show the window; press Ctrl+Q in the "
                               "window or click Quit here to stop it."));
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);
  g_notification_add_button (notification, _("Quit"), "app.quit");
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
  g_application_send_notification (self->application, MEMSCOPE_NOTIFICATION_BACKGROUND,
                                   notification);
}

static void
memscope_notifier_dispose (GObject *object)
{
  MemscopeNotifier *self = (MemscopeNotifier *) object;

  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (memscope_notifier_parent_class)->dispose (object);
}

static void
memscope_notifier_class_init (MemscopeNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = memscope_notifier_dispose;
}

static void
memscope_notifier_init (MemscopeNotifier *self)
{
}

MemscopeNotifier *
memscope_notifier_new (GApplication *application)
{
  MemscopeNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (MEMSCOPE_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  return self;
}
