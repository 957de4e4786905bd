// The files offered by `@` completion in the chat's prompt box: workspace-relative paths ranked against what the
// user typed after the `@`.
//
// Ranking, best first: the file name is the query; starts with it; contains it; the path contains it; the query's
// characters appear in order in the path (fuzzy). Case is ignored, "\" and "/" are the same. Ties: the shorter
// path, then alphabetical. With an empty query the caller's order is kept (it puts open files first).

function fold(s: string): string {
    return s.toLowerCase().replace(/\\/g, "/");
}

function baseName(path: string): string {
    const i = path.lastIndexOf("/");
    return i < 0 ? path : path.slice(i + 1);
}

function isSubsequence(query: string, text: string): boolean {
    let i = 0;
    for (let k = 0; k < text.length && i < query.length; k++) if (text[k] === query[i]) i++;
    return i === query.length;
}

/** The tier of `path` for `query` (0 best), or undefined when it does not match. */
export function matchTier(path: string, query: string): number | undefined {
    const q = fold(query.trim());
    const p = fold(path);
    const name = baseName(p);
    if (q === "") return 0;
    if (name === q) return 0;
    if (name.startsWith(q)) return 1;
    if (name.includes(q)) return 2;
    if (p.includes(q)) return 3;
    if (isSubsequence(q.replace(/\s+/g, ""), p)) return 4;
    return undefined;
}

/** At most `limit` paths matching `query`, best first. */
export function rankFiles(paths: readonly string[], query: string, limit = 12): string[] {
    if (query.trim() === "") return [...new Set(paths)].slice(0, limit);
    const scored: { path: string; tier: number }[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
        if (seen.has(path)) continue;
        seen.add(path);
        const tier = matchTier(path, query);
        if (tier !== undefined) scored.push({ path, tier });
    }
    scored.sort((a, b) => a.tier - b.tier || a.path.length - b.path.length || a.path.localeCompare(b.path));
    return scored.slice(0, limit).map((s) => s.path);
}

/** A file path an answer gives for a code block ("./src\\schema.ts"), as a plain relative path ("src/schema.ts"). */
export function normalizeFileHint(hint: string): string {
    return hint.trim().replace(/\\/g, "/").replace(/^(?:\.\/)+/, "").replace(/^\/+/, "");
}

/**
 * Whether the file at `path` (absolute or workspace-relative, "/" separated) is the one `hint` names: the path
 * ends with the hint at a "/" boundary ("money.ts" is not "pocketmoney.ts"). Case matters, as in the file system.
 */
export function pathMatchesHint(path: string, hint: string): boolean {
    const h = normalizeFileHint(hint);
    if (h === "" || h.split("/").some((part) => part === "..")) return false;
    const p = path.replace(/\\/g, "/");
    return p === h || p.endsWith(`/${h}`);
}
