import { test } from "node:test";
import assert from "node:assert/strict";
import { extractAnswerBlocks } from "../../../../src/core/answer/answerBlocks";
import { isProseLine } from "../../../../src/core/reply/reasoningLeak";
import { splitApiMessage, splitReasoning } from "../../../../src/core/reply/reasoningSplit";
import { loadTranscripts, transcriptsMissing } from "../../support/transcriptFixtures";

// ---- the real transcripts -------------------------------------------------------------------------

test("real R1 transcripts: blocks of the final answer match the expected ones, in order", { skip: transcriptsMissing }, () => {
    for (const t of loadTranscripts()) {
        const split = t.raw === null ? splitApiMessage({ reasoning_content: t.reasoning, content: t.answer }) : splitReasoning(t.raw);
        const blocks = extractAnswerBlocks(split.answer, { reasoning: split.reasoning });
        assert.deepEqual(blocks.map((b) => ({ lang: b.lang, code: b.code })), t.expected_code_blocks, `${t.file}: blocks`);
        for (const b of blocks) {
            // Independent of the leak heuristics: no tag, no paragraph of the reasoning, nothing outside the answer.
            assert.ok(!/<\/?think>/.test(b.code), `${t.file}: block ${b.index} holds a think tag`);
            for (const para of split.reasoning.split("\n").filter((l) => l.trim().length >= 40)) {
                assert.ok(!b.code.includes(para.trim()), `${t.file}: block ${b.index} holds reasoning: ${para.slice(0, 60)}`);
            }
            assert.ok(split.answer.includes(b.code), `${t.file}: block ${b.index} is not answer text`);
            assert.ok(!split.reasoning.includes(b.code) || b.code.length < 20, `${t.file}: block ${b.index} comes from the reasoning`);
        }
    }
});

test("real R1 transcripts: code blocks are applicable, the ASCII diagram is not, headings give file hints", { skip: transcriptsMissing }, () => {
    const byFile = new Map(loadTranscripts().map((t) => [t.file, t]));
    const blocksOf = (f: string) => {
        const t = byFile.get(f);
        assert.ok(t && t.raw !== null, `${f} is an inline transcript`);
        const split = splitReasoning(t.raw);
        return extractAnswerBlocks(split.answer, { reasoning: split.reasoning });
    };
    assert.deepEqual(blocksOf("001.json").map((b) => b.applicable), [true]);
    const diagram = blocksOf("003.json");
    assert.equal(diagram.length, 1);
    assert.equal(diagram[0]!.applicable, false);
    assert.match(diagram[0]!.reason ?? "", /diagram/);
    assert.deepEqual(blocksOf("005.json").map((b) => b.fileHint), [
        "src/store/interfaces/key_value_store.py",
        "src/store/implementations/local_store.py",
        "src/store/implementations/redis_store.py"
    ]);
    assert.deepEqual(blocksOf("006.json").map((b) => [b.applicable, b.fileHint]), [[true, undefined], [true, undefined], [true, undefined]]);
});

// ---- synthetic answers ---------------------------------------------------------------------------

test("``` and ~~~ fences of 3+ characters; a longer fence may contain a shorter one", () => {
    const answer = [
        "Here is the config:",
        "",
        "~~~yaml",
        "retries: 3",
        "~~~",
        "",
        "And the README section:",
        "",
        "````markdown",
        "Run it:",
        "```bash",
        "npm start",
        "```",
        "````",
        "",
        "Inline ```not a fence``` stays prose.",
        "```ts",
        "export const x = 1;",
        "```"
    ].join("\n");
    const blocks = extractAnswerBlocks(answer);
    assert.deepEqual(blocks.map((b) => [b.lang, b.code]), [
        ["yaml", "retries: 3"],
        ["markdown", "Run it:\n```bash\nnpm start\n```"],
        ["ts", "export const x = 1;"]
    ]);
    assert.equal(blocks[2]!.langId, "typescript");
    assert.deepEqual(blocks.map((b) => b.index), [0, 1, 2]);
});

