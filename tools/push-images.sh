#!/usr/bin/env bash
# Pushes the runner and operator images that `make images` built to a registry, each under one tag
# for linux/amd64 and linux/arm64 (an OCI image index), with skopeo: no Docker daemon is needed.
#
#   REGISTRY=registry.example.com/platform TAG=0.1.0 tools/push-images.sh
#   SKOPEO_FLAGS=--dest-tls-verify=false      for a registry served over plain HTTP
#   IMAGES=target/images                      where the tars are
#
# Log in first with `skopeo login` (or `docker login`: skopeo reads its credentials too). Prints
# each pushed image as name:tag@digest, the digest to pin in the chart's image.digest.
set -euo pipefail
cd "$(dirname "$0")/.."
registry=${REGISTRY:?REGISTRY is needed, e.g. REGISTRY=registry.example.com/platform}
tag=${TAG:?TAG is needed, e.g. TAG=0.1.0}
images=${IMAGES:-target/images}
read -r -a flags <<<"${SKOPEO_FLAGS:-}"

[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { echo "TAG '$tag' is not a valid image tag" >&2; exit 2; }
[[ $registry =~ ^[a-z0-9.:-]+(/[a-z0-9._-]+)*$ ]] || { echo "REGISTRY '$registry' is not host[:port][/path] in lower case" >&2; exit 2; }
command -v skopeo >/dev/null || { echo "skopeo is missing: apt-get install skopeo (make push installs it as root)" >&2; exit 1; }
for image in etl-runner etl-operator; do
  for arch in amd64 arm64; do
    [ -f "$images/$image-$arch.tar" ] || { echo "no $images/$image-$arch.tar: make images" >&2; exit 1; }
  done
done

# one OCI layout per image: both architectures' manifests, and the index that names them under the tag
descriptor() { # media type, file, extra JSON members
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s%s}' "$1" "$(sha256sum "$2" | cut -d' ' -f1)" "$(stat -c %s "$2")" "${3:-}"
}
for image in etl-runner etl-operator; do
  layout="$images/oci/$image"
  rm -rf "$layout"
  mkdir -p "$layout"
  entries=
  for arch in amd64 arm64; do
    skopeo copy -q "docker-archive:$images/$image-$arch.tar" "oci:$layout:$arch"
    skopeo inspect --raw "oci:$layout:$arch" >"$layout/$arch.manifest"
    entries+="${entries:+,}$(descriptor application/vnd.oci.image.manifest.v1+json "$layout/$arch.manifest" \
      ",\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}")"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$entries" >"$layout/index.blob"
  digest=$(sha256sum "$layout/index.blob" | cut -d' ' -f1)
  cp "$layout/index.blob" "$layout/blobs/sha256/$digest"
  printf '{"schemaVersion":2,"manifests":[%s]}' "$(descriptor application/vnd.oci.image.index.v1+json "$layout/index.blob" \
    ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"$tag\"}")" >"$layout/index.json"
  skopeo copy -q --all ${flags[@]+"${flags[@]}"} "oci:$layout:$tag" "docker://$registry/$image:$tag"
  echo "$registry/$image:$tag@sha256:$digest"
done
