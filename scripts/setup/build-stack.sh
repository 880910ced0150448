# Builds the stack image from its recipe: debootstrap → chroot configure → docker import.
# Sourced; needs stack-image.sh. The root filesystem lives in a temp dir that is removed
# on every exit path (see cleanup_build_dirs, called from the EXIT trap).

SETUP_BUILD_DIRS=()
STACK_BUILD_LOG=/var/log/restager-stack-build.log

# Unmounts anything debootstrap left mounted inside DIR (proc, sys) before deleting it,
# so that removing the tree can never reach the host's /proc or /sys.
remove_build_dir() {
  local dir=$1 target
  [[ -d $dir ]] || return 0
  while read -r target; do
    umount -l "$target" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

cleanup_build_dirs() {
  local dir
  for dir in "${SETUP_BUILD_DIRS[@]}"; do remove_build_dir "$dir"; done
  SETUP_BUILD_DIRS=()
}

build_stack_image() {
  local recipe=$1 mirror dir packages started
  mirror=$(debian_mirror)
  packages=$(stack_packages | paste -sd, -)
  dir=$(mktemp -d /var/tmp/restager-stack.XXXXXX)
  SETUP_BUILD_DIRS+=("$dir")
  started=$(now_ms)
  log "debootstrap $STACK_SUITE ($STACK_VARIANT + $packages) from $mirror; takes about a minute (log: $STACK_BUILD_LOG)"
  debootstrap --variant="$STACK_VARIANT" --include="$packages" "$STACK_SUITE" "$dir/rootfs" "$mirror" \
    </dev/null >"$STACK_BUILD_LOG" 2>&1 ||
    fail "debootstrap failed" "$STACK_BUILD_LOG"
  log "debootstrap done in $(($(now_ms) - started)) ms; configuring the root filesystem"
  chroot "$dir/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    /bin/bash -s <"$STACK_RECIPE_DIR/configure-rootfs.sh" >>"$STACK_BUILD_LOG" 2>&1 ||
    fail "configure-rootfs.sh failed inside the root filesystem" "$STACK_BUILD_LOG"
  import_rootfs "$dir/rootfs" "$recipe"
  remove_build_dir "$dir"
}

import_rootfs() {
  local rootfs=$1 recipe=$2 change
  local -a args=(--change "LABEL $STACK_LABEL=$recipe")
  for change in "${STACK_CHANGES[@]}"; do args+=(--change "$change"); done
  log "importing into docker as $STACK_IMAGE"
  # Device nodes and pseudo-filesystems come from the engine at run time.
  tar -C "$rootfs" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
    docker import "${args[@]}" - "$STACK_IMAGE" >>"$STACK_BUILD_LOG" 2>&1 ||
    fail "docker import failed" "$STACK_BUILD_LOG"
}
