// Every TanStack Query key, in one place, so invalidations cannot drift from reads.
export const queryKeys = {
  fleet: ["fleet"] as const,
};
