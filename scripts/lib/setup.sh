# Sourced by scripts/start and scripts/test: makes sure pnpm 12.4.2 and the workspace's
# dependencies are installed, on a machine that starts with only Node 20 and npm.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
PNPM_VERSION=12.4.2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  if [ -x "$root/.tools/node_modules/.bin/pnpm" ]; then
    export PATH="$root/.tools/node_modules/.bin:$PATH"
  else
    echo "==> installing pnpm $PNPM_VERSION" >&2
    if ! npm install --global "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
      # No permission for a global install: keep pnpm inside the checkout instead.
      npm install --prefix "$root/.tools" --no-save "pnpm@$PNPM_VERSION" >/dev/null
      export PATH="$root/.tools/node_modules/.bin:$PATH"
    fi
    hash -r
  fi
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  echo "==> installing dependencies" >&2
  pnpm install --frozen-lockfile
fi
