#!/usr/bin/env bash
# Puts Prometheus's own PromQL test files (promql/testdata/*.test) of the
# installed Debian prometheus package's version into .cache/promql-testdata,
# for test/compat/promql/testdata.test.ts. They come from Debian's source
# package (fetched by apt from deb.debian.org and checked against the signed
# archive index); they are not part of this repository.
#
#   scripts/promql-testdata.sh            # no-op when already present
#   PROMQL_TESTDATA_DIR=/some/dir scripts/promql-testdata.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="${PROMQL_TESTDATA_DIR:-.cache/promql-testdata}"
if [ -n "$(ls "$out"/*.test 2>/dev/null)" ]; then exit 0; fi

version="$(dpkg-query -W -f='${Version}' prometheus 2>/dev/null || true)"
if [ -z "$version" ]; then
  echo "promql-testdata: Debian package 'prometheus' is not installed (apt-get install prometheus)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$work/sources.list" <<LIST
deb-src [signed-by=$keyring] http://deb.debian.org/debian $codename main
deb-src [signed-by=$keyring] http://deb.debian.org/debian $codename-updates main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security $codename-security main
LIST
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
  -qq
)
apt-get "${apt_opts[@]}" update
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "prometheus=$version" >/dev/null)
orig="$(ls "$work"/src/prometheus_*.orig.tar.* | head -n 1)"
mkdir -p "$out"
tar -xf "$orig" -C "$out" --strip-components=3 --wildcards '*/promql/testdata/*.test'
count="$(ls "$out"/*.test | wc -l)"
echo "promql-testdata: $count files of prometheus $version in $out"
