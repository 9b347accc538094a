#!/usr/bin/env bash
# Provisions a Docker-compatible container engine for Testcontainers on a Debian machine without
# Docker and without access to any container registry (see /work/shared/ENVIRONMENT.md):
# rootful Podman + its Docker API socket, and locally built Postgres/Redis images.
#
# Usage:  eval "$(bash scripts/container-engine/provision.sh)"
#   or, so that a failure stops a `set -e` caller (eval of an empty string succeeds):
#         exports=$(bash scripts/container-engine/provision.sh) && eval "$exports"
#
# stdout carries only the `export` lines to eval (nothing when a real Docker engine already answers,
# in which case the official images are used); progress goes to stderr. Safe to re-run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly SUITE=bookworm
readonly SOCKET=/run/podman/podman.sock
readonly PIDFILE=/run/podman/golden-path-service.pid
readonly LOG_DIR=/tmp/golden-path-engine
readonly POSTGRES_IMAGE=localhost/golden-path/postgres:$SUITE
readonly REDIS_IMAGE=localhost/golden-path/redis:$SUITE
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly SERVICE_TIMEOUT_S=20

# podman import --change instructions, one array per image. They, the entrypoint script and the
# rootfs recipe (build_rootfs) are hashed into an image label, so an image built from an older recipe
# is rebuilt instead of reused.
readonly POSTGRES_CHANGES=(
	"ENV PATH=$PG_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	"ENV LANG=C.UTF-8"
	"ENV PGDATA=/var/lib/postgresql/data"
	"ENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]"
	"CMD [\"postgres\"]"
	"EXPOSE 5432"
	"STOPSIGNAL SIGINT"
)
readonly REDIS_CHANGES=(
	"ENV LANG=C.UTF-8"
	"WORKDIR /data"
	"ENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]"
	"CMD [\"redis-server\"]"
	"EXPOSE 6379"
)