test("info strings: language aliases, title= file hints, ts:path, diff blocks", () => {
    const answer = [
        "```typescript title=\"src/math/add.ts\"",
        "export function add(a: number, b: number): number {",
        "    return a + b;",
        "}",
        "```",
        "```python:app/main.py",
        "print('hi')",
        "```",
        "```diff",
        "--- a/src/math/add.ts",
        "+++ b/src/math/add.ts",
        "@@ -1,3 +1,3 @@",
        " export function add(a: number, b: number): number {",
        "-    return a - b;",
        "+    return a + b;",
        " }",
        "```",
        "```Python",
        "x = 1",
        "```"
    ].join("\n");
    const blocks = extractAnswerBlocks(answer);
    assert.deepEqual(blocks.map((b) => [b.lang, b.langId, b.fileHint, b.kind, b.applicable]), [
        ["typescript", "typescript", "src/math/add.ts", "code", true],
        ["python", "python", "app/main.py", "code", true],
        ["diff", "diff", undefined, "diff", true],
        ["Python", "python", undefined, "code", true]
    ]);
    assert.equal(blocks[0]!.info, "typescript title=\"src/math/add.ts\"");
});

test("fences inside list items: the list indentation is removed from the code", () => {
    const answer = [
        "Steps:",
        "",
        "1. **Install the dependency**:",
        "   ```bash",
        "   npm install zod",
        "   ```",
        "",
        "2. **Define the schema** in `src/schema.ts`:",
        "   ```typescript",
        "   import { z } from \"zod\";",
        "",
        "   export const User = z.object({",
        "       name: z.string(),",
        "   });",
        "   ```",
        "",
        "   - Nested deeper:",
        "     ```python",
        "     def f():",
        "         return 1",
        "     ```",
        "3. ```js",
        "   console.log(1);",
        "   ```"
    ].join("\n");
    const blocks = extractAnswerBlocks(answer);
    assert.deepEqual(blocks.map((b) => b.code), [
        "npm install zod",
        "import { z } from \"zod\";\n\nexport const User = z.object({\n    name: z.string(),\n});",
        "def f():\n    return 1",
        "console.log(1);"
    ]);
    assert.equal(blocks[0]!.applicable, false, "bash is a command");
    assert.equal(blocks[1]!.fileHint, "src/schema.ts");
    assert.equal(blocks[1]!.applicable, true);
});

test("fences inside blockquotes: the quote markers are removed from the code, and the block ends with the quote", () => {
    const answer = [
        "> **Note**: the fixed function:",
        ">",
        "> ```ts",
        "> export function parsePrice(text: string): number {",
        ">     return Number(text.trim());",
        ">",
        ">     // > is a comparison, not a quote",
        "> }",
        "> ```",
        "",
        "> > ```py",
        "> > x = 1",
        "> > > y",
        "> > ```",
        "",
        "> ```js",
        "> const cut = 1;",
        "Then the answer goes on outside the quote.",
        "",
        "```ts",
        "> not a quote in an unquoted block",
        "```"
    ].join("\n");
    const blocks = extractAnswerBlocks(answer);
    assert.deepEqual(blocks.map((b) => [b.lang, b.code, b.terminated]), [
        ["ts", "export function parsePrice(text: string): number {\n    return Number(text.trim());\n\n    // > is a comparison, not a quote\n}", true],
        ["py", "x = 1\n> y", true],
        ["js", "const cut = 1;", true],
        ["ts", "> not a quote in an unquoted block", true]
    ]);
    assert.deepEqual(blocks.map((b) => [b.startLine, b.endLine]), [[2, 8], [10, 13], [15, 16], [19, 21]]);
    assert.equal(blocks[0]!.applicable, true);
});

