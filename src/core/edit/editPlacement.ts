// Where the chosen block's code goes in the document, and which lines it replaces:
//   wholeFile    the block is the whole file (target "file", or it holds the document's first and last lines and
//                most of the rest)
//   definition   the block is a whole function/method/class: it replaces the definition of that name that
//                encloses (or is nearest to) the target, found by brace matching or indentation; example usage the
//                model appended after it is left out
//   diff         a unified diff: its old side is found in the document and replaced by its new side
//   anchored     a snippet whose first/last lines match document lines around the target
//   selection    one line of code for a selection inside one line
//   target       otherwise the target's lines
// Re-indenting the placed lines to the document is proposedEdit's.

import type { AnswerBlock } from "../answer/answerBlocks";
import { parseDiffHunks } from "../diff/diffHunks";
import { type Definition, findDefinitions } from "./codeStructure";
import { type EditRefusal, refuse } from "./editRefusal";
import { indentWidth, type IndentStyle, reindentLines } from "./indentation";
import { containment, firstNonBlank, isSignificant, jaccard, norm, tokens, trimBlankEdges } from "./lineMatching";
import { type EditTargetKind, textInRange, type TextRange } from "./textEdit";

export type EditMapping = "wholeFile" | "definition" | "diff" | "anchored" | "selection" | "target";

export interface Placement {
    mapping: EditMapping;
    /** Whole document lines first..last replaced (unless `range` is set). */
    first: number;
    last: number;
    /** New lines before re-indentation. */
    lines: string[];
    /** Index in `lines` whose indentation is aligned with document line `docAnchor`. */
    anchor: number;
    docAnchor: number;
    range?: TextRange;
    notes: string[];
}

/** The document and the target's whole lines `ts`..`te`. */
export interface PlacementContext {
    docLines: string[];
    languageId: string;
    ts: number;
    te: number;
    kind: EditTargetKind;
}

/**
 * The block is a version of the whole document: it covers most of the document's lines, starts where the
 * document starts and ends where it ends (the same last line, or a rewrite of it). A block that stops before
 * the document's last lines is not, however similar: replacing the file with it would delete them.
 */
function isWholeFile(code: string[], docLines: string[], languageId: string): boolean {
    const doc = docLines.map(norm).filter((l) => l && isSignificant(l));
    if (doc.length === 0) return true;
    const blockLines = code.map(norm).filter((l) => l && isSignificant(l));
    const block = new Set(blockLines);
    if (block.size < 2 && doc.length > 1) return false;
    const covered = doc.filter((l) => block.has(l)).length / doc.length;
    const size = block.size / new Set(doc).size;
    if (covered < 0.6 || size < 0.6 || !block.has(doc[0]!)) return false;
    const docLast = doc[doc.length - 1]!;
    if (block.has(docLast)) return true;
    // The block's end, not counting a usage example after its last top-level definition.
    const defs = findDefinitions(code, languageId).filter((d) => d.indent === 0);
    const lastDef = defs[defs.length - 1];
    const tail = (lastDef ? code.slice(0, lastDef.endLine + 1) : code).map(norm).filter((l) => l && isSignificant(l));
    const blockLast = tail[tail.length - 1];
    if (!blockLast || doc.includes(blockLast)) return false;
    return jaccard(tokens(blockLast), tokens(docLast)) >= 0.4;
}

