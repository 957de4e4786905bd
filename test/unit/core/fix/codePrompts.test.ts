import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
    EXCERPT_MARGIN_LINES, fenceTag, languageName, MAX_LINES_TARGET, planExplain, planFix, problemsToFix, WHOLE_FILE_MAX_LINES
} from "../../../../src/core/fix/codePrompts";
import type { DiagnosticInfo } from "../../../../src/core/fix/diagnosticInfo";
import { proposeEdit } from "../../../../src/core/edit/proposedEdit";
import { applyEdit } from "../../../../src/core/edit/textEdit";
import { repoRoot } from "../../../fixtures/repoPaths";

const root = repoRoot();
/** The sample workspace's file with a real TypeScript error (line 9: string returned as number). */
const CART = readFileSync(join(root, "test/host/sampleWorkspace/src/cart.ts"), "utf8");

const TS2322: DiagnosticInfo = {
    message: "Type 'string' is not assignable to type 'number'.",
    code: "2322", source: "ts", severity: "error",
    range: { start: { line: 8, character: 4 }, end: { line: 8, character: 10 } }
};

function at(line: number, message: string, extra: Partial<DiagnosticInfo> = {}): DiagnosticInfo {
    return { message, severity: "error", range: { start: { line, character: 0 }, end: { line, character: 5 } }, ...extra };
}

