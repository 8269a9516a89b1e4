-- A device may hold several credentials at once: after a rotation the old token and certificate
-- stay valid for a grace period next to the new ones. Tokens are stored only as SHA-256 hashes;
-- private keys are never stored. A credential is accepted while revoked_at is NULL or in the
-- future (a rotated-out credential is "revoked from" the end of its grace period).
CREATE TABLE IF NOT EXISTS device_credentials (
  id          bigserial PRIMARY KEY,
  device_id   text NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE,
  cert_serial text UNIQUE,          -- lower-case hex; NULL for a token-only credential
  not_after   timestamptz,          -- end of the certificate's validity
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS device_credentials_device_idx ON device_credentials (device_id);
CREATE INDEX IF NOT EXISTS device_credentials_revoked_idx ON device_credentials (revoked_at)
  WHERE revoked_at IS NOT NULL AND cert_serial IS NOT NULL;

INSERT INTO device_credentials (device_id, token_hash, created_at)
  SELECT device_id, token_hash, created_at FROM devices;
ALTER TABLE devices DROP COLUMN token_hash;
