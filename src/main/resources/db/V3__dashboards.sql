-- Dashboards: the alert history table the rules engine writes, short views that keep panel SQL
-- small, and the read-only role Grafana connects as. Works the same on plain PostgreSQL and on
-- TimescaleDB; the Timescale-only rollup, compression and retention are set up at start-up by
-- SchemaMigrator when the extension is available.

-- One row per alert episode: opened when a rule starts matching, closed when it stops.
CREATE TABLE IF NOT EXISTS alerts (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL DEFAULT 'default',
  device_id   text NOT NULL,
  rule_id     text NOT NULL,
  rule_name   text NOT NULL,
  severity    text NOT NULL DEFAULT 'warning',
  state       text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  opened_at   timestamptz NOT NULL,
  closed_at   timestamptz,
  peak_value  double precision,
  message     text,
  CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE INDEX IF NOT EXISTS alerts_opened_idx ON alerts (opened_at DESC);
CREATE INDEX IF NOT EXISTS alerts_active_idx ON alerts (state) WHERE state <> 'resolved';
CREATE INDEX IF NOT EXISTS alerts_device_idx ON alerts (device_id, opened_at DESC);

-- "Messages per second" counts by arrival time, which the primary key does not cover.
CREATE INDEX IF NOT EXISTS telemetry_received_idx ON telemetry (received_at DESC);

-- Devices without their credentials. "Online" means heard from within the last five minutes.
CREATE OR REPLACE VIEW dashboard_devices AS
SELECT d.device_id, d.tenant_id, d.created_at, d.last_seen,
       coalesce(d.last_seen > now() - interval '5 minutes', false) AS online,
       (SELECT count(*) FROM device_signals s WHERE s.device_id = d.device_id) AS signals
FROM devices d;

-- Refused messages without the payload bytes (they may carry what a device meant to keep).
CREATE OR REPLACE VIEW dashboard_rejections AS
SELECT id, received_at, topic, reason, detail, device_id, payload_size
FROM rejected_messages;

CREATE OR REPLACE VIEW dashboard_rejections_per_minute AS
SELECT date_trunc('minute', received_at) AS minute, reason, count(*) AS rejected
FROM rejected_messages
GROUP BY 1, 2;

CREATE OR REPLACE VIEW dashboard_alerts AS
SELECT id, tenant_id, device_id, rule_id, rule_name, severity, state, opened_at, closed_at,
       coalesce(closed_at, now()) - opened_at AS duration, peak_value, message,
       state <> 'resolved' AS active
FROM alerts;

-- 1-minute rollup per device and signal. On TimescaleDB start-up replaces this plain view with a
-- continuous aggregate of the same name and columns, so dashboards query one name everywhere.
-- Nothing in the schema may depend on it (that would block the swap).
CREATE OR REPLACE VIEW telemetry_1m AS
SELECT device_id, signal, date_trunc('minute', ts) AS bucket,
       count(value) AS samples, sum(value) AS sum_value, min(value) AS min_value, max(value) AS max_value
FROM telemetry
GROUP BY device_id, signal, date_trunc('minute', ts);

-- The role Grafana connects as. Created without LOGIN when absent (the deployment gives it a
-- password, see docker/initdb); skipped with a notice when the platform's user may not create roles.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexconnect_reader') THEN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
      CREATE ROLE flexconnect_reader NOLOGIN;
    ELSE
      RAISE NOTICE 'role flexconnect_reader missing and % may not create it: dashboards need it created by an administrator, then SELECT flexconnect_grant_reader()', current_user;
    END IF;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL; -- created concurrently for another database of the same server
END $$;

-- Explicit grants only (no default privileges): a table added later, such as API key hashes, stays
-- unreadable until a migration grants it here. Idempotent; run again after creating the role late.
CREATE OR REPLACE FUNCTION flexconnect_grant_reader() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexconnect_reader') THEN
    RETURN false;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO flexconnect_reader', current_database());
  GRANT USAGE ON SCHEMA public TO flexconnect_reader;
  GRANT SELECT ON telemetry, device_signals, telemetry_1m TO flexconnect_reader;
  GRANT SELECT ON dashboard_devices, dashboard_rejections, dashboard_rejections_per_minute,
    dashboard_alerts TO flexconnect_reader;
  -- Devices by column: everything but the token hash.
  GRANT SELECT (device_id, tenant_id, created_at, last_seen) ON devices TO flexconnect_reader;
  RETURN true;
END $$;
REVOKE EXECUTE ON FUNCTION flexconnect_grant_reader() FROM PUBLIC;

SELECT flexconnect_grant_reader();

-- PostgreSQL before 15 lets every role create tables in "public"; take that away (as 15 does) so
-- the reader cannot write anything, but only where the platform owns the schema.
DO $$
BEGIN
  IF current_setting('server_version_num')::int < 150000
     AND EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'public'
                 AND pg_has_role(current_user, n.nspowner, 'USAGE')) THEN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  END IF;
END $$;
