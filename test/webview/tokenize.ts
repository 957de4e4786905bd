// Splits text into pieces shaped like an LLM's tokens (a word with its leading space, long words cut into
// pieces of up to 4 characters, each newline alone), to stream text the way the engine delivers it.

export function pseudoTokens(text: string): string[] {
    const out: string[] = [];
    for (const m of text.matchAll(/\n|[^\S\n]*[^\s]+|[^\S\n]+/g)) {
        const piece = m[0];
        if (piece.length <= 6) {
            out.push(piece);
            continue;
        }
        const lead = /^[^\S\n]*/.exec(piece)?.[0] ?? "";
        let rest = piece.slice(lead.length);
        out.push(lead + rest.slice(0, 4));
        rest = rest.slice(4);
        while (rest.length > 0) {
            out.push(rest.slice(0, 4));
            rest = rest.slice(4);
        }
    }
    return out;
}

/** A deterministic pseudo-random generator (mulberry32), so chunkings and failures reproduce. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Cuts `text` into chunks at random positions (sizes 1..maxChunk), covering it exactly. */
export function randomChunks(text: string, random: () => number, maxChunk: number): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
        const n = 1 + Math.floor(random() * maxChunk);
        out.push(text.slice(i, i + n));
        i += n;
    }
    return out;
}
