-- Devices and their credentials. Tokens are stored only as SHA-256 hashes.
CREATE TABLE IF NOT EXISTS devices (
  device_id   text PRIMARY KEY,
  tenant_id   text NOT NULL DEFAULT 'default',
  token_hash  bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz
);

-- One row per device, signal and device timestamp: the natural key makes redelivered messages
-- idempotent (last write wins). Numeric values in "value", string values in "value_text".
CREATE TABLE IF NOT EXISTS telemetry (
  device_id   text NOT NULL,
  signal      text NOT NULL,
  ts          timestamptz NOT NULL,
  value       double precision,
  value_text  text,
  tags        jsonb,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, signal, ts)
);
-- No separate time index: every query names its device, and the primary key serves
-- (device, signal, time range); on TimescaleDB the time partitioning covers fleet-wide ranges.

-- Signal catalogue and latest value per device and signal. "Latest" is the newest device
-- timestamp, not the last message to arrive (retries and buffered devices arrive out of order).
CREATE TABLE IF NOT EXISTS device_signals (
  device_id   text NOT NULL,
  signal      text NOT NULL,
  source      text NOT NULL,
  unit        text,
  first_ts    timestamptz NOT NULL,
  ts          timestamptz NOT NULL,
  value       double precision,
  value_text  text,
  tags        jsonb,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, signal)
);

-- Refused messages, kept (bounded) for inspection.
CREATE TABLE IF NOT EXISTS rejected_messages (
  id           bigserial PRIMARY KEY,
  received_at  timestamptz NOT NULL,
  topic        text NOT NULL,
  reason       text NOT NULL,
  detail       text NOT NULL,
  device_id    text,
  payload_size integer NOT NULL,
  payload_head bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS rejected_messages_received_idx ON rejected_messages (received_at DESC);
CREATE INDEX IF NOT EXISTS rejected_messages_reason_idx ON rejected_messages (reason, received_at DESC);
