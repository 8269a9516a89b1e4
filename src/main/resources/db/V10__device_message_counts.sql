-- Messages stored per device (accepted ones; redeliveries of the same message count again).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS messages bigint NOT NULL DEFAULT 0;
