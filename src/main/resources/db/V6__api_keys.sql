-- API keys of the REST API and the live stream, each scoped to one tenant. Only the SHA-256 of a
-- key is stored; the id is its public part (listing, revocation). Keys are revoked, never deleted.
-- An operator key also sees the rejected messages that name no registered device (they belong to
-- no tenant); otherwise it is scoped to its tenant like any key.
-- Not granted to flexconnect_reader: dashboards never need them.
CREATE TABLE IF NOT EXISTS api_keys (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL,
  name        text,
  operator    boolean NOT NULL DEFAULT false,
  key_hash    bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant_id);

-- Every REST and stream query is scoped by tenant through devices.
CREATE INDEX IF NOT EXISTS devices_tenant_idx ON devices (tenant_id);
