// A binary min-heap keyed by a number: the timeline's next event in O(log n) instead of a scan of
// every stream at every event (issue 17). Pure.

export class MinHeap<T> {
  private readonly items: { key: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, value: T): void {
    const a = this.items;
    a.push({ key, value });
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if ((a[p] as { key: number }).key <= (a[i] as { key: number }).key) break;
      [a[p], a[i]] = [a[i] as { key: number; value: T }, a[p] as { key: number; value: T }];
      i = p;
    }
  }

  peek(): { key: number; value: T } | undefined {
    return this.items[0];
  }

  pop(): { key: number; value: T } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && (a[l] as { key: number }).key < (a[m] as { key: number }).key) m = l;
      if (r < a.length && (a[r] as { key: number }).key < (a[m] as { key: number }).key) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i] as { key: number; value: T }, a[m] as { key: number; value: T }];
      i = m;
    }
    return top;
  }
}
