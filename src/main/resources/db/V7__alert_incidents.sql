-- One row per incident (rule, device, start); transitions update it in place.
CREATE UNIQUE INDEX IF NOT EXISTS alerts_incident_idx ON alerts (rule_id, device_id, opened_at);
