import { test } from "node:test";
import assert from "node:assert/strict";
import { describeDiagnostic, diagnosticLabel, type DiagnosticInfo } from "../../../../src/core/fix/diagnosticInfo";
import { fixFailed, rangeAfterEdit, verifyFix } from "../../../../src/core/fix/fixVerification";
import { thinkingProgressMessage, thoughtTail } from "../../../../src/core/reply/thinkingProgress";

function d(line: number, code: string, message: string, severity: DiagnosticInfo["severity"] = "error", source = "ts"): DiagnosticInfo {
    return { message, code, source, severity, range: { start: { line, character: 4 }, end: { line, character: 10 } } };
}

const target = d(8, "2322", "Type 'string' is not assignable to type 'number'.");
const other = d(15, "7006", "Parameter 'x' implicitly has an 'any' type.");
const edited = { start: { line: 6, character: 0 }, end: { line: 9, character: 1 } };

test("labels: TS codes as TSnnnn, other codes as they are, no code: the start of the message", () => {
    assert.equal(diagnosticLabel(target), "TS2322");
    assert.equal(diagnosticLabel({ ...target, source: "eslint", code: "no-unused-vars" }), "no-unused-vars");
    assert.equal(diagnosticLabel({ message: "Something is off with this line of code, badly so", severity: "warning", range: target.range }), '"Something is off with this line of…"');
    assert.equal(describeDiagnostic(target), "error TS2322 (ts) at line 9, column 5: Type 'string' is not assignable to type 'number'.");
});

test("the target gone and nothing new: Fixed", () => {
    const v = verifyFix({ targets: [target], before: [target, other], after: [other], updated: true, editedRange: edited });
    assert.equal(v.verdict, "fixed");
    assert.equal(v.message, "Fixed: TS2322 gone, no new problems.");
    assert.equal(fixFailed(v.verdict), false);
});

test("the target still there (moved by the edit): not fixed", () => {
    const moved = { ...target, range: { start: { line: 10, character: 4 }, end: { line: 10, character: 10 } } };
    const v = verifyFix({ targets: [target], before: [target], after: [moved], updated: true, editedRange: edited });
    assert.equal(v.verdict, "notFixed");
    assert.equal(v.message, "TS2322 is still there.");
    assert.deepEqual(v.remaining, [moved]);
    assert.equal(fixFailed(v.verdict), true);
});

test("the same error reworded inside the edit: still there, not a new problem", () => {
    const reworded = d(8, "2322", "Type 'string | undefined' is not assignable to type 'number'.");
    const v = verifyFix({ targets: [target], before: [target], after: [reworded], updated: true, editedRange: edited });
    assert.equal(v.verdict, "notFixed");
    assert.deepEqual(v.newProblems, []);
    assert.equal(v.message, "TS2322 is still there (now: Type 'string | undefined' is not assignable to type 'number'.).");
    // The same code far from the edit is a new problem.
    const elsewhere = d(30, "2322", "Type 'boolean' is not assignable to type 'number'.");
    const w = verifyFix({ targets: [target], before: [target], after: [elsewhere], updated: true, editedRange: edited });
    assert.equal(w.verdict, "fixedWithNewProblems");
    assert.equal(w.message, "TS2322 is gone, but there is a new problem: TS2322 Type 'boolean' is not assignable to type 'number'. (line 31).");
});

test("new errors and warnings are reported; hints and information are not", () => {
    const fresh = d(9, "2304", "Cannot find name 'toNumber'.");
    const hint = d(2, "6133", "'x' is declared but its value is never read.", "hint");
    const v = verifyFix({ targets: [target], before: [target, other], after: [other, fresh, hint], updated: true, editedRange: edited });
    assert.equal(v.verdict, "fixedWithNewProblems");
    assert.deepEqual(v.newProblems, [fresh]);
    assert.equal(v.message, "TS2322 is gone, but there is a new problem: TS2304 Cannot find name 'toNumber'. (line 10).");
    assert.equal(fixFailed(v.verdict), true);
});

