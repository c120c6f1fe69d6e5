#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `meson install --destdir` into a temporary root gives a working app: programs, launcher,
# metadata, icons, compiled schema, D-Bus service, man pages and translations that are found.

import configparser
import gettext
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def elf_has_interpreter(path):
    """Whether a 64-bit little-endian ELF file asks for a dynamic loader (a PT_INTERP header)."""
    with open(path, 'rb') as f:
        head = f.read(64)
        if head[:4] != b'\x7fELF' or head[4] != 2 or head[5] != 1:
            return True
        phoff = int.from_bytes(head[32:40], 'little')
        phentsize = int.from_bytes(head[54:56], 'little')
        phnum = int.from_bytes(head[56:58], 'little')
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(int.from_bytes(table[i * phentsize:i * phentsize + 4], 'little') == 3
               for i in range(phnum))


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what)
    if not ok:
        failures.append(what)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def main():
    builddir = os.environ['MS_BUILDDIR']
    app_id = os.environ['MS_APP_ID']
    prefix = os.environ['MS_PREFIX']
    meson = os.environ.get('MS_MESON') or shutil.which('meson')

    with tempfile.TemporaryDirectory(prefix='memscope-install-') as destdir:
        done = run([meson, 'install', '-C', builddir, '--no-rebuild', '--quiet',
                    '--destdir', destdir])
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            sys.exit('meson install failed')
        root = destdir + prefix

        def path(*parts):
            return os.path.join(root, *parts)

        bindir = path(os.environ['MS_BINDIR'])
        datadir = path(os.environ['MS_DATADIR'])
        for program in ('memscope', 'memscope-probe', 'leak-sim'):
            exe = os.path.join(bindir, program)
            check(os.access(exe, os.X_OK), 'program ' + program)
        # The probe copied to other machines: static, so it needs no library there.
        static_probe = os.path.join(path(os.environ['MS_LIBEXECDIR']), 'memscope',
                                    'memscope-probe-static')
        check(os.access(static_probe, os.X_OK), 'static probe ' + static_probe)
        if os.access(static_probe, os.X_OK):
            check(not elf_has_interpreter(static_probe), 'the static probe has no ELF interpreter')
            check(run([static_probe, 'stream', '--help']).returncode == 0,
                  'the static probe runs')
        version = run([os.path.join(bindir, 'memscope'), '--version'])
        check(version.returncode == 0 and os.environ['MS_VERSION'] in version.stdout,
              'installed memscope --version prints ' + os.environ['MS_VERSION'])

        # The launcher, translated and valid.
        desktop = os.path.join(datadir, 'applications', app_id + '.desktop')
        check(os.path.exists(desktop), 'launcher ' + desktop)
        if os.path.exists(desktop):
            entry = configparser.RawConfigParser(strict=False, interpolation=None)
            entry.optionxform = str
            entry.read(desktop, encoding='utf-8')
            section = entry['Desktop Entry']
            check(section.get('Exec', '').split()[0] == 'memscope', 'launcher runs memscope')
            check(section.get('Icon') == app_id, 'launcher icon is the app id')
            check(section.get('GenericName[de]') == 'Speichermonitor', 'launcher in German')
            check(section.get('GenericName[es]') == 'Monitor de memoria', 'launcher in Spanish')
            check(run(['desktop-file-validate', desktop]).returncode == 0,
                  'installed launcher validates')

        metainfo = os.path.join(datadir, 'metainfo', app_id + '.metainfo.xml')
        check(os.path.exists(metainfo), 'metainfo ' + metainfo)
        if os.path.exists(metainfo):
            with open(metainfo, encoding='utf-8') as f:
                text = f.read()
            check('xml:lang="de"' in text and 'xml:lang="es"' in text, 'metainfo translated')
            check('<id>%s</id>' % app_id in text, 'metainfo id is the app id')
            check(run(['appstreamcli', 'validate', '--no-net', metainfo]).returncode == 0,
                  'installed metainfo validates')

        icons = os.path.join(datadir, 'icons', 'hicolor')
        check(os.path.exists(os.path.join(icons, 'scalable', 'apps', app_id + '.svg')),
              'scalable app icon')
        check(os.path.exists(os.path.join(icons, 'symbolic', 'apps', app_id + '-symbolic.svg')),
              'symbolic app icon')
        for suffix in ('-tray-symbolic', '-tray-attention-symbolic'):
            check(os.path.exists(os.path.join(icons, 'symbolic', 'apps', app_id + suffix + '.svg')),
                  'tray icon ' + app_id + suffix)

        # The schema is compiled where GSettings looks, and it is the app's.  meson compiles it
        # after an install without --destdir; with one, that is left to the packager's trigger,
        # so do here what the trigger does.
        schemas = os.path.join(datadir, 'glib-2.0', 'schemas')
        check(os.path.exists(os.path.join(schemas, app_id + '.gschema.xml')), 'schema installed')
        if not os.path.exists(os.path.join(schemas, 'gschemas.compiled')):
            check(run(['glib-compile-schemas', '--strict', schemas]).returncode == 0,
                  'installed schema compiles')
        check(os.path.exists(os.path.join(schemas, 'gschemas.compiled')), 'compiled schema')
        keys = run(['gsettings', '--schemadir', schemas, 'list-keys', app_id])
        check(keys.returncode == 0 and 'refresh-interval-ms' in keys.stdout.split(),
              'schema has refresh-interval-ms')

        service = os.path.join(datadir, 'dbus-1', 'services', app_id + '.service')
        check(os.path.exists(service), 'D-Bus service file')
        if os.path.exists(service):
            with open(service, encoding='utf-8') as f:
                text = f.read()
            check('Name=%s\n' % app_id in text, 'service names the app id')
            check('Exec=%s/memscope --gapplication-service' % os.path.join(
                prefix, os.environ['MS_BINDIR']) in text, 'service starts the installed memscope')

        for page in ('memscope.1', 'memscope-probe.1', 'leak-sim.1'):
            check(os.path.exists(path(os.environ['MS_MANDIR'], 'man1', page)), 'man page ' + page)

        # Translations are where LOCALEDIR says and gettext finds them, plurals included.
        localedir = path(os.environ['MS_LOCALEDIR'])
        for lang, summary, one, many in (
                ('de', 'Den Prozess finden, der den Speicher wachsen lässt', '%u Prozess',
                 '%u Prozesse'),
                ('es', 'Encuentre el proceso que hace crecer la memoria', '%u proceso',
                 '%u procesos')):
            try:
                catalog = gettext.translation('memscope', localedir=localedir, languages=[lang])
            except OSError as e:
                check(False, '%s catalogue: %s' % (lang, e))
                continue
            check(catalog.gettext('Find the process that makes memory grow') == summary,
                  lang + ' summary translated')
            check(catalog.ngettext('%u process', '%u processes', 1) == one, lang + ' form for 1')
            check(catalog.ngettext('%u process', '%u processes', 2) == many, lang + ' form for 2')
            check(catalog.ngettext('%u process', '%u processes', 0) == many, lang + ' form for 0')

    if failures:
        sys.exit('%d check(s) failed' % len(failures))


main()
