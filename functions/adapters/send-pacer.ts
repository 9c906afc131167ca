/** SES's sending rate when the account cannot be asked (GetAccount failed): well under a production account's 14/s. */
export const DEFAULT_SEND_RATE = 10;

export interface PacerOptions {
  /** E-mails per second allowed (asked once, on the first send: SES GetAccount's SendQuota.MaxSendRate). */
  rate: () => Promise<number>;
  /** How many may go at once before the pace applies (default 1: evenly spaced). */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket for one container's sends: each call waits until the bucket has a token, so
 * that e-mails leave no faster than `rate` per second however many sends run at once (the bulk
 * steps send 8 at a time). The rate is asked once and kept; a rate that is not a positive number
 * falls back to DEFAULT_SEND_RATE.
 */
export function createPacer(options: PacerOptions): () => Promise<void> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const burst = Math.max(1, Math.floor(options.burst ?? 1));
  let interval: Promise<number> | undefined;
  // The instant from which the bucket is full again: each send moves it one interval later.
  let fullAt = -Infinity;
  return async () => {
    const step = await (interval ??= options.rate().then(
      (rate) => 1000 / (Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_SEND_RATE),
      () => 1000 / DEFAULT_SEND_RATE,
    ));
    // Reserved synchronously after the await: concurrent callers get consecutive slots.
    const at = Math.max(now(), fullAt - (burst - 1) * step);
    fullAt = Math.max(fullAt, at) + step;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  };
}
