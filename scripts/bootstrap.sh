#!/usr/bin/env bash
# Prepare everything `make run` and `make test` need, idempotently:
#   Debian packages (as root, only what is missing), the Odoo 18.0 source tree,
#   the Python 3.11 virtualenv, and a PostgreSQL server with a login role.
# Writes .cache/env (sourced by the other scripts) and .cache/odoo.conf.
# A second run only re-checks: the venv is rebuilt when its inputs change.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
VENV="$ROOT/.venv"
mkdir -p "$CACHE"

# never pick the project's own venv (or any active one) as the base interpreter
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$VENV/bin" | paste -sd: -)"
unset VIRTUAL_ENV

log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- Debian packages
APT_UPDATED=0
apt_install() {
    # apt_install pkg... : install the packages that are not installed yet (root only)
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        log "missing system packages: ${missing[*]} (install them, or run once as root)"
        return 1
    fi
    if [ $APT_UPDATED = 0 ]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$CACHE/apt.log" 2>&1 \
            || { tail -n 20 "$CACHE/apt.log" >&2; return 1; }
        APT_UPDATED=1
    fi
    log "apt-get install ${missing[*]}"
    # output (debconf's notes included) goes to .cache/apt.log, shown only on failure
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >>"$CACHE/apt.log" 2>&1 || { tail -n 20 "$CACHE/apt.log" >&2; return 1; }
}

if command -v dpkg-query >/dev/null; then
    # build tools and headers for psycopg2 and python-ldap; fonts for reports
    apt_install git ca-certificates build-essential python3-dev python3-venv libpq-dev \
        libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev \
        fonts-dejavu-core || true
    # browser for tours and PDF renderer for reports
    apt_install chromium || true
    apt_install wkhtmltopdf || true
fi

# ---------------------------------------------------------------- Odoo source
odoo_major() { python3 -c "import re,sys; t=open(sys.argv[1]).read(); print(re.search(r'^version_info = \((\d+)', t, re.M).group(1))" "$1/odoo/release.py" 2>/dev/null; }

if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree"
elif [ -f /opt/odoo-18.0/odoo/release.py ]; then
    ODOO_SRC=/opt/odoo-18.0
else
    ODOO_SRC=/opt/odoo-18.0
    [ -w /opt ] || ODOO_SRC="$CACHE/odoo-18.0"
    log "cloning Odoo 18.0 into $ODOO_SRC (shallow)"
    git clone --quiet --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC"
fi
major="$(odoo_major "$ODOO_SRC")"
[ "$major" = 18 ] || die "$ODOO_SRC holds Odoo ${major:-?}, ITIMS needs Odoo 18.0 (set ODOO_SRC)"

# ---------------------------------------------------------------- Python venv
PY=""
for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        PY="$(command -v "$cand")"; break
    fi
done
[ -n "$PY" ] || die "Python 3.11 is required (python3.11 or python3 must be 3.11)"

# Odoo's own pins, with two replaced: cbor2 5.4.2 does not build with current setuptools;
# Werkzeug 2.2.2 (Python 3.11) has no limit on multipart form parts (CVE-2023-25577): 2.2.3
# caps them at 1000 (Odoo 18 sets no other limit), same API otherwise
sed -e 's/^cbor2==5.4.2.*/cbor2==5.6.2/' \
    -e 's/^Werkzeug==2\.2\.2 /Werkzeug==2.2.3 /' \
    "$ODOO_SRC/requirements.txt" > "$CACHE/odoo-requirements.txt"
# the venv is rebuilt only when what it is made of changes
base_py="$("$PY" -c 'import sys; print(sys.base_prefix, sys.version)')"
stamp_src="$(cat "$ROOT/requirements.txt" "$CACHE/odoo-requirements.txt"; echo "$ODOO_SRC $base_py")"
stamp="$(printf '%s' "$stamp_src" | sha256sum | cut -c1-16)"
if [ "$(cat "$VENV/.itims-stamp" 2>/dev/null)" != "$stamp" ]; then
    log "building $VENV with $PY"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    # pip's output goes to .cache/pip.log, shown only when it fails
    pip_install() {
        "$VENV/bin/pip" install "$@" > "$CACHE/pip.log" 2>&1 || {
            tail -n 40 "$CACHE/pip.log" >&2; die "pip install failed (see $CACHE/pip.log)"; }
    }
    pip_install --upgrade pip wheel 'setuptools<75'
    site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    # Odoo is not on PyPI: put the source tree on the path with a .pth file (an
    # editable install would be shadowed by the odoo/addons namespace of OCA wheels)
    echo "$ODOO_SRC" > "$site/odoo-src.pth"
    # ... and declare the distribution `odoo` so OCA wheels (Requires-Dist: odoo==18.0.*) install
    mkdir -p "$site/odoo-18.0.dist-info"
    printf 'Metadata-Version: 2.1\nName: odoo\nVersion: 18.0\n' > "$site/odoo-18.0.dist-info/METADATA"
    echo itims-bootstrap > "$site/odoo-18.0.dist-info/INSTALLER"
    : > "$site/odoo-18.0.dist-info/RECORD"
    pip_install -r "$CACHE/odoo-requirements.txt" -r "$ROOT/requirements.txt"
    echo "$stamp" > "$VENV/.itims-stamp"
fi
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

# ---------------------------------------------------------------- PostgreSQL
PGHOST_GIVEN="${PGHOST:-}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
OS_USER="$(id -un)"
PGUSER="${PGUSER:-$OS_USER}"
[ "$PGUSER" = postgres ] && die "Odoo refuses the PostgreSQL role 'postgres': set PGUSER to another role"

