import { test } from "node:test";
import assert from "node:assert/strict";
import { planFix } from "../../../../src/core/fix/codePrompts";
import type { DiagnosticInfo } from "../../../../src/core/fix/diagnosticInfo";
import { fixRegions, moveRegion } from "../../../../src/core/fix/fixRegions";
import { proposeEdit } from "../../../../src/core/edit/proposedEdit";
import { applyEdit } from "../../../../src/core/edit/textEdit";

function at(line: number, message: string, character = 0): DiagnosticInfo {
    return { message, code: "2322", source: "ts", severity: "error", range: { start: { line, character }, end: { line, character: character + 5 } } };
}

/** A 1,000-line TypeScript file: filler constants, a function near each end. */
function bigFile(): string {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) lines.push(`export const v${i} = ${i};`);
    lines.splice(2, 3, "export function first(text: string): number {", "    return text.trim();", "}");
    lines.splice(990, 3, "export function last(text: string): number {", "    return text.trim();", "}");
    return `${lines.join("\n")}\n`;
}

test("each problem's region is its function; problems far apart are separate regions, in document order", () => {
    const text = bigFile();
    const regions = fixRegions(text, "typescript", [at(991, "late"), at(3, "early", 4)]);
    assert.deepEqual(regions.map((r) => [r.range.start.line, r.range.end.line]), [[2, 4], [990, 992]]);
    assert.deepEqual(regions.map((r) => r.diagnostics.map((d) => d.message)), [["early"], ["late"]]);
});

test("overlapping and touching regions are merged; lines outside functions are their own region", () => {
    const text = bigFile();
    const regions = fixRegions(text, "typescript", [at(3, "in first"), at(2, "header of first"), at(5, "touches first"), at(7, "apart"), at(500, "alone")]);
    assert.deepEqual(regions.map((r) => [r.range.start.line, r.range.end.line]), [[2, 5], [7, 7], [500, 500]]);
    assert.deepEqual(regions[0]!.diagnostics.map((d) => d.message), ["header of first", "in first", "touches first"], "in document order");
});

test("a region's prompt is an excerpt around it, never the whole file, and targets the region", () => {
    const text = bigFile();
    const [early, late] = fixRegions(text, "typescript", [at(3, "Type 'string' is not assignable to type 'number'.", 4), at(991, "Type 'string' is not assignable to type 'number'.", 4)]);
    for (const region of [early!, late!]) {
        const plan = planFix({ filePath: "src/big.ts", languageId: "typescript", documentText: text, diagnostics: region.diagnostics, scope: "problem", region: region.range });
        assert.ok(plan.ok);
        assert.equal(plan.context.kind, "excerpt");
        assert.deepEqual([plan.target.kind, plan.target.range.start.line, plan.target.range.end.line], ["function", region.range.start.line, region.range.end.line]);
        assert.ok(!plan.prompt.includes("export const v500 = 500;"), "the middle of the file is not sent");
        assert.ok(plan.prompt.length < 3000, `prompt of ${plan.prompt.length} characters`);
    }
    const plan = planFix({ filePath: "src/big.ts", languageId: "typescript", documentText: text, diagnostics: late!.diagnostics, scope: "problem", region: late!.range });
    assert.ok(plan.ok && plan.prompt.startsWith("Lines 961–1001 of `src/big.ts` (TypeScript, 1001 lines in all):"), plan.ok ? plan.prompt.slice(0, 80) : "");
    // A region of several functions is rewritten as lines, however long.
    const wide = planFix({ filePath: "src/big.ts", languageId: "typescript", documentText: text, diagnostics: [at(3, "a"), at(60, "b")], scope: "problem", region: { start: { line: 2, character: 0 }, end: { line: 60, character: 0 } } });
    assert.ok(wide.ok);
    assert.equal(wide.target.kind, "lines");
    assert.equal(wide.title, "Fix 2 problems in big.ts:4–61");
});

test("a region moves with the lines an earlier fix added above it, and is refused when its own lines changed", () => {
    const text = bigFile();
    const [early, late] = fixRegions(text, "typescript", [at(3, "early", 4), at(991, "late", 4)]);
    // The first fix, applied: two lines instead of one.
    const fixedFirst = proposeEdit({
        documentText: text, languageId: "typescript", target: { kind: "function", range: early!.range },
        answer: "```ts\nexport function first(text: string): number {\n    // a number, not the string\n    return Number(text.trim());\n}\n```"
    });
    assert.ok(fixedFirst.ok);
    const after = applyEdit(text, fixedFirst.edit);
    const moved = moveRegion(text, after, late!);
    assert.ok(moved.ok);
    assert.deepEqual([moved.region.range.start.line, moved.region.range.end.line], [991, 993], "one line down");
    assert.equal(moved.region.diagnostics[0]!.range.start.line, 992);
    assert.equal(after.split("\n")[992], "    return text.trim();", "the moved problem is on its line");
    // The user rewrote the late function meanwhile: not sent.
    const edited = after.replace("export function last(text: string): number {", "export function last(text: string): string {");
    const refused = moveRegion(text, edited, late!);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? "" : refused.reason, /lines 991–993 changed meanwhile/);
});
