#!/bin/sh
# Builds one version of the web client into OUTDIR, for the dev runtime (and anyone else):
#   web/build-version.sh VERSION SCHEMA OUTDIR
# VERSION is the version id the build pins to (sent as x-deployment-id, compared with the backend's),
# SCHEMA the shop API schema it speaks (v1 or v2). OUTDIR gets index.html and assets/ with hashed
# names; it is emptied first. Installs the locked dependencies on first use (npm ci).
set -eu

usage() {
  echo "usage: $0 VERSION SCHEMA OUTDIR   (SCHEMA: v1 or v2)" >&2
  exit 2
}

[ "$#" -eq 3 ] || usage
version=$1
schema=$2
outdir=$3
[ -n "$version" ] && [ -n "$outdir" ] || usage
case "$outdir" in
  /*) ;;
  *) outdir="$(pwd)/$outdir" ;;
esac

cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/vite ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# vite.config.ts checks both values and fails listing every problem.
VITE_DEPLOYMENT_ID="$version" VITE_API_SCHEMA="$schema" \
  ./node_modules/.bin/vite build --outDir "$outdir" --emptyOutDir --logLevel warn
echo "web: built version $version (schema $schema) into $outdir"
