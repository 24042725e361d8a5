-- Hand-written: a 10/20/30-minute target can be breached once per incident. The breach clock
-- runs in every server process and again after a restart; this index makes a second
-- `target_breached` event for the same incident and target impossible, whoever writes it.
CREATE UNIQUE INDEX incident_events_breach_once
  ON incident_events (incident_id, (payload->>'target'))
  WHERE type = 'target_breached';
