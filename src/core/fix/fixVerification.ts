// Whether an applied fix worked: compares the document's problems before the edit with those reported after
// it, and says so in one sentence ("Fixed: TS2322 gone, no new problems").
//
// Problems are compared by identity (source, code, message), not position: an edit moves the lines below it.
// Identical problems are counted (fixing one of two identical errors is seen). A problem of the same source and
// code that appears inside the edited range with another message counts as the target still being there (the
// fix changed the wording of the error, not the error), not as a new problem.

import { type DiagnosticInfo, diagnosticKey, diagnosticLabel, isProblem } from "./diagnosticInfo";
import { type TextEdit, type TextRange } from "../edit/textEdit";

export type FixVerdict =
    /** Every target is gone and nothing new appeared. */
    | "fixed"
    /** Every target is gone, but new problems appeared. */
    | "fixedWithNewProblems"
    /** Some targets are gone, some are not. */
    | "partlyFixed"
    /** No target is gone. */
    | "notFixed"
    /** The diagnostics did not update in time: nothing is known. */
    | "unverified";

export interface VerificationInput {
    /** The problems the fix was for (as reported before the edit). */
    targets: readonly DiagnosticInfo[];
    /** All diagnostics of the document right before the edit was applied. */
    before: readonly DiagnosticInfo[];
    /** All diagnostics of the document once they updated after the edit. */
    after: readonly DiagnosticInfo[];
    /** False when no update arrived before the timeout. */
    updated: boolean;
    /** Where the new text lies in the edited document. */
    editedRange?: TextRange;
    /** For the message when nothing arrived. */
    timeoutMs?: number;
}

export interface FixVerification {
    verdict: FixVerdict;
    /** Targets that are gone. */
    fixed: DiagnosticInfo[];
    /** Targets still there (with their current diagnostic when it is known). */
    remaining: DiagnosticInfo[];
    /** Errors and warnings that were not there before. */
    newProblems: DiagnosticInfo[];
    /** One sentence for the user. */
    message: string;
}

/** Whether the verdict calls for the one retry (the fix did not do what it should). */
export function fixFailed(verdict: FixVerdict): boolean {
    return verdict === "notFixed" || verdict === "partlyFixed" || verdict === "fixedWithNewProblems";
}

/** The range the new text of `edit` covers once applied. */
export function rangeAfterEdit(edit: TextEdit): TextRange {
    const lines = edit.newText.split(/\r\n|\r|\n/);
    const start = edit.range.start;
    const endLine = start.line + lines.length - 1;
    const endChar = lines.length === 1 ? start.character + lines[0]!.length : lines[lines.length - 1]!.length;
    return { start, end: { line: endLine, character: endChar } };
}

function intersects(a: TextRange, b: TextRange): boolean {
    const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
        p.line < q.line || (p.line === q.line && p.character < q.character);
    return !before(a.end, b.start) && !before(b.end, a.start);
}

function countByKey(list: readonly DiagnosticInfo[]): Map<string, number> {
    const m = new Map<string, number>();
    for (const d of list) m.set(diagnosticKey(d), (m.get(diagnosticKey(d)) ?? 0) + 1);
    return m;
}

