// The words of a model download: the progress line (bytes, speed, time left), and which buttons an error
// gets. Pure: src/features/downloadModel.ts shows them.
import { formatBytes } from "./byteSize";

export type DownloadPhase = "connecting" | "hashing" | "downloading" | "verifying" | "done";

/** The progress of a model download (src/platform/modelDownloader.ts reports it). */
export interface DownloadProgressInfo {
    phase: DownloadPhase;
    /** 0-based index of the file being downloaded, and how many there are (split models). */
    fileIndex: number;
    fileCount: number;
    /** Base name of the current file. */
    file: string;
    fileBytes: number;
    fileTotalBytes: number | null;
    /** All files together (completed files + the current one). */
    bytes: number;
    totalBytes: number | null;
    /** Over the last few seconds; 0 before any data. */
    bytesPerSecond: number;
    /** null when the total or the speed is unknown. */
    etaSeconds: number | null;
}

/** 45 → "45 s"; 280 → "4 min 40 s"; 7500 → "2 h 5 min". */
export function formatDuration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s} s`;
    if (s < 3600) {
        const m = Math.floor(s / 60);
        const r = s % 60;
        return r > 0 && m < 10 ? `${m} min ${r} s` : `${Math.round(s / 60)} min`;
    }
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m > 0 ? `${h} h ${m} min` : `${h} h`;
}

/** 0–100 over all files, or null while the total is unknown. */
export function progressPercent(p: DownloadProgressInfo): number | null {
    if (p.totalBytes === null || p.totalBytes <= 0) return null;
    return Math.min(100, (100 * p.bytes) / p.totalBytes);
}

/** One line for the progress notification. */
export function formatDownloadProgress(p: DownloadProgressInfo): string {
    const part = p.fileCount > 1 ? `part ${p.fileIndex + 1} of ${p.fileCount}: ` : "";
    switch (p.phase) {
        case "connecting":
            return `${part}connecting…`;
        case "hashing":
            return `${part}checking the ${formatBytes(p.fileBytes)} downloaded before…`;
        case "verifying":
            return `${part}verifying ${p.file}…`;
        case "done":
            return "done";
        case "downloading": {
            const of = p.totalBytes !== null ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : `${formatBytes(p.bytes)}`;
            const speed = p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : "";
            const eta = p.etaSeconds !== null && p.bytesPerSecond > 0 ? ` · ${formatDuration(p.etaSeconds)} left` : "";
            return `${part}${of}${speed}${eta}`;
        }
    }
}

export type DownloadErrorAction = "Retry" | "Set Hugging Face Token" | "Proxy Settings" | "Manage Models" | "Models Folder Setting" | "Choose Another Model";

/**
 * Buttons for a failed download, by ModelDownloadError code: Retry where trying again can work (the download
 * resumes), and the setting or command that fixes the cause.
 */
export function downloadErrorActions(code: string): DownloadErrorAction[] {
    switch (code) {
        case "network":
        case "http":
        case "rate-limited":
        case "too-many-redirects":
        case "checksum-mismatch":
        case "size-mismatch":
            return ["Retry"];
        case "proxy":
            return ["Proxy Settings", "Retry"];
        case "unauthorized":
        case "forbidden":
            return ["Set Hugging Face Token", "Retry"];
        case "disk-full":
            return ["Manage Models", "Models Folder Setting", "Retry"];
        case "file-system":
            return ["Models Folder Setting", "Retry"];
        case "not-found":
        case "remote-changed":
            return ["Choose Another Model"];
        case "aborted":
            return ["Retry"];
        default:
            return ["Retry"];
    }
}
