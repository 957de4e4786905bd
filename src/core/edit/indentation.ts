// Indentation of code lines: measuring it, removing it, and re-basing a block of code onto the indentation
// and indent unit (tabs, 2 or 4 spaces) of the document it goes into.

/** Columns a tab advances to (the next multiple of). */
export const TAB_WIDTH = 4;

/** Column width of a line's leading whitespace. */
export function indentWidth(line: string): number {
    let w = 0;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === " ") w++;
        else if (c === "\t") w += TAB_WIDTH - (w % TAB_WIDTH);
        else break;
    }
    return w;
}

/** Removes up to `n` columns of leading whitespace (a tab that spans the limit leaves its remainder as spaces). */
export function stripIndent(line: string, n: number): string {
    let w = 0;
    let i = 0;
    while (i < line.length && w < n) {
        const c = line[i];
        if (c === " ") w++;
        else if (c === "\t") {
            const next = w + TAB_WIDTH - (w % TAB_WIDTH);
            if (next > n) return " ".repeat(next - n) + line.slice(i + 1);
            w = next;
        } else break;
        i++;
    }
    return line.slice(i);
}

export interface IndentStyle {
    useTabs: boolean;
    /** Columns per indentation level. */
    unit: number;
}

/** The indent style of some lines: tabs if lines start with tabs, else the most common step between levels. */
export function detectIndentStyle(lines: readonly string[], fallback: IndentStyle = { useTabs: false, unit: 4 }): IndentStyle {
    let tabs = 0;
    let spaces = 0;
    const steps = new Map<number, number>();
    let prev = 0;
    for (const line of lines) {
        if (line.trim() === "") continue;
        if (line.startsWith("\t")) tabs++;
        else if (line.startsWith(" ")) spaces++;
        const w = indentWidth(line);
        const step = Math.abs(w - prev);
        if (step >= 2 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
        prev = w;
    }
    if (tabs > spaces) return { useTabs: true, unit: TAB_WIDTH };
    if (spaces === 0) return fallback;
    let best = fallback.unit;
    let bestCount = 0;
    for (const [step, count] of steps) {
        if (count > bestCount || (count === bestCount && step < best)) {
            best = step;
            bestCount = count;
        }
    }
    return { useTabs: false, unit: best };
}

function renderIndent(columns: number, style: IndentStyle): string {
    if (!style.useTabs) return " ".repeat(columns);
    return "\t".repeat(Math.floor(columns / TAB_WIDTH)) + " ".repeat(columns % TAB_WIDTH);
}

/**
 * Moves `lines` (code from an answer) so that the line at `anchor` gets `targetColumns` of indentation, and
 * converts indentation levels from the block's style to the document's. Relative structure is kept: a line
 * one level deeper than the anchor stays one level deeper. Blank lines become empty.
 */
export function reindentLines(lines: readonly string[], anchor: number, targetColumns: number, target: IndentStyle): string[] {
    const source = detectIndentStyle(lines, target);
    const base = indentWidth(lines[anchor] ?? "");
    return lines.map((line) => {
        if (line.trim() === "") return "";
        const rel = indentWidth(line) - base;
        const levels = Math.floor(rel / source.unit);
        const rem = rel - levels * source.unit;
        const cols = Math.max(0, targetColumns + levels * target.unit + rem);
        return renderIndent(cols, target) + line.trimStart();
    });
}
