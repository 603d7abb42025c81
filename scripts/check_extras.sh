#!/usr/bin/env bash
# The optional extras install together, in either order, without breaking each other.
#
# Creates two fresh virtual environments under a temporary folder; in one installs
# .[omics] then .[exchange], in the other .[exchange] then .[omics]; then in each runs `pip check`
# and imports anndata, zarr, scanpy, kgx, ndex2 and igraph, and writes and reads a small AnnData
# as zarr. Exit 0 when both orders work. Takes a few minutes with a warm pip cache.
#
#   bash scripts/check_extras.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(mktemp -d /tmp/mechgraph-extras.XXXXXX)"
trap 'rm -rf "$root"' EXIT
check() {
  local venv="$1"
  "$venv/bin/python" -m pip check
  "$venv/bin/python" - <<'PY'
import os, tempfile
import numpy as np
import anndata, zarr, scanpy, kgx, ndex2, igraph  # noqa: F401
d = tempfile.mkdtemp()
a = anndata.AnnData(np.arange(6, dtype="float32").reshape(3, 2))
a.write_zarr(os.path.join(d, "x.zarr"))
assert anndata.read_zarr(os.path.join(d, "x.zarr")).X.sum() == 15
print(f"numpy {np.__version__}, zarr {zarr.__version__}, anndata {anndata.__version__}: imports and zarr round trip ok")
PY
}
for order in "omics exchange" "exchange omics"; do
  set -- $order
  venv="$root/$1-then-$2"
  echo "== fresh venv: .[$1] then .[$2]"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e ".[$1]"
  "$venv/bin/python" -m pip install -q -e ".[$2]"
  check "$venv"
done
echo "both orders: ok"
