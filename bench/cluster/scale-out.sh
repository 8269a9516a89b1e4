#!/usr/bin/env bash
# Scale-out on one machine: throughput of 1, 2 and 3 clustered instances sharing one Mosquitto
# (shared subscription) and one PostgreSQL, and the cost of the cluster hop.
#
#   bench/cluster/scale-out.sh DB_URL [MESSAGES_PER_DEVICE] [DEVICES]
#       DB_URL: an external PostgreSQL/TimescaleDB whose user may create databases, e.g.
#               postgresql://postgres@127.0.0.1:5432/postgres   (defaults 4000 messages, 4 devices)
#
# Each row starts fresh instances on a new database, then DEVICES publishers (bench ClusterLoad,
# 10-field JSON messages, QoS 1, 500 in flight each) run at once; the time is until the database
# holds every row. "forwarded" is the share of messages that took the cluster hop (received by an
# instance that does not own the device); the hop's cost per message is the difference in CPU
# time per message between rows, which on one 2-core machine shows up as lower msg/s.
# Prints a table and writes bench/results/scale-out.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB_URL=${1:?usage: bench/cluster/scale-out.sh DB_URL [MESSAGES_PER_DEVICE] [DEVICES]}
PER_DEVICE=${2:-4000}
DEVICES=${3:-4}
RESULTS=bench/results; mkdir -p "$RESULTS"
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

[ -f target/flexconnect.jar ] || mvn -q -B install -DskipTests
[ -f bench/target/benchmarks.jar ] || mvn -q -B -f bench/pom.xml package

MQTT_PORT=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 1000
max_queued_messages 0
max_queued_bytes 0
CONF
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
MOSQ_PID=$!
PIDS=()
cleanup() { kill "${PIDS[@]}" $MOSQ_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

SERVER=${DB_URL%/*}
run_instances() { # N DBNAME -> starts N instances, sets HTTP_PORTS
  local n=$1 db=$2 members="" ports=() i
  for i in $(seq 1 "$n"); do ports+=("$(free_port)"); done
  for i in $(seq 1 "$n"); do members+="${members:+,}127.0.0.1:${ports[$((i-1))]}"; done
  HTTP_PORTS=()
  for i in $(seq 1 "$n"); do
    local http; http=$(free_port); HTTP_PORTS+=("$http")
    FLEXCONNECT_DB_URL=$SERVER/$db FLEXCONNECT_MQTT_URL=mqtt://127.0.0.1:$MQTT_PORT \
    FLEXCONNECT_HTTP_HOST=127.0.0.1 FLEXCONNECT_HTTP_PORT=$http FLEXCONNECT_PKI_DIR=$WORK/pki \
    FLEXCONNECT_CLUSTER_ENABLED=$([ "$n" -gt 0 ] && echo true) FLEXCONNECT_CLUSTER_INSTANCE=bench$i \
    FLEXCONNECT_CLUSTER_HOST=127.0.0.1 FLEXCONNECT_CLUSTER_PORT=${ports[$((i-1))]} FLEXCONNECT_CLUSTER_MEMBERS=$members \
    FLEXCONNECT_CLUSTER_GROUP=bench-$db \
      java -Xmx768m -jar target/flexconnect.jar > "$WORK/$db-$i.log" 2>&1 &
    PIDS+=($!)
    [ "$i" = 1 ] && wait_healthy "$http"   # the first one creates the schema and the CA
  done
  for http in "${HTTP_PORTS[@]}"; do wait_healthy "$http"; done
}
wait_healthy() { for _ in $(seq 1 480); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.5; done; echo "instance on $1 not healthy" >&2; exit 1; }
stop_instances() { kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; PIDS=(); }
forwarded() { local f=0 p; for p in "${HTTP_PORTS[@]}"; do
  f=$((f + $(curl -s "http://127.0.0.1:$p/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cluster"]["forwarded"])'))); done; echo $f; }

measure() { # N LABEL
  local n=$1 label=$2 db="scale_${label}_$$" d start end
  psql "$DB_URL" -qc "CREATE DATABASE $db" >/dev/null
  run_instances "$n" "$db"
  for d in $(seq 1 "$DEVICES"); do
    FLEXCONNECT_DB_URL=$SERVER/$db FLEXCONNECT_PKI_DIR=$WORK/pki java -jar target/flexconnect.jar device add "bench-$d" --token "tok_bench-$d-0f1e2d3c4b5a6978" >/dev/null
  done
  local rows=$((PER_DEVICE * DEVICES * 10))
  start=$(date +%s.%N)
  java -cp bench/target/benchmarks.jar io.flexconnect.bench.ClusterLoad "$MQTT_PORT" "$PER_DEVICE" "$DEVICES" > "$WORK/load-$label.txt"
  until [ "$(psql "$SERVER/$db" -Atc 'SELECT count(*) FROM telemetry')" -ge "$rows" ]; do sleep 0.2; done
  end=$(date +%s.%N)
  local total=$((PER_DEVICE * DEVICES)) fwd; fwd=$(forwarded)
  printf "%-10s %9d %9d %10.2f %10.0f %9.0f%%\n" "$label" "$n" "$total" "$(echo "$end - $start" | bc)" \
    "$(echo "$total / ($end - $start)" | bc -l)" "$(echo "100 * $fwd / $total" | bc -l)"
  stop_instances
}

{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $DEVICES devices x $PER_DEVICE messages, JSON 10 fields, QoS 1"
  printf "%-10s %9s %9s %10s %10s %10s\n" "run" "instances" "messages" "seconds" "msg/s" "forwarded"
  measure 1 one
  measure 2 two
  measure 3 three
} | tee "$RESULTS/scale-out.txt"
