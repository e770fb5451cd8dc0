-- Policy steps take the operator controls' names (lib/migration/operator-actions.ts):
-- raise-downtime → set-max-downtime, postcopy → switch-to-postcopy, suspend → suspend-to-finish.
-- A step without an id was known by one derived from its action ("<n>-raise-downtime-<toMs>",
-- "<n>-suspend"), which migrations in flight record in escalationsDone: such a step gets that old
-- id written in, so no step fires twice after the upgrade.
UPDATE "EscalationPolicy" p
SET steps = (
  SELECT jsonb_agg(
    CASE WHEN s ? 'id' THEN s
      ELSE s || jsonb_build_object('id',
        i::text || '-' || (s->>'action') || CASE WHEN s->>'action' = 'raise-downtime' THEN '-' || (s->>'toMs') ELSE '' END)
    END
    || jsonb_build_object('action', CASE s->>'action'
      WHEN 'raise-downtime' THEN 'set-max-downtime'
      WHEN 'postcopy' THEN 'switch-to-postcopy'
      WHEN 'suspend' THEN 'suspend-to-finish'
      ELSE s->>'action' END)
    ORDER BY i)
  FROM jsonb_array_elements(p.steps) WITH ORDINALITY AS t(s, i)
)
WHERE jsonb_typeof(p.steps) = 'array' AND jsonb_array_length(p.steps) > 0;
