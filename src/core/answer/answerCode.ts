// Which part of a final answer a code block action (Copy, Insert at Cursor, Apply) is about. The webview sends the
// block's code as its markdown parser saw it; the host trusts none of it: the code must be a fenced block of that
// turn's final answer (Apply needs one, to map it onto the document), or at least lines of that answer (an
// indented code block: Copy and Insert only). Code that is only in the thought, or nowhere, is refused.

import { type AnswerBlock, extractAnswerBlocks } from "./answerBlocks";

export type LocatedCode =
    /** A fenced block of the answer: `block.index` is its index for proposeEdit. */
    | { kind: "block"; block: AnswerBlock }
    /** Consecutive lines of the answer that are not a fenced block of it (an indented code block). */
    | { kind: "lines" };

/** Line breaks as \n, no trailing spaces, no blank lines at the ends. */
export function normalizeCode(code: string): string {
    return code.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/\s+$/, "")).join("\n").replace(/^\n+|\n+$/g, "");
}

function containsLines(answer: string, code: string): boolean {
    const want = code.split("\n").map((l) => l.trimStart());
    const have = normalizeCode(answer).split("\n").map((l) => l.trimStart());
    outer: for (let i = 0; i + want.length <= have.length; i++) {
        for (let k = 0; k < want.length; k++) if (have[i + k] !== want[k]) continue outer;
        return true;
    }
    return false;
}

/**
 * Where `code` is in `answer`: the fenced block with that code (the one at `blockIndex`, else the nearest to it),
 * else "lines" when the answer holds those lines, else undefined (not from the answer: refuse it).
 */
export function locateAnswerCode(answer: string, code: string, blockIndex = 0, reasoning?: string): LocatedCode | undefined {
    const want = normalizeCode(code);
    if (want.trim() === "") return undefined;
    const blocks = extractAnswerBlocks(answer, reasoning ? { reasoning } : {}).filter((b) => normalizeCode(b.code) === want);
    if (blocks.length > 0) {
        const best = blocks.reduce((a, b) => (Math.abs(b.index - blockIndex) < Math.abs(a.index - blockIndex) ? b : a));
        return { kind: "block", block: best };
    }
    return containsLines(answer, want) ? { kind: "lines" } : undefined;
}
