#!/usr/bin/env bash
# End-to-end ingestion throughput against the database's ceiling. In one sequence on one
# PostgreSQL 15 cluster, per run: `psql \copy` of the rows into a plain table with a unique index
# (the ceiling), then the platform JAR storing the same rows from JSON and from binary CAN messages
# that 20 devices publish with QoS 1 through a real Mosquitto (shipped no-loss settings); each into a
# fresh database, its rows checked against the COPY table. After the first run, JSON and CAN once
# more with -Xmx256m.
#
#   bench/e2e/ingest-throughput.sh [MESSAGES]      (default 20000 messages × 100 rows)
#
# Settings (environment):
#   INGEST_RUNS (3; the median is reported)   INGEST_DEVICES (20)   INGEST_WINDOW (50 unacknowledged per device)
#   INGEST_DB_URL        an existing server, postgresql://postgres@127.0.0.1:5432/postgres (it must run on
#                        this machine: its CPU is read from /proc); empty: a throw-away TimescaleDB cluster
#                        is started with ../shared/timescaledb/start-cluster.sh and stopped afterwards
#   INGEST_PG_DIR, INGEST_PG_PORT   that cluster's data directory ($INGEST_WORK/pg) and port (55432)
#   INGEST_MQTT_PORT, INGEST_HTTP_PORT   Mosquitto's and the platform's ports (free ones)
#   INGEST_WORK          working directory (a new /tmp/ingest-bench.*, removed unless INGEST_KEEP=1)
#   INGEST_HEAP          the platform's -Xmx in the main runs (empty: the JVM's default)
#   INGEST_SMALL_HEAP    the heap of the extra JSON and CAN run (256m; empty skips it)
#   INGEST_PLATFORM_ENV  "K=V ..." added to the platform's environment (e.g. FLEXCONNECT_STORAGE_WRITERS=4)
#   INGEST_JAVA_OPTS     JVM options of the platform, before -jar (e.g. "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
#   INGEST_FORMATS       the platform runs, in order ("json can"; "json" alone skips CAN)
#   INGEST_ROWS_SQL      how to read the platform's rows as (device_id, name, time, value)
#                        (default: SELECT device_id, signal AS name, ts AS time, value FROM telemetry)
#
# Prints the table and writes bench/results/ingest-throughput.{txt,csv,svg}.
set -euo pipefail
cd "$(dirname "$0")/../.."
MESSAGES=${1:-20000}

[ -f target/flexconnect.jar ] || mvn -q -B package -DskipTests
CLASSES=bench/target/e2e-classes
# shellcheck disable=SC2046 # one word per source file
bench/compile-classes.sh "$CLASSES" $(find bench/src/main/java/io/flexconnect/bench/e2e -name '*.java') \
  bench/src/main/java/io/flexconnect/bench/faults/Mosquitto.java src/test/java/io/flexconnect/testing/ListenPorts.java

export INGEST_WORK=${INGEST_WORK:-$(mktemp -d /tmp/ingest-bench.XXXXXX)}
mkdir -p "$INGEST_WORK"; chmod 755 "$INGEST_WORK"
PG_DIR=${INGEST_PG_DIR:-$INGEST_WORK/pg}
STARTED_PG=
cleanup() {
  if [ -n "$STARTED_PG" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DIR" stop -m fast >/dev/null 2>&1 \
      || /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DIR" stop -m fast >/dev/null 2>&1 || true
  fi
  [ "${INGEST_KEEP:-}" = 1 ] || rm -rf "$INGEST_WORK"
}
trap cleanup EXIT
if [ -z "${INGEST_DB_URL:-}" ]; then
  PORT=${INGEST_PG_PORT:-55432}
  ../shared/timescaledb/start-cluster.sh "$PG_DIR" "$PORT"
  STARTED_PG=1
  export INGEST_DB_URL=postgresql://postgres@127.0.0.1:$PORT/postgres
fi

# the platform measured: the last commit that changed it, and whether the checkout differs from it
export INGEST_PLATFORM_VERSION="$(git log -1 --format=%h -- src pom.xml 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo '+changes')"
mkdir -p bench/results
java -Xmx2g -cp "$CLASSES:target/flexconnect.jar" io.flexconnect.bench.e2e.IngestBenchmark \
  target/flexconnect.jar bench/results "$MESSAGES"
