import assert from "node:assert/strict";
import { test } from "node:test";
import { locateAnswerCode, normalizeCode } from "../../../../src/core/answer/answerCode";
import { codeForInsertion } from "../../../../src/core/answer/codeInsertion";

const answer = [
    "Convert the string:",
    "",
    "```typescript",
    "export function parsePrice(text: string): number {",
    "    return Number(text.trim());",
    "}",
    "```",
    "",
    "Or run:",
    "",
    "```bash",
    "npm test",
    "```",
    "",
    "An indented example:",
    "",
    "    const x = 1;",
    "    const y = 2;",
    "",
    "1. In a list:",
    "   ```ts",
    "   const z = 3;",
    "   ```"
].join("\n");

test("the code of a fenced block of the answer is found, with its index for Apply", () => {
    const fn = "export function parsePrice(text: string): number {\n    return Number(text.trim());\n}";
    const r = locateAnswerCode(answer, fn, 0);
    assert.equal(r?.kind, "block");
    assert.equal(r?.kind === "block" && r.block.index, 0);
    const sh = locateAnswerCode(answer, "npm test", 1);
    assert.equal(sh?.kind === "block" && sh.block.index, 1);
    // A fence inside a list item: its indentation is removed, as the markdown parser does.
    const z = locateAnswerCode(answer, "const z = 3;", 3);
    assert.equal(z?.kind === "block" && z.block.index, 2);
});

test("line breaks and trailing spaces do not matter; the block index only breaks ties", () => {
    const twice = "```js\nx();\n```\n\ntext\n\n```js\nx();\n```";
    assert.equal((locateAnswerCode(twice, "x();\r\n", 1) as { block: { index: number } }).block.index, 1);
    assert.equal((locateAnswerCode(twice, "x();", 0) as { block: { index: number } }).block.index, 0);
    assert.equal((locateAnswerCode(twice, "x();  ", 7) as { block: { index: number } }).block.index, 1);
    assert.equal(normalizeCode("\n\na  \r\nb\t\n\n"), "a\nb");
});

test("a fenced block inside a blockquote is a block of the answer (as the webview's markdown shows it)", () => {
    const quoted = "> Use this:\n>\n> ```ts\n> const total = items.length;\n> ```\n";
    const located = locateAnswerCode(quoted, "const total = items.length;\n");
    assert.equal(located?.kind, "block");
    assert.equal(located?.kind === "block" ? located.block.code : undefined, "const total = items.length;");
});

test("an indented code block (not fenced) is lines of the answer: Copy and Insert only", () => {
    assert.deepEqual(locateAnswerCode(answer, "const x = 1;\nconst y = 2;", 2), { kind: "lines" });
});

test("code that is not in the answer is refused, also when it is in the thought", () => {
    const reasoning = "Maybe:\n```ts\nrm -rf /\n```";
    assert.equal(locateAnswerCode(answer, "rm -rf /", 0, reasoning), undefined);
    assert.equal(locateAnswerCode(answer, "return Number(text.trim()); evil()", 0), undefined);
    assert.equal(locateAnswerCode(answer, "   \n ", 0), undefined);
    assert.equal(locateAnswerCode("", "x", 0), undefined);
});

test("insert at the cursor: document line breaks, lines indented like the cursor, code before text goes on its own lines", () => {
    assert.equal(codeForInsertion("a();\nb();", "", "", "\n"), "a();\nb();");
    assert.equal(codeForInsertion("a();\nb();\n", "    ", "", "\r\n"), "a();\r\n    b();");
    assert.equal(codeForInsertion("if (x) {\n    y();\n}", "\t", "return z;", "\n"), "if (x) {\n\t    y();\n\t}\n\t", "the text after the cursor follows on its own line, indented");
    assert.equal(codeForInsertion("a\n\nb", "  ", "", "\n"), "a\n\n  b", "blank lines stay blank");
    // After code on the line: no re-indentation guess.
    assert.equal(codeForInsertion("f(1)\ng(2)", "const v = ", ";", "\n"), "f(1)\ng(2)");
});
