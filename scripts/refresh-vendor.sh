#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry.
#   scripts/refresh-vendor.sh [CSS_VERSION] [HTMX_VERSION]
# Needs node/npm on the developer's machine only; the built files are committed, so neither
# `make demo` nor `make test` needs npm.
set -euo pipefail
css_version=${1:-1.22.0}
htmx_version=${2:-2.0.11}
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/src/evne/core/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@digdir/designsystemet-css@$css_version" "htmx.org@$htmx_version" >/dev/null
mkdir css htmx
tar xzf digdir-designsystemet-css-"$css_version".tgz -C css
tar xzf htmx.org-"$htmx_version".tgz -C htmx

rm -rf "$target/designsystemet" "$target/htmx"
mkdir -p "$target/designsystemet" "$target/htmx"
cp css/package/dist/src/index.css "$target/designsystemet/designsystemet.css"
cp css/package/dist/theme/designsystemet.css "$target/designsystemet/theme.css"
cp css/package/LICENSE "$target/designsystemet/LICENSE"
echo "@digdir/designsystemet-css $css_version (dist/src/index.css, dist/theme/designsystemet.css)" \
  >"$target/designsystemet/VERSION"
cp htmx/package/dist/htmx.min.js "$target/htmx/htmx.min.js"
cp htmx/package/LICENSE "$target/htmx/LICENSE"
echo "htmx.org $htmx_version (dist/htmx.min.js)" >"$target/htmx/VERSION"
echo "Vendored Designsystemet CSS $css_version and htmx $htmx_version into $target"
