// Downloads model files over HTTP(S) with progress, cancellation, resume and verification.
//
// Guarantees (docs/models.md):
// - Bytes go to `<file>.part`; a sidecar `<file>.part.json` records the URL, the server's ETag and size.
//   The final name appears only by rename, after the size and (when known) the sha256 were checked, so a
//   file under its final name is always complete.
// - A later call resumes with `Range` (+ `If-Range`); a 200 instead of 206, another ETag, another size or
//   another URL restarts from zero. The sha256 covers the whole file: after a resume the existing part
//   is hashed first.
// - Checksum mismatch: the damaged part is deleted. Cancel, network failure or full disk: the part stays.
// - Free disk space is checked (fs.statfs) before anything is written.
// - Redirects are followed (Hugging Face sends downloads to a CDN); Authorization is dropped when the
//   redirect leaves the origin. Hugging Face's X-Linked-Etag / X-Linked-Size are used when present.
// - Proxy: options.proxy, else HTTPS_PROXY / HTTP_PROXY / NO_PROXY (CONNECT tunnel for https).
// The part file and its sidecar: partialDownload.ts; opening the request (redirects, proxy): downloadRequest.ts;
// speed and time left: downloadProgress.ts; the errors and their messages: downloadErrors.ts.
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { formatBytes } from "../core/models/byteSize";
import { diskFullError, httpError, isAbort, ModelDownloadError, networkError } from "./downloadErrors";
import { ProgressMeter, type ProgressOptions } from "./downloadProgress";
import { type DownloadRequestOptions, openFollowingRedirects } from "./downloadRequest";
import { partPath, readSidecar, removePart, type Sidecar, sidecarPath } from "./partialDownload";

export interface DownloadFile {
    url: string;
    /** Absolute path of the final file. */
    destination: string;
    /** The exact size, when known: checked before and after the download. */
    sizeBytes?: number;
    /** A size known only roughly (for the disk-space check and progress until the server says). */
    approximateSizeBytes?: number;
    /** sha256 of the whole file (hex), when known. */
    sha256?: string | null;
}

export type { DownloadPhase, DownloadProgressInfo as DownloadProgress } from "../core/models/downloadMessages";