test("a quick fix prompt: no system part, the file first, then the problem, then one instruction", () => {
    const plan = planFix({ filePath: "src/cart.ts", languageId: "typescript", documentText: CART, diagnostics: [TS2322], scope: "problem" });
    assert.ok(plan.ok);
    const p = plan.prompt;
    // Stable part first: the path and language, then the whole (small) file verbatim in a fence.
    assert.ok(p.startsWith("File `src/cart.ts` (TypeScript):\n\n```typescript\n"), p.slice(0, 80));
    assert.ok(p.includes(CART), "the whole file is in the prompt, unchanged");
    const fileAt = p.indexOf(CART);
    const problemAt = p.indexOf("Fix this problem:");
    const instructionAt = p.indexOf("Answer with");
    assert.ok(fileAt < problemAt && problemAt < instructionAt, "file, then problem, then instruction");
    // The diagnostic: severity, code, source, position (1-based) and message, and the line it is on.
    assert.ok(p.includes("error TS2322 (ts) at line 9, column 5: Type 'string' is not assignable to type 'number'."));
    assert.ok(p.includes("The code at line 9:\n\n```typescript\n    return text.trim().replace(/^\\$/, \"\");\n```"));
    // The answer format: the enclosing function, in one fenced block of the document's language.
    assert.match(p, /Answer with the corrected function `parsePrice` \(lines 7–10\), complete .* in one ```typescript fenced code block\./);
    assert.deepEqual(plan.target, { kind: "function", range: { start: { line: 6, character: 0 }, end: { line: 9, character: 1 } } });
    assert.equal(plan.targetName, "parsePrice");
    assert.equal(plan.title, "Fix TS2322 in cart.ts:9");
    assert.equal(plan.context.kind, "file");
});

test("two fixes in the same file share the prompt prefix (the model process reuses its KV cache)", () => {
    const doc = `${CART}\nexport function half(n: number): string {\n    return n / 2;\n}\n`;
    const a = planFix({ filePath: "src/cart.ts", languageId: "typescript", documentText: doc, diagnostics: [TS2322], scope: "problem" });
    const b = planFix({ filePath: "src/cart.ts", languageId: "typescript", documentText: doc, diagnostics: [at(21, "Type 'number' is not assignable to type 'string'.", { code: "2322", source: "ts" })], scope: "problem" });
    assert.ok(a.ok && b.ok);
    let common = 0;
    while (common < a.prompt.length && a.prompt[common] === b.prompt[common]) common++;
    assert.ok(common > doc.length, `common prefix ${common} chars, file ${doc.length}`);
    assert.equal(b.targetName, "half");
});

test("the answer the prompt asks for maps back onto the function and fixes it", () => {
    const plan = planFix({ filePath: "src/cart.ts", languageId: "typescript", documentText: CART, diagnostics: [TS2322], scope: "problem" });
    assert.ok(plan.ok);
    const answer = "The function returns a string.\n\n```typescript\n/** Reads a price typed by a user, such as \" $12.50 \". */\nexport function parsePrice(text: string): number {\n    return Number(text.trim().replace(/^\\$/, \"\"));\n}\n```\n";
    const edit = proposeEdit({ documentText: CART, languageId: "typescript", target: plan.target, answer });
    assert.ok(edit.ok, edit.ok ? "" : edit.reason);
    assert.equal(applyEdit(CART, edit.edit), CART.replace('return text.trim().replace(/^\\$/, "");', 'return Number(text.trim().replace(/^\\$/, ""));'));
});

test("a problem outside any function targets its lines; problems far apart in a small file target the file", () => {
    const doc = "const a: number = 'x';\nconst b = 2;\n";
    const one = planFix({ filePath: "a.ts", languageId: "typescript", documentText: doc, diagnostics: [at(0, "bad", { code: "2322", source: "ts" })], scope: "problem" });
    assert.ok(one.ok);
    assert.equal(one.target.kind, "lines");
    assert.deepEqual(one.target.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } });
    assert.match(one.prompt, /Answer with the corrected line 1, and only that line, with its indentation, in one ```typescript fenced code block\./);

    const spread = Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`).join("\n");
    const far = planFix({ filePath: "b.ts", languageId: "typescript", documentText: spread, diagnostics: [at(1, "x"), at(1 + MAX_LINES_TARGET + 5, "y")], scope: "problem" });
    assert.ok(far.ok);
    assert.equal(far.target.kind, "file");
});

test("a large file is sent as an excerpt around the problem, with line numbers in the heading", () => {
    const lines = Array.from({ length: WHOLE_FILE_MAX_LINES + 100 }, (_, i) => `const v${i}: number = ${i};`);
    lines[200] = "function broken(): number {";
    lines[201] = "    return 'no';";
    lines[202] = "}";
    const doc = lines.join("\n");
    const plan = planFix({ filePath: "big.ts", languageId: "typescript", documentText: doc, diagnostics: [at(201, "Type 'string' is not assignable to type 'number'.", { code: "2322", source: "ts" })], scope: "problem" });
    assert.ok(plan.ok);
    assert.equal(plan.context.kind, "excerpt");
    assert.equal(plan.context.range.start.line, 200 - EXCERPT_MARGIN_LINES);
    assert.equal(plan.context.range.end.line, 202 + EXCERPT_MARGIN_LINES);
    assert.ok(plan.prompt.startsWith(`Lines ${201 - EXCERPT_MARGIN_LINES}–${203 + EXCERPT_MARGIN_LINES} of \`big.ts\` (TypeScript, ${lines.length} lines in all):`), plan.prompt.slice(0, 80));
    assert.ok(!plan.prompt.includes(lines[0]!), "the start of the file is not sent");
    assert.equal(plan.targetName, "broken");

    const all = planFix({ filePath: "big.ts", languageId: "typescript", documentText: doc, diagnostics: [at(201, "x")], scope: "file" });
    assert.equal(all.ok, false);
    assert.match(all.ok ? "" : all.reason, /too large to fix as a whole/);
});

test("fix all in file: every problem listed in order, the whole file asked back", () => {
    const doc = `${CART}\nexport const n: number = "1";\n`;
    const problems = problemsToFix([
        at(20, "Type 'string' is not assignable to type 'number'.", { code: "2322", source: "ts" }),
        { ...at(3, "unused"), severity: "hint" },
        TS2322
    ]);
    assert.deepEqual(problems.map((d) => d.range.start.line), [8, 20], "errors and warnings only, in document order");
    const plan = planFix({ filePath: "src/cart.ts", languageId: "typescript", documentText: doc, diagnostics: problems, scope: "file" });
    assert.ok(plan.ok);
    assert.equal(plan.target.kind, "file");
    assert.match(plan.prompt, /Fix these 2 problems:\n- error TS2322 \(ts\) at line 9, column 5: .*\n- error TS2322 \(ts\) at line 21, column 1: /);
    assert.match(plan.prompt, /Answer with the whole corrected file, every line of it, in one ```typescript fenced code block\./);
    assert.equal(plan.title, "Fix 2 problems in cart.ts");
});

test("the retry tells the model what the previous fix left", () => {
    const applied = CART.replace('return text.trim().replace(/^\\$/, "");', 'return String(text.trim().replace(/^\\$/, ""));');
    const still: DiagnosticInfo = { ...TS2322 };
    const fresh = at(12, "Cannot find name 'y'.", { code: "2304", source: "ts" });
    const plan = planFix({
        filePath: "src/cart.ts", languageId: "typescript", documentText: applied, diagnostics: [still], scope: "problem",
        previousAttempt: { remaining: [still], newProblems: [fresh] }
    });
    assert.ok(plan.ok);
    assert.ok(plan.prompt.includes(applied), "the file as the previous fix left it");
    assert.match(plan.prompt, /A fix was already applied to this code \(it is included above\), but it did not work:\n- still there: error TS2322 \(ts\) at line 9, column 5: Type 'string'.*\n- new problem: error TS2304 \(ts\) at line 13, column 1: Cannot find name 'y'\./);
    assert.ok(plan.prompt.indexOf("did not work") < plan.prompt.indexOf("Answer with"));
    assert.equal(plan.title, "Retry: fix TS2322 in cart.ts:9");
});

test("fences: the document's language tag, and a longer fence when the file holds ```", () => {
    assert.equal(fenceTag("typescriptreact"), "tsx");
    assert.equal(fenceTag("shellscript"), "bash");
    assert.equal(fenceTag("python"), "python");
    assert.equal(languageName("csharp"), "C#");
    assert.equal(languageName("zig"), "zig");
    const md = "# Title\n\n```js\nconsole.log(1)\n```\n";
    const plan = planFix({ filePath: "README.md", languageId: "markdown", documentText: md, diagnostics: [at(0, "MD041")], scope: "problem" });
    assert.ok(plan.ok);
    assert.ok(plan.prompt.includes(`\`\`\`\`markdown\n${md}\`\`\`\``), "a four-backtick fence around a file with three");
});

test("no problem, or a problem outside the document: refused with a reason", () => {
    const none = planFix({ filePath: "a.ts", languageId: "typescript", documentText: "x", diagnostics: [], scope: "problem" });
    assert.deepEqual(none, { ok: false, reason: "There is no problem to fix." });
    const gone = planFix({ filePath: "a.ts", languageId: "typescript", documentText: "x", diagnostics: [at(5, "m")], scope: "problem" });
    assert.equal(gone.ok, false);
    assert.match(gone.ok ? "" : gone.reason, /line 6 is not inside the document/);
});

test("explain: the file first, then the code in question by name and lines", () => {
    const plan = planExplain({ filePath: "src/cart.ts", languageId: "typescript", documentText: CART, range: { start: { line: 6, character: 0 }, end: { line: 9, character: 1 } }, name: "parsePrice" });
    assert.ok(plan.prompt.startsWith("File `src/cart.ts` (TypeScript):"));
    assert.ok(plan.prompt.includes("Explain `parsePrice` (lines 7–10):\n\n```typescript\n/** Reads a price"));
    assert.ok(plan.prompt.indexOf(CART) < plan.prompt.indexOf("Explain `parsePrice`"));
    assert.equal(plan.title, "Explain parsePrice (cart.ts:7–10)");

    // A selection inside one line: just the selected text; a selection ending at a line start leaves that line out.
    const word = planExplain({ filePath: "src/cart.ts", languageId: "typescript", documentText: CART, range: { start: { line: 12, character: 11 }, end: { line: 12, character: 24 } } });
    assert.ok(word.prompt.includes("Explain line 13:\n\n```typescript\nitems.reduce(\n```"));
    const lines = planExplain({ filePath: "src/cart.ts", languageId: "typescript", documentText: CART, range: { start: { line: 12, character: 0 }, end: { line: 15, character: 0 } } });
    assert.ok(lines.prompt.includes("Explain lines 13–15:"));
    assert.equal(lines.title, "Explain cart.ts:13–15");
});
