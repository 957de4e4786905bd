// Reads a unified diff (or a bare +/- listing) an answer gives as code: its hunks, each with its old and new
// side. Placing them in a document is editPlacement's.

export interface Hunk {
    /** The hunk's context and removed lines, in order (without their leading " " or "-"). */
    old: string[];
    /** Its context and added lines, in order. */
    new: string[];
}

/** The hunks of a unified diff (or of a bare +/- listing), each with its old and new side. */
export function parseDiffHunks(code: string): Hunk[] {
    const hunks: Hunk[] = [];
    let cur: Hunk | undefined;
    for (const line of code.split("\n")) {
        if (/^(?:diff --git |index [0-9a-f]|--- |\+\+\+ |new file mode|deleted file mode|similarity index|rename (?:from|to) )/.test(line)) continue;
        if (/^@@.*@@/.test(line)) {
            cur = { old: [], new: [] };
            hunks.push(cur);
            continue;
        }
        if (line.startsWith("\\")) continue; // \ No newline at end of file
        if (!cur) {
            cur = { old: [], new: [] };
            hunks.push(cur);
        }
        if (line.startsWith("-")) cur.old.push(line.slice(1));
        else if (line.startsWith("+")) cur.new.push(line.slice(1));
        else {
            const ctx = line.startsWith(" ") ? line.slice(1) : line;
            cur.old.push(ctx);
            cur.new.push(ctx);
        }
    }
    return hunks.filter((h) => h.old.length > 0 || h.new.length > 0);
}
