#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
# and kubectl from their pinned Go modules, once, into a cache keyed on the versions, and prints
# that directory. No registry serves these binaries and no Docker engine is needed.
#
#   ETL_KUBE_BINARIES=DIR   use prebuilt binaries from DIR instead (all five must be there)
#   ETL_CACHE_DIR=DIR       where to cache (default: $XDG_CACHE_HOME or ~/.cache, /etl-operator)
#
# The first build takes about 17 minutes on 2 cores and 3 GB of memory; later calls return at once.
set -euo pipefail

KUBE_VERSION=v1.37.2
ETCD_VERSION=v3.6.16
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

here=$(cd "$(dirname "$0")" && pwd)
complete() { for b in "${BINARIES[@]}"; do [ -x "$1/$b" ] || return 1; done; }

if [ -n "${ETL_KUBE_BINARIES:-}" ]; then
  complete "$ETL_KUBE_BINARIES" || { echo "ETL_KUBE_BINARIES=$ETL_KUBE_BINARIES lacks one of: ${BINARIES[*]}" >&2; exit 1; }
  echo "$ETL_KUBE_BINARIES"; exit 0
fi

os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
cache=${ETL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/etl-operator}
out="$cache/controlplane/kube-$KUBE_VERSION-etcd-$ETCD_VERSION-$os-$arch"
if complete "$out"; then echo "$out"; exit 0; fi

command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"   # Go's default install folder
command -v go >/dev/null || { echo "the local control plane is built with Go (1.26 or newer): install it, or set ETL_KUBE_BINARIES" >&2; exit 1; }
mkdir -p "$cache"; exec 9>"$cache/controlplane.lock"
flock 9   # two builds at once (two test JVMs, make up beside make test) would only compete
if complete "$out"; then echo "$out"; exit 0; fi

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
tmp="$out.partial"; rm -rf "$tmp"; mkdir -p "$tmp"
minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$stamp"
done

started=$(date +%s)
progress() { echo "[control plane $(( $(date +%s) - started ))s] $*" >&2; }
progress "building etcd $ETCD_VERSION and Kubernetes $KUBE_VERSION from Go modules into $out (first time only, about 17 min on 2 cores)"
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" .)
progress "etcd built"
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  (cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  progress "$cmd built"
done
rm -rf "$out"; mv "$tmp" "$out"
progress "done"
echo "$out"
