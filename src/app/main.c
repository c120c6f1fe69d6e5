/* SPDX-License-Identifier: MIT */
/* memscope's entry point: how it draws, room for a descriptor per process, no death by a closed
 * pipe, translations, the application. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "memscope-application.h"
#include "memscope-data-dirs.h"
#include "memscope-render-policy.h"
#include "sampler.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MemscopeApplication) app = NULL;

#ifdef __GLIBC__
  /* Blocks of 256 KiB and more (a tick's copy of every process: about 1.2 KiB each) are mapped
   * and unmapped whole.  glibc would otherwise raise this threshold to the largest block freed,
   * and later copies would come from its heaps, which keep what was freed.  Set before any
   * thread starts. */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif
  /* Before GTK or any thread starts: GDK reads its switches in gtk_init(). */
  memscope_render_policy_prepare ();
  ms_sampler_raise_fd_limit ();
  /* A host probe that dies while a request is on its way ends the request with an error (EPIPE),
   * not memscope. */
  signal (SIGPIPE, SIG_IGN);
  setlocale (LC_ALL, "");
  /* The build's own catalogues when run from the build tree, so it speaks the user's language
   * before it is installed. */
  bindtextdomain (GETTEXT_PACKAGE, memscope_data_dirs_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = memscope_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
