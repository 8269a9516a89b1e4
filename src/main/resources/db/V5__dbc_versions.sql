-- Every DBC file the platform has decoded with, by content: the versions re-decoding refers to.
CREATE TABLE IF NOT EXISTS dbc_files (
  sha256      bytea PRIMARY KEY,
  name        text NOT NULL,
  content     bytea NOT NULL,
  first_used  timestamptz NOT NULL DEFAULT now()
);

-- Each re-decoding of a device's history: range, DBC versions applied, and what it changed.
CREATE TABLE IF NOT EXISTS redecode_runs (
  id            bigserial PRIMARY KEY,
  device_id     text NOT NULL,
  from_ts       timestamptz NOT NULL,
  to_ts         timestamptz NOT NULL,
  dbc           jsonb NOT NULL,
  messages      integer NOT NULL,
  frames        bigint NOT NULL,
  rows_deleted  bigint NOT NULL,
  rows_written  bigint NOT NULL,
  finished_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS redecode_runs_device_idx ON redecode_runs (device_id, finished_at DESC);
