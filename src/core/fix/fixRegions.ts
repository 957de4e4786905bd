// "Fix all in file" on a file too large to send whole: the file's problems grouped into regions, each fixed by its
// own request that shows the model only an excerpt around the region (codePrompts' excerpt), never the whole file.
//
// A problem's region is what a quick fix on it would rewrite: its enclosing function (up to
// MAX_FUNCTION_TARGET_LINES), else its own lines. Regions that overlap or touch are merged into one (two fixes
// must never rewrite the same lines, and touching ones would each see the other's code half-changed). The regions
// are found in the text the command started from; before each request the region is moved onto the document as
// it is now (an earlier region's fix may have added or removed lines above it), with rebaseEdit's rule: only
// when its lines are all still there, unchanged.

import { findEnclosingDefinition } from "../edit/codeStructure";
import { rebaseEdit } from "../edit/rebaseEdit";
import { splitLines, type TextRange, wholeLinesRange } from "../edit/textEdit";
import type { DiagnosticInfo } from "./diagnosticInfo";
import { MAX_FUNCTION_TARGET_LINES } from "./codePrompts";

export interface FixRegion {
    /** Whole lines, in the text the regions were found in. */
    range: TextRange;
    /** The problems inside it, in document order. */
    diagnostics: DiagnosticInfo[];
}

/** The lines a quick fix on `d` would rewrite: its function when short enough, else its own lines. */
function spanOf(lines: readonly string[], languageId: string, d: DiagnosticInfo): { first: number; last: number } {
    const first = Math.max(0, Math.min(d.range.start.line, lines.length - 1));
    let last = Math.max(first, Math.min(d.range.end.line, lines.length - 1));
    if (last > first && d.range.end.character === 0) last--;
    const def = findEnclosingDefinition(lines, first, languageId, "function") ?? findEnclosingDefinition(lines, first, languageId);
    if (def && def.endLine >= last && def.endLine - def.leadingLine + 1 <= MAX_FUNCTION_TARGET_LINES) {
        return { first: def.leadingLine, last: def.endLine };
    }
    return { first, last };
}

/** The regions of `documentText` to fix one by one, in document order (overlapping or touching spans merged). */
export function fixRegions(documentText: string, languageId: string, diagnostics: readonly DiagnosticInfo[]): FixRegion[] {
    const lines = splitLines(documentText);
    const spans = diagnostics
        .filter((d) => d.range.start.line >= 0 && d.range.start.line < lines.length)
        .map((d) => ({ ...spanOf(lines, languageId, d), diagnostics: [d] }))
        .sort((a, b) => a.first - b.first || a.last - b.last);
    const merged: Array<{ first: number; last: number; diagnostics: DiagnosticInfo[] }> = [];
    for (const s of spans) {
        const prev = merged[merged.length - 1];
        if (prev && s.first <= prev.last + 1) {
            prev.last = Math.max(prev.last, s.last);
            prev.diagnostics.push(...s.diagnostics);
        } else {
            merged.push({ ...s, diagnostics: [...s.diagnostics] });
        }
    }
    const byPosition = (a: DiagnosticInfo, b: DiagnosticInfo): number =>
        a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
    return merged.map((m) => ({ range: wholeLinesRange(lines, m.first, m.last), diagnostics: m.diagnostics.sort(byPosition) }));
}

export type MovedRegion = { ok: true; region: FixRegion } | { ok: false; reason: string };

/**
 * The region (found in `baseText`) on the document's `currentText`: moved by the lines inserted or removed above
 * it, with its problems moved alike; refused when a line of it changed since.
 */
export function moveRegion(baseText: string, currentText: string, region: FixRegion): MovedRegion {
    const moved = rebaseEdit(baseText, currentText, { range: region.range, newText: "" });
    if (!moved.ok) {
        const a = region.range.start.line + 1;
        const b = region.range.end.line + 1;
        return { ok: false, reason: `The code at ${a === b ? `line ${a}` : `lines ${a}–${b}`} changed meanwhile, so its problems were not sent.` };
    }
    const by = moved.movedBy;
    const shift = (r: TextRange): TextRange => ({ start: { line: r.start.line + by, character: r.start.character }, end: { line: r.end.line + by, character: r.end.character } });
    return { ok: true, region: { range: moved.edit.range, diagnostics: region.diagnostics.map((d) => ({ ...d, range: shift(d.range) })) } };
}
