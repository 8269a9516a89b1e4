#!/bin/sh
# Runs once, when the TimescaleDB container initialises an empty data directory (the image's
# /docker-entrypoint-initdb.d). Creates the login role Grafana reads with; its grants come from the
# platform's schema migration (V3, function flexconnect_grant_reader()), which runs at start-up.
set -eu
: "${FLEXCONNECT_READER_PASSWORD:?set FLEXCONNECT_READER_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_password="$FLEXCONNECT_READER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE flexconnect_reader LOGIN PASSWORD %L', :'reader_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexconnect_reader')
\gexec
ALTER ROLE flexconnect_reader LOGIN PASSWORD :'reader_password';
SQL