test("unterminated last fence (truncated output) still yields its code", () => {
    const answer = "Fixed version:\n\n```python\ndef mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)\n``";
    const blocks = extractAnswerBlocks(answer);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]!.terminated, false);
    assert.equal(blocks[0]!.code, "def mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)");
    const cut = extractAnswerBlocks("```ts\nconst a = 1;\n");
    assert.deepEqual([cut[0]!.code, cut[0]!.terminated], ["const a = 1;", false]);
});

test("a heading or bold line with a file path right before a block is its fileHint", () => {
    const cases: [string, string | undefined][] = [
        ["### `src/utils/math.ts`", "src/utils/math.ts"],
        ["#### src/server/app.py", "src/server/app.py"],
        ["**src/components/Button.tsx**", "src/components/Button.tsx"],
        ["**File: `lib/db.ts`**", "lib/db.ts"],
        ["**Updated `config/settings.json`:**", "config/settings.json"],
        ["`src/index.ts`:", "src/index.ts"],
        ["File: Dockerfile:", "Dockerfile"],
        ["## Step 2: update utils.py", "utils.py"],
        ["### Explanation", undefined],
        ["**Example usage:**", undefined],
        ["### Using Node.js streams", undefined],
        ["Here is the corrected code, version 1.2:", undefined]
    ];
    for (const [line, hint] of cases) {
        const blocks = extractAnswerBlocks(`${line}\n\n\`\`\`\ncode_line = 1\n\`\`\``);
        assert.equal(blocks[0]!.fileHint, hint, line);
    }
    // Not when prose stands between the heading and the block.
    const far = extractAnswerBlocks("### src/a.ts\n\nThis file holds the helpers we need for parsing.\n\n```ts\nexport {};\n```");
    assert.equal(far[0]!.fileHint, undefined);
});

test("plaintext, diagrams, shell commands, terminal sessions and output logs are not applicable", () => {
    const block = (fence: string, body: string) => extractAnswerBlocks(`Text\n\n\`\`\`${fence}\n${body}\n\`\`\`\n`)[0]!;
    const notApplicable: [string, string, string][] = [
        ["plaintext", "+--------+     +--------+\n| Client | --> | Server |\n+--------+     +--------+", "diagram"],
        ["", "┌──────┐\n│ App  │\n└──┬───┘\n   ▼\n┌──────┐\n│  DB  │\n└──────┘", "diagram"],
        ["text", "Expected: 42\nGot: 41", "plaintext"],
        ["bash", "npm install && npm test", "shell"],
        ["sh", "export NODE_ENV=production", "shell"],
        ["console", "$ node index.js\nListening on 3000", "shell"],
        ["powershell", "Get-ChildItem -Recurse", "shell"],
        ["", "$ pip install requests\n$ python main.py", "shell"],
        ["", "npm install express\nnode server.js", "shell"],
        ["output", "Hello, world!", "output"],
        ["", "Traceback (most recent call last):\n  File \"main.py\", line 3, in <module>\n    print(1 / 0)\nZeroDivisionError: division by zero", "output"],
        ["python", "Traceback (most recent call last):\n  File \"app.py\", line 10, in <module>\nKeyError: 'name'", "output"],
        ["", "2024-05-01 12:00:01 INFO Server started\n2024-05-01 12:00:02 ERROR Connection refused", "output"],
        ["python", ">>> add(2, 3)\n5\n>>> add(-1, 1)\n0", "output"],
        ["mermaid", "graph TD\n  A --> B", "diagram"],
        ["", "The function fails because the loop runs one step past the end of the array.\nChanging <= to < fixes the off-by-one error.", "prose"],
        ["", "", "empty"]
    ];
    for (const [fence, body, kind] of notApplicable) {
        const b = block(fence, body);
        assert.equal(b.applicable, false, `${fence}: ${body.slice(0, 30)}`);
        assert.equal(b.kind, kind, `${fence}: ${body.slice(0, 30)}`);
        assert.ok(b.reason && b.reason.length > 10, "a reason is given");
    }
    const applicable: [string, string][] = [
        ["", "def greet(name):\n    return f\"Hello, {name}\""],
        ["javascript", "const total = items.reduce((sum, x) => sum + x.price, 0);"],
        ["python", "# Compute the running total of the prices in the list\ntotal = sum(prices)"],
        ["php", "$total = $a + $b;"],
        ["ts", "const message = \"The function fails because the loop runs past the end\";"]
    ];
    for (const [fence, body] of applicable) {
        const b = block(fence, body);
        assert.equal(b.applicable, true, `${fence}: ${body} (${b.reason})`);
        assert.equal(b.kind, "code");
    }
});

