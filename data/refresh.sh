#!/usr/bin/env bash
# Regenerate the EC2 catalog (instance_types.csv, prices.csv, os_prices.csv, metadata.csv, SOURCE.md), regions.csv and
# offerings.csv.
# Usage: data/refresh.sh [OUT_DIR]   (default: the data/ directory next to this script)
set -euo pipefail

LIBCLOUD_VERSION=3.9.1
MOTO_VERSION=5.2.5
# Region names (regions.csv) come from botocore's endpoint data.
BOTOCORE_VERSION=1.40.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
python="${PYTHON:-python3}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" \
    "apache-libcloud==${LIBCLOUD_VERSION}" "moto==${MOTO_VERSION}" "botocore==${BOTOCORE_VERSION}"

libcloud_whl="$tmp/apache_libcloud-${LIBCLOUD_VERSION}-py3-none-any.whl"
moto_whl="$tmp/moto-${MOTO_VERSION}-py3-none-any.whl"
for f in "$libcloud_whl" "$moto_whl"; do
    [[ -f "$f" ]] || { echo "refresh.sh: expected wheel not found: $f" >&2; exit 1; }
done

"$python" "$here/build_catalog.py" --libcloud "$libcloud_whl" --moto "$moto_whl" --out "$out"
"$python" "$here/build_regions.py" --botocore "$tmp/botocore-${BOTOCORE_VERSION}-py3-none-any.whl" --out "$out"
"$python" "$here/build_offerings.py" --moto "$moto_whl" --types "$out/instance_types.csv" --out "$out"
