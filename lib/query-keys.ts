// Every TanStack Query key, in one place, so invalidations cannot drift from reads.
export const queryKeys = {
  fleet: ["fleet"] as const,
  /** Prefix of every migrations list (invalidate this after a control succeeds). */
  migrationsAll: ["migrations"] as const,
  /** In-flight + history for one filter set; `search` is the normalised query string ("" = none). */
  migrations: (search: string) => ["migrations", search] as const,
};
