/* SPDX-License-Identifier: MIT */
/* The environment's seams, read once. */
#include "config.h"

#include "memscope-seams-private.h"

enum {
  SEAM_PROC_ROOT,
  SEAM_PASSWD,
  SEAM_SYS_ROOT,
  SEAM_STATE_DIR,
  SEAM_HOST_PROBE,
  SEAM_SSH_CONFIG,
  N_SEAMS
};

static const char * const seam_names[N_SEAMS] = {
  "MEMSCOPE_PROC_ROOT",
  "MEMSCOPE_PASSWD",
  "MEMSCOPE_SYS_ROOT",
  "MEMSCOPE_STATE_DIR",
  "MEMSCOPE_HOST_PROBE",
  "MEMSCOPE_SSH_CONFIG",
};

/* Interned strings, or NULL for the default: a value handed out stays valid for the whole run,
 * even when a test sets another. */
static const char *seam_values[N_SEAMS];

static const char *
intern_value (const char *value)
{
  return (value != NULL && *value != '\0') ? g_intern_string (value) : NULL;
}

static void
ensure_read (void)
{
  static gsize read = 0;

  if (g_once_init_enter (&read))
    {
      for (guint i = 0; i < N_SEAMS; i++)
        g_atomic_pointer_set (&seam_values[i], intern_value (g_getenv (seam_names[i])));
      g_once_init_leave (&read, 1);
    }
}

static const char *
get_seam (guint       seam,
          const char *fallback)
{
  const char *value;

  ensure_read ();
  value = g_atomic_pointer_get (&seam_values[seam]);
  return value != NULL ? value : fallback;
}

const char *
memscope_proc_root (void)
{
  return get_seam (SEAM_PROC_ROOT, "/proc");
}

const char *
memscope_passwd_path (void)
{
  return get_seam (SEAM_PASSWD, "/etc/passwd");
}

const char *
memscope_sys_root (void)
{
  return get_seam (SEAM_SYS_ROOT, "/sys");
}

char *
memscope_state_dir (void)
{
  const char *dir = get_seam (SEAM_STATE_DIR, NULL);

  if (dir != NULL)
    return g_strdup (dir);
  return g_build_filename (g_get_user_state_dir (), "memscope", NULL);
}

const char *
memscope_host_probe (void)
{
  return get_seam (SEAM_HOST_PROBE, NULL);
}

const char *
memscope_ssh_config (void)
{
  return get_seam (SEAM_SSH_CONFIG, NULL);
}

gboolean
memscope_inside_flatpak (void)
{
  static gsize decided;
  static gboolean inside;

  if (g_once_init_enter (&decided))
    {
      inside = g_file_test (MEMSCOPE_FLATPAK_INFO, G_FILE_TEST_EXISTS);
      g_once_init_leave (&decided, 1);
    }
  return inside;
}

void
memscope_seams_set (const char *name,
                    const char *value)
{
  g_return_if_fail (name != NULL);

  ensure_read ();
  for (guint i = 0; i < N_SEAMS; i++)
    if (g_str_equal (name, seam_names[i]))
      {
        g_atomic_pointer_set (&seam_values[i], intern_value (value));
        return;
      }
  g_return_if_reached ();
}