export interface DownloadOptions extends DownloadRequestOptions, ProgressOptions {
    /** Extra request headers, e.g. Authorization: Bearer <Hugging Face token>. */
    headers?: Record<string, string>;
    /** Tries per file for network failures (each resumes). Default 3. */
    maxAttempts?: number;
    /** Wait before the second try; doubles each time. Default 1000 ms. */
    retryDelayMs?: number;
    /** Use the server's X-Linked-Etag sha256 when the file has none. Default true. */
    useServerChecksum?: boolean;
    /** For tests: free-space probe (default fs.statfs). */
    statfs?: (path: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;
}

export interface DownloadedFile {
    destination: string;
    sizeBytes: number;
    /** The sha256 checked (null when neither the caller nor the server gave one). */
    sha256: string | null;
    /** Bytes already on disk when this call started (a resume), 0 otherwise. */
    resumedFromBytes: number;
    /** Bytes received over the network in this call. */
    transferredBytes: number;
    /** The final file was already there. */
    alreadyPresent: boolean;
}

export interface DownloadResult {
    files: DownloadedFile[];
    transferredBytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

async function fileSize(p: string): Promise<number | null> {
    try {
        return (await stat(p)).size;
    } catch {
        return null;
    }
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(t);
            reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}

/** Free bytes on the file system holding `dir`. */
async function freeBytes(dir: string, probe: NonNullable<DownloadOptions["statfs"]>): Promise<number> {
    const s = await probe(dir);
    return Number(s.bavail) * Number(s.bsize);
}

function parseContentRange(v: string | undefined): { start: number; end: number; total: number | null } | null {
    const m = v ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(v.trim()) : null;
    return m ? { start: Number(m[1]), end: Number(m[2]), total: m[3] === "*" ? null : Number(m[3]) } : null;
}

async function hashExisting(path: string, hash: Hash, signal?: AbortSignal): Promise<void> {
    await pipeline(createReadStream(path), new Transform({
        transform(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            cb();
        }
    }), { signal });
}

/** Downloads one file (one attempt). Returns what it did; throws ModelDownloadError. */
async function downloadOnce(file: DownloadFile, index: number, meter: ProgressMeter, options: DownloadOptions): Promise<DownloadedFile> {
    const name = basename(file.destination);
    const part = partPath(file.destination);
    const side = sidecarPath(file.destination);
    const probe = options.statfs ?? statfs;

    let sidecar = await readSidecar(side);
    let partBytes = (await fileSize(part)) ?? 0;
    if (partBytes > 0 && (!sidecar || sidecar.url !== file.url || (file.sha256 && sidecar.sha256 && sidecar.sha256 !== file.sha256) ||
        (file.sizeBytes !== undefined && sidecar.totalBytes !== null && sidecar.totalBytes !== file.sizeBytes))) {
        await removePart(file.destination);
        partBytes = 0;
        sidecar = null;
    }
    const resumedFromBytes = partBytes;
    meter.emit("connecting", index, name, partBytes, file.sizeBytes ?? file.approximateSizeBytes ?? null, true);

    const headers: Record<string, string> = { "User-Agent": "r1-reasoner-model-downloader", "Accept-Encoding": "identity", ...options.headers };
    if (partBytes > 0) {
        headers.Range = `bytes=${partBytes}-`;
        if (sidecar?.etag) headers["If-Range"] = sidecar.etag;
    }
    const opened = await openFollowingRedirects(file.url, name, headers, options);
    const { response } = opened;
    const status = response.statusCode ?? 0;
    const url = opened.finalUrl.href;

    let restart = false;
    let total: number | null = null;
    if (status === 416 && partBytes > 0) {
        response.resume();
        // The part may already hold every byte (the previous run stopped before verifying).
        if (sidecar?.totalBytes === partBytes) total = partBytes;
        else {
            // Cannot resume this part: start over cleanly (partBytes is 0 on the second call).
            await removePart(file.destination);
            return downloadOnce(file, index, meter, options);
        }
    } else if (status === 206 && partBytes > 0) {
        const range = parseContentRange(response.headers["content-range"]);
        const etag = (response.headers.etag as string | undefined) ?? null;
        if (!range || range.start !== partBytes || (sidecar?.etag && etag && etag !== sidecar.etag) ||
            (sidecar?.totalBytes && range.total !== null && range.total !== sidecar.totalBytes)) {
            // The file changed on the server (other ETag or size) or the range is wrong: start over cleanly.
            response.destroy();
            await removePart(file.destination);
            return downloadOnce(file, index, meter, options);
        }
        total = range.total;
    } else if (status === 200) {
        if (partBytes > 0) restart = true; // no range support, or If-Range saw another version
        const len = response.headers["content-length"];
        total = typeof len === "string" && /^\d+$/.test(len) ? Number(len) : null;
    } else {
        response.resume();
        throw httpError(name, url, response);
    }
    if (total === null) total = opened.linkedSize;

    // The server's identity of the file: size and sha256 (Hugging Face X-Linked-*), compared with ours.
    const serverSha = opened.linkedEtag && SHA256_HEX.test(opened.linkedEtag) ? opened.linkedEtag : null;
    if (file.sha256 && serverSha && serverSha !== file.sha256) {
        response.resume();
        throw new ModelDownloadError("remote-changed", name,
            `${name} on the server (sha256 ${serverSha.slice(0, 12)}…) is not the file the catalog expects (${file.sha256.slice(0, 12)}…): the publisher replaced it. Nothing was downloaded. Update the extension, or choose another quantization.`, { url });
    }
    if (file.sizeBytes !== undefined && total !== null && total !== file.sizeBytes) {
        response.resume();
        throw new ModelDownloadError("remote-changed", name,
            `${name} on the server is ${total} bytes, the catalog expects ${file.sizeBytes}: the publisher replaced it. Nothing was downloaded. Update the extension, or choose another quantization.`, { url });
    }
    const expectedSha = file.sha256 ?? ((options.useServerChecksum ?? true) ? serverSha : null);

    if (restart) {
        await removePart(file.destination);
        partBytes = 0;
    }
    if (total !== null && status !== 416) {
        const free = await freeBytes(dirname(file.destination), probe);
        const needed = total - partBytes;
        if (free < needed) {
            response.resume();
            throw diskFullError(name, dirname(file.destination), needed, free);
        }
    }
    if (total !== null) meter.learnTotal(index, total, file.sizeBytes ?? file.approximateSizeBytes ?? null);
    const newSidecar: Sidecar = { url: file.url, etag: (response.headers.etag as string | undefined) ?? sidecar?.etag ?? null, totalBytes: total, sha256: expectedSha };
    await writeFile(side, JSON.stringify(newSidecar));

    const hash = createHash("sha256");
    if (partBytes > 0 && expectedSha) {
        meter.emit("hashing", index, name, partBytes, total, true);
        await hashExisting(part, hash, options.signal);
    }

    let received = 0;
    if (status !== 416) {
        meter.emit("downloading", index, name, partBytes, total, true);
        const counter = new Transform({
            transform(chunk: Buffer, _enc, cb) {
                hash.update(chunk);
                received += chunk.length;
                meter.transferred += chunk.length;
                meter.emit("downloading", index, name, partBytes + received, total);
                cb(null, chunk);
            }
        });
        const sink = createWriteStream(part, { flags: partBytes > 0 ? "a" : "w" });
        try {
            await pipeline(response, counter, sink, { signal: options.signal });
        } catch (e) {
            // pipeline() can reject while the part file's last write is still landing: report only once the file
            // is closed, so the bytes kept (and a resume started at once) are what is really on disk.
            if (!sink.closed) await new Promise<void>((done) => sink.once("close", () => done()));
            if (isAbort(e, options.signal)) {
                throw new ModelDownloadError("aborted", name, `Download of ${name} cancelled. ${formatBytes(partBytes + received)} are kept in ${basename(part)}; downloading again resumes from there.`, { url, cause: e });
            }
            const code = (e as NodeJS.ErrnoException).code;
            if (code === "ENOSPC" || code === "EDQUOT") {
                throw new ModelDownloadError("disk-full", name, `The disk filled up while downloading ${name} into ${dirname(file.destination)}. Free some space (or delete models with R1: Manage Models) and download again: it resumes from ${formatBytes(partBytes + received)}.`, { url, cause: e });
            }
            if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
                throw new ModelDownloadError("file-system", name, `Cannot write ${part}: ${(e as Error).message}. Choose a models folder you can write to.`, { url, cause: e });
            }
            throw networkError(name, url, e, partBytes + received, total);
        }
    }
    const size = partBytes + received;
    if (total !== null && size < total) {
        throw networkError(name, url, Object.assign(new Error("aborted"), { code: "ECONNRESET" }), size, total);
    }
    meter.emit("verifying", index, name, size, total, true);
    if ((total !== null && size > total) || (file.sizeBytes !== undefined && size !== file.sizeBytes)) {
        await removePart(file.destination);
        throw new ModelDownloadError("size-mismatch", name, `${name} came out ${size} bytes instead of ${file.sizeBytes ?? total}; the damaged file was deleted. Download it again.`, { url });
    }
    let digest: string | null = null;
    if (expectedSha) {
        digest = hash.digest("hex");
        if (digest !== expectedSha) {
            await removePart(file.destination);
            throw new ModelDownloadError("checksum-mismatch", name,
                `${name} is corrupt: its sha256 is ${digest}, expected ${expectedSha}. The damaged file was deleted; download it again (if this repeats, a proxy or the network is altering the data).`, { url });
        }
    }
    await rename(part, file.destination);
    await rm(side, { force: true });
    meter.emit("done", index, name, size, size, true);
    return { destination: file.destination, sizeBytes: size, sha256: digest, resumedFromBytes, transferredBytes: received, alreadyPresent: false };
}

/**
 * Downloads every file (the parts of a split model in order) into its destination. Files already present
 * under their final name are kept. Resolves when all are verified and in place; rejects with
 * ModelDownloadError (code, file, a message that names the fix).
 */
export async function downloadFiles(files: DownloadFile[], options: DownloadOptions = {}): Promise<DownloadResult> {
    if (files.length === 0) return { files: [], transferredBytes: 0 };
    const probe = options.statfs ?? statfs;
    const done: Array<DownloadedFile | null> = [];
    let knownTotal = 0;
    let unknown = false;
    let needed = 0;
    for (const f of files) {
        const present = await fileSize(f.destination);
        const expected = f.sizeBytes ?? f.approximateSizeBytes;
        if (present !== null && (f.sizeBytes === undefined || present === f.sizeBytes)) {
            done.push({ destination: f.destination, sizeBytes: present, sha256: null, resumedFromBytes: 0, transferredBytes: 0, alreadyPresent: true });
            knownTotal += present;
            continue;
        }
        done.push(null);
        if (expected === undefined) unknown = true;
        else {
            knownTotal += expected;
            needed += Math.max(0, expected - ((await fileSize(partPath(f.destination))) ?? 0));
        }
    }
    for (const f of files) await mkdir(dirname(f.destination), { recursive: true });
    if (needed > 0) {
        const dir = dirname(files[0].destination);
        const free = await freeBytes(dir, probe);
        // Approximate sizes are rounded to 3 digits: allow 0.5% on top.
        if (free < needed * 1.005) throw diskFullError(basename(files[done.findIndex((d) => d === null)].destination), dir, Math.ceil(needed * 1.005), free);
    }
    const meter = new ProgressMeter(options, files.length, unknown ? null : knownTotal);
    const results: DownloadedFile[] = [];
    for (let i = 0; i < files.length; i++) {
        const already = done[i];
        if (already) {
            results.push(already);
            meter.completedBytes += already.sizeBytes;
            continue;
        }
        const attempts = Math.max(1, options.maxAttempts ?? 3);
        let transferredBefore = 0;
        let firstStart: number | undefined;
        for (let attempt = 1; ; attempt++) {
            const startPart = (await fileSize(partPath(files[i].destination))) ?? 0;
            firstStart ??= startPart;
            try {
                const r = await downloadOnce(files[i], i, meter, options);
                const resumedFromBytes = attempt === 1 ? r.resumedFromBytes : firstStart;
                results.push({ ...r, resumedFromBytes, transferredBytes: transferredBefore + r.transferredBytes });
                meter.completedBytes += r.sizeBytes;
                break;
            } catch (e) {
                if (e instanceof ModelDownloadError && e.code === "network" && attempt < attempts && !options.signal?.aborted) {
                    const partial = (await fileSize(partPath(files[i].destination))) ?? 0;
                    transferredBefore += Math.max(0, partial - startPart);
                    try {
                        await abortableDelay((options.retryDelayMs ?? 1000) * 2 ** (attempt - 1), options.signal);
                    } catch {
                        throw new ModelDownloadError("aborted", basename(files[i].destination), `Download of ${basename(files[i].destination)} cancelled; the partial file is kept to resume later.`);
                    }
                    continue;
                }
                if (e instanceof ModelDownloadError) throw e;
                if (isAbort(e, options.signal)) {
                    throw new ModelDownloadError("aborted", basename(files[i].destination), `Download of ${basename(files[i].destination)} cancelled; the partial file is kept to resume later.`, { cause: e });
                }
                const code = (e as NodeJS.ErrnoException).code;
                if (code === "ENOSPC") throw diskFullError(basename(files[i].destination), dirname(files[i].destination), 0, 0);
                throw new ModelDownloadError("file-system", basename(files[i].destination), `Downloading ${basename(files[i].destination)} failed: ${(e as Error).message}`, { cause: e });
            }
        }
    }
    return { files: results, transferredBytes: results.reduce((a, r) => a + r.transferredBytes, 0) };
}
