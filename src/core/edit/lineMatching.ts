// Loose comparison of code lines, for placing an answer's code in a document: whitespace normalised, lines
// without letters or digits ignored, identifiers and numbers compared as sets of tokens.

/** The line trimmed, with every run of whitespace as one space. */
export function norm(line: string): string {
    return line.trim().replace(/\s+/g, " ");
}

/** A line with a letter or a digit (not only braces, brackets or punctuation). */
export function isSignificant(line: string): boolean {
    return /[\p{L}\p{N}]/u.test(line);
}

/** The identifiers and numbers of a text. */
export function tokens(text: string): Set<string> {
    return new Set(text.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?/g) ?? []);
}

/** The share of `of` that is also `inside` (1 when `of` is empty). */
export function containment(of: Set<string>, inside: Set<string>): number {
    if (of.size === 0) return 1;
    let n = 0;
    for (const t of of) if (inside.has(t)) n++;
    return n / of.size;
}

/** Shared tokens over all tokens of the two sets (1 when both are empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
    let inter = 0;
    for (const t of a) if (b.has(t)) inter++;
    const union = a.size + b.size - inter;
    return union === 0 ? 1 : inter / union;
}

/** The lines without the blank lines at their start and end. */
export function trimBlankEdges(lines: string[]): string[] {
    let a = 0;
    let b = lines.length;
    while (a < b && lines[a]!.trim() === "") a++;
    while (b > a && lines[b - 1]!.trim() === "") b--;
    return lines.slice(a, b);
}

/** Index of the first non-blank line in `from`..`to`, or -1. */
export function firstNonBlank(lines: readonly string[], from = 0, to = lines.length - 1): number {
    for (let i = from; i <= to; i++) if (lines[i]!.trim() !== "") return i;
    return -1;
}
