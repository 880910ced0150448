#!/usr/bin/env bash
# Builds restager/stager:latest and restager/stager:<version> (images/stager/Dockerfile): the
# image that runs `restage` on stdin with the host's Docker socket mounted. Idempotent: when
# the image's io.restager.source-hash label equals the hash of what would go in (dist/,
# package.json, package-lock.json, the Dockerfile, the Node binary, the base image id), it only
# makes sure both tags exist.
#
# Usage: bash scripts/build-stager-image.sh [--no-build] [--force] [--base IMAGE] [--help]
#   --no-build    use dist/ as it is (default: npm run build when a source is newer)
#   --force       build even when the image is up to date
#   --base IMAGE  base image (default restager/stack:bookworm, from scripts/setup-machine.sh;
#                 another base needs glibc and libstdc++ for Node); also STAGER_BASE
# Environment: NODE_BINARY (default: the node on PATH) is copied into the image.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=restager/stager
DOCKERFILE=$REPO_ROOT/images/stager/Dockerfile
HASH_LABEL=io.restager.source-hash

log() { printf 'stager-image: %s\n' "$*" >&2; }
fail() { printf 'stager-image: ERROR: %s\n' "$*" >&2 && exit 1; }
usage() { sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

build=1 force=0 base=${STAGER_BASE:-restager/stack:bookworm}
while (($# > 0)); do
  case $1 in
    --no-build) build=0 ;;
    --force) force=1 ;;
    --base) base=${2:?--base needs an image} && shift ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && fail "unknown argument: $1" ;;
  esac
  shift
done

cd "$REPO_ROOT"
node_binary=$(readlink -f "${NODE_BINARY:-$(command -v node)}") || fail "no node binary found"
version=$("$node_binary" -p 'require("./package.json").version')

# tsc rewrites every output, so dist/bin/restage.js is as old as the last build.
stale_dist() {
  [[ ! -f dist/bin/restage.js ]] ||
    [[ -n $(find src package.json tsconfig.json tsconfig.build.json -newer dist/bin/restage.js \
      \( -name '*.ts' -o -name '*.json' \) -print -quit) ]]
}
if ((build == 1)) && stale_dist; then
  npm run --silent build >&2 || fail "npm run build failed"
fi
[[ -f dist/bin/restage.js ]] || fail "dist/ is missing: run npm run build (or leave out --no-build)"
docker info >/dev/null 2>&1 || fail "no Docker engine answers: run bash scripts/setup-machine.sh"
base_id=$(docker image inspect --format '{{.Id}}' "$base" 2>/dev/null) ||
  fail "base image $base is missing: run bash scripts/setup-machine.sh, or pass --base IMAGE"

# Everything that decides the image's content, in a fixed order.
source_hash() {
  {
    find dist -type f -name '*.js' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum package.json package-lock.json "$DOCKERFILE" "$node_binary" | sed "s|$node_binary|node|"
    echo "base $base_id"
  } | sha256sum | cut -c1-64
}

hash=$(source_hash)
current=$(docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$IMAGE:latest" 2>/dev/null || true)
if ((force == 0)) && [[ $current == "$hash" ]]; then
  docker tag "$IMAGE:latest" "$IMAGE:$version"
  log "$IMAGE:latest is up to date (source hash ${hash:0:12}); also tagged :$version"
  exit 0
fi

context=$(mktemp -d "${TMPDIR:-/tmp}/restager-stager-context.XXXXXX")
trap 'rm -rf "$context"' EXIT
old_id=$(docker image inspect --format '{{.Id}}' "$IMAGE:latest" 2>/dev/null || true)

log "preparing the context in $context"
mkdir -p "$context/restager" "$context/bin"
cp "$node_binary" "$context/node"
cp -r dist package.json package-lock.json "$context/restager/"
find "$context/restager/dist" \( -name '*.d.ts' -o -name '*.map' \) -delete
# The production dependencies exactly as installed and tested here (no registry needed).
npm ls --omit=dev --all --parseable 2>/dev/null | grep '/node_modules/' | sed "s|^$REPO_ROOT/||" |
  tr '\n' '\0' | tar --null -T - -cf - | tar -xf - -C "$context/restager" ||
  fail "could not copy the production node_modules: run npm install"
for bin in $("$node_binary" -p 'Object.entries(require("./package.json").bin).map(([n, f]) => n + "=" + f).join(" ")'); do
  chmod 755 "$context/restager/${bin#*=}"
  ln -s "/opt/restager/${bin#*=}" "$context/bin/${bin%%=*}"
done

log "building $IMAGE:latest and :$version from $base"
docker build --quiet -f "$DOCKERFILE" --build-arg "BASE=$base" \
  --label "$HASH_LABEL=$hash" --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.title=restager stager" \
  -t "$IMAGE:latest" -t "$IMAGE:$version" "$context" >/dev/null
answered=$(docker run --rm "$IMAGE:latest" --version) || fail "the new image does not run: docker run --rm $IMAGE --version"
[[ $answered == "$version" ]] || fail "the new image reports version '$answered', not $version"
new_id=$(docker image inspect --format '{{.Id}}' "$IMAGE:latest")
if [[ -n $old_id && $old_id != "$new_id" ]]; then
  docker image rm "$old_id" >/dev/null 2>&1 || log "kept the previous image ${old_id:7:12} (still in use)"
fi
log "built $IMAGE:latest (${new_id:7:12}, restage $version)"
