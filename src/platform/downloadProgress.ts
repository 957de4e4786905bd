// The progress of a model download as the user sees it: bytes of all files together, the speed over the last
// few seconds, the time left, reported at most every `progressIntervalMs` (phase changes always).
import type { DownloadPhase, DownloadProgressInfo } from "../core/models/downloadMessages";

/** The download options about progress (part of DownloadOptions). */
export interface ProgressOptions {
    onProgress?: (progress: DownloadProgressInfo) => void;
    /** Minimum time between progress callbacks while downloading. Default 250 ms. */
    progressIntervalMs?: number;
}

/** Counts the bytes of one download of several files and reports them through `onProgress`. */
export class ProgressMeter {
    private samples: Array<{ t: number; bytes: number }> = [];
    private lastEmit = 0;
    private readonly learned = new Set<number>();
    completedBytes = 0;
    transferred = 0;
    constructor(private readonly options: ProgressOptions, readonly fileCount: number, public totalBytes: number | null) {}

    /** The server told the real size of file `index`: replace the assumed one in the total (once). */
    learnTotal(index: number, total: number, assumed: number | null): void {
        if (this.learned.has(index) || this.totalBytes === null || assumed === null) return;
        this.learned.add(index);
        this.totalBytes += total - assumed;
    }

    emit(phase: DownloadPhase, fileIndex: number, file: string, fileBytes: number, fileTotal: number | null, force = false): void {
        const now = Date.now();
        this.samples.push({ t: now, bytes: this.transferred });
        while (this.samples.length > 2 && now - this.samples[0].t > 5000) this.samples.shift();
        if (!this.options.onProgress) return;
        if (!force && now - this.lastEmit < (this.options.progressIntervalMs ?? 250)) return;
        this.lastEmit = now;
        const first = this.samples[0];
        const dt = (now - first.t) / 1000;
        const bytesPerSecond = dt > 0 ? (this.transferred - first.bytes) / dt : 0;
        const bytes = this.completedBytes + fileBytes;
        const etaSeconds = this.totalBytes !== null && bytesPerSecond > 0 ? Math.max(0, (this.totalBytes - bytes) / bytesPerSecond) : null;
        this.options.onProgress({
            phase, fileIndex, fileCount: this.fileCount, file, fileBytes, fileTotalBytes: fileTotal, bytes,
            totalBytes: this.totalBytes, bytesPerSecond, etaSeconds
        });
    }
}
