#!/usr/bin/env bash
# Install the four real FTP servers used by the recording/interop tests:
# vsftpd, proftpd (Debian package proftpd-core), pure-ftpd and pyftpdlib
# (Debian package python3-pyftpdlib).
#
# The three Debian packages all Provide/Conflict "ftp-server", so none of them
# is installed with apt: each one is fetched with `apt-get download` and
# unpacked with `dpkg-deb -x` into a folder of its own,
#   ${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}/<name>/
# Only their shared-library dependencies (lib* packages from the .deb's
# Depends field) are installed normally with apt-get.  As no server package is
# configured by dpkg, no maintainer script ever starts a daemon on port 21.
# (A policy-rc.d that forbids service starts is put in place anyway while apt
# runs, in case a library's postinst wants to start something.)
#
# pyftpdlib is a Python library with no daemon of its own and no
# Provides/Conflicts ftp-server: python3-pyftpdlib is installed normally with
# apt (it depends on python3 only); tests/servers/pyftpdlib_server.py runs it
# with Debian's /usr/bin/python3.  Its version goes to
#   ${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}/pyftpdlib/VERSION
# like the others'.
#
# Idempotent: when every server is unpacked and its binary links, and
# python3-pyftpdlib is installed and imports, it does nothing (no apt-get
# call at all).  Must run as root.
set -euo pipefail

PREFIX="${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}"
# name  debian-package  binary (relative to the unpacked root)
SERVERS=(
    "vsftpd vsftpd usr/sbin/vsftpd"
    "proftpd proftpd-core usr/sbin/proftpd"
    "pure-ftpd pure-ftpd usr/sbin/pure-ftpd"
)
# Shared PAM service used by vsftpd (it authenticates through PAM only).
PAM_SERVICE_FILE=/etc/pam.d/ftp-reply-servers

log() { printf 'install.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
export DEBIAN_FRONTEND=noninteractive

apt_updated=0
apt_update_once() {
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        apt-get update -qq
        apt_updated=1
    fi
}

policy_created=0
cleanup() {
    if [ "$policy_created" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    if [ -n "${workdir:-}" ]; then rm -rf "$workdir"; fi
}
trap cleanup EXIT

apt_install() {
    [ "$#" -gt 0 ] || return 0
    apt_update_once
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_created=1
    fi
    log "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Is the server at $1 (unpacked dir) complete and does its binary $2 link?
server_ok() {
    local dir="$1" bin="$2"
    [ -f "$dir/.installed" ] && [ -x "$dir/$bin" ] || return 1
    ! ldd "$dir/$bin" 2>/dev/null | grep -q 'not found'
}

# lib* packages named in a .deb's Depends/Pre-Depends (first alternative).
lib_deps() {
    dpkg-deb -f "$1" Depends Pre-Depends \
        | sed -e 's/^[A-Za-z-]*: //' | tr ',' '\n' \
        | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' -e 's/[[:space:]]//g' \
        | grep -E '^lib' | sort -u
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

workdir=""
for entry in "${SERVERS[@]}"; do
    read -r name pkg bin <<<"$entry"
    dir="$PREFIX/$name"
    if server_ok "$dir" "$bin"; then
        continue
    fi
    if [ -z "$workdir" ]; then
        workdir="$(mktemp -d)"
        chmod 755 "$workdir"
        # lets apt's sandbox user write there (avoids a warning)
        if id _apt >/dev/null 2>&1; then chown _apt "$workdir"; fi
    fi
    apt_update_once
    log "downloading $pkg"
    (cd "$workdir" && apt-get download -qq "$pkg" >/dev/null)
    deb="$(ls "$workdir/${pkg}"_*.deb | head -n1)"
    [ -f "$deb" ] || die "apt-get download $pkg produced no .deb"

    missing=()
    while read -r dep; do
        [ -n "$dep" ] || continue
        pkg_installed "$dep" || missing+=("$dep")
    done < <(lib_deps "$deb")
    if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir"
    printf '%s %s\n' "$pkg" "$(dpkg-deb -f "$deb" Version)" >"$dir/VERSION"
    if ldd "$dir/$bin" | grep 'not found'; then
        die "$name: unresolved shared libraries after installing dependencies"
    fi
    touch "$dir/.installed"
    log "$name unpacked into $dir ($(cat "$dir/VERSION"))"
done

# pyftpdlib: installed with apt (see the top); the launcher needs Debian's
# python3, whose dist-packages hold it.
PYTHON=/usr/bin/python3
pyftpdlib_ok() {
    pkg_installed python3-pyftpdlib && [ -x "$PYTHON" ] \
        && "$PYTHON" -c 'import pyftpdlib.servers' 2>/dev/null
}
if ! pyftpdlib_ok; then
    apt_install python3-pyftpdlib
    pyftpdlib_ok || die "python3-pyftpdlib does not import with $PYTHON"
fi
py_version="python3-pyftpdlib $(dpkg-query -W -f='${Version}' python3-pyftpdlib)"
py_dir="$PREFIX/pyftpdlib"
if [ ! -f "$py_dir/.installed" ] || [ "$(cat "$py_dir/VERSION" 2>/dev/null)" != "$py_version" ]; then
    mkdir -p "$py_dir"
    printf '%s\n' "$py_version" >"$py_dir/VERSION"
    touch "$py_dir/.installed"
    log "pyftpdlib installed ($py_version, $("$PYTHON" -c 'import pyftpdlib; print(pyftpdlib.__file__)'))"
fi

# PAM service for vsftpd: plain pam_unix against /etc/shadow (the Debian
# vsftpd PAM file is not installed since the package is only unpacked).
if [ ! -f /usr/lib/x86_64-linux-gnu/security/pam_unix.so ] \
    && ! ls /usr/lib/*/security/pam_unix.so /lib/*/security/pam_unix.so >/dev/null 2>&1; then
    apt_install libpam-modules
fi
pam_content='# ftp-reply test servers (tests/servers/install.sh)
auth     required pam_unix.so
account  required pam_unix.so
session  required pam_unix.so'
if [ ! -f "$PAM_SERVICE_FILE" ] || [ "$(cat "$PAM_SERVICE_FILE")" != "$pam_content" ]; then
    printf '%s\n' "$pam_content" >"$PAM_SERVICE_FILE"
fi

for entry in "${SERVERS[@]}"; do
    read -r name pkg bin <<<"$entry"
    server_ok "$PREFIX/$name" "$bin" || die "$name is not usable in $PREFIX/$name"
    log "ok: $name $(cut -d' ' -f2 "$PREFIX/$name/VERSION") in $PREFIX/$name"
done
pyftpdlib_ok || die "pyftpdlib is not usable with $PYTHON"
log "ok: pyftpdlib $(cut -d' ' -f2 "$py_dir/VERSION") for $PYTHON"
