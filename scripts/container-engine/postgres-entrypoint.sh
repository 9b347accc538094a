#!/usr/bin/env bash
# Entrypoint of localhost/golden-path/postgres:bookworm, a stand-in for the official postgres image:
# same env vars (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_INITDB_ARGS,
# POSTGRES_HOST_AUTH_METHOD, PGDATA), same
# /docker-entrypoint-initdb.d hook, and the same two "database system is ready to accept connections"
# log lines on first start (temporary init server, then the real one).
set -Eeuo pipefail

log() { echo "docker-entrypoint: $*" >&2; }

# Like the official image: `docker run IMAGE -c fsync=off` means `postgres -c fsync=off`.
if [[ $# -eq 0 || $1 == -* ]]; then
	set -- postgres "$@"
fi

if [[ $1 != postgres ]]; then
	exec "$@"
fi
shift

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_INITDB_ARGS:=}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export PGDATA

# As root: fix ownership, then re-run this script as the postgres user (what gosu does in the
# official image); everything below, including initdb-hook scripts, runs unprivileged.
if [[ $(id -u) -eq 0 ]]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 0700 "$PGDATA"
	chmod 3777 /var/run/postgresql
	export HOME=/var/lib/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" postgres "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
	if [[ -z ${POSTGRES_PASSWORD:-} && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
		log "POSTGRES_PASSWORD is not set; TCP connections will be refused (password auth, no password)"
	fi

	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list, as in the official image
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
		--encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
		$POSTGRES_INITDB_ARGS >&2

	{
		echo "local all all trust"
		echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
	} >"$PGDATA/pg_hba.conf"

	# Socket-only temporary server: nothing can connect over TCP before the database exists.
	pg_ctl -D "$PGDATA" -w -t 60 \
		-o "$(printf '%q ' -c listen_addresses= "$@")" start

	psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username="$POSTGRES_USER" --no-password --dbname=postgres)
	if [[ $POSTGRES_DB != postgres ]]; then
		db_exists=$("${psql[@]}" -tA -v db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")
		if [[ -z $db_exists ]]; then
			"${psql[@]}" -q -v db="$POSTGRES_DB" <<<'CREATE DATABASE :"db"'
		fi
	fi

	shopt -s nullglob
	for f in /docker-entrypoint-initdb.d/*; do
		# shellcheck disable=SC1090 # the image user's init scripts
		case $f in
		*.sh) log "running $f" && . "$f" ;;
		*.sql) log "running $f" && "${psql[@]}" --dbname="$POSTGRES_DB" -f "$f" ;;
		*.sql.gz) log "running $f" && gunzip -c "$f" | "${psql[@]}" --dbname="$POSTGRES_DB" ;;
		*) log "ignoring $f" ;;
		esac
	done
	shopt -u nullglob

	pg_ctl -D "$PGDATA" -m fast -w stop
	log "PostgreSQL init process complete; ready for start up."
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
