#!/usr/bin/env bash
# Fault-injection suite: devices publish QoS 1 while the platform, its database or its broker is
# killed, crashed, stopped or restarted; every PUBACKed message must end up committed, once.
#
#   bench/faults/run.sh [--ci] [MESSAGES] [SCENARIO...]     (default 50000 messages, every scenario)
#
#   --ci   reduced run for .ci/run: 5000 messages, 5 s outage, only the scenarios in
#          FAULTS_CI_SCENARIOS (default: every scenario)
#
# Real parts only: the platform JAR as a process (zero-config: embedded broker and PostgreSQL;
# external: /usr/sbin/mosquitto and PostgreSQL 15 from /usr/lib/postgresql/15/bin run as user postgres).
# Settings (environment): FAULTS_DEVICES (20), FAULTS_PAUSE_S (5, restart pause), FAULTS_OUTAGE_S (30),
# FAULTS_KILLS (3), FAULTS_SETTLE_S (45), FAULTS_BACKLOG_FACTOR (4: ext-backlog holds 4×N),
# FAULTS_PLATFORM_HEAP (256m), FAULTS_MAX_RSS_MB (512), FAULTS_INTAKE_LIMIT (1000, the platform's mqtt.maxUnacknowledged), FAULTS_MAX_INFLIGHT (the limit + one 64 KiB socket read: 1364),
# FAULTS_MAX_RECOVERY_S (1.0), FAULTS_RECOVERY_OUTAGE_S (30, ext-pg-recovery's outage, also with --ci), FAULTS_PLATFORM_ENV ("K=V ..." added to every platform), FAULTS_KEEP
# (keep /tmp/faults-* with every process log).
#
# Prints the table and writes bench/results/faults.{txt,csv}; exits 1 on any loss, duplicate or
# unmet bound.
set -euo pipefail
cd "$(dirname "$0")/../.."

# What --ci runs: every scenario (a narrower list helps when working on one).
FAULTS_CI_SCENARIOS=${FAULTS_CI_SCENARIOS:-"zc-kill9 zc-kill9-db zc-sigterm ext-kill9 ext-pg-outage ext-pg-recovery ext-sigterm ext-broker-restart ext-duplicates ext-backlog"}

MESSAGES=50000
SCENARIOS=()
if [ "${1:-}" = "--ci" ]; then
  shift
  MESSAGES=5000
  export FAULTS_OUTAGE_S=${FAULTS_OUTAGE_S:-5}
  read -r -a SCENARIOS <<< "$FAULTS_CI_SCENARIOS"
fi
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then MESSAGES=$1; shift; fi
[ $# -gt 0 ] && SCENARIOS=("$@")

[ -f target/flexconnect.jar ] || mvn -q -B package -DskipTests
# The suite needs nothing but the platform's own JAR (Vert.x MQTT client, PostgreSQL driver, the
# device registry): compiled against it, it tests exactly this checkout without a Maven install.
CLASSES=bench/target/faults-classes
SOURCES="$(find bench/src/main/java/io/flexconnect/bench/faults -name '*.java') src/test/java/io/flexconnect/testing/ListenPorts.java"
if [ ! -d "$CLASSES" ] || [ -n "$(find $SOURCES target/flexconnect.jar -newer "$CLASSES/.built" 2>/dev/null)" ] \
    || [ ! -f "$CLASSES/.built" ]; then
  rm -rf "$CLASSES"; mkdir -p "$CLASSES"
  javac --release 17 -nowarn -cp target/flexconnect.jar -d "$CLASSES" $SOURCES
  touch "$CLASSES/.built"
fi

mkdir -p bench/results
java -Xmx1g -Dlogback.configurationFile=bench/faults/logback.xml -cp "$CLASSES:target/flexconnect.jar" io.flexconnect.bench.faults.FaultSuite \
  target/flexconnect.jar bench/results "$MESSAGES" "${SCENARIOS[@]}"
