// Reading dirty-rate measurements (QEMU calc-dirty-rate, page sampling: 512 pages per GiB hashed at
// the start and the end of a window). A window of t seconds reports min(D·t, W)/t: a guest
// re-dirtying a hot set W shows a rate that falls as the window grows. So the windows give the rate
// and, once one saturates, the hot set — but only a window as long as a pass shows the hot set a
// pass will really find: shorter ones miss a hot set larger than their own dirtying. Each reading
// is a binomial count, so the estimate carries its uncertainty (2 σ) to the verdict. Pure.
export type DirtyWindow = { seconds: number; bytesPerSecond: number };

export type DirtyInputs = { dirtyRateBps: number; workingSetBytes: number };
export type DirtyEstimate = DirtyInputs & {
  /** The end of the uncertainty range that makes migration easiest / hardest. */
  optimistic: DirtyInputs;
  pessimistic: DirtyInputs;
  /** True when the longest window saw the hot set fill (W measured, not assumed). */
  hotSetSeen: boolean;
  /** The hot set filled within the shortest window: the guest's rate is only known to be at least this. */
  rateHidden: boolean;
  /**
   * No window saw the hot set fill, but the short windows' bytes are within noise of the long one's:
   * the whole hot set may have been rewritten within 1 s, at a rate no window can show. A GO must
   * hold in this case as well (a 35 MiB hot set rewritten at 700 MiB/s read 36 and 17 MiB/s).
   */
  mayHaveFilled?: DirtyInputs;
};

const SAMPLE_PAGES_PER_GIB = 512;
const GIB = 1024 ** 3;
const Z = 2;
/**
 * How sure Convoy must be that the hot set did not fill within the short windows (σ): surer once the
 * long window has shown the hot set saturating, which makes a fill within 1 s likelier.
 */
const Z_FILLED_SEEN = 3;
const Z_FILLED_UNSEEN = Z;
/** The longest window the console waits for before launch. */
export const MAX_WINDOW_S = 30;
/** A hot set that fills within 1 s hides the rate: assume up to this many times the rate seen. */
const HIDDEN_RATE_FACTOR = 4;

/**
 * The short window is taken this many times and pooled: QEMU draws new sample pages each time, so
 * three 1 s windows count three times the pages a single one does. One 1 s window on a 3 GiB guest
 * hashes 1,536 pages; a 13 MiB hot set rewritten at 148 MiB/s is 6–7 of them, too few to tell from a
 * 1 MiB/s writer, and the guest was given a GO it never met (41 ms limit, 1 GbE).
 */
export const SHORT_REPEATS = 3;

/**
 * Window lengths: 1 s (SHORT_REPEATS times), then one as long as the first pass is expected to last
 * (2 s … MAX_WINDOW_S).
 */
export function dirtyWindowPlan(expectedPassS: number, maxS = MAX_WINDOW_S): number[] {
  return [...Array<number>(SHORT_REPEATS).fill(1), Math.min(maxS, Math.max(2, Math.ceil(expectedPassS)))];
}

/**
 * QEMU reports the rate in whole MiB/s, truncated: a window of t seconds that reads r dirtied between
 * r·t and (r + 1)·t MiB. Over a 12 s window that is 12 MiB unseen — a 13 MiB hot set rewritten at
 * 148 MiB/s read 0 there and was taken for an idle guest (a false GO on a 41 ms limit).
 */
const RESOLUTION_BPS = 1024 * 1024;

/**
 * Bytes dirtied in a window and its 2 σ range. The reading is a binomial count (k of the n sampled
 * pages changed); the range is the Wilson score interval, which keeps its coverage at the small
 * counts that matter most: QEMU samples 0.5 page per MiB of RAM, so a window sees only rate·t/2 changed
 * pages whatever the guest's size (a 4 MiB/s writer in a 1 s window: 2 pages, and then the guest
 * may well dirty 14 MiB/s; the normal approximation said at most 9.6 and gave a false GO in the lab).
 * The upper end starts from the top of the truncated reading. Windows of one length are pooled:
 * `repeats` readings are `repeats` times the sampled pages, and their mean is the reading.
 */
function dirtied(
  w: DirtyWindow & { repeats: number },
  ramBytes: number,
): { mid: number; top: number; lo: number; hi: number; pages: number } {
  const n = Math.max(1, Math.round((SAMPLE_PAGES_PER_GIB * ramBytes) / GIB)) * w.repeats;
  const mid = w.bytesPerSecond * w.seconds;
  const z2 = Z * Z;
  const wilson = (bytes: number, sign: 1 | -1) => {
    const p = Math.min(1, Math.max(0, bytes / ramBytes));
    const centre = p + z2 / (2 * n);
    const spread = Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
    return ((centre + sign * spread) * ramBytes) / (1 + z2 / n);
  };
  const top = mid + RESOLUTION_BPS * w.seconds;
  return { mid, top, lo: Math.max(0, wilson(mid, -1)), hi: Math.min(ramBytes, wilson(top, 1)), pages: n };
}