test("identical problems are counted: fixing one of two is seen, and so is leaving both", () => {
    const twin = { ...target, range: { start: { line: 20, character: 4 }, end: { line: 20, character: 10 } } };
    const one = verifyFix({ targets: [target], before: [target, twin], after: [twin], updated: true, editedRange: edited });
    assert.equal(one.verdict, "fixed");
    const none = verifyFix({ targets: [target], before: [target, twin], after: [target, twin], updated: true, editedRange: edited });
    assert.equal(none.verdict, "notFixed");
    const more = verifyFix({ targets: [target], before: [target, twin], after: [target, twin, { ...twin }], updated: true, editedRange: edited });
    assert.equal(more.verdict, "notFixed");
    assert.equal(more.newProblems.length, 1, "a third identical error is new");
});

test("several targets: all, some or none fixed", () => {
    const t2 = d(12, "2345", "Argument of type 'string' is not assignable to parameter of type 'number'.");
    const all = verifyFix({ targets: [target, t2], before: [target, t2], after: [], updated: true });
    assert.equal(all.message, "Fixed: 2 problems gone (TS2322, TS2345), no new problems.");
    const some = verifyFix({ targets: [target, t2], before: [target, t2], after: [t2], updated: true });
    assert.equal(some.verdict, "partlyFixed");
    assert.equal(some.message, "Fixed 1 of 2 problems; still there: TS2345 Argument of type 'string' is not assignable to parameter of type 'number'. (line 13); no new problems.");
    const none = verifyFix({ targets: [target, t2], before: [target, t2], after: [target, t2], updated: true });
    assert.equal(none.verdict, "notFixed");
    assert.equal(none.message, "None of the 2 problems is fixed (still there: TS2322, TS2345); no new problems.");
});

test("no update before the timeout: unverified, never claimed fixed", () => {
    const v = verifyFix({ targets: [target], before: [target], after: [target], updated: false, timeoutMs: 15_000 });
    assert.equal(v.verdict, "unverified");
    assert.equal(v.message, "Applied, but not verified: the problems of the file were not updated within 15 s.");
    assert.equal(fixFailed(v.verdict), false);
});

test("rangeAfterEdit: where the new text lies", () => {
    assert.deepEqual(rangeAfterEdit({ range: { start: { line: 3, character: 2 }, end: { line: 9, character: 0 } }, newText: "ab" }),
        { start: { line: 3, character: 2 }, end: { line: 3, character: 4 } });
    assert.deepEqual(rangeAfterEdit({ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 2 } }, newText: "a\r\nbc\nxyz" }),
        { start: { line: 3, character: 2 }, end: { line: 5, character: 3 } });
});

test("progress text: the end of the thought on one line, cut at a word; then the answer's speed", () => {
    assert.equal(thoughtTail("short\nthought"), "short thought");
    const long = "The user wants the function to return a number.\nSo I should wrap the result in Number() and keep the rest.";
    const tail = thoughtTail(long, 40);
    assert.ok(tail.startsWith("…") && tail.length <= 41 && long.replace(/\s+/g, " ").endsWith(tail.slice(1)), tail);
    const stats = { thoughtTokens: 230, answerTokens: 40, promptTokens: 900, reusedPromptTokens: 0, tokensPerSecond: 21.46, elapsedMs: 5000 };
    assert.equal(thinkingProgressMessage("I think", { thoughtState: "thinking", stats }, 2048), "Thinking (230 of 2048 tokens): I think");
    assert.equal(thinkingProgressMessage("", { thoughtState: "thinking", stats }, 0), "Thinking (230 tokens)…");
    assert.equal(thinkingProgressMessage("x", { thoughtState: "ended", stats }, 2048), "Answering (40 tokens, 21.5 tok/s)…");
});
