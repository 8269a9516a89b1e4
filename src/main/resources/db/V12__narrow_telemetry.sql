-- Narrow telemetry: a point row carries an integer series id and tag-set id instead of the device
-- and signal names and a jsonb tag object, so it is about half as wide to write, index and compress.
-- The view "telemetry" keeps the old columns for the REST API, dashboards, the reader role and
-- users' own SQL. Existing rows move over here, once; nothing is lost.

-- One series per device and signal. Ids are never reused or changed: writers cache them.
CREATE TABLE IF NOT EXISTS series (
  series_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id  text NOT NULL,
  signal     text NOT NULL,
  UNIQUE (device_id, signal)
);

-- Distinct tag objects. Tag keys and values are bounded by the decoders, so the jsonb fits a
-- btree key; jsonb equality ignores key order and spacing, so equal tags share one id.
CREATE TABLE IF NOT EXISTS tag_sets (
  tag_set_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tags       jsonb NOT NULL UNIQUE
);

-- One row per series and device timestamp (last write wins, as before); tag_set_id is NULL
-- without tags. No foreign keys: they would cost a lookup per copied row, and series and tag
-- sets are only ever added.
CREATE TABLE IF NOT EXISTS telemetry_points (
  series_id   integer NOT NULL,
  ts          timestamptz NOT NULL,
  value       double precision,
  value_text  text,
  tag_set_id  integer,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (series_id, ts)
);
-- "Messages per second" counts by arrival time (was telemetry_received_idx).
CREATE INDEX IF NOT EXISTS telemetry_points_received_idx ON telemetry_points (received_at DESC);

-- On TimescaleDB the points become a hypertable before the rows move in, so they are written
-- into chunks once rather than moved there later.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('telemetry_points', 'ts', chunk_time_interval => INTERVAL '1 day',
                              if_not_exists => TRUE, migrate_data => TRUE);
  END IF;
END $$;

-- Move the rows of the wide table (compressed chunks read back transparently), then drop it
-- together with what hangs on it: the rollup (a plain view, or TimescaleDB's continuous aggregate,
-- created again over the points at start-up) and its policies.
DO $$
DECLARE
  rollup_is_aggregate boolean;
BEGIN
  IF to_regclass('telemetry') IS NULL OR (SELECT relkind FROM pg_class WHERE oid = to_regclass('telemetry')) <> 'r' THEN
    RETURN; -- already narrow
  END IF;
  INSERT INTO series (device_id, signal)
    SELECT DISTINCT device_id, signal FROM telemetry ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  INSERT INTO tag_sets (tags)
    SELECT DISTINCT tags FROM telemetry WHERE tags IS NOT NULL
    ON CONFLICT DO NOTHING;
  INSERT INTO telemetry_points (series_id, ts, value, value_text, tag_set_id, received_at)
    SELECT s.series_id, t.ts, t.value, t.value_text, g.tag_set_id, t.received_at
    FROM telemetry t
    JOIN series s ON s.device_id = t.device_id AND s.signal = t.signal
    LEFT JOIN tag_sets g ON g.tags = t.tags;
  -- timescaledb_information exists only with the extension: look it up only then (EXECUTE).
  rollup_is_aggregate := false;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates
                            WHERE view_schema = current_schema() AND view_name = ''telemetry_1m'')'
      INTO rollup_is_aggregate;
  END IF;
  IF rollup_is_aggregate THEN
    DROP MATERIALIZED VIEW telemetry_1m;
  ELSE
    DROP VIEW IF EXISTS telemetry_1m;
  END IF;
  DROP TABLE telemetry;
END $$;

-- The old columns, joined back. A predicate on device_id and signal selects series ids, which
-- then reach telemetry_points by its (series_id, ts) key; tag sets are joined only when asked for.
CREATE OR REPLACE VIEW telemetry AS
SELECT s.device_id, s.signal, p.ts, p.value, p.value_text, g.tags, p.received_at
FROM telemetry_points p
JOIN series s ON s.series_id = p.series_id
LEFT JOIN tag_sets g ON g.tag_set_id = p.tag_set_id;

-- 1-minute rollup as in V3; on TimescaleDB start-up replaces it with a continuous aggregate.
CREATE OR REPLACE VIEW telemetry_1m AS
SELECT device_id, signal, date_trunc('minute', ts) AS bucket,
       count(value) AS samples, sum(value) AS sum_value, min(value) AS min_value, max(value) AS max_value
FROM telemetry
GROUP BY device_id, signal, date_trunc('minute', ts);

-- Every flush rewrites the latest value of each series it holds. Free room in each page lets
-- those updates stay on the page without touching the key index (HOT updates); existing pages get
-- the room as they are rewritten.
ALTER TABLE device_signals SET (fillfactor = 50);

-- The reader's grants by name (flexconnect_grant_reader() of V3): telemetry and telemetry_1m are
-- views now, behind which the reader needs nothing (a view reads with its owner's rights).
SELECT flexconnect_grant_reader();
