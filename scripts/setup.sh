#!/usr/bin/env bash
# One-time machine setup for local runs: a Chromium and a container engine, each only where missing.
# Writes the engine's settings to .env.engine (git-ignored), which playwright.config.ts loads.
# Needs root where something must be installed (apt-get); a laptop with Docker and Playwright's own
# browser needs nothing and this script changes nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[setup] $*" >&2; }

browser_present() {
	[[ -n ${CHROMIUM_EXECUTABLE:-} && -x ${CHROMIUM_EXECUTABLE} ]] && return 0
	node -e "process.exit(require('fs').existsSync(require('@playwright/test').chromium.executablePath()) ? 0 : 1)" 2>/dev/null && return 0
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

if [[ ! -d node_modules/@playwright/test ]]; then
	log "node_modules is missing: run 'npm ci' first"
	exit 1
fi

if browser_present; then
	log "browser: found"
else
	if ((EUID != 0)); then
		log "no Chromium found, and installing one needs root: run 'sudo npm run setup', or 'npx playwright install chromium', or set CHROMIUM_EXECUTABLE"
		exit 1
	fi
	log "browser: installing Debian's chromium (Playwright's download is not reachable everywhere)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q chromium >/tmp/golden-path-chromium.log 2>&1 ||
		{ apt-get update -q >/dev/null && apt-get install -y -q chromium >/tmp/golden-path-chromium.log 2>&1; } ||
		{ tail -n 20 /tmp/golden-path-chromium.log >&2; exit 1; }
	log "browser: $(chromium --version 2>/dev/null | head -n 1)"
fi

exports=$(bash scripts/container-engine/provision.sh)
if [[ -n $exports ]]; then
	printf '# Written by scripts/setup.sh: the container engine it provisioned.\n%s\n' "$exports" >.env.engine
	log "engine: settings written to .env.engine"
else
	rm -f .env.engine
	log "engine: an existing Docker engine answers; the official images will be used"
fi
