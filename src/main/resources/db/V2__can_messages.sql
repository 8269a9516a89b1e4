-- Binary CAN messages as received (their points section, without the token), so a device's
-- history can be decoded again when its DBC changes. The digest makes redeliveries idempotent.
CREATE TABLE IF NOT EXISTS can_messages (
  device_id   text NOT NULL,
  first_ts    timestamptz NOT NULL,
  last_ts     timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  digest      bytea NOT NULL,
  points      bytea NOT NULL,
  PRIMARY KEY (device_id, first_ts, digest)
);
CREATE INDEX IF NOT EXISTS can_messages_range_idx ON can_messages (device_id, last_ts);
