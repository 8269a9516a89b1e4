-- Alert state machines per device (pending timers, watermarks, open incidents), so an alert that
-- is firing when the platform stops is the same incident after it starts again.
CREATE TABLE IF NOT EXISTS alert_state (
  device_id   text PRIMARY KEY,
  snapshot    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