const IMPORT_RE = /^\s*(?:import\s|from\s+\S+\s+import\s|#include\s|using\s+[\w.]+\s*;|use\s+[\w:{}, ]+;|package\s+[\w.]+;?$|(?:const|let|var)\s+\w+\s*=\s*require\()/;

/** Index of the first line after the block's leading imports (and the blank lines around them). */
function importPrefixEnd(code: string[]): number {
    let i = 0;
    let sawImport = false;
    while (i < code.length && (code[i]!.trim() === "" || IMPORT_RE.test(code[i]!))) {
        if (code[i]!.trim() !== "") sawImport = true;
        i++;
    }
    return sawImport ? i : 0;
}

/** The block starts with a definition: the definitions at its top level (line numbers relative to `code`). */
function blockDefinitions(code: string[], languageId: string): Definition[] {
    const first = firstNonBlank(code);
    const defs = findDefinitions(code, languageId);
    const top = defs[0];
    if (!top || top.leadingLine !== first) return [];
    return defs.filter((d) => d.indent === top.indent && (d === top || d.headerLine > top.endLine));
}

/** Drops what follows the block's last top-level definition when the document has none of it (usage examples). */
function dropTrailingUsage(code: string[], defs: Definition[], docLines: string[], notes: string[]): string[] {
    const lastDef = defs[defs.length - 1];
    if (!lastDef) return code;
    const rest = code.slice(lastDef.endLine + 1).filter((l) => isSignificant(l)).map(norm);
    if (rest.length === 0) return code;
    const doc = new Set(docLines.map(norm));
    if (rest.some((l) => doc.has(l))) return code;
    notes.push("Left out the code after the definition (example usage).");
    return trimBlankEdges(code.slice(0, lastDef.endLine + 1));
}

function placeDefinition(code: string[], ctx: PlacementContext): Placement | undefined {
    const importEnd = importPrefixEnd(code);
    const imports = code.slice(0, importEnd).filter((l) => l.trim() !== "");
    const body = code.slice(importEnd);
    const defs = blockDefinitions(body, ctx.languageId);
    const top = defs[0];
    if (!top) return undefined;
    const notes: string[] = [];
    // Only definitions (and what is between them) go in; trailing usage examples are left out.
    const lastDef = defs[defs.length - 1]!;
    let lines = body;
    if (body.slice(lastDef.endLine + 1).some((l) => l.trim() !== "")) {
        lines = body.slice(0, lastDef.endLine + 1);
        notes.push("Left out the code after the definition (example usage).");
    }
    const docDefs = findDefinitions(ctx.docLines, ctx.languageId);
    const { ts, te } = ctx;
    const enclosesTarget = (d: Definition): boolean => d.leadingLine <= ts && d.endLine >= te;
    const distance = (d: Definition): number => (d.endLine < ts ? ts - d.endLine : d.leadingLine > te ? d.leadingLine - te : 0);
    const pick = (cands: Definition[]): Definition | undefined => {
        const enclosing = cands.filter(enclosesTarget).sort((a, b) => (a.endLine - a.headerLine) - (b.endLine - b.headerLine));
        if (enclosing[0]) return enclosing[0];
        return [...cands].sort((a, b) => distance(a) - distance(b))[0];
    };
    let docDef: Definition | undefined;
    let first: number;
    let last: number;
    if (ctx.kind === "function") {
        const inRange = docDefs.filter((d) => d.headerLine >= ts && d.headerLine <= te);
        docDef = inRange.find((d) => d.name === top.name) ?? inRange.sort((a, b) => a.headerLine - b.headerLine)[0];
    } else {
        docDef = pick(docDefs.filter((d) => d.name === top.name && d.kind === top.kind));
        if (!docDef) return undefined;
    }
    let anchor = top.headerLine;
    let docAnchor: number;
    if (docDef) {
        first = top.leadingLine < top.headerLine ? docDef.leadingLine : docDef.headerLine;
        last = docDef.endLine;
        // Several definitions in the block: cover their namesakes too when they sit right after this one.
        for (const d of defs.slice(1)) {
            const same = docDefs.find((x) => x.name === d.name && x.kind === d.kind && x.indent === docDef!.indent && x.leadingLine > last);
            if (!same) continue;
            const between = docDefs.filter((x) => x.indent === docDef!.indent && x.headerLine > last && x.headerLine < same.headerLine);
            if (between.length > 0) continue;
            last = same.endLine;
        }
        docAnchor = docDef.headerLine;
    } else {
        first = ts;
        last = te;
        docAnchor = Math.max(ts, firstNonBlank(ctx.docLines, ts, te));
    }
    // Imports the block starts with: those the document has are dropped; new ones go above a top-level
    // definition, and are left to the user (with a note) for a nested one.
    const docNorm = new Set(ctx.docLines.map(norm));
    const newImports = imports.filter((l) => !docNorm.has(norm(l)));
    if (newImports.length > 0) {
        if (indentWidth(ctx.docLines[docAnchor] ?? "") === 0) {
            lines = [...newImports, "", ...lines];
            anchor += newImports.length + 1;
        } else {
            notes.push(`The answer also adds imports; add them yourself: ${newImports.map((l) => l.trim()).join("; ")}`);
        }
    }
    return { mapping: "definition", first, last, lines, anchor, docAnchor, notes };
}

function placeAnchored(code: string[], ctx: PlacementContext): Placement | undefined {
    const { docLines, ts, te } = ctx;
    const sig = code.map((_, i) => i).filter((i) => isSignificant(code[i]!));
    if (sig.length < 2) return undefined;
    const f = sig[0]!;
    const l = sig[sig.length - 1]!;
    const len = code.length;
    const after = len - 1 - l;
    const inFunction = ctx.kind === "function";
    const lo = inFunction ? ts : Math.max(0, ts - len - 5);
    const hi = inFunction ? te : Math.min(docLines.length - 1, te + len + 5);
    const fNorm = norm(code[f]!);
    const lNorm = norm(code[l]!);
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (let i = lo; i <= hi; i++) {
        const n = norm(docLines[i]!);
        if (n === fNorm) firsts.push(i);
        if (n === lNorm) lasts.push(i);
    }
    const fits = (a: number, z: number): boolean =>
        a >= 0 && z < docLines.length && a <= z && (inFunction ? a >= ts && z <= te : a <= ts && z >= te);
    // Both ends anchored: the region between them, whatever its length (within reason).
    let best: { a: number; z: number; cost: number; anchor: number; docAnchor: number } | undefined;
    for (const af of firsts) {
        for (const zl of lasts) {
            const a = af - f;
            const z = zl + after;
            if (zl <= af || !fits(a, z)) continue;
            const lengthDiff = Math.abs((z - a + 1) - len);
            if (lengthDiff > Math.max(3, Math.ceil(len / 2))) continue;
            const cost = lengthDiff * 2 + (inFunction ? 0 : (ts - a) + (z - te));
            if (!best || cost < best.cost) best = { a, z, cost, anchor: f, docAnchor: af };
        }
    }
    if (!best) {
        // One end anchored. Around a target: the block spans from its anchor to the far end of the target (the
        // model quoted context on one side and rewrote the target). Inside a function: as many lines as it has.
        for (const af of firsts) {
            const a = af - f;
            const z = inFunction ? a + len - 1 : Math.max(te, af);
            if (fits(a, z) && (inFunction || ts - a <= len) && (!best || a > best.a)) best = { a, z, cost: 0, anchor: f, docAnchor: af };
        }
        for (const zl of lasts) {
            const z = zl + after;
            const a = inFunction ? z - len + 1 : Math.min(ts, zl);
            if (fits(a, z) && (inFunction || z - te <= len) && (!best || z < best.z)) best = { a, z, cost: 0, anchor: l, docAnchor: zl };
        }
    }
    if (!best) return undefined;
    return { mapping: "anchored", first: best.a, last: best.z, lines: code, anchor: best.anchor, docAnchor: best.docAnchor, notes: [] };
}

function placeTarget(code: string[], ctx: PlacementContext, range: TextRange): Placement | EditRefusal {
    const { docLines, ts, te } = ctx;
    // A selection that starts or ends inside code on its lines: the answer replaces exactly the selection.
    const before = docLines[range.start.line]!.slice(0, range.start.character);
    const endsAtLineStart = range.end.character === 0 && range.end.line > range.start.line;
    const after = endsAtLineStart || range.end.line >= docLines.length ? "" : docLines[range.end.line]!.slice(range.end.character);
    const partial = ctx.kind === "selection" && (before.trim() !== "" || after.trim() !== "") &&
        (range.end.line > range.start.line || range.end.character > range.start.character);
    if (partial) {
        const selected = textInRange(docLines.join("\n"), range);
        const selectedTokens = tokens(selected);
        if (selectedTokens.size >= 3 && containment(selectedTokens, tokens(code.join("\n"))) < 0.3) {
            return refuse("unrelatedCode", "The answer's code does not correspond to the selected code, so it is not applied automatically.");
        }
        return { mapping: "selection", first: ts, last: te, lines: code, anchor: Math.max(0, firstNonBlank(code)), docAnchor: ts, range, notes: [] };
    }
    const region = docLines.slice(ts, te + 1).join("\n");
    const regionTokens = tokens(region);
    if (regionTokens.size >= 3 && containment(regionTokens, tokens(code.join("\n"))) < 0.3) {
        return refuse("unrelatedCode", "The answer's code does not correspond to the target code, so it is not applied automatically.");
    }
    const targetLen = te - ts + 1;
    const sig = code.filter((l) => isSignificant(l)).map(norm);
    if (sig.length > targetLen + 3) {
        const outside = new Set<string>();
        for (let i = 0; i < docLines.length; i++) if (i < ts || i > te) outside.add(norm(docLines[i]!));
        const elsewhere = sig.filter((l) => outside.has(l)).length;
        if (elsewhere >= sig.length / 2) {
            return refuse("ambiguousPlacement", "The answer's code repeats other parts of the document; it is unclear what it replaces.");
        }
    }
    const docAnchor = Math.max(ts, firstNonBlank(docLines, ts, te));
    return { mapping: "target", first: ts, last: te, lines: code, anchor: Math.max(0, firstNonBlank(code)), docAnchor, notes: [] };
}

/** Places a code block (not a diff): the whole file, a definition, anchored lines, or the target. */
export function placeCode(code: string[], ctx: PlacementContext, range: TextRange): Placement | EditRefusal {
    const { docLines, languageId } = ctx;
    if (ctx.kind === "file" || isWholeFile(code, docLines, languageId)) {
        const notes: string[] = [];
        const defs = findDefinitions(code, languageId).filter((d) => d.indent === 0);
        // The user asked for the file: it is taken as given. Detected as the whole file: usage examples the
        // document does not have stay out.
        const lines = ctx.kind === "file" ? code : dropTrailingUsage(code, defs, docLines, notes);
        return { mapping: "wholeFile", first: 0, last: docLines.length - 1, lines, anchor: 0, docAnchor: -1, notes };
    }
    return placeDefinition(code, ctx) ?? placeAnchored(code, ctx) ?? placeTarget(code, ctx, range);
}

/** Where `seq` stands in the document (whitespace aside), at or after `from`, nearest to `near`; -1 if nowhere. */
function findSequence(docLines: string[], seq: string[], from: number, near: number): number {
    const want = seq.map(norm);
    let best = -1;
    for (let i = from; i + want.length <= docLines.length; i++) {
        let ok = true;
        for (let k = 0; k < want.length; k++) {
            if (norm(docLines[i + k]!) !== want[k]) {
                ok = false;
                break;
            }
        }
        if (ok && (best < 0 || Math.abs(i - near) < Math.abs(best - near))) best = i;
    }
    return best;
}

/** Places a unified diff: each hunk's old side is found in the document (in order) and replaced by its new side. */
export function placeDiff(block: AnswerBlock, ctx: PlacementContext, style: IndentStyle): { first: number; last: number; lines: string[] } | EditRefusal {
    const hunks = parseDiffHunks(block.code);
    if (hunks.length === 0) return refuse("diffMismatch", "The diff in the answer has no changes.", block);
    const out: string[] = [];
    let first = -1;
    let cursor = 0;
    for (const h of hunks) {
        const old = trimBlankEdges(h.old);
        if (old.length === 0) return refuse("diffMismatch", "A hunk of the answer's diff has no context lines to place it by.", block);
        const at = findSequence(ctx.docLines, old, cursor, hunks.length === 1 ? ctx.ts : cursor);
        if (at < 0) return refuse("diffMismatch", "The diff in the answer does not match the document (its old lines are not there).", block);
        if (first < 0) first = at;
        else out.push(...ctx.docLines.slice(cursor, at));
        const anchorOld = firstNonBlank(old);
        const newLines = trimBlankEdges(h.new);
        const reindented = reindentLines([old[anchorOld]!, ...newLines], 0, indentWidth(ctx.docLines[at + anchorOld]!), style).slice(1);
        out.push(...reindented);
        cursor = at + old.length;
    }
    return { first, last: cursor - 1, lines: out };
}
