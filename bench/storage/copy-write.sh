#!/usr/bin/env bash
# The telemetry writer's ways of writing a flush against one plain binary COPY of the same rows,
# in one run, on plain PostgreSQL and on a TimescaleDB hypertable of the same server.
#
#   bench/storage/copy-write.sh SERVER_URL [ROWS] [ROUNDS]     (default 200000 rows, 3 rounds)
#
# SERVER_URL: postgresql://user@host:port/postgres of a PostgreSQL with the timescaledb extension
# available (CI's: TimescaleDB 2.28.3 in PostgreSQL 15, see .ci/run) whose user may create
# databases. It creates (and replaces) the databases flexconnect_copybench_plain and
# flexconnect_copybench_ts.
# Prints the table and writes bench/results/copy-write.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
SERVER=${1:?usage: bench/storage/copy-write.sh SERVER_URL [ROWS] [ROUNDS]}
ROWS=${2:-200000}
ROUNDS=${3:-3}

[ -f target/flexconnect.jar ] || mvn -q -B package -DskipTests
# Compiled against the platform's own JAR (no Maven install needed), like the fault suite.
CLASSES=bench/target/copy-write-classes
rm -rf "$CLASSES"; mkdir -p "$CLASSES"
javac --release 17 -nowarn -cp target/flexconnect.jar -d "$CLASSES" bench/src/main/java/io/flexconnect/storage/CopyWriteBenchmark.java
mkdir -p bench/results
java -Xmx1g -Dlogback.configurationFile=bench/faults/logback.xml -cp "$CLASSES:target/flexconnect.jar" \
  io.flexconnect.storage.CopyWriteBenchmark "$SERVER" "$ROWS" "$ROUNDS" bench/results/copy-write.txt