function oneLine(text: string, max = 80): string {
    const t = text.replace(/\s+/g, " ").trim();
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** "TS2304 Cannot find name 'x' (line 12)". */
export function describeProblem(d: DiagnosticInfo): string {
    const label = diagnosticLabel(d);
    const msg = d.code ? ` ${oneLine(d.message)}` : "";
    return `${label}${msg} (line ${d.range.start.line + 1})`;
}

function listProblems(list: readonly DiagnosticInfo[], max = 3): string {
    const shown = list.slice(0, max).map(describeProblem);
    const more = list.length - shown.length;
    return more > 0 ? `${shown.join("; ")}; and ${more} more` : shown.join("; ");
}

function labels(list: readonly DiagnosticInfo[]): string {
    return [...new Set(list.map(diagnosticLabel))].join(", ");
}

export function verifyFix(input: VerificationInput): FixVerification {
    const { targets } = input;
    if (!input.updated) {
        const secs = input.timeoutMs ? ` within ${Math.round(input.timeoutMs / 1000)} s` : "";
        return {
            verdict: "unverified", fixed: [], remaining: [], newProblems: [],
            message: `Applied, but not verified: the problems of the file were not updated${secs}.`
        };
    }
    const beforeCount = countByKey(input.before);
    const afterCount = countByKey(input.after);
    const targetCount = countByKey(targets);
    // Of each key, how many after-diagnostics are accounted for by problems that were there before.
    const afterLeft = new Map(afterCount);

    const fixed: DiagnosticInfo[] = [];
    const remaining: DiagnosticInfo[] = [];
    const seenTargets = new Map<string, number>();
    for (const t of targets) {
        const k = diagnosticKey(t);
        const m = targetCount.get(k) ?? 0;
        const n = Math.max(beforeCount.get(k) ?? 0, m);
        const a = afterCount.get(k) ?? 0;
        // Non-target problems with the same identity are assumed to stay; the rest of the after-count are targets.
        const remainingOfKey = Math.max(0, Math.min(m, a - (n - m)));
        const index = seenTargets.get(k) ?? 0;
        seenTargets.set(k, index + 1);
        if (index < remainingOfKey) {
            remaining.push(input.after.find((d) => diagnosticKey(d) === k) ?? t);
        } else {
            fixed.push(t);
        }
    }
    for (const [k, n] of beforeCount) afterLeft.set(k, Math.max(0, (afterLeft.get(k) ?? 0) - n));

    // New problems: errors and warnings beyond what was there before.
    const fresh: DiagnosticInfo[] = [];
    const used = new Map<string, number>();
    for (const d of input.after) {
        const k = diagnosticKey(d);
        const extra = afterLeft.get(k) ?? 0;
        const u = used.get(k) ?? 0;
        if (u < extra) {
            used.set(k, u + 1);
            fresh.push(d);
        }
    }
    // The same error reworded at the place of the fix: the target is still there.
    const newProblems: DiagnosticInfo[] = [];
    for (const d of fresh) {
        const match = input.editedRange && intersects(d.range, input.editedRange)
            ? fixed.findIndex((t) => t.code !== undefined && t.code === d.code && (t.source ?? "") === (d.source ?? ""))
            : -1;
        if (match >= 0) {
            fixed.splice(match, 1);
            remaining.push(d);
        } else if (isProblem(d)) {
            newProblems.push(d);
        }
    }

    let verdict: FixVerdict;
    if (remaining.length === 0) verdict = newProblems.length === 0 ? "fixed" : "fixedWithNewProblems";
    else verdict = fixed.length === 0 ? "notFixed" : "partlyFixed";

    const news = newProblems.length === 0 ? "no new problems" : `new problem${newProblems.length === 1 ? "" : "s"}: ${listProblems(newProblems)}`;
    let message: string;
    if (targets.length === 1) {
        const label = diagnosticLabel(targets[0]!);
        if (verdict === "fixed") message = `Fixed: ${label} gone, no new problems.`;
        else if (verdict === "fixedWithNewProblems") message = `${label} is gone, but there ${newProblems.length === 1 ? "is a" : "are"} ${news}.`;
        else message = `${label} is still there${remaining[0] && remaining[0].message !== targets[0]!.message ? ` (now: ${oneLine(remaining[0].message)})` : ""}${newProblems.length ? `, and there ${newProblems.length === 1 ? "is a" : "are"} ${news}` : ""}.`;
    } else {
        const total = targets.length;
        if (verdict === "fixed") message = `Fixed: ${total} problems gone (${labels(fixed)}), no new problems.`;
        else if (verdict === "fixedWithNewProblems") message = `The ${total} problems are gone, but there ${newProblems.length === 1 ? "is a" : "are"} ${news}.`;
        else if (verdict === "partlyFixed") message = `Fixed ${fixed.length} of ${total} problems; still there: ${listProblems(remaining)}; ${news}.`;
        else message = `None of the ${total} problems is fixed (still there: ${labels(remaining)}); ${news}.`;
    }
    return { verdict, fixed, remaining, newProblems, message };
}
