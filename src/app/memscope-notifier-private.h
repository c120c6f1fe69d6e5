/* SPDX-License-Identifier: MIT */
/* For tests only: the notifications' texts without a server. */
#pragma once

#include "memscope-notifier.h"

G_BEGIN_DECLS

/* The notification for an alert: the title is plain text, the body has every name escaped
 * because notification servers may render it as markup. */
GNotification    *memscope_notifier_build                (const MemscopeAlert *alert);
void              memscope_notifier_format               (const MemscopeAlert *alert,
                                                          char               **title,
                                                          char               **body);
/* The action a click on the notification (and its Inspect button) activates, with its target
 * (floating); NULL when it has none. */
const char       *memscope_notifier_inspect_action       (const MemscopeAlert *alert,
                                                          GVariant           **target);

G_END_DECLS
