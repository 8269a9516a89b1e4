#!/usr/bin/env bash
# Compiles benchmark sources against the platform's own JAR (Vert.x, MQTT client, PostgreSQL
# drivers, the platform's classes), so an end-to-end benchmark measures exactly this checkout
# without a Maven install; again only when a source or target/flexconnect.jar changed.
#
#   bench/compile-classes.sh CLASSES_DIR SOURCE.java...     (from the repository root)
set -euo pipefail
CLASSES=$1; shift
if [ ! -f "$CLASSES/.built" ] || [ -n "$(find "$@" target/flexconnect.jar -newer "$CLASSES/.built")" ]; then
  rm -rf "$CLASSES"; mkdir -p "$CLASSES"
  javac --release 17 -nowarn -cp target/flexconnect.jar -d "$CLASSES" "$@"
  touch "$CLASSES/.built"
fi
