#!/usr/bin/env bash
# Scale-out on one machine: throughput of 1, 2 and 3 clustered instances sharing one Mosquitto
# (shared subscription) and one PostgreSQL, and the per-message cost of the cluster hop.
#
#   bench/cluster/scale-out.sh DB_URL [MESSAGES] [DEVICES]
#       DB_URL: a PostgreSQL/TimescaleDB on this machine whose user may create databases, e.g.
#               postgresql://postgres@127.0.0.1:5432/postgres     (defaults: 20000 messages, 20 devices)
#
# Settings (environment): SCALE_PORT_BASE (15310: Mosquitto on it, then HTTP, Hazelcast and event-bus
# ports of the instances above it), SCALE_INSTANCES ("1 2 3"), SCALE_HEAP (512m per instance).
#
# Each row starts fresh instances (cluster.enabled, also for 1: the same code path without the hop)
# on a new database, registers the devices, then they publish MESSAGES one-row JSON messages with
# QoS 1 (io.flexconnect.bench.cluster.ScaleOutLoad; the broker is the bench's Mosquitto,
# io.flexconnect.bench.faults.Mosquitto); the time runs from the first publish until the database
# holds every row. Columns: msg/s; "fwd" the share of messages received by an instance that does
# not own the device (forwarded over the clustered event bus); CPU per message of all instances
# together (utime+stime from /proc) and of PostgreSQL; receipt-to-acknowledgement time (p50/p99 of
# flexconnect_mqtt_ack_lag, the highest among the instances). The hop's CPU cost per forwarded
# message is (CPU/msg of the row - CPU/msg with 1 instance) / fwd.
# Prints a table and writes bench/results/scale-out.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB_URL=${1:?usage: bench/cluster/scale-out.sh DB_URL [MESSAGES] [DEVICES]}
MESSAGES=${2:-20000}
DEVICES=${3:-20}
BASE=${SCALE_PORT_BASE:-15310}
HEAP=${SCALE_HEAP:-512m}
RESULTS=bench/results; mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/scale-out.XXXXXX); chmod 755 "$WORK"
SERVER=${DB_URL%/*}
TICKS=$(getconf CLK_TCK)

[ -f target/flexconnect.jar ] || mvn -q -B -o package -DskipTests
CLASSES=bench/target/cluster-classes
J=bench/src/main/java/io/flexconnect/bench
bench/compile-classes.sh "$CLASSES" $J/cluster/ScaleOutLoad.java $J/e2e/DevicePublishers.java $J/e2e/IngestDataset.java \
  $J/faults/Mosquitto.java
load() { java -cp "$CLASSES:target/flexconnect.jar" io.flexconnect.bench.cluster.ScaleOutLoad "$@"; }

MQTT_PORT=$BASE
load broker "$WORK/mosquitto" "$MQTT_PORT" > "$WORK/broker.out" 2>&1 &
BROKER_PID=$!
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true
  kill $BROKER_PID 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q ready "$WORK/broker.out" 2>/dev/null && break; sleep 0.2; done
grep -q ready "$WORK/broker.out" || { cat "$WORK/broker.out" >&2; exit 1; }

http_port() { echo $((BASE + 10 + $1)); }
wait_healthy() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.5; done
  echo "instance on $1 not healthy" >&2; exit 1; }
start_instances() { # N DB
  local n=$1 db=$2 members="" i
  for i in $(seq 1 "$n"); do members+="${members:+,}127.0.0.1:$((BASE + 30 + i))"; done
  for i in $(seq 1 "$n"); do
    FLEXCONNECT_DB_URL=$SERVER/$db FLEXCONNECT_MQTT_URL=mqtt://127.0.0.1:$MQTT_PORT \
    FLEXCONNECT_HTTP_HOST=127.0.0.1 FLEXCONNECT_HTTP_PORT=$(http_port "$i") FLEXCONNECT_PKI_DIR=$WORK/pki \
    FLEXCONNECT_CLUSTER_ENABLED=true FLEXCONNECT_CLUSTER_INSTANCE=bench$i FLEXCONNECT_CLUSTER_HOST=127.0.0.1 \
    FLEXCONNECT_CLUSTER_PORT=$((BASE + 30 + i)) FLEXCONNECT_CLUSTER_EVENT_BUS_PORT=$((BASE + 50 + i)) \
    FLEXCONNECT_CLUSTER_MEMBERS=$members FLEXCONNECT_CLUSTER_GROUP=bench-$db \
      java -Xmx$HEAP -jar target/flexconnect.jar > "$WORK/$db-$i.log" 2>&1 &
    PIDS+=($!)
    [ "$i" = 1 ] && wait_healthy "$(http_port 1)"   # the first one creates the schema and the CA
  done
  for i in $(seq 1 "$n"); do wait_healthy "$(http_port "$i")"; done
  for _ in $(seq 1 240); do   # every member sees the others
    [ "$(curl -s "http://127.0.0.1:$(http_port "$n")/health" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cluster"]["members"]))')" = "$n" ] && return 0
    sleep 0.5
  done
  echo "the cluster of $n did not form" >&2; exit 1
}
stop_instances() { kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; PIDS=(); }
cpu_ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
# The server of DB_URL only (other PostgreSQL servers may run here): its postmaster and the children.
POSTMASTER=$(head -1 "$(psql "$DB_URL" -Atc 'SHOW data_directory')/postmaster.pid" 2>/dev/null || true)
postgres_ticks() { [ -n "$POSTMASTER" ] || { echo 0; return; }
  cpu_ticks "$POSTMASTER" $(pgrep -P "$POSTMASTER" | tr '\n' ' '); }
health_sum() { local f=0 i; for i in $(seq 1 "$1"); do
  f=$((f + $(curl -s "http://127.0.0.1:$(http_port "$i")/health" | python3 -c "import json,sys; print(json.load(sys.stdin)['cluster']['$2'])"))); done; echo $f; }
ack_lag() { # N QUANTILE -> the highest among the instances, ms
  local i best=0 v
  for i in $(seq 1 "$1"); do
    v=$(curl -s "http://127.0.0.1:$(http_port "$i")/metrics" | awk -v q="$2" '/^flexconnect_mqtt_ack_lag_seconds\{/ && index($0, "quantile=\"" q "\"") {print $2 * 1000}')
    best=$(python3 -c "print(max($best, ${v:-0}))")
  done; echo "$best"; }

measure() { # N
  local n=$1 db="scale_${1}_$$" start end cpu0 cpu1 pg0 pg1 fwd
  psql "$DB_URL" -qc "CREATE DATABASE $db" >/dev/null
  start_instances "$n" "$db"
  load devices "$DEVICES" | while read -r id token; do
    FLEXCONNECT_DB_URL=$SERVER/$db FLEXCONNECT_PKI_DIR=$WORK/pki java -jar target/flexconnect.jar device add "$id" --token "$token" >/dev/null
  done
  cpu0=$(cpu_ticks "${PIDS[@]}"); pg0=$(postgres_ticks)
  start=$(date +%s.%N)
  load publish "$MQTT_PORT" "$DEVICES" "$MESSAGES" > "$WORK/publish-$n.txt"
  until [ "$(psql "$SERVER/$db" -Atc 'SELECT count(*) FROM telemetry')" -ge "$MESSAGES" ]; do sleep 0.1; done
  end=$(date +%s.%N)
  cpu1=$(cpu_ticks "${PIDS[@]}"); pg1=$(postgres_ticks)
  fwd=$(health_sum "$n" forwarded)
  python3 - "$n" "$MESSAGES" "$start" "$end" "$fwd" "$((cpu1 - cpu0))" "$((pg1 - pg0))" "$TICKS" \
      "$(ack_lag "$n" 0.5)" "$(ack_lag "$n" 0.99)" <<'PY'
import sys
n, msgs, start, end, fwd, cpu, pg, tck, p50, p99 = sys.argv[1:]
msgs = int(msgs); secs = float(end) - float(start)
us = lambda ticks: int(ticks) * 1e6 / int(tck) / msgs
print(f"{n:>9} {msgs:>9} {secs:>8.1f} {msgs / secs:>8.0f} {100 * int(fwd) / msgs:>5.0f}% {us(cpu):>12.0f} {us(pg):>12.0f} {float(p50):>9.1f} {float(p99):>9.1f}")
PY
  stop_instances
  psql "$DB_URL" -qc "DROP DATABASE $db" >/dev/null || true
}

{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $DEVICES devices, $MESSAGES one-row JSON messages, QoS 1, $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo +changes)"
  printf "%9s %9s %8s %8s %6s %12s %12s %9s %9s\n" instances messages seconds msg/s fwd "platform µs" "postgres µs" "ack p50" "ack p99"
  printf "%9s %9s %8s %8s %6s %12s %12s %9s %9s\n" "" "" "" "" "" "CPU/msg" "CPU/msg" "ms" "ms"
  for n in ${SCALE_INSTANCES:-1 2 3}; do measure "$n"; done
} | tee "$RESULTS/scale-out.txt"
