// Text positions, ranges and edits in the LSP / VS Code shape (0-based lines, UTF-16 characters), and the few
// operations the edit logic needs on plain document text. Line breaks are \n, \r\n or a lone \r, as in VS Code.

export interface Position {
    line: number;
    character: number;
}

export interface TextRange {
    start: Position;
    end: Position;
}

/** Structurally the same as an LSP TextEdit / vscode.TextEdit. */
export interface TextEdit {
    range: TextRange;
    newText: string;
}

export type EditTargetKind = "selection" | "lines" | "function" | "file";

/** The part of a document an edit is asked for. */
export interface EditTarget {
    /**
     * selection: the user's selection; lines: diagnostic line(s); function: the function's full range (e.g. a
     * document symbol); file: the whole document.
     */
    kind: EditTargetKind;
    range: TextRange;
}

export type Eol = "\n" | "\r\n";

/** The line break a document mostly uses ("\n" when it has none). */
export function detectEol(text: string): Eol {
    let crlf = 0;
    let lf = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
        if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
        else lf++;
    }
    return crlf > lf ? "\r\n" : "\n";
}

/** The document's lines without their line breaks (a final line break gives a last empty line, as in VS Code). */
export function splitLines(text: string): string[] {
    return text.split(/\r\n|\r|\n/);
}

/** Offset of the start of each line. */
export function lineStarts(text: string): number[] {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13) {
            if (text.charCodeAt(i + 1) === 10) i++;
            starts.push(i + 1);
        } else if (c === 10) {
            starts.push(i + 1);
        }
    }
    return starts;
}

function lineEndOffset(text: string, starts: number[], line: number): number {
    if (line + 1 < starts.length) {
        let end = starts[line + 1]! - 1;
        if (end > starts[line]! && text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end--;
        return end;
    }
    return text.length;
}

/** Offset of a position, clamped to the document like VS Code does. */
export function offsetAt(text: string, pos: Position, starts: number[] = lineStarts(text)): number {
    if (pos.line < 0) return 0;
    if (pos.line >= starts.length) return text.length;
    const start = starts[pos.line]!;
    const end = lineEndOffset(text, starts, pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
}

export function positionAt(text: string, offset: number, starts: number[] = lineStarts(text)): Position {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= o) lo = mid;
        else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo]! };
}

export function comparePositions(a: Position, b: Position): number {
    return a.line - b.line || a.character - b.character;
}

/** The text a range covers. */
export function textInRange(text: string, range: TextRange): string {
    const starts = lineStarts(text);
    return text.slice(offsetAt(text, range.start, starts), offsetAt(text, range.end, starts));
}

/** Applies one edit to a text. */
export function applyEdit(text: string, edit: TextEdit): string {
    const starts = lineStarts(text);
    const a = offsetAt(text, edit.range.start, starts);
    const b = offsetAt(text, edit.range.end, starts);
    return text.slice(0, Math.min(a, b)) + edit.newText + text.slice(Math.max(a, b));
}

/** Range covering whole lines `first`..`last` (without the last line's line break). */
export function wholeLinesRange(lines: readonly string[], first: number, last: number): TextRange {
    return { start: { line: first, character: 0 }, end: { line: last, character: lines[last]!.length } };
}
