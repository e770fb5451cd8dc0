-- One name per operator control (lib/migration/operator-actions.ts): history written under the
-- old names is renamed so events and the audit log read in one vocabulary.

-- Control events: "<old>-requested", "<old>", "<old>-failed", written by operators and policies.
-- The system's own "postcopy" event (the source entered post-copy) is a state, not a control: kept.
UPDATE "MigrationEvent" e
SET type = r.new || substr(e.type, length(r.old) + 1)
FROM (VALUES
  ('max-downtime', 'set-max-downtime'),
  ('bandwidth', 'set-bandwidth'),
  ('restart-auto-converge', 'restart-with-auto-converge'),
  ('suspend', 'suspend-to-finish'),
  ('postcopy', 'switch-to-postcopy')
) AS r(old, new)
WHERE e.source IN ('operator', 'policy')
  AND e.type IN (r.old, r.old || '-requested', r.old || '-failed');

-- Audit actions of the controls (set-max-downtime, set-bandwidth, throttle-harder and abort kept their names).
UPDATE "AuditLog" a
SET action = r.new
FROM (VALUES
  ('migration.restart-auto-converge', 'migration.restart-with-auto-converge'),
  ('migration.suspend', 'migration.suspend-to-finish'),
  ('migration.postcopy', 'migration.switch-to-postcopy')
) AS r(old, new)
WHERE a.action = r.old;
