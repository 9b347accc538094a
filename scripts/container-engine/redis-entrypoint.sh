#!/usr/bin/env bash
# Entrypoint of localhost/golden-path/redis:bookworm. RedisContainer replaces the image CMD with
# `redis-server [--requirepass PW] [--save 1 1 --appendonly yes]`, so the settings a container needs
# (listen on the bridge, no protected mode, no persistence by default) live here, before the caller's
# arguments: later options win in redis, so a caller can still turn persistence on.
set -Eeuo pipefail

if [[ $# -eq 0 || $1 == -* ]]; then
	set -- redis-server "$@"
fi

if [[ $1 != redis-server ]]; then
	exec "$@"
fi
shift

run=(redis-server)
if [[ $(id -u) -eq 0 ]]; then
	chown redis:redis /data
	run=(setpriv --reuid=redis --regid=redis --init-groups redis-server)
fi

case ${1:-} in
# redis only recognises these as its first argument.
-v | --version | -h | --help | --test-memory) exec "${run[@]}" "$@" ;;
# A config file (always the first argument) is the caller's configuration; as in the official image,
# only protected mode is turned off (unless the file sets it), the other defaults apply without one.
[!-]*)
	conf=$1
	shift
	if grep -qs '^[[:space:]]*protected-mode' "$conf"; then
		exec "${run[@]}" "$conf" "$@"
	fi
	exec "${run[@]}" "$conf" --protected-mode no "$@"
	;;
esac
exec "${run[@]}" --bind 0.0.0.0 --protected-mode no --save '' --appendonly no --dir /data "$@"
