# Sourced by scripts/test: the browser tests (web UI, API docs page) drive Debian's Chromium at
# /usr/bin/chromium, or the browser CHROMIUM_PATH names. Installs it when missing, as CI does.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && return 0
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    return 1
  fi
  [ -x /usr/bin/chromium ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "the browser tests need Chromium: install Debian's chromium package (or set CHROMIUM_PATH)" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "the browser tests need Chromium and this machine has no apt-get: install Chromium and set CHROMIUM_PATH" >&2
    return 1
  fi
  echo "==> installing chromium (the browser tests drive it)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