log() { echo "[engine] $*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# step LABEL LOGFILE CMD...: runs CMD with its output in LOGFILE, prints "[engine] LABEL ... 1.2s".
# Returns CMD's status (callers decide whether a failure is fatal).
step() {
	local label=$1 logfile=$2 t0 rc=0
	shift 2
	t0=$(now)
	echo -n "[engine] $label ... " >&2
	"$@" >>"$logfile" 2>&1 || rc=$?
	if ((rc == 0)); then
		printf '%s\n' "$(elapsed "$t0")" >&2
	else
		echo "FAILED after $(elapsed "$t0") (exit $rc); last lines of $logfile:" >&2
		tail -n 30 "$logfile" >&2
	fi
	return "$rc"
}

print_exports() {
	cat <<-EOF
		export DOCKER_HOST=unix://$SOCKET
		export TESTCONTAINERS_RYUK_DISABLED=true
		export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
		export POSTGRES_IMAGE=$POSTGRES_IMAGE
		export REDIS_IMAGE=$REDIS_IMAGE
	EOF
}

podman_socket_answers() {
	[[ -S $SOCKET ]] && curl -fsS --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

# A Docker API answering on DOCKER_HOST or the default socket; "podman" when Podman serves it.
other_engine() {
	command -v docker >/dev/null 2>&1 || return 1
	timeout 15 docker info >/dev/null 2>&1 || return 1
	if timeout 15 docker version 2>/dev/null | grep -qi podman; then
		echo podman
	else
		echo docker
	fi
}

# --- installation ----------------------------------------------------------------------------------

install_packages() {
	local missing=()
	command -v podman >/dev/null 2>&1 || missing+=(podman)
	command -v runc >/dev/null 2>&1 || missing+=(runc)
	command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
	command -v curl >/dev/null 2>&1 || missing+=(curl)
	if ((${#missing[@]} == 0)); then
		log "packages present (podman $(podman --version | awk '{print $3}')), skipping apt-get"
		return
	fi

	export DEBIAN_FRONTEND=noninteractive
	local apt_log=$LOG_DIR/apt.log updated=0
	# No lists at all (fresh machine): update first. Stale lists show up as 404s on install instead,
	# which one update + retry covers.
	if [[ $(apt-cache policy "${missing[@]}" 2>/dev/null | grep -c 'Candidate: [0-9]') -lt ${#missing[@]} ]]; then
		step "apt-get update" "$apt_log" apt-get update || die "apt-get update failed"
		updated=1
	fi
	if ! step "installing ${missing[*]}" "$apt_log" apt-get install -y "${missing[@]}"; then
		((updated)) && die "apt-get install failed"
		step "apt-get update" "$apt_log" apt-get update || die "apt-get update failed"
		step "installing ${missing[*]} (retry)" "$apt_log" apt-get install -y "${missing[@]}" ||
			die "apt-get install failed"
	fi
}

write_containers_conf() {
	# crun fails on this machine's hybrid cgroup (v1 + unified) layout, and raising the container
	# rlimits to Podman's defaults is refused, hence runc, cgroupfs and explicit ulimits.
	local conf=/etc/containers/containers.conf want
	want=$(
		cat <<-'EOF'
			# Written by scripts/container-engine/provision.sh (golden-path harness).
			[containers]
			default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

			[engine]
			runtime = "runc"
			cgroup_manager = "cgroupfs"
		EOF
	)
	if [[ -f $conf && $(<"$conf") == "$want" ]]; then
		return
	fi
	mkdir -p /etc/containers
	if [[ -f $conf ]] && ! grep -q 'golden-path harness' "$conf"; then
		cp -n "$conf" "$conf.before-golden-path"
		log "kept the previous $conf as $conf.before-golden-path"
	fi
	printf '%s\n' "$want" >"$conf"
	log "wrote $conf"
}

# --- API service -----------------------------------------------------------------------------------

service_pid() {
	local pid
	[[ -f $PIDFILE ]] || return 1
	pid=$(<"$PIDFILE")
	[[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'podman system service' &&
		echo "$pid"
}

start_service() {
	local t0 pid deadline
	t0=$(now)
	mkdir -p "$(dirname "$SOCKET")"
	if ! pid=$(service_pid); then
		rm -f "$PIDFILE"
		# A socket file nobody answers on would make podman fail to bind.
		[[ -e $SOCKET ]] && rm -f "$SOCKET"
		# Detached from this shell and from stdout: `eval "$(provision.sh)"` waits for stdout to close.
		setsid nohup podman system service --time=0 "unix://$SOCKET" \
			</dev/null >>"$LOG_DIR/podman-service.log" 2>&1 &
		pid=$!
		echo "$pid" >"$PIDFILE"
	fi

	deadline=$((SECONDS + SERVICE_TIMEOUT_S))
	until podman_socket_answers; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 20 "$LOG_DIR/podman-service.log" >&2 || true
			die "podman system service (pid $pid) exited; log: $LOG_DIR/podman-service.log"
		fi
		if ((SECONDS >= deadline)); then
			die "podman API did not answer on $SOCKET within ${SERVICE_TIMEOUT_S}s (pid $pid); log: $LOG_DIR/podman-service.log"
		fi
		sleep 0.2
	done
	log "podman API answering on $SOCKET (pid $pid) ... $(elapsed "$t0")"
}

# --- images ----------------------------------------------------------------------------------------

recipe_hash() {
	local which=$1
	{
		echo "$SUITE"
		declare -f build_rootfs
		if [[ $which == postgres ]]; then
			printf '%s\n' "${POSTGRES_CHANGES[@]}"
			cat "$HERE/postgres-entrypoint.sh"
		else
			printf '%s\n' "${REDIS_CHANGES[@]}"
			cat "$HERE/redis-entrypoint.sh"
		fi
	} | sha256sum | cut -c1-16
}

image_is_current() {
	local image=$1 want=$2
	podman image exists "$image" &&
		[[ $(podman image inspect --format '{{index .Labels "golden-path.recipe"}}' "$image") == "$want" ]]
}

# The Debian mirror this machine already uses (deb822 .sources first, then sources.list).
debian_mirror() {
	local uri
	if [[ -n ${GOLDEN_PATH_DEBIAN_MIRROR:-} ]]; then
		echo "$GOLDEN_PATH_DEBIAN_MIRROR"
		return
	fi
	shopt -s nullglob
	local sources=(/etc/apt/sources.list.d/*.sources)
	shopt -u nullglob
	# The stanza whose Suites include the bare suite (not -security/-updates) carries the main archive.
	uri=$(awk -v suite="$SUITE" '
		function flush() {
			if (uris != "" && has_suite && !found) { split(uris, u, " "); print u[1]; found = 1 }
			uris = ""; has_suite = 0
		}
		/^[[:space:]]*$/ { flush(); next }
		FNR == 1 { flush() }
		/^URIs:/ { uris = $0; sub(/^URIs:[[:space:]]*/, "", uris) }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has_suite = 1 }
		END { flush() }
	' "${sources[@]}" /dev/null 2>/dev/null | head -n1)
	if [[ -z $uri && -f /etc/apt/sources.list ]]; then
		uri=$(awk -v suite="$SUITE" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
				if ($(i + 1) == suite) { print $i; exit }
			}
		' /etc/apt/sources.list)
	fi
	[[ -n $uri ]] || die "no Debian $SUITE mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list; set GOLDEN_PATH_DEBIAN_MIRROR"
	echo "$uri"
}

ROOTFS=
cleanup_rootfs() {
	[[ -n $ROOTFS && -d $ROOTFS ]] || return 0
	# debootstrap mounts /proc and /sys inside the target and can leave them mounted when it fails.
	local m
	awk -v r="$ROOTFS" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" || true; done
	rm -rf --one-file-system "$ROOTFS"
	ROOTFS=
}

build_rootfs() {
	local mirror t0
	mirror=$(debian_mirror)
	ROOTFS=$(mktemp -d /var/tmp/golden-path-rootfs.XXXXXX)
	trap cleanup_rootfs EXIT
	step "debootstrap $SUITE (postgresql, redis-server) from $mirror" "$LOG_DIR/debootstrap.log" \
		debootstrap --variant=minbase --include=postgresql,redis-server "$SUITE" "$ROOTFS" "$mirror" ||
		die "debootstrap failed; full log: $LOG_DIR/debootstrap.log"

	t0=$(now)
	# The package's default cluster is unused (the entrypoint runs initdb into $PGDATA); cached .debs,
	# lists, docs and translations only make the image bigger and the import slower.
	rm -rf "$ROOTFS"/var/lib/postgresql/15 "$ROOTFS"/etc/postgresql/15/main \
		"$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
		"$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
		"$ROOTFS"/usr/share/locale/*
	mkdir -p "$ROOTFS/var/lib/postgresql/data" "$ROOTFS/data" "$ROOTFS/docker-entrypoint-initdb.d"
	chroot "$ROOTFS" chown postgres:postgres /var/lib/postgresql/data
	chroot "$ROOTFS" chown redis:redis /data
	log "trimmed the rootfs to $(du -sh "$ROOTFS" | cut -f1) ... $(elapsed "$t0")"
}

import_image() {
	local image=$1 entrypoint=$2 hash=$3
	shift 3
	local changes=() c old_id=
	for c in "$@"; do
		changes+=(--change "$c")
	done
	changes+=(--change "LABEL golden-path.recipe=$hash")
	podman image exists "$image" && old_id=$(podman image inspect --format '{{.Id}}' "$image")
	install -m 0755 "$entrypoint" "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
	# shellcheck disable=SC2016 # expanded by the inner bash
	step "importing $image" "$LOG_DIR/import.log" \
		bash -o pipefail -c 'tar -C "$1" --numeric-owner -c . | podman import "${@:3}" - "$2"' \
		_ "$ROOTFS" "$image" "${changes[@]}" ||
		die "podman import failed; full log: $LOG_DIR/import.log"
	# The image built from the previous recipe is now untagged; drop it unless a container uses it.
	if [[ -n $old_id ]]; then
		podman rmi "$old_id" >/dev/null 2>&1 || true
	fi
}

ensure_images() {
	local pg_hash redis_hash need_pg=1 need_redis=1 t0
	pg_hash=$(recipe_hash postgres)
	redis_hash=$(recipe_hash redis)
	image_is_current "$POSTGRES_IMAGE" "$pg_hash" && need_pg=0
	image_is_current "$REDIS_IMAGE" "$redis_hash" && need_redis=0
	if ((need_pg == 0 && need_redis == 0)); then
		log "images present: $POSTGRES_IMAGE, $REDIS_IMAGE"
		return
	fi

	build_rootfs
	if ((need_pg)); then
		import_image "$POSTGRES_IMAGE" "$HERE/postgres-entrypoint.sh" "$pg_hash" "${POSTGRES_CHANGES[@]}"
	fi
	if ((need_redis)); then
		import_image "$REDIS_IMAGE" "$HERE/redis-entrypoint.sh" "$redis_hash" "${REDIS_CHANGES[@]}"
	fi
	t0=$(now)
	cleanup_rootfs
	log "removed the rootfs ... $(elapsed "$t0")"
}

# --- main ------------------------------------------------------------------------------------------

main() {
	local t0 engine=
	t0=$(now)

	if ! podman_socket_answers && engine=$(other_engine) && [[ $engine == docker ]]; then
		log "a Docker engine already answers (DOCKER_HOST=${DOCKER_HOST:-default socket}); use it with the official images: nothing to do, no exports"
		return
	fi
	# Rootful Podman: the images must land in root's storage, which the API service serves.
	[[ $(id -u) -eq 0 ]] || die "run as root (rootful Podman, apt-get)"
	mkdir -p "$LOG_DIR"

	if podman_socket_answers; then
		log "podman API already answering on $SOCKET"
	else
		if [[ $engine == podman ]]; then
			log "a Podman-backed Docker API answers elsewhere; setting up $SOCKET as well"
		fi
		install_packages
		write_containers_conf
		start_service
	fi

	ensure_images
	log "ready in $(elapsed "$t0")"
	print_exports
}

main "$@"
