-- Rule documents edited at run time through REST; when present they replace the configured files.
CREATE TABLE IF NOT EXISTS rule_sets (
  kind        text PRIMARY KEY CHECK (kind IN ('pipelines', 'alerts')),
  document    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