test("blocks holding a think tag or lines of the reasoning are not applicable; drafted code is", () => {
    const reasoning = "\nThe user wants to dedupe a list while keeping order.\n\nA set loses order, so I'll use dict.fromkeys.\n\n" +
        "def dedupe(items):\n    \"\"\"Return the items without duplicates, keeping the order of first occurrence.\"\"\"\n" +
        "    return list(dict.fromkeys(items))\n\nWait, maybe they want it to work with unhashable items too. Probably not.\n";
    const answer = [
        "```python",
        "def dedupe(items):",
        "    \"\"\"Return the items without duplicates, keeping the order of first occurrence.\"\"\"",
        "    return list(dict.fromkeys(items))",
        "```",
        "",
        "```python",
        "Wait, maybe they want it to work with unhashable items too. Probably not.",
        "def dedupe(items):",
        "    return list(dict.fromkeys(items))",
        "```",
        "",
        "```python",
        "</think>",
        "def dedupe(items):",
        "    return list(dict.fromkeys(items))",
        "```"
    ].join("\n");
    const blocks = extractAnswerBlocks(answer, { reasoning });
    assert.deepEqual(blocks.map((b) => [b.applicable, b.kind]), [[true, "code"], [false, "reasoning"], [false, "reasoning"]]);
    assert.match(blocks[1]!.reason!, /reasoning/);
    assert.match(blocks[2]!.reason!, /<\/think>/);
    // Chinese reasoning prose leaking into a block is caught too.
    const zh = extractAnswerBlocks("```python\n嗯，用户想要去掉重复的元素，同时保持原来的顺序。\nx = 1\n```",
        { reasoning: "嗯，用户想要去掉重复的元素，同时保持原来的顺序。\n" });
    assert.equal(zh[0]!.applicable, false);
});

test("CRLF answers and a fence right at the start", () => {
    const blocks = extractAnswerBlocks("```go\r\nfunc main() {\r\n\tfmt.Println(\"hi\")\r\n}\r\n```\r\nDone.\r\n");
    assert.equal(blocks[0]!.code, "func main() {\n\tfmt.Println(\"hi\")\n}");
    assert.equal(blocks[0]!.langId, "go");
});

test("real R1 transcripts: no line of real answer code is taken for reasoning prose", { skip: transcriptsMissing }, () => {
    let codeLines = 0;
    let proseLines = 0;
    let reasoningLines = 0;
    for (const t of loadTranscripts()) {
        for (const b of t.expected_code_blocks) {
            if (b.lang !== "python") continue;
            let inDocstring = false;
            for (const line of b.code.split("\n")) {
                const quotes = (line.match(/"""/g) ?? []).length;
                const docLine = inDocstring || quotes > 0;
                if (quotes % 2 === 1) inDocstring = !inDocstring;
                if (!line.trim()) continue;
                codeLines++;
                // Docstrings are prose inside code (the leak check only takes unindented reasoning lines).
                if (docLine) continue;
                assert.ok(!isProseLine(line), `${t.file}: code line taken for prose: ${line}`);
            }
        }
        for (const line of t.reasoning.split("\n")) {
            if (line.trim().length < 40) continue;
            reasoningLines++;
            if (isProseLine(line)) proseLines++;
        }
    }
    assert.ok(codeLines > 200, `enough real code checked (${codeLines} lines)`);
    assert.ok(proseLines / reasoningLines > 0.6, `most long reasoning lines are recognised as prose (${proseLines}/${reasoningLines})`);
});
