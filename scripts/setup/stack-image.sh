# The stack image: a debootstrapped Debian bookworm with the vcap user, imported into
# Docker and tagged as restager's local stand-ins for cflinuxfs2/3/4. Sourced.
#
# The recipe (suite, variant, import changes, images/stack/packages.txt and
# images/stack/configure-rootfs.sh) is hashed; the hash is stored in the image label
# io.restager.stack-recipe, and a present image with the same label is reused.

STACK_IMAGE=restager/stack:bookworm
STACK_ALIASES=(restager/cflinuxfs4:latest restager/cflinuxfs3:latest restager/cflinuxfs2:latest)
STACK_SUITE=bookworm
STACK_VARIANT=minbase
STACK_LABEL=io.restager.stack-recipe
STACK_RECIPE_DIR=$SETUP_REPO_ROOT/images/stack
STACK_CHANGES=(
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'CMD ["/bin/bash"]'
)
DEFAULT_DEBIAN_MIRROR=http://deb.debian.org/debian

stack_packages() { sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$STACK_RECIPE_DIR/packages.txt"; }

stack_recipe_hash() {
  {
    printf 'suite=%s\nvariant=%s\n' "$STACK_SUITE" "$STACK_VARIANT"
    printf 'change=%s\n' "${STACK_CHANGES[@]}"
    printf 'package=%s\n' $(stack_packages)
    cat "$STACK_RECIPE_DIR/configure-rootfs.sh"
  } | sha256sum | cut -c1-64
}

# The Debian archive URI that apt on this host uses for $STACK_SUITE, from one-line
# (*.list) or deb822 (*.sources) files; the public mirror when there is none.
debian_mirror() {
  local -a files=()
  local f uri=""
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && files+=("$f")
  done
  if ((${#files[@]})); then
    uri=$(awk -v want="$STACK_SUITE" -f "$SETUP_REPO_ROOT/scripts/setup/apt-mirror.awk" "${files[@]}")
  fi
  printf '%s\n' "${uri:-$DEFAULT_DEBIAN_MIRROR}"
}

# "<id> <recipe label>" of an image, or nothing when it is missing.
image_id_and_recipe() {
  docker image inspect --format "{{.Id}} {{index .Config.Labels \"$STACK_LABEL\"}}" "$1" 2>/dev/null || true
}

# Prints one of: ready, missing, stale, untagged. Used by --check and ensure_stack_image.
stack_image_state() {
  local want=$1 id label alias
  read -r id label <<<"$(image_id_and_recipe "$STACK_IMAGE")"
  if [[ -z $id ]]; then echo missing; return; fi
  if [[ $label != "$want" ]]; then echo stale; return; fi
  for alias in "${STACK_ALIASES[@]}"; do
    [[ $(docker image inspect --format '{{.Id}}' "$alias" 2>/dev/null) == "$id" ]] || {
      echo untagged
      return
    }
  done
  echo ready
}

tag_stack_aliases() {
  local alias
  for alias in "${STACK_ALIASES[@]}"; do docker tag "$STACK_IMAGE" "$alias"; done
  log "tagged $STACK_IMAGE as ${STACK_ALIASES[*]}"
}

ensure_stack_image() {
  local want state id old
  local -a old_ids
  want=$(stack_recipe_hash)
  state=$(stack_image_state "$want")
  if [[ $state == ready ]]; then
    log "$STACK_IMAGE is present (recipe ${want:0:12})"
    return 0
  fi
  mapfile -t old_ids < <(docker image inspect --format '{{.Id}}' "$STACK_IMAGE" "${STACK_ALIASES[@]}" 2>/dev/null | sort -u)
  if [[ $state != untagged ]]; then
    log "$STACK_IMAGE is $state; building it (recipe ${want:0:12})"
    build_stack_image "$want"
  fi
  tag_stack_aliases
  # Images the tags moved away from are now untagged; drop them unless a container uses one.
  id=$(docker image inspect --format '{{.Id}}' "$STACK_IMAGE")
  for old in "${old_ids[@]}"; do
    [[ $old == "$id" ]] && continue
    docker image rm "$old" >/dev/null 2>&1 || log "kept old image ${old:7:12} (still in use)"
  done
}
