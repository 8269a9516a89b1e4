#!/usr/bin/env bash
# End-to-end ingestion throughput: devices → Mosquitto → Flexconnect → PostgreSQL, ack after commit.
# Baseline measured in the same run: the same broker delivering to a plain QoS 1 subscriber that
# acknowledges at once (what any pipeline behind this broker could reach at most).
#
#   bench/e2e/ingest-throughput.sh [MESSAGES]        (default 20000; needs mosquitto, java, mvn)
#
# Prints a result table and writes bench/results/ingest-throughput.{txt,csv}.
set -euo pipefail
cd "$(dirname "$0")/../.."
MESSAGES=${1:-20000}
TOKEN=tok_bench-0001-0f1e2d3c4b5a6978
WORK=$(mktemp -d)
RESULTS=bench/results; mkdir -p "$RESULTS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQTT_PORT=$(free_port); HTTP_PORT=$(free_port); PG_PORT=$(free_port)

[ -f target/flexconnect.jar ] || mvn -q -B install -DskipTests
[ -f bench/target/benchmarks.jar ] || mvn -q -B -f bench/pom.xml package

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

export FLEXCONNECT_MQTT_URL=mqtt://127.0.0.1:$MQTT_PORT FLEXCONNECT_HTTP_PORT=$HTTP_PORT \
  FLEXCONNECT_HTTP_HOST=127.0.0.1 FLEXCONNECT_DB_EMBEDDED_PORT=$PG_PORT \
  FLEXCONNECT_DB_EMBEDDED_DATA_DIR=$WORK/pg FLEXCONNECT_MQTT_CLIENT_ID=flexconnect-bench
java -Xmx1g -jar target/flexconnect.jar > "$WORK/platform.log" 2>&1 &
PLATFORM_PID=$!
trap 'kill $PLATFORM_PID $MOSQ_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/health" >/dev/null && break; sleep 0.5
done
java -jar target/flexconnect.jar device add bench-0001 --token $TOKEN > /dev/null

run() { java -cp bench/target/benchmarks.jar io.flexconnect.bench.IngestLoad "$@" $MQTT_PORT $HTTP_PORT $MESSAGES bench-0001 $TOKEN; }
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, messages=$MESSAGES, QoS 1, Mosquitto $(\"$MOSQUITTO\" -h 2>/dev/null | head -1 | awk '{print $3}')"
  run broker-only json
  run platform json
  run broker-only can
  run platform can
  echo "platform_peak_rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$PLATFORM_PID/status)"
} | tee "$RESULTS/ingest-throughput.txt"

awk '/msg_per_s/ { for (i=1;i<=NF;i++) { split($i,kv,"="); if (kv[1]=="msg_per_s") r[$1" "$2]=kv[2] } }
     END {
       printf "\n%-6s %14s %14s %8s\n", "format", "baseline msg/s", "platform msg/s", "ratio";
       for (f in fmts) {}
       split("json can", fs, " ");
       for (i=1;i<=2;i++) { b=r["broker-only " fs[i]]; p=r["platform " fs[i]];
         printf "%-6s %14.0f %14.0f %8.2f\n", fs[i], b, p, p/b;
         printf "%s,%.0f,%.0f,%.3f\n", fs[i], b, p, p/b > "'"$RESULTS"'/ingest-throughput.csv" }
     }' "$RESULTS/ingest-throughput.txt" | tee -a "$RESULTS/ingest-throughput.txt"
