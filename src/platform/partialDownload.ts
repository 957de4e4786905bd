// A download in progress: the bytes go to `<file>.part`, and a sidecar `<file>.part.json` records the URL, the
// server's ETag and size and the expected sha256, so that a later download resumes only the same file.
import { readFile, rm } from "node:fs/promises";

export interface Sidecar {
    url: string;
    etag: string | null;
    totalBytes: number | null;
    sha256: string | null;
}

/** Where the bytes of a download in progress go. */
export function partPath(destination: string): string {
    return `${destination}.part`;
}
/** Where the part's sidecar is. */
export function sidecarPath(destination: string): string {
    return `${destination}.part.json`;
}

/** The sidecar at `p`, or null when there is none or it cannot be read. */
export async function readSidecar(p: string): Promise<Sidecar | null> {
    try {
        const s = JSON.parse(await readFile(p, "utf8")) as Sidecar;
        return typeof s.url === "string" ? s : null;
    } catch {
        return null;
    }
}

/** Deletes the part and its sidecar (a restart from zero, or a damaged file). */
export async function removePart(destination: string): Promise<void> {
    await rm(partPath(destination), { force: true });
    await rm(sidecarPath(destination), { force: true });
}
