// Turns a final answer into one edit of the target document, for quick fixes and chat Apply.
//
// 1. Choose the block (blockChoice): applicable blocks only, language compatible with the document, then the one
//    whose code overlaps the target code most.
// 2. Map it onto the document (editPlacement): the whole file, a definition, a diff, anchored lines, the selection
//    or the target's lines.
// 3. Re-indent to the document (its indentation at that place, tabs or spaces, its indent unit), join with the
//    document's line breaks (CRLF stays CRLF).
// 4. Refuse (editRefusal), with a reason, an edit that contains `<think>`, `</think>` or a line of the reasoning,
//    that leaves code out ("// ... existing code ..."), that changes nothing, or that cannot be placed.

import { type AnswerBlock, extractAnswerBlocks } from "../answer/answerBlocks";
import { describeLeak, ReasoningLeakDetector } from "../reply/reasoningLeak";
import { chooseBlock, findPlaceholder } from "./blockChoice";
import { type EditMapping, placeCode, placeDiff, type Placement, type PlacementContext } from "./editPlacement";
import { type EditRefusal, refuse } from "./editRefusal";
import { detectIndentStyle, indentWidth, reindentLines } from "./indentation";
import { firstNonBlank, trimBlankEdges } from "./lineMatching";
import { detectEol, type EditTarget, type Eol, splitLines, textInRange, type TextEdit, type TextRange, wholeLinesRange } from "./textEdit";

export interface ProposeEditRequest {
    /** The document text the request was made from (rebase with rebaseEdit if it changed since). */
    documentText: string;
    /** VS Code language id of the document. */
    languageId: string;
    target: EditTarget;
    /** The final answer (never the reasoning). */
    answer: string;
    /** The reasoning of the same output, to refuse edits that contain it. */
    reasoning?: string;
    /** Use this block (chat Apply on one block) instead of choosing. */
    blockIndex?: number;
    /**
     * The document's path ("/work/shop/src/cart.ts"): when choosing, a block the answer puts under another file's
     * name is left out, and one under this file's name is preferred.
     */
    documentPath?: string;
}

export interface ProposedEdit {
    ok: true;
    edit: TextEdit;
    /** The text the edit replaces. */
    oldText: string;
    block: AnswerBlock;
    mapping: EditMapping;
    /** Things the user may want to know ("Left out the example usage after the function."). */
    notes: string[];
}

export type ProposeEditResult = ProposedEdit | EditRefusal;

/** Proposes one edit of `documentText` from the answer, or says why not. */
export function proposeEdit(req: ProposeEditRequest): ProposeEditResult {
    const docLines = splitLines(req.documentText);
    const eol: Eol = detectEol(req.documentText);
    const style = detectIndentStyle(docLines);
    const { range } = req.target;
    if (range.start.line < 0 || range.start.line >= docLines.length || range.end.line < range.start.line ||
        (range.end.line === range.start.line && range.end.character < range.start.character)) {
        return refuse("invalidTarget", "The target range is not inside the document.");
    }
    let ts = range.start.line;
    let te = Math.min(range.end.line, docLines.length - 1);
    if (te > ts && range.end.character === 0) te--; // a selection ending at the start of the next line
    if (req.target.kind === "file") {
        ts = 0;
        te = docLines.length - 1;
    }
    const ctx: PlacementContext = { docLines, languageId: req.languageId, ts, te, kind: req.target.kind };
    const blocks = extractAnswerBlocks(req.answer, { reasoning: req.reasoning });
    const chosen = chooseBlock(req, blocks, docLines.slice(ts, te + 1).join("\n"));
    if ("ok" in chosen) return chosen;
    const block = chosen;

    const placeholder = findPlaceholder(block.code);
    if (placeholder) {
        return refuse("placeholder", `The answer's code leaves parts out ("${placeholder}"); applying it would delete them.`, block);
    }

    let first: number;
    let last: number;
    let newLines: string[];
    let mapping: EditMapping;
    let notes: string[] = [];
    let exactRange: TextRange | undefined;
    if (block.kind === "diff") {
        const d = placeDiff(block, ctx, style);
        if ("ok" in d) return d;
        ({ first, last } = d);
        newLines = d.lines;
        mapping = "diff";
    } else {
        const code = trimBlankEdges(block.code.split("\n"));
        const placement: Placement | EditRefusal = placeCode(code, ctx, range);
        if ("ok" in placement) return { ...placement, block };
        ({ first, last, mapping, notes } = placement);
        exactRange = placement.range;
        if (placement.mapping === "selection") {
            // Inserted at the selection's column: the first line carries no indentation of its own, the others
            // are indented relative to the selection's line.
            newLines = reindentLines(placement.lines, placement.anchor, indentWidth(docLines[placement.docAnchor] ?? ""), style);
            newLines[placement.anchor] = newLines[placement.anchor]!.trimStart();
            newLines = newLines.slice(placement.anchor);
        } else if (placement.docAnchor < 0) {
            const anchor = Math.max(0, firstNonBlank(placement.lines));
            newLines = reindentLines(placement.lines, anchor, indentWidth(placement.lines[anchor] ?? ""), style);
        } else {
            newLines = reindentLines(placement.lines, placement.anchor, indentWidth(docLines[placement.docAnchor] ?? ""), style);
        }
    }

    let editRange: TextRange;
    let newText = newLines.join(eol);
    if (exactRange) {
        editRange = exactRange;
    } else if (mapping === "wholeFile") {
        const lastLine = docLines.length - 1;
        const endsWithEol = docLines.length > 1 && docLines[lastLine] === "";
        editRange = wholeLinesRange(docLines, 0, lastLine);
        if (endsWithEol) newText += eol;
    } else {
        editRange = wholeLinesRange(docLines, first, last);
    }

    const leak = new ReasoningLeakDetector(req.reasoning ?? "").find(newText);
    if (leak) return refuse("reasoningLeak", `The edit ${describeLeak(leak)}; it is not applied.`, block);
    const oldText = textInRange(req.documentText, editRange);
    if (oldText === newText) return refuse("noChange", "The answer's code is the same as the current code.", block);
    return { ok: true, edit: { range: editRange, newText }, oldText, block, mapping, notes };
}
