// Subresource-integrity strings as npm's registry gives them (`dist.integrity`: "sha512-<base64>"), and the check of
// a downloaded file against one.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface Integrity {
    algorithm: "sha512" | "sha384" | "sha256";
    digest: string;
}

/** The strongest hash of an SRI string (several may be listed, space-separated); null when none is usable. */
export function parseIntegrity(sri: string): Integrity | null {
    const rank = { sha256: 1, sha384: 2, sha512: 3 } as const;
    let best: Integrity | null = null;
    for (const token of sri.trim().split(/\s+/)) {
        const m = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
        if (!m) continue;
        const algorithm = m[1] as Integrity["algorithm"];
        if (!best || rank[algorithm] > rank[best.algorithm]) best = { algorithm, digest: m[2] };
    }
    return best;
}

/** The file's digest in the same algorithm, as base64. */
export async function fileDigest(path: string, algorithm: Integrity["algorithm"], signal?: AbortSignal): Promise<string> {
    const hash = createHash(algorithm);
    for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
    return hash.digest("base64");
}
