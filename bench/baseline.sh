#!/usr/bin/env bash
# The benchmark's baseline: the staging task replayed by hand with plain tools, one step after
# the other, as a shell script someone would write. bench/lib/baseline.ts writes its inputs:
#
#   baseline.sh WORK_DIR
#   WORK_DIR/in/cached     "<to> <url>" per cached dependency (root-owned in the container)
#   WORK_DIR/in/downloads  "<optional 0|1> <to> <url>" per download action (owned by the user)
#   WORK_DIR/in/uploads    "<optional 0|1> <from> <url>" per upload action
#   WORK_DIR/in/argv       the builder's path, then one argument per line
#   WORK_DIR/in/env        the container's and the builder's environment (docker --env-file)
#   env: IMAGE, RUN_USER, RUN_UID, RUN_GID, WORKDIR, MEMORY_MB, LABEL, DROPLET_FROM
#        BUILD_IMAGE=1: then `docker build` an image of the stack, the lifecycle and the droplet
#        (tagged TAG, labelled LABEL), timing that step into WORK_DIR/build-ms
#        FLOOR=1: also time the floor of the restage (see below) into WORK_DIR/floor-*-ms
#
# Every `to` and `from` is under /tmp. Archives are told apart by their first bytes (PK: zip,
# else gzipped tar). Uploads carry Content-MD5, as cc-uploader insists. BASELINE_TRACE=1 traces.
set -euo pipefail
# BASELINE_TRACE=1: trace every command with a timestamp, to see where the time goes.
if [[ -n ${BASELINE_TRACE:-} ]]; then PS4='+ $EPOCHREALTIME ' && set -x; fi

work=$1
: "${IMAGE:?}" "${RUN_USER:?}" "${RUN_UID:?}" "${RUN_GID:?}" "${WORKDIR:?}" "${MEMORY_MB:?}" "${LABEL:?}"
: "${DROPLET_FROM:?}" "${BUILD_IMAGE:=0}"
in=$work/in dl=$work/downloads root=$work/root user=$work/user out=$work/out
mkdir -p "$dl" "$root" "$user" "$out"

# fetch URL FILE: 0 on success (curl -f: HTTP errors fail)
fetch() { curl -fsS --retry 0 -o "$2" "$1"; }

# extract ARCHIVE DIR
extract() {
  mkdir -p "$2"
  if [[ $(head -c 2 "$1") == PK ]]; then unzip -q -o "$1" -d "$2"; else tar xzf "$1" -C "$2"; fi
}

n=0
while read -r to url; do
  n=$((n + 1))
  fetch "$url" "$dl/cached-$n"
  extract "$dl/cached-$n" "$root/${to#/tmp/}"
  if [[ $to == /tmp/lifecycle ]]; then lifecycle_tgz=$dl/cached-$n; fi
done <"$in/cached"

while read -r optional to url; do
  n=$((n + 1))
  if fetch "$url" "$dl/download-$n" 2>/dev/null; then
    extract "$dl/download-$n" "$user/${to#/tmp/}"
  elif [[ $optional == 0 ]]; then
    echo "baseline: download into $to failed" >&2
    exit 1
  fi
done <"$in/downloads"

mapfile -t argv <"$in/argv"
cid=restager-baseline-$$-$RANDOM
trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
docker create --name "$cid" --label "$LABEL" --user "$RUN_USER" --workdir "$WORKDIR" \
  --memory "${MEMORY_MB}m" --env-file "$in/env" "$IMAGE" "${argv[@]}" >/dev/null

# copy_in CONTAINER: the cached dependencies (root-owned) and the downloads (the user's) into /tmp
copy_in() {
  for dir in "$root"/*; do
    docker cp "$dir" "$1:/tmp/${dir##*/}"
  done
  if [[ -n $(ls -A "$user") ]]; then
    (cd "$user" && tar --numeric-owner --owner="$RUN_UID" --group="$RUN_GID" -cf - -- *) |
      docker cp - "$1:/tmp"
  fi
}
copy_in "$cid"

