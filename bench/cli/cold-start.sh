#!/usr/bin/env bash
# Wall time of each read-only CLI command started cold (`java -jar target/flexconnect.jar …`), next
# to two baselines measured in the same run: the JVM alone (`java -version`) and a trivial main on
# the JAR's class path. Each command runs in three settings:
#   shared     the zero-config platform runs, the CLI shares its embedded PostgreSQL
#   embedded   no platform: the CLI starts the embedded PostgreSQL for the call and stops it
#   external   db.url names a server (--db URL), nothing embedded
#
#   bench/cli/cold-start.sh [--runs N] [--db postgresql://…] [--before OLD.jar] [--ports BASE]
#
# --before times the same commands with another build of the JAR (e.g. main's) in the same run.
# --ports BASE uses the ports BASE to BASE+3 (embedded database, HTTP, broker, broker TLS) instead of
# free ones, e.g. on a machine where each user has a range.
# Prints medians of wall and CPU (user+sys) seconds, and writes bench/results/cli-cold-start.txt.
# Needs java, javac, python3 (free ports) and curl. Machines shared with other work make wall times
# noisy; CPU seconds and the ratio to the baseline vary less.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=5; EXTERNAL_DB=""; BEFORE=""; PORTS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --db) EXTERNAL_DB=$2; shift 2 ;;
    --before) BEFORE=$(realpath "$2"); shift 2 ;;
    --ports) PORTS=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--db URL] [--before OLD.jar] [--ports BASE]" >&2; exit 2 ;;
  esac
done
[ -f target/flexconnect.jar ] || mvn -q -B package -DskipTests
JAR=$PWD/target/flexconnect.jar
WORK=$(mktemp -d)
RESULTS=bench/results; mkdir -p "$RESULTS"
# port_number N: the Nth port of --ports, or a free one.
port_number() {
  if [ -n "$PORTS" ]; then echo $((PORTS + $1)); return; fi
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PLATFORM_PID=""
cleanup() { [ -n "$PLATFORM_PID" ] && kill "$PLATFORM_PID" 2>/dev/null && wait "$PLATFORM_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# The trivial main: a class that prints one line, on the JAR's class path.
mkdir -p "$WORK/trivial"
printf 'public class Trivial { public static void main(String[] a) { System.out.println("ok"); } }\n' > "$WORK/trivial/Trivial.java"
javac -d "$WORK/trivial" "$WORK/trivial/Trivial.java"

export FLEXCONNECT_DB_EMBEDDED_DATA_DIR=$WORK/pg FLEXCONNECT_DB_EMBEDDED_PORT=$(port_number 0) \
  FLEXCONNECT_PKI_DIR=$WORK/pki FLEXCONNECT_HTTP_PORT=$(port_number 1) FLEXCONNECT_HTTP_HOST=127.0.0.1 \
  FLEXCONNECT_BROKER_PORT=$(port_number 2) FLEXCONNECT_BROKER_TLS_PORT=$(port_number 3)
cd "$WORK"
java -jar "$JAR" device add bench-0001 --token tok_bench-0001-0f1e2d3c4b5a6978 > /dev/null 2>&1

# median_of "cmd…": runs it RUNS times, prints "median_wall median_cpu" (seconds).
median_of() {
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$WORK/t" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    times+=("$(awk '{printf "%.2f %.2f", $1, $2+$3}' "$WORK/t")")
  done
  local m=$(( (RUNS + 1) / 2 ))
  printf '%s %s' "$(printf '%s\n' "${times[@]}" | cut -d' ' -f1 | sort -n | sed -n "${m}p")" \
    "$(printf '%s\n' "${times[@]}" | cut -d' ' -f2 | sort -n | sed -n "${m}p")"
}

COMMANDS=("help" "env" "device list" "device list --json" "apikey list" "apikey list --json"
  "pki crl --out $WORK/crl" "decode --dbc $OLDPWD/dbc/demo.dbc --frame 123#0102030405060708 --bus 1")
OUT=$WORK/table
row() { # setting label jar
  local setting=$1 label=$2 jar=$3
  for c in "${COMMANDS[@]}"; do
    read -r wall cpu <<< "$(median_of java -jar "$jar" $c)"
    printf '%-9s %-7s %-34s %6s %6s %7.1f\n' "$setting" "$label" "$(sed -E 's# --out .*##; s#--dbc [^ ]+ ##' <<< "$c")" "$wall" "$cpu" \
      "$(awk -v w="$wall" -v b="$BASE_WALL" 'BEGIN {print w/b}')" >> "$OUT"
  done
}

read -r BASE_WALL BASE_CPU <<< "$(median_of java -version)"
read -r TRIV_WALL TRIV_CPU <<< "$(median_of java -cp "$WORK/trivial:$JAR" Trivial)"
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), medians of $RUNS runs, $(java -version 2>&1 | head -1)"
  printf '%-9s %-7s %-34s %6s %6s %7s\n' setting jar command wall_s cpu_s "x_jvm"
  printf '%-9s %-7s %-34s %6s %6s %7.1f\n' baseline - "java -version" "$BASE_WALL" "$BASE_CPU" 1
  printf '%-9s %-7s %-34s %6s %6s %7.1f\n' baseline - "trivial main on the JAR" "$TRIV_WALL" "$TRIV_CPU" \
    "$(awk -v w="$TRIV_WALL" -v b="$BASE_WALL" 'BEGIN {print w/b}')"
} > "$OUT"

# embedded: no platform runs, each call starts and stops the embedded PostgreSQL.
row embedded new "$JAR"
[ -n "$BEFORE" ] && row embedded before "$BEFORE"

# shared: the zero-config platform runs and the CLI uses its PostgreSQL.
java -jar "$JAR" > "$WORK/platform.log" 2>&1 &
PLATFORM_PID=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$FLEXCONNECT_HTTP_PORT/health" > /dev/null && break; sleep 0.5
done
row shared new "$JAR"
[ -n "$BEFORE" ] && row shared before "$BEFORE"
kill "$PLATFORM_PID"; wait "$PLATFORM_PID" 2>/dev/null || true; PLATFORM_PID=""

if [ -n "$EXTERNAL_DB" ]; then
  export FLEXCONNECT_DB_URL=$EXTERNAL_DB
  java -jar "$JAR" device add bench-0001 --token tok_bench-0001-0f1e2d3c4b5a6978 > /dev/null 2>&1 || true
  row external new "$JAR"
  [ -n "$BEFORE" ] && row external before "$BEFORE"
fi
cd "$OLDPWD"
tee "$RESULTS/cli-cold-start.txt" < "$OUT"
