-- Rule documents saved over REST by earlier releases were stored as JSON strings holding the
-- document's text; the platform reads objects. Unwrap them in place.
UPDATE rule_sets SET document = (document #>> '{}')::jsonb WHERE jsonb_typeof(document) = 'string';

-- A rejection names the device the message proved to be (authenticated) or, when it failed before
-- that, the registered device it claimed or whose topic it came on (not authenticated): that
-- device's tenant sees it, marked so.
-- Rows of earlier releases were not marked; none of them counts as proven.
ALTER TABLE rejected_messages ADD COLUMN IF NOT EXISTS authenticated boolean NOT NULL DEFAULT false;

-- Each instance polls for credentials created or revoked since its last poll (every
-- pki.revocationRefreshSeconds), so credential changes made elsewhere reach its caches.
CREATE INDEX IF NOT EXISTS device_credentials_created_idx ON device_credentials (created_at);
CREATE INDEX IF NOT EXISTS device_credentials_revoked_at_idx ON device_credentials (revoked_at)
  WHERE revoked_at IS NOT NULL;