docker start -a "$cid"

while read -r optional from url; do
  n=$((n + 1))
  if docker cp "$cid:$from" "$out/upload-$n" 2>/dev/null; then
    if [[ $from == "$DROPLET_FROM" ]]; then droplet=$out/upload-$n; fi
    md5=$(openssl dgst -md5 -binary "$out/upload-$n" | base64)
    if curl -fsS -X POST -H "Expect:" -H "Content-Type: application/octet-stream" \
      -H "Content-MD5: $md5" -T "$out/upload-$n" "$url"; then
      continue
    fi
  fi
  if [[ $optional == 0 ]]; then
    echo "baseline: upload of $from failed" >&2
    exit 1
  fi
done <"$in/uploads"

# ms since $1 (an $EPOCHREALTIME)
since() { local now=$EPOCHREALTIME; echo $(((${now/./} - ${1/./}) / 1000)); }

# FLOOR=1 (issue 14): the floor of a restage, each part timed into WORK_DIR/floor-*-ms:
#   exec  the builder alone (docker exec, same user, workdir, env and args) in a prepared
#         container of the stack (the same trees copied in, started with a sleep);
#   run   one `docker run --rm` of the stack image;
#   curl  every download of the task fetched in parallel by one curl (cold restages pay it).
if [[ ${FLOOR:-0} == 1 ]]; then
  floor_started=$EPOCHREALTIME
  fid=$cid-floor
  trap 'docker rm -f "$cid" "$fid" >/dev/null 2>&1 || true' EXIT
  docker create --name "$fid" --label "$LABEL" --user "$RUN_USER" --workdir "$WORKDIR" \
    --memory "${MEMORY_MB}m" --entrypoint sleep "$IMAGE" infinity >/dev/null
  copy_in "$fid"
  docker start "$fid" >/dev/null
  started=$EPOCHREALTIME
  docker exec --user "$RUN_USER" --workdir "$WORKDIR" --env-file "$in/env" "$fid" "${argv[@]}" \
    >/dev/null
  since "$started" >"$work/floor-exec-ms"
  docker rm -f "$fid" >/dev/null
  started=$EPOCHREALTIME
  docker run --rm --label "$LABEL" "$IMAGE" true
  since "$started" >"$work/floor-run-ms"
  urls=()
  while read -r _ url; do urls+=(-o /dev/null "$url"); done <"$in/cached"
  while read -r _ _ url; do urls+=(-o /dev/null "$url"); done <"$in/downloads"
  started=$EPOCHREALTIME
  curl -fsS --parallel --parallel-max 50 "${urls[@]}"
  since "$started" >"$work/floor-curl-ms"
  since "$floor_started" >"$work/floor-total-ms"
fi

[[ $BUILD_IMAGE == 1 ]] || exit 0

# The image `launch` would run: the stack, the lifecycle in /tmp/lifecycle, the droplet in
# /home/vcap (ADD unpacks both tarballs), the launcher as entrypoint (an empty start command makes
# it read staging_info.yml), port 8080.
: "${TAG:?}" "${lifecycle_tgz:?no /tmp/lifecycle cached dependency}" "${droplet:?no droplet uploaded}"
context=$work/image
mkdir -p "$context"
mv "$lifecycle_tgz" "$context/lifecycle.tgz"
mv "$droplet" "$context/droplet.tgz"
cat >"$context/Dockerfile" <<EOF
FROM $IMAGE
ADD lifecycle.tgz /tmp/lifecycle/
ADD droplet.tgz /home/vcap/
USER vcap
WORKDIR /home/vcap/app
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["/tmp/lifecycle/launcher", "app", "", ""]
EOF
started=$EPOCHREALTIME
docker build -q --label "$LABEL" -t "$TAG" "$context" >/dev/null
finished=$EPOCHREALTIME
echo $(((${finished/./} - ${started/./}) / 1000)) >"$work/build-ms"
