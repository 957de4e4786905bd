import assert from "node:assert/strict";
import { test } from "node:test";
import { buildChatPrompt, contextCharBudget, type ContextCode } from "../../../../src/core/chat/chatPrompt";

const cart: ContextCode = {
    kind: "file", path: "src/cart.ts", languageId: "typescript",
    text: "export function parsePrice(text: string): number {\n    return text.trim();\n}\n"
};
const selection: ContextCode = {
    kind: "selection", path: "src/util.py", languageId: "python", text: "def add(a, b):\n    return a + b",
    range: { start: { line: 4, character: 0 }, end: { line: 5, character: 16 } }
};

test("no context: the prompt is the question alone (no system prompt, nothing added)", () => {
    const p = buildChatPrompt("  What does R1 stand for?\n", []);
    assert.equal(p.text, "What does R1 stand for?");
    assert.deepEqual(p.notes, []);
});

test("attached code comes first, with path and language in a fenced block of its language, then the question", () => {
    const p = buildChatPrompt("Why does this fail?", [cart]);
    assert.equal(p.text, "File `src/cart.ts` (TypeScript):\n\n```typescript\n" + cart.text + "```\n\nWhy does this fail?");
    assert.deepEqual(p.notes, []);
});

test("files (stable) before selections whatever the attach order; a selection says its lines", () => {
    const p = buildChatPrompt("Compare them.", [selection, cart]);
    const file = p.text.indexOf("File `src/cart.ts`");
    const sel = p.text.indexOf("Selected lines 5–6 of `src/util.py` (Python):\n\n```python\ndef add(a, b):\n    return a + b\n```");
    assert.ok(file >= 0 && sel > file, p.text);
    assert.ok(p.text.endsWith("\n\nCompare them."));
});

test("code containing a fence gets a longer fence, so it cannot close the block early", () => {
    const md: ContextCode = { kind: "file", path: "README.md", languageId: "markdown", text: "```js\nx\n```\n" };
    const p = buildChatPrompt("Explain.", [md]);
    assert.ok(p.text.includes("````markdown\n```js\nx\n```\n````"), p.text);
});

test("over the size limit: the large item is cut to its first whole lines, the prompt and the notes say so", () => {
    const big: ContextCode = { kind: "file", path: "src/big.ts", languageId: "typescript", text: Array.from({ length: 500 }, (_, i) => `const v${i} = ${i};`).join("\n") };
    const p = buildChatPrompt("Summarize.", [cart, big], { maxContextChars: 2000 });
    // The small file stays whole.
    assert.ok(p.text.includes("File `src/cart.ts` (TypeScript):\n\n```typescript\n" + cart.text), p.text.slice(0, 300));
    const m = /File `src\/big\.ts` \(TypeScript\), only lines 1–(\d+) of 500 \(the rest is left out to fit the size limit\):/.exec(p.text);
    assert.ok(m, p.text.slice(0, 600));
    const kept = Number(m[1]);
    assert.ok(kept > 10 && kept < 500);
    const codeChars = cart.text.length + big.text.split("\n").slice(0, kept).join("\n").length;
    assert.ok(codeChars <= 2000, `${codeChars} characters of code`);
    assert.ok(p.text.includes(`const v${kept - 1} = ${kept - 1};\n\`\`\``), "whole lines only");
    assert.ok(!p.text.includes(`const v${kept} =`));
    assert.deepEqual(p.notes, [`src/big.ts: only lines 1–${kept} of 500 were sent (the attached code is limited to 2,000 characters).`]);
    assert.ok(p.text.endsWith("Summarize."));
});

test("a cut selection counts its lines from where it is in the file", () => {
    const sel: ContextCode = { ...selection, text: Array.from({ length: 40 }, (_, i) => `x${i} = ${i}`).join("\n"), range: { start: { line: 99, character: 0 }, end: { line: 138, character: 9 } } };
    const p = buildChatPrompt("Q", [sel], { maxContextChars: 100 });
    assert.match(p.text, /^Selected lines 100–139 of `src\/util\.py` \(Python\), only lines 100–1\d\d of lines 100–139 \(the rest is left out/);
    assert.equal(p.notes.length, 1);
});

test("an item with no line that fits is left out with a note, never sent half a line", () => {
    const oneLongLine: ContextCode = { kind: "file", path: "min.js", languageId: "javascript", text: "x".repeat(5000) };
    const p = buildChatPrompt("Q", [cart, oneLongLine], { maxContextChars: 1000 });
    assert.ok(p.text.includes("File `min.js` (JavaScript, 1 line) is attached but left out: it does not fit the size limit."));
    assert.ok(!p.text.includes("xxxx"));
    assert.deepEqual(p.notes, ["min.js: the file was left out (the attached code is limited to 1,000 characters)."]);
});

test("the budget leaves room for the thinking budget and the answer", () => {
    assert.equal(contextCharBudget(8192, 4096), (8192 - 4096 - 1024) * 3);
    // An unlimited or huge thinking budget takes half the window.
    assert.equal(contextCharBudget(8192, 0), (8192 - 4096 - 1024) * 3);
    assert.equal(contextCharBudget(32768, 4096), (32768 - 4096 - 1024) * 3);
    assert.equal(contextCharBudget(1024, 4096), 4000);
});
