// Which code block of an answer becomes the edit: applicable blocks only (see answerBlocks), none under another
// file's name, language compatible with the document, then the one whose code overlaps the target code most
// (ties: the earlier block); and whether the chosen block leaves code out ("// ... existing code ...").

import type { AnswerBlock } from "../answer/answerBlocks";
import { type LanguageMatch, matchLanguage } from "../answer/languageIds";
import { pathMatchesHint } from "../chat/fileSearch";
import { type EditRefusal, refuse } from "./editRefusal";
import { containment, isSignificant, norm, tokens } from "./lineMatching";

/** What the choice depends on (a ProposeEditRequest has it all). */
export interface BlockWanted {
    /** VS Code language id of the document. */
    languageId: string;
    /** Use this block (chat Apply on one block) instead of choosing. */
    blockIndex?: number;
    /** The document's path: a block under another file's name is left out, one under this name preferred. */
    documentPath?: string;
}

const PLACEHOLDER_RE = new RegExp(
    "^\\s*(?:\\/\\/|#|\\/\\*|\\*|<!--|--|;)\\s*(?:\\.\\.\\.|…|\\[\\.\\.\\.\\]|\\(\\.\\.\\.\\)|.*\\b(?:rest of (?:the )?(?:code|file|" +
    "function|class|method|implementation|module)|existing (?:code|methods|functions|implementation|logic|imports)|" +
    "(?:code|methods?|functions?|everything) (?:remains?|stays?) (?:the same|unchanged)|unchanged|same as (?:before|above)|" +
    "other (?:methods|functions|code) (?:here|unchanged|omitted)|omitted for brevity|previous code|as before)\\b)", "i");

/** A comment that stands for code the model left out ("// ... existing code ...", "# rest of the class"). */
export function findPlaceholder(code: string): string | undefined {
    for (const line of code.split("\n")) {
        if (PLACEHOLDER_RE.test(line)) return line.trim();
    }
    return undefined;
}

const LANGUAGE_WEIGHT: Record<LanguageMatch, number> = { same: 2, related: 1.5, unknown: 1, unrelated: 0 };

function overlapScore(code: string, targetText: string): number {
    const blockLines = new Set(code.split("\n").map(norm).filter((l) => l && isSignificant(l)));
    const targetLines = targetText.split(/\r\n|\r|\n/).map(norm).filter((l) => l && isSignificant(l));
    const lineScore = targetLines.length === 0 ? 0 : targetLines.filter((l) => blockLines.has(l)).length / targetLines.length;
    return (containment(tokens(targetText), tokens(code)) + lineScore) / 2;
}

/** The block to apply to the target code, or why none is. */
export function chooseBlock(req: BlockWanted, blocks: AnswerBlock[], targetText: string): AnswerBlock | EditRefusal {
    if (blocks.length === 0) return refuse("noCodeBlock", "The answer has no code block to apply.");
    if (req.blockIndex !== undefined) {
        const b = blocks[req.blockIndex];
        if (!b) return refuse("noCodeBlock", `The answer has no code block ${req.blockIndex + 1}.`);
        if (!b.applicable) return refuse(b.kind === "reasoning" ? "reasoningLeak" : "noApplicableBlock", b.reason ?? "The block is not code to apply.", b);
        return b;
    }
    const applicable = blocks.filter((b) => b.applicable);
    if (applicable.length === 0) {
        const leak = blocks.find((b) => b.kind === "reasoning");
        if (leak) return refuse("reasoningLeak", leak.reason ?? "The code block contains reasoning.", leak);
        const why = blocks.map((b) => b.reason).filter((r, i, all) => r && all.indexOf(r) === i).join(" ");
        return refuse("noApplicableBlock", `The answer has no code to apply. ${why}`.trim(), blocks[0]);
    }
    let best: AnswerBlock | undefined;
    let bestScore = -1;
    const forOtherFiles: string[] = [];
    for (const b of applicable) {
        const named = req.documentPath && b.fileHint ? pathMatchesHint(req.documentPath, b.fileHint) : undefined;
        if (named === false) {
            forOtherFiles.push(b.fileHint!);
            continue;
        }
        // A diff carries no language of its own: it is placed by its lines.
        const m = b.kind === "diff" ? "related" : matchLanguage(b.langId, req.languageId);
        if (m === "unrelated") continue;
        const score = LANGUAGE_WEIGHT[m] + 2 * overlapScore(b.code, targetText) + (named ? 4 : 0);
        if (score > bestScore) {
            best = b;
            bestScore = score;
        }
    }
    if (!best && forOtherFiles.length > 0) {
        const name = req.documentPath!.split("/").pop();
        return refuse("noApplicableBlock", `The answer's code is for ${[...new Set(forOtherFiles)].join(", ")}, not ${name}.`, applicable[0]);
    }
    if (!best) {
        const langs = [...new Set(applicable.map((b) => b.lang))].join(", ");
        return refuse("languageMismatch", `The answer's code is ${langs}, but the document is ${req.languageId}.`, applicable[0]);
    }
    return best;
}
