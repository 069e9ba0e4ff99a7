/**
 * Partnership-wide figures that every viewer of a partnership sees alike (the overview, a list's filter options),
 * kept for a short while so twenty managers opening the overview at nine o'clock cost one computation, not twenty.
 * Each entry is computed once however many ask at the same moment (the first caller's promise is shared), and is
 * used for at most `ttlMs`; a failed computation is not kept. Per process and bounded (oldest entries go first).
 *
 * Only what carries no one person's rights belongs here: figures and names of teams and social workers, never a
 * list of plans (those are confined to the reader's scope and read fresh, request by request).
 */
export class SharedFigures<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
