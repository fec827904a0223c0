#!/usr/bin/env bash
# scripts/browser-deps.sh - what the browser tests need: Debian's Chromium at
# /usr/bin/chromium and the node packages of web/e2e/. Never downloads a
# browser of its own (Playwright/Puppeteer downloads are switched off).
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1

if [[ ! -x /usr/bin/chromium ]]; then
	if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		echo "browser-deps: installing Debian's chromium" >&2
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
	else
		echo "browser-deps: /usr/bin/chromium is missing; install it as root:" >&2
		echo "              apt-get update && apt-get install -y chromium" >&2
		exit 1
	fi
fi

if [[ -f web/e2e/package.json ]]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "browser-deps: npm is missing (Debian: apt-get install -y nodejs npm)" >&2
		exit 1
	fi
	cd web/e2e
	if [[ -f package-lock.json ]]; then npm ci; else npm install; fi
fi
