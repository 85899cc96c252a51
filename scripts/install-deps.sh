#!/usr/bin/env bash
# install-deps.sh - install what Atelier needs on Debian 12, only what is
# missing: the build's libraries, and with --test the test tools (Node.js
# and the npm packages of tests/package-lock.json).  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config
	libwebsockets-dev libwebsockets-evlib-ev libjansson-dev libsqlite3-dev
	libncurses-dev libqrencode-dev libutf8proc-dev libstemmer-dev
	libcmocka-dev liburing-dev)
test_pkgs=(nodejs npm tmux zbar-tools sqlite3 chromium fonts-dejavu-core clang libclang-rt-14-dev)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
	# nodejs/npm may come from elsewhere than Debian: accept a working one
	case "$p" in
	nodejs) command -v node >/dev/null && continue ;;
	npm) command -v npm >/dev/null && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ]; then
	if [ ! -d tests/node_modules ] ||
	   [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
		echo "install-deps: npm ci in tests/"
		(cd tests && npm ci --no-audit --no-fund --loglevel=error)
	fi
fi