pg_ready() { pg_isready -q -h "$1" -p "$2" >/dev/null 2>&1; }
if ! command -v pg_isready >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt_install postgresql || die "PostgreSQL binaries are missing"
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
export PATH="$PATH:$PGBIN"

PGLOCAL=""
if ! pg_ready "$PGHOST" "$PGPORT"; then
    # no server answers: start a project-local cluster. PostgreSQL refuses to run as root,
    # so under root it runs as `nobody`, in .cache/ when nobody can reach it, else (the
    # project under /root, say) in /var/lib/itims-pg/<hash of the project path>
    PGPORT=54329
    if [ "$(id -u)" = 0 ]; then
        PG_OWNER=nobody
        run_pg() { (cd / && runuser -u nobody -- "$@"); }
        chmod 0755 "$CACHE"
        if run_pg test -x "$CACHE"; then
            PGLOCAL="$CACHE"; chown nobody "$CACHE"
        else
            PGLOCAL="/var/lib/itims-pg/$(basename "$ROOT")-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
            mkdir -p "$PGLOCAL"; chmod 0755 /var/lib/itims-pg; chown nobody "$PGLOCAL"; chmod 0700 "$PGLOCAL"
            ln -sfn "$PGLOCAL" "$CACHE/pglocal"   # for make clean
        fi
    else
        PG_OWNER="$OS_USER"; PGLOCAL="$CACHE"
        run_pg() { "$@"; }
    fi
    PGDATA="$PGLOCAL/pgdata"; PGHOST="$PGLOCAL/pgsock"
    run_pg mkdir -p "$PGHOST"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        log "initialising a project-local PostgreSQL cluster in $PGDATA"
        # UTF-8 whatever the environment's locale (an unset LANG would give SQL_ASCII)
        pg_locale=C; locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && pg_locale=C.UTF-8
        run_pg mkdir -p "$PGDATA"
        run_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U "$PG_OWNER" -E UTF8 --locale="$pg_locale" >/dev/null
    fi
    if ! pg_ready "$PGHOST" "$PGPORT"; then
        log "starting the project-local PostgreSQL on port $PGPORT"
        run_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOCAL/postgresql.log" -w \
            -o "-k $PGHOST -p $PGPORT -c listen_addresses=''" start >/dev/null
    fi
    ADMIN_ROLE="$PG_OWNER"
else
    ADMIN_ROLE=postgres
    # Debian's own server (as apt starts it on a fresh machine) wants a password over TCP
    # and knows local users by peer authentication on its Unix socket: use the socket
    tcp_login() { psql -w -h "$PGHOST" -p "$PGPORT" -U "$1" -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
    if [ -z "$PGHOST_GIVEN" ] && [ -S "/var/run/postgresql/.s.PGSQL.$PGPORT" ] \
        && ! tcp_login "$PGUSER" && ! tcp_login postgres; then
        PGHOST=/var/run/postgresql
    fi
fi
export PGHOST PGPORT
# psql as the role that may create roles: trust auth, or (root on a socket) the OS user postgres
admin_psql() {
    if [ "$ADMIN_ROLE" = postgres ] && [ "$(id -u)" = 0 ] && [ "${PGHOST#/}" != "$PGHOST" ] \
        && id -u postgres >/dev/null 2>&1; then
        (cd / && runuser -u postgres -- "$(command -v psql)" -w -h "$PGHOST" -p "$PGPORT" -d postgres "$@")
    else
        psql -w -U "$ADMIN_ROLE" -d postgres "$@"
    fi
}
# create the login role when missing (-w: never wait for a password at a prompt)
if ! psql -w -U "$PGUSER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    log "creating PostgreSQL role $PGUSER"
    admin_psql -qc "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB" >/dev/null \
        || die "cannot create the PostgreSQL role $PGUSER on $PGHOST:$PGPORT (create it with CREATEDB, e.g. sudo -u postgres createuser --createdb $PGUSER, or set PGUSER)"
fi
if [ "$(psql -w -U "$PGUSER" -d postgres -Atqc "select rolcreatedb or rolsuper from pg_roles where rolname = current_user")" != t ]; then
    admin_psql -qc "ALTER ROLE \"$PGUSER\" CREATEDB" >/dev/null \
        || die "PostgreSQL role $PGUSER cannot create databases"
fi

# ---------------------------------------------------------------- config
mkdir -p "$CACHE/data" "$CACHE/xdg/config" "$CACHE/xdg/cache" "$CACHE/xdg/data"
cat > "$CACHE/env" <<ENV
export ODOO_SRC='$ODOO_SRC'
export VENV='$VENV'
export PGHOST='$PGHOST' PGPORT='$PGPORT' PGUSER='$PGUSER'
export XDG_CONFIG_HOME='$CACHE/xdg/config' XDG_CACHE_HOME='$CACHE/xdg/cache' XDG_DATA_HOME='$CACHE/xdg/data'
export PATH='$VENV/bin':"\$PATH":'$PGBIN'
ENV
cat > "$CACHE/odoo.conf" <<CONF
[options]
addons_path = $ROOT,$SITE/odoo/addons,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons
data_dir = $CACHE/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
admin_passwd = admin
http_port = ${ITIMS_HTTP_PORT:-8069}
list_db = False
CONF
log "ready: Odoo $ODOO_SRC, venv $VENV, PostgreSQL $PGUSER@$PGHOST:$PGPORT"
