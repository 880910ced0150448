# Prints the first archive URI that apt uses for suite `want` (awk -v want=bookworm),
# reading one-line sources (*.list) and deb822 stanzas (*.sources). Prints nothing
# when no enabled `deb` entry names that suite. Works with mawk.

function flush_stanza(    n, u) {
  if (is822 && !found && enabled != "no" && (" " types " ") ~ / deb / &&
      (" " suites " ") ~ (" " want " ")) {
    n = split(uris, u)
    if (n > 0) found = u[1]
  }
  types = ""; uris = ""; suites = ""; enabled = ""
}

FNR == 1 { flush_stanza(); is822 = (FILENAME ~ /\.sources$/) }

is822 {
  if ($0 ~ /^[ \t]*$/) { flush_stanza(); next }
  if ($0 ~ /^[ \t]*#/ || $0 ~ /^[ \t]/) next
  key = tolower($1)
  value = $0
  sub(/^[^:]*:[ \t]*/, "", value)
  if (key == "types:") types = value
  else if (key == "uris:") uris = value
  else if (key == "suites:") suites = value
  else if (key == "enabled:") enabled = tolower(value)
  next
}

{
  line = $0
  sub(/#.*/, "", line)
  gsub(/\[[^]]*\]/, " ", line)
  if (split(line, f) >= 3 && f[1] == "deb" && f[3] == want && !found) found = f[2]
}

END { flush_stanza(); if (found != "") print found }
