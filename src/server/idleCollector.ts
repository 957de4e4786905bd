// After a burst of requests, one full garbage collection once the model process is idle. An idle process allocates
// nothing, so V8 never collects what the burst left: over a storm of 50 cancelled requests the heap in use stayed at
// 34.5 MB; one collection a second after the last request brings it back to 19.5 MB. (The young generation's growth
// is capped separately, by the process's launch flags: platform/modelProcessLaunch.ts.) It needs `gc`, which the
// process gets from `--expose-gc`; without it nothing happens. Never during a request, never twice for one burst.
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
