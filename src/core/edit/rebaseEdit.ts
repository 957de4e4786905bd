// Moves an edit computed against the text a request was made from onto the document as it is now: the user
// may have typed while the model was thinking. The edit moves only when every line it touches is still there,
// unchanged and contiguous; otherwise it is refused with a reason. It is never applied to shifted text.

import { diffLines, type DiffOp } from "../diff/lineDiff";
import { splitLines, type TextEdit } from "./textEdit";

export type RebaseResult =
    | { ok: true; edit: TextEdit; /** Lines the edit moved down (negative: up). */ movedBy: number }
    | { ok: false; reason: string };

function lineLabel(first: number, last: number): string {
    return first === last ? `line ${first + 1}` : `lines ${first + 1}–${last + 1}`;
}

/** Where original line `line` is now, if it is unchanged; undefined when it was edited or removed. */
function mapLine(ops: readonly DiffOp[], line: number): number | undefined {
    for (const op of ops) {
        if (op.kind === "insert") continue;
        if (line >= op.oldStart && line < op.oldStart + op.count) {
            return op.kind === "equal" ? op.newStart + (line - op.oldStart) : undefined;
        }
    }
    return undefined;
}

export function rebaseEdit(originalText: string, currentText: string, edit: TextEdit): RebaseResult {
    if (originalText === currentText) return { ok: true, edit, movedBy: 0 };
    const before = splitLines(originalText);
    const now = splitLines(currentText);
    const first = edit.range.start.line;
    const last = edit.range.end.line;
    if (first < 0 || last < first || last >= before.length) {
        return { ok: false, reason: "The edit's range is not inside the text it was made for." };
    }
    if (edit.range.end.character > before[last]!.length || edit.range.start.character > before[first]!.length) {
        return { ok: false, reason: "The edit's range is not inside the text it was made for." };
    }
    const ops = diffLines(before, now);
    const start = mapLine(ops, first);
    let intact = start !== undefined;
    for (let l = first + 1; intact && l <= last; l++) {
        if (mapLine(ops, l) !== start! + (l - first)) intact = false;
    }
    if (!intact) {
        return {
            ok: false,
            reason: `The code this edit replaces (${lineLabel(first, last)}) changed while the model was thinking, so it is not applied. Ask again to get an edit for the current code.`
        };
    }
    const movedBy = start! - first;
    return {
        ok: true,
        movedBy,
        edit: {
            newText: edit.newText,
            range: {
                start: { line: edit.range.start.line + movedBy, character: edit.range.start.character },
                end: { line: edit.range.end.line + movedBy, character: edit.range.end.character }
            }
        }
    };
}
