#!/usr/bin/env bash
# Stops what provision.sh started: removes leftover Testcontainers containers (with Ryuk disabled,
# nothing else reaps the containers of a crashed run) and stops the Podman API service recorded in
# the pidfile. Images are kept. Safe to re-run; reports on stderr.
set -euo pipefail

readonly SOCKET=/run/podman/podman.sock
readonly PIDFILE=/run/podman/golden-path-service.pid
readonly STOP_TIMEOUT_S=10

log() { echo "[engine] $*" >&2; }

# A zombie counts as gone: the service is reparented to whatever reaps orphans here, which may be slow.
alive() { [[ -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

remove_leftover_containers() {
	local ids err
	if ! command -v podman >/dev/null 2>&1; then
		log "podman not installed; no containers to remove"
		return
	fi
	mapfile -t ids < <(podman ps -aq --filter label=org.testcontainers=true)
	if ((${#ids[@]} == 0)); then
		log "no leftover Testcontainers containers"
		return
	fi
	# Without systemd, podman also reports (harmlessly) that it cannot remove health-check timers;
	# its stderr is only worth showing when the removal itself fails.
	if ! err=$(podman rm -f "${ids[@]}" 2>&1 >/dev/null); then
		log "podman rm -f failed: $err"
		return 1
	fi
	log "removed ${#ids[@]} leftover Testcontainers container(s): ${ids[*]}"
}

stop_service() {
	local pid deadline
	if [[ ! -f $PIDFILE ]]; then
		log "no pidfile ($PIDFILE); podman API service not started by provision.sh"
		return
	fi
	pid=$(<"$PIDFILE")
	# The pid may have been reused since; only signal the service this pidfile was written for.
	if ! [[ $pid =~ ^[0-9]+$ ]] ||
		! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'podman system service'; then
		log "podman API service (pid $pid) is not running; removing stale pidfile"
		rm -f "$PIDFILE"
		return
	fi

	kill -TERM "$pid"
	deadline=$((SECONDS + STOP_TIMEOUT_S))
	while alive "$pid"; do
		if ((SECONDS >= deadline)); then
			log "podman API service (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT_S}s; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
	rm -f "$PIDFILE"
	log "stopped podman API service (pid $pid)"
}

remove_leftover_containers
stop_service
if [[ -S $SOCKET ]] && ! curl -fsS --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
	rm -f "$SOCKET"
	log "removed stale socket $SOCKET"
elif [[ -S $SOCKET ]]; then
	log "note: something else still serves $SOCKET (not started by provision.sh); left alone"
fi