type Reading = ReturnType<typeof dirtied>;

/**
 * Could the short windows have caught the whole hot set — did they see the same share of pages
 * dirty as the long one? Ruled out only when the long window's share is above the short windows'
 * (at the top of their truncated reading) by more than z standard errors of a two-proportion
 * test. Wrongly ruling it out gives a GO on a rate no window showed: an 826 MiB hot set rewritten at
 * 1.4 GiB/s, whose 5 s window read 2.9 σ high, was given one.
 */
function mayHaveFilledInShort(short: Reading, long: Reading, ramBytes: number, z: number): boolean {
  const ps = Math.min(1, short.top / ramBytes);
  const pl = long.mid / ramBytes;
  const p = (ps * short.pages + pl * long.pages) / (short.pages + long.pages);
  const se = Math.sqrt(p * (1 - p) * (1 / short.pages + 1 / long.pages));
  return pl - ps <= z * se;
}

/** @param sendBytes the memory that will really be sent (non-zero pages): no hot set is larger. */
export function readDirtyWindows(
  windows: readonly DirtyWindow[],
  ramBytes: number,
  sendBytes = ramBytes,
): DirtyEstimate {
  const ws = pooled(windows).map((w) => ({ t: w.seconds, ...dirtied(w, ramBytes) }));
  const short = ws[0];
  const long = ws[ws.length - 1];
  if (!short || !long || long.mid <= 0) {
    const none = { dirtyRateBps: 0, workingSetBytes: 0 };
    return {
      ...none,
      optimistic: none,
      pessimistic: { dirtyRateBps: (short?.hi ?? 0) / (short?.t ?? 1), workingSetBytes: long?.hi ?? 0 },
      hotSetSeen: false,
      rateHidden: false,
    };
  }
  // Saturated: the long window dirtied clearly less than the short one's rate predicts.
  const seen = ws.length > 1 && long.hi < (short.lo / short.t) * long.t;
  // Filled within the short window too: the rate is only known to be at least W per second.
  const fillsInShort = seen && mayHaveFilledInShort(short, long, ramBytes, Z_FILLED_SEEN);
  const rate = short.mid / short.t;
  if (!seen) {
    // The hot set is at least what the long window dirtied; how much more, no window can tell. The
    // point estimate is the geometric middle of that range (its median if any size is as likely as
    // any other, scale-free); the verdict uses the ends.
    const lo = { dirtyRateBps: long.lo / long.t, workingSetBytes: long.lo };
    const hi = { dirtyRateBps: Math.max(rate, long.hi / long.t), workingSetBytes: sendBytes };
    const middle = Math.sqrt(Math.max(long.mid, 1) * Math.max(long.mid, sendBytes));
    const mayHaveFilled = ws.length > 1 && mayHaveFilledInShort(short, long, ramBytes, Z_FILLED_UNSEEN);
    return {
      dirtyRateBps: long.mid / long.t,
      workingSetBytes: middle,
      optimistic: lo,
      pessimistic: hi,
      hotSetSeen: false,
      rateHidden: false,
      ...(mayHaveFilled
        ? { mayHaveFilled: { dirtyRateBps: HIDDEN_RATE_FACTOR * rate, workingSetBytes: Math.min(long.hi, sendBytes) } }
        : {}),
    };
  }
  return {
    dirtyRateBps: rate,
    workingSetBytes: long.mid,
    optimistic: { dirtyRateBps: short.lo / short.t, workingSetBytes: long.lo },
    pessimistic: {
      dirtyRateBps: fillsInShort ? HIDDEN_RATE_FACTOR * rate : short.hi / short.t,
      workingSetBytes: long.hi,
    },
    hotSetSeen: true,
    rateHidden: fillsInShort,
  };
}

/** Readings of one window length as one reading of their mean over all their sampled pages, shortest first. */
function pooled(windows: readonly DirtyWindow[]): (DirtyWindow & { repeats: number })[] {
  const byLength = new Map<number, number[]>();
  for (const w of windows) byLength.set(w.seconds, [...(byLength.get(w.seconds) ?? []), w.bytesPerSecond]);
  return [...byLength.entries()]
    .sort(([a], [b]) => a - b)
    .map(([seconds, rates]) => ({
      seconds,
      bytesPerSecond: rates.reduce((a, b) => a + b, 0) / rates.length,
      repeats: rates.length,
    }));
}
