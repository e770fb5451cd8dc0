// Reading two dirty-rate measurements (QEMU calc-dirty-rate, page sampling). A window of t seconds
// reports min(D·t, W)/t: a guest re-dirtying a hot set W shows a rate that falls as the window
// grows. Two windows therefore give both the rate and, when it saturates, the hot set. Pure.
export type DirtyWindow = { seconds: number; bytesPerSecond: number };

export function readDirtyWindows(short: DirtyWindow, long: DirtyWindow): { dirtyRateBps: number; workingSetBytes: number | null } {
  const dirtiedShort = short.bytesPerSecond * short.seconds;
  const dirtiedLong = long.bytesPerSecond * long.seconds;
  // Doubling the window should roughly double what is dirtied; much less means a saturated hot set.
  const saturated = dirtiedShort > 0 && dirtiedLong < 1.5 * dirtiedShort * (long.seconds / short.seconds / 2);
  return { dirtyRateBps: short.bytesPerSecond, workingSetBytes: saturated ? dirtiedLong : null };
}
