-- Rule documents saved over REST by earlier releases were stored as JSON strings holding the
-- document's text; the platform reads objects. Unwrap them in place.
UPDATE rule_sets SET document = (document #>> '{}')::jsonb WHERE jsonb_typeof(document) = 'string';
