/* SPDX-License-Identifier: MIT */
/* For tests only: the alerts' clock and own process, replaced by made-up ones. */
#pragma once

#include "memscope-alerts.h"

G_BEGIN_DECLS

/* Seconds on a monotonic clock; tests replace it. */
typedef double (*MemscopeAlertsClock) (gpointer user_data);

void            memscope_alerts_set_clock            (MemscopeAlerts      *self,
                                                      MemscopeAlertsClock  clock,
                                                      gpointer             user_data);

/* The process that is memscope itself gets no popup (getpid () by default; 0 for none). */
void            memscope_alerts_set_own_pid          (MemscopeAlerts      *self,
                                                      gint32               pid);

G_END_DECLS
