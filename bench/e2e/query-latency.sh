#!/usr/bin/env bash
# REST query latency on 10M stored rows (20 signals × 500,000 s at 1 Hz for one device), against
# the zero-config platform. Baseline in the same run: the same SQL timed directly in psql, so the
# figures separate the database's work from the API's.
#
#   bench/e2e/query-latency.sh        (needs java, mvn, psql (postgresql-client), curl)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
RESULTS=bench/results; mkdir -p "$RESULTS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port); PG_PORT=$(free_port); MQTT_PORT=$(free_port)
[ -f target/flexconnect.jar ] || mvn -q -B package -DskipTests

export FLEXCONNECT_HTTP_PORT=$HTTP_PORT FLEXCONNECT_HTTP_HOST=127.0.0.1 FLEXCONNECT_DB_EMBEDDED_PORT=$PG_PORT \
  FLEXCONNECT_DB_EMBEDDED_DATA_DIR=$WORK/pg FLEXCONNECT_BROKER_PORT=$MQTT_PORT FLEXCONNECT_BROKER_TLS_PORT=0 \
  FLEXCONNECT_PKI_DIR=$WORK/pki
java -Xmx1g -jar target/flexconnect.jar > "$WORK/platform.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HTTP_PORT/health" >/dev/null && break; sleep 0.5; done
KEY=$(grep -o 'fxk_[A-Za-z0-9_-]*' "$WORK/platform.log" | head -1)
java -jar target/flexconnect.jar device add q-0001 --token tok_q-0001-benchmark > /dev/null
PSQL="psql -q -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres"
START=1700000000
echo "loading 10,000,000 rows..."
time $PSQL -c "INSERT INTO telemetry (device_id, signal, ts, value, received_at)
  SELECT 'q-0001', 's' || k, to_timestamp($START + t), (t % 3600) + k, now()
  FROM generate_series(0, 499999) t, generate_series(0, 19) k" >/dev/null
$PSQL -c "VACUUM ANALYZE telemetry" >/dev/null

FROM=$(( START * 1000 )); DAY_TO=$(( FROM + 86400000 )); ALL_TO=$(( FROM + 500000000 ))
api() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$HTTP_PORT$1"; }
sqlt() { $PSQL -At -c "\\timing on" -c "$1" | grep -o 'Time: [0-9.]*' | awk '{print $2/1000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # name, api path, sql
  local a s
  a=$(for _ in 1 2 3 4 5; do api "$2"; echo; done | median)
  s=$(for _ in 1 2 3 4 5; do sqlt "$3"; done | median)
  awk -v n="$1" -v a="$a" -v s="$s" 'BEGIN {printf "%-44s %10.1f %10.1f\n", n, a * 1000, s * 1000}'
}
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, 10M rows (20 signals x 500k s), median of 5, ms"
  printf "%-44s %10s %10s\n" "query" "REST" "SQL alone"
  run "raw: 1 signal, 1 hour (3,600 rows)" "/api/v1/devices/q-0001/telemetry?signal=s3&from=$FROM&to=$(( FROM + 3600000 ))&limit=10000" \
    "SELECT signal, ts, value FROM telemetry WHERE device_id='q-0001' AND signal='s3' AND ts >= to_timestamp($START) AND ts < to_timestamp($START + 3600) ORDER BY ts"
  run "aggregate: 1 signal, 1 day by 1 min" "/api/v1/devices/q-0001/telemetry?signal=s3&from=$FROM&to=$DAY_TO&interval=1m&agg=avg,min,max" \
    "SELECT date_bin('1 minute', ts, 'epoch'), avg(value), min(value), max(value) FROM telemetry WHERE device_id='q-0001' AND signal='s3' AND ts >= to_timestamp($START) AND ts < to_timestamp($START + 86400) GROUP BY 1"
  run "aggregate: 20 signals, 1 day by 1 h" "/api/v1/devices/q-0001/telemetry?from=$FROM&to=$DAY_TO&interval=1h&agg=avg,min,max" \
    "SELECT signal, date_bin('1 hour', ts, 'epoch'), avg(value), min(value), max(value) FROM telemetry WHERE device_id='q-0001' AND ts >= to_timestamp($START) AND ts < to_timestamp($START + 86400) GROUP BY 1, 2"
  run "aggregate: 1 signal, all 500k s by 1 h" "/api/v1/devices/q-0001/telemetry?signal=s3&from=$FROM&to=$ALL_TO&interval=1h&agg=avg" \
    "SELECT date_bin('1 hour', ts, 'epoch'), avg(value) FROM telemetry WHERE device_id='q-0001' AND signal='s3' AND ts >= to_timestamp($START) AND ts < to_timestamp($START + 500000) GROUP BY 1"
  run "latest values (20 signals)" "/api/v1/devices/q-0001/latest" \
    "SELECT * FROM device_signals WHERE device_id='q-0001'"
} | tee "$RESULTS/query-latency.txt"
