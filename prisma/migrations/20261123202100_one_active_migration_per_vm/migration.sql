-- At most one migration in flight per VM (KubeVirt: "a single active migration per VMI").
-- Prisma's schema language has no partial indexes, hence raw SQL.
CREATE UNIQUE INDEX "LiveMigration_one_active_per_vm"
  ON "LiveMigration" ("vmUuid")
  WHERE "state" IN ('queued', 'launching', 'running', 'postcopy');
