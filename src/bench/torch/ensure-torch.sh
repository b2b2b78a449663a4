#!/usr/bin/env bash
# Make sure Debian's PyTorch is installed for /usr/bin/python3 and that the
# BLAS it links (libblas.so.3 / liblapack.so.3) resolves to OpenBLAS rather
# than the reference BLAS (~6 GFLOP/s vs ~200 GFLOP/s on 2 cores).
#
# Idempotent: does nothing but report when everything is already in place.
# Needs root (or sudo) only when something has to be installed or switched.
set -euo pipefail

PY=/usr/bin/python3
ARCH_TRIPLET=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { echo "[ensure-torch] $*"; }

updated=0
apt_update_once() {
  if [ "$updated" -eq 0 ]; then
    log "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    updated=1
  fi
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

want=()
if ! "$PY" -c 'import torch' >/dev/null 2>&1; then
  log "torch not importable by $PY: will install python3-torch"
  want+=(python3-torch)
else
  log "torch already importable: $("$PY" -c 'import torch; print(torch.__version__)')"
fi
if ! pkg_installed libopenblas0-pthread; then
  log "libopenblas0-pthread not installed: will install it"
  want+=(libopenblas0-pthread)
else
  log "libopenblas0-pthread already installed"
fi

if [ "${#want[@]}" -gt 0 ]; then
  apt_update_once
  log "apt-get install -y ${want[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${want[@]}"
fi

# Select OpenBLAS (pthread flavour) for libblas.so.3 and liblapack.so.3.
select_openblas() {
  local name=$1 lib=$2
  local alt="$name-$ARCH_TRIPLET"
  local target="/usr/lib/$ARCH_TRIPLET/openblas-pthread/$lib"
  if ! update-alternatives --query "$alt" >/dev/null 2>&1; then
    log "WARNING: no alternative group $alt"
    return
  fi
  local current
  current=$(update-alternatives --query "$alt" | awk '/^Value:/ {print $2}')
  if [ "$current" = "$target" ]; then
    log "$alt -> $current (OpenBLAS, already selected)"
    return
  fi
  if ! update-alternatives --list "$alt" | grep -qx "$target"; then
    log "WARNING: $target is not a registered alternative for $alt (current: $current)"
    return
  fi
  log "$alt was $current; selecting $target"
  $SUDO update-alternatives --set "$alt" "$target"
}
select_openblas libblas.so.3 libblas.so.3
select_openblas liblapack.so.3 liblapack.so.3

# Verify: which BLAS does torch actually map after a matmul, and how fast is it?
"$PY" - <<'EOF'
import time, torch
a = torch.randn(512, 512); b = torch.randn(512, 512)
for _ in range(3): a @ b
n = 50
t0 = time.perf_counter()
for _ in range(n): a @ b
dt = time.perf_counter() - t0
libs = sorted({l.split()[-1] for l in open('/proc/self/maps')
               if ('blas' in l.lower() or 'lapack' in l.lower()) and '/' in l})
print(f"[ensure-torch] torch {torch.__version__}, threads {torch.get_num_threads()}")
print(f"[ensure-torch] BLAS mapped: {', '.join(libs) or 'none'}")
print(f"[ensure-torch] 512x512 matmul: {2 * 512**3 * n / dt / 1e9:.1f} GFLOP/s")
if not any('openblas' in l for l in libs):
    print("[ensure-torch] WARNING: OpenBLAS is not the BLAS torch is using")
EOF
