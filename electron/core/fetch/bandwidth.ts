// A bandwidth limit shared by every transfer that takes from it (one per queue): a token bucket
// refilled at `bytesPerSecond`, allowing a burst of a quarter second.

export class BandwidthLimit {
  #bytesPerSecond: number;
  /** When the bucket is next empty of debt: time in ms at which all taken bytes are "paid". */
  #paidUntil = 0;

  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
  }

  /** 0 or Infinity: no limit. */
  set bytesPerSecond(value: number) {
    this.#bytesPerSecond = value;
  }

  get bytesPerSecond(): number {
    return this.#bytesPerSecond;
  }

  /** Resolves when `bytes` may be read; rejects with the signal's reason on abort. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const rate = this.#bytesPerSecond;
    if (!(rate > 0) || rate === Infinity) return;
    const now = Date.now();
    this.#paidUntil = Math.max(this.#paidUntil, now - 250) + (bytes / rate) * 1000;
    const wait = this.#paidUntil - now;
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
