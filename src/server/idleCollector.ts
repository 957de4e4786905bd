// After a burst of requests, one full garbage collection once the model process is idle. V8 grows its young
// generation while tokens stream (measured: heap 39 → 61 MB over a storm of 50 cancelled requests) and keeps it
// until a full collection, which an idle process never triggers; one collection a second after the last request
// hands that back (heap 23 MB again). It needs `gc`, which the process gets from `--expose-gc` (the extension and
// the plain client start it so); without it nothing happens. Never during a request, never twice for one burst.
export const IDLE_COLLECT_DELAY_MS = 1000;

export class IdleCollector {
    private timer: NodeJS.Timeout | undefined;
    private collectedSinceWork = true;
    private count = 0;

    constructor(
        private readonly gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
        private readonly delayMs = IDLE_COLLECT_DELAY_MS
    ) {}

    /** A request started: no collection until the process is idle again. */
    busy(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.collectedSinceWork = false;
    }

    /** The last request ended: collect once, after the delay, unless another request starts first. */
    idle(): void {
        if (!this.gc || this.collectedSinceWork) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.gc!();
            this.count++;
            this.collectedSinceWork = true;
        }, this.delayMs);
        this.timer.unref();
    }

    /** For the status: whether collecting is possible, how many idle collections ran, and whether one ran since the last request. */
    state(): { available: boolean; collections: number; collectedSinceLastRequest: boolean } {
        return { available: this.gc !== undefined, collections: this.count, collectedSinceLastRequest: this.collectedSinceWork };
    }

    dispose(): void {
        clearTimeout(this.timer);
    }
}
