#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The Flatpak manifest parses (with flatpak-builder itself when it is installed) and asks for no
# more than memscope needs.

import json
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what)
    if not ok:
        failures.append(what)


path = os.environ['MS_MANIFEST']
with open(path, encoding='utf-8') as f:
    manifest = json.load(f)

check(manifest.get('id') == os.environ['MS_APP_ID'], 'id is the app id')
check(manifest.get('runtime') == 'org.gnome.Platform', 'GNOME runtime')
check(manifest.get('sdk') == 'org.gnome.Sdk', 'GNOME SDK')
check(str(manifest.get('runtime-version', '')).isdigit(), 'runtime version named')
check(manifest.get('command') == 'memscope', 'runs memscope')

# Exactly these: drawing, the host probe and the tray; notifications and background go through
# portals and need nothing here.  No filesystem, no network, no device beyond the GPU.
wanted = {
    '--socket=wayland',
    '--socket=fallback-x11',
    '--share=ipc',
    '--device=dri',
    '--talk-name=org.freedesktop.Flatpak',
    '--talk-name=org.kde.StatusNotifierWatcher',
}
args = manifest.get('finish-args', [])
check(len(args) == len(set(args)), 'no finish-arg twice')
check(set(args) == wanted, 'finish-args are exactly what is needed: %s' % sorted(set(args) ^ wanted))

modules = manifest.get('modules', [])
memscope = [m for m in modules if isinstance(m, dict) and m.get('name') == 'memscope']
check(len(memscope) == 1, 'one memscope module')
if memscope:
    module = memscope[0]
    check(module.get('buildsystem') == 'meson', 'built with meson')
    check('-Dprobe_static=true' in module.get('config-opts', []), 'probe linked statically')
    check('-Dtests=false' in module.get('config-opts', []), 'tests not built in the SDK')

builder = shutil.which('flatpak-builder')
if builder:
    # It keeps a cache folder in its working directory: give it a throwaway one.
    with tempfile.TemporaryDirectory(prefix='memscope-manifest-') as cwd:
        shown = subprocess.run([builder, '--show-manifest', os.path.abspath(path)], cwd=cwd,
                               capture_output=True, text=True)
    check(shown.returncode == 0, 'flatpak-builder --show-manifest parses it')
    if shown.returncode == 0:
        check(json.loads(shown.stdout).get('id') == manifest.get('id'),
              'flatpak-builder reads the same id')
else:
    print('note: flatpak-builder is not installed; the JSON checks above stand alone')

if failures:
    sys.exit('%d check(s) failed' % len(failures))
