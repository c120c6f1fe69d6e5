/* SPDX-License-Identifier: MIT */
/* In host mode the inspect panel's mappings come from the host probe, not from this side's
 * /proc: a fake probe answers with a heap of 4242 KiB for a pid that does not exist here. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "memscope-host-source.h"
#include "memscope-sampler-thread.h"
#include "memscope-seams-private.h"
#include "memscope-smaps-view.h"
#include "ms-test.h"

static void
test_smaps_view_through_probe (void)
{
  g_autoptr(MemscopeHostSource) source = NULL;
  g_autoptr(MemscopeSamplerThread) sampler = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view;
  gint64 end;

  /* The view reads through the source it is given, nothing of this side's /proc. */
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", g_getenv ("MS_FAKE_PROBE"));
  g_setenv ("MS_FAKE_PROBE_MODE", "answers", TRUE);
  source = memscope_host_source_new (&error);
  g_assert_no_error (error);
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", NULL);
  memscope_host_source_start (source);
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (memscope_host_source_get_state (source) != MEMSCOPE_HOST_STATE_RUNNING
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (memscope_host_source_get_state (source), ==, MEMSCOPE_HOST_STATE_RUNNING);

  view = g_object_ref_sink (memscope_smaps_view_new ());
  sampler = memscope_sampler_thread_new_for_source (source);
  memscope_smaps_view_set_sampler (MEMSCOPE_SMAPS_VIEW (view), sampler);
  memscope_smaps_view_set_process (MEMSCOPE_SMAPS_VIEW (view), 999999, 77);
  memscope_smaps_view_refresh (MEMSCOPE_SMAPS_VIEW (view));
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (memscope_smaps_view_get_n_reads (MEMSCOPE_SMAPS_VIEW (view)) == 0
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("status: %s", memscope_smaps_view_get_status (MEMSCOPE_SMAPS_VIEW (view)));
  g_assert_cmpuint (memscope_smaps_view_get_n_reads (MEMSCOPE_SMAPS_VIEW (view)), ==, 1);
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (MEMSCOPE_SMAPS_VIEW (view)), ==, 1);
  {
    g_autofree char *text = memscope_smaps_view_dup_text (MEMSCOPE_SMAPS_VIEW (view));

    g_test_message ("view: %s", text);
    g_assert_nonnull (strstr (text, "[heap]"));
  }
  g_object_unref (view);
}

int
main (int argc, char **argv)
{
  ms_test_ignore_sigpipe ();
  gtk_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("MS_FAKE_PROBE"));

  g_test_add_func ("/host-smaps/view-through-probe", test_smaps_view_through_probe);

  return g_test_run ();
}
