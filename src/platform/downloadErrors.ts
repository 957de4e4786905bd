// The errors of a model download: a code per kind of failure and a message that names the fix (sign in, accept
// the terms, free disk space, check the proxy, try later), for HTTP statuses, network failures and a full disk.
// src/features/models/downloadModel.ts turns the code into buttons (core/models/downloadMessages).
import type { IncomingMessage } from "node:http";
import { formatBytes } from "../core/models/byteSize";

export type DownloadErrorCode =
    | "network" | "not-found" | "unauthorized" | "forbidden" | "rate-limited" | "http" | "too-many-redirects"
    | "proxy" | "checksum-mismatch" | "size-mismatch" | "remote-changed" | "disk-full" | "aborted" | "file-system";

export class ModelDownloadError extends Error {
    constructor(
        readonly code: DownloadErrorCode,
        /** Base name of the file concerned. */
        readonly file: string,
        message: string,
        readonly details: { url?: string; status?: number; retryAfterSeconds?: number; cause?: unknown } = {}
    ) {
        super(message);
        this.name = "ModelDownloadError";
    }
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or undefined. */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
    if (!value) return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : Math.max(0, Math.round((t - now) / 1000));
}

/** Not enough free space in `dir` for `needed` more bytes. */
export function diskFullError(file: string, dir: string, needed: number, free: number): ModelDownloadError {
    return new ModelDownloadError("disk-full", file,
        `Not enough disk space for ${file}: it needs ${formatBytes(needed)} more, ${formatBytes(free)} free in ${dir}. ` +
        "Free up space, delete models you no longer use (R1: Manage Models), or choose another models folder.");
}

/** A failed connection or transfer; `got` bytes of `total` are in the part file, from where the next try resumes. */
export function networkError(name: string, url: string, cause: unknown, got: number | null, total: number | null): ModelDownloadError {
    const err = cause as NodeJS.ErrnoException;
    const what = err?.code === "ENOTFOUND" ? `cannot resolve ${new URL(url).hostname}`
        : err?.code === "ECONNREFUSED" ? `connection refused by ${new URL(url).host}`
        : err?.code === "ETIMEDOUT" ? "the connection timed out"
        : err?.code === "ECONNRESET" || err?.message === "aborted" || err?.code === "ERR_STREAM_PREMATURE_CLOSE" ? "the connection was closed"
        : err?.message ?? String(cause);
    const where = got !== null && got > 0 ? ` after ${formatBytes(got)}${total ? ` of ${formatBytes(total)}` : ""}` : "";
    const resume = got !== null && got > 0 ? `: it resumes from ${formatBytes(got)}` : "";
    return new ModelDownloadError("network", name,
        `Network error while downloading ${name}${where}: ${what}. Check your connection (and proxy settings such as HTTPS_PROXY), then run the download again${resume}.`,
        { url, cause });
}

/** A response that is not the file: 404, 401, 403, 407, 429 (with its Retry-After) or any other status. */
export function httpError(name: string, url: string, response: IncomingMessage): ModelDownloadError {
    const status = response.statusCode ?? 0;
    const details = { url, status };
    switch (status) {
        case 404:
            return new ModelDownloadError("not-found", name, `${name} was not found (HTTP 404 from ${new URL(url).host}). The publisher may have renamed or removed it: update the extension, or choose another quantization.`, details);
        case 401:
            return new ModelDownloadError("unauthorized", name, `Downloading ${name} needs you to sign in (HTTP 401). Set a Hugging Face access token (HF_TOKEN), or choose a model that is not gated.`, details);
        case 403:
            return new ModelDownloadError("forbidden", name, `Access to ${name} was refused (HTTP 403). If the repository is gated, accept its terms on huggingface.co and set an access token; otherwise check that your network or proxy allows huggingface.co.`, details);
        case 407:
            return new ModelDownloadError("proxy", name, `The proxy refused to fetch ${name} without credentials (HTTP 407). Put them in the proxy URL (http://user:password@host:port) or the HTTPS_PROXY variable.`, details);
        case 429: {
            const retryAfterSeconds = parseRetryAfter(response.headers["retry-after"] as string | undefined);
            const wait = retryAfterSeconds !== undefined ? `in ${retryAfterSeconds} s (the server's Retry-After)` : "in a few minutes";
            return new ModelDownloadError("rate-limited", name, `Too many requests: the server is rate-limiting downloads of ${name} (HTTP 429). Try again ${wait}; signing in with a Hugging Face token raises the limit. The download resumes where it stopped.`, { ...details, retryAfterSeconds });
        }
        default:
            return new ModelDownloadError("http", name, `Downloading ${name} failed with HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""} from ${new URL(url).host}. ${status >= 500 ? "The server has a problem; try again later" : "Check the URL"}; the download resumes where it stopped.`, details);
    }
}

/** The error is the download being cancelled (the signal, or a stream that saw it). */
export function isAbort(e: unknown, signal?: AbortSignal): boolean {
    return (signal?.aborted ?? false) || (e as Error)?.name === "AbortError" || (e as { code?: string })?.code === "ABORT_ERR";
}
