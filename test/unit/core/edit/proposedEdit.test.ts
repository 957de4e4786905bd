// proposeEdit: an answer's code placed in the document (whole function, method, snippet, selection, whole file,
// diff), re-indented, with its line breaks, or refused with a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { proposeEdit } from "../../../../src/core/edit/proposedEdit";
import { splitReasoning } from "../../../../src/core/reply/reasoningSplit";
import { loadTranscripts, transcriptsMissing } from "../../support/transcriptFixtures";
import { applied, fence, lines, onLine, PY_DOC, TS_DOC } from "../../support/editDocuments";

// ---- TypeScript ----------------------------------------------------------------------------------

test("TS: a whole-function answer replaces the enclosing function; usage example left out; indent unit converted", () => {
    const answer = "The config uses `host`:\n\n" + fence("ts",
        "export function parseConfig(path: string): Config {",
        "  const text = readFileSync(path, \"utf8\");",
        "  const data = JSON.parse(text);",
        "  return { port: data.port, host: data.host };",
        "}",
        "",
        "// Example usage:",
        "console.log(parseConfig(\"config.json\"));"
    ) + "\n\nThis reads the right field.";
    const { text, result } = applied({ documentText: TS_DOC, languageId: "typescript", target: { kind: "lines", range: onLine(10, TS_DOC) }, answer });
    assert.equal(result.mapping, "definition");
    assert.equal(text, TS_DOC.replace("host: data.hostname", "host: data.host"));
    assert.ok(result.notes.some((n) => /example usage/.test(n)));
    assert.deepEqual(result.edit.range, { start: { line: 7, character: 0 }, end: { line: 11, character: 1 } });
});

test("TS: a method answered at column 0 with its JSDoc goes back into the class, comment replaced not duplicated", () => {
    const answer = fence("typescript",
        "/**",
        " * Returns the cached value (keys are case-insensitive).",
        " */",
        "get(key: string): string | undefined {",
        "    return this.items.get(key.toLowerCase());",
        "}"
    );
    const { text, result } = applied({ documentText: TS_DOC, languageId: "typescript", target: { kind: "lines", range: onLine(20, TS_DOC) }, answer });
    assert.equal(result.mapping, "definition");
    assert.equal(text, TS_DOC
        .replace("     * Returns the cached value.", "     * Returns the cached value (keys are case-insensitive).")
        .replace("key.toLowerCase);", "key.toLowerCase());"));
});

test("TS: a snippet with a context line above the target is anchored; following lines stay", () => {
    const answer = fence("ts",
        "const data = JSON.parse(text);",
        "if (typeof data.port !== \"number\") throw new Error(\"port must be a number\");",
        "return { port: data.port, host: data.host };"
    );
    const { text, result } = applied({ documentText: TS_DOC, languageId: "typescript", target: { kind: "lines", range: onLine(10, TS_DOC) }, answer });
    assert.equal(result.mapping, "anchored");
    assert.equal(text, TS_DOC.replace(
        "    const data = JSON.parse(text);\n    return { port: data.port, host: data.hostname };",
        "    const data = JSON.parse(text);\n    if (typeof data.port !== \"number\") throw new Error(\"port must be a number\");\n    return { port: data.port, host: data.host };"
    ));
});

test("TS: one corrected line replaces the diagnostic line at the line's indentation", () => {
    const answer = "Change the field:\n\n" + fence("ts", "return { port: data.port, host: data.host };");
    const { text, result } = applied({ documentText: TS_DOC, languageId: "typescript", target: { kind: "lines", range: onLine(10, TS_DOC) }, answer });
    assert.equal(result.mapping, "target");
    assert.equal(text, TS_DOC.replace("host: data.hostname", "host: data.host"));
    assert.equal(result.oldText, "    return { port: data.port, host: data.hostname };");
});

test("TS: a selection inside one line is replaced by a one-line answer exactly", () => {
    const line = 10;
    const start = TS_DOC.split("\n")[line]!.indexOf("data.hostname");
    const range = { start: { line, character: start }, end: { line, character: start + "data.hostname".length } };
    const { text, result } = applied({ documentText: TS_DOC, languageId: "typescript", target: { kind: "selection", range }, answer: fence("ts", "data.host") });
    assert.equal(result.mapping, "selection");
    assert.equal(text, TS_DOC.replace("data.hostname", "data.host"));
});

test("TS: a selection spanning lines from inside code is replaced exactly, continuation lines re-indented", () => {
    const doc = lines("function total(a: number[], b: number[]) {", "    const result = compute(", "        a,", "        b", "    );", "    return result;", "}", "");
    const start = doc.split("\n")[1]!.indexOf("compute(");
    const range = { start: { line: 1, character: start }, end: { line: 4, character: 5 } };
    const answer = fence("ts", "computeAll([", "  a,", "  b,", "])");
    const { text, result } = applied({ documentText: doc, languageId: "typescript", target: { kind: "selection", range }, answer });
    assert.equal(result.mapping, "selection");
    assert.equal(text, lines("function total(a: number[], b: number[]) {", "    const result = computeAll([", "        a,", "        b,", "    ]);", "    return result;", "}", ""));
    // A selection of whole lines (ending at the start of the next line) replaces those lines.
    const whole = { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } };
    const w = applied({ documentText: doc, languageId: "typescript", target: { kind: "selection", range: whole }, answer: fence("ts", "return result ?? 0;") });
    assert.equal(w.result.mapping, "target");
    assert.equal(w.text, doc.replace("    return result;", "    return result ?? 0;"));
});

// ---- Python --------------------------------------------------------------------------------------

test("Python: a method answered without its class indentation is re-indented into the class", () => {
    const answer = fence("python",
        "def pop(self):",
        "    if not self.items:",
        "        raise IndexError(\"pop from empty stack\")",
        "    return self.items.pop()"
    );
    const { text, result } = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(8, PY_DOC) }, answer });
    assert.equal(result.mapping, "definition");
    assert.equal(text, PY_DOC.replace(
        "    def pop(self):\n        return self.items.pop(0)",
        "    def pop(self):\n        if not self.items:\n            raise IndexError(\"pop from empty stack\")\n        return self.items.pop()"
    ));
});

test("Python: decorated function (decorator kept or replaced) and multi-line signatures", () => {
    const withDecorator = fence("python",
        "@functools.lru_cache(maxsize=None)",
        "def fib(n):",
        "    if n < 2:",
        "        return n",
        "    return fib(n - 1) + fib(n - 2)",
        "",
        "",
        "print(fib(10))  # 55"
    );
    const expected = PY_DOC.replace("fib(n - 3)", "fib(n - 2)");
    const a = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(18, PY_DOC) }, answer: withDecorator });
    assert.equal(a.text, expected);
    const withoutDecorator = fence("python", "def fib(n):", "    if n < 2:", "        return n", "    return fib(n - 1) + fib(n - 2)");
    assert.equal(applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(18, PY_DOC) }, answer: withoutDecorator }).text, expected);
    const main = fence("python", "def main(", "    argv,", "    verbose=False,", "):", "    n = int(argv[1])", "    print(fib(n))");
    const m = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(25, PY_DOC) }, answer: main });
    assert.equal(m.result.mapping, "definition");
    assert.equal(m.text, PY_DOC.replace("    print(fib(int(argv[1])))", "    n = int(argv[1])\n    print(fib(n))"));
});

test("Python: the target kind 'function' maps a whole-function answer onto the given range", () => {
    const range = { start: { line: 7, character: 0 }, end: { line: 8, character: 32 } };
    const answer = fence("python", "    def pop(self):", "        return self.items.pop()");
    const { text } = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "function", range }, answer });
    assert.equal(text, PY_DOC.replace("self.items.pop(0)", "self.items.pop()"));
});

test("Python: a whole-file answer replaces the file, keeping its final newline", () => {
    const doc = lines("import heapq", "", "def smallest(xs, k):", "    return sorted(xs)[:k]", "", "", "def largest(xs, k):", "    return sorted(xs)[-k:]", "");
    const answer = fence("python", "import heapq", "", "def smallest(xs, k):", "    return heapq.nsmallest(k, xs)", "", "", "def largest(xs, k):", "    return heapq.nlargest(k, xs)", "", "", "# Example usage:", "print(smallest([5, 1, 4], 2))");
    const { text, result } = applied({ documentText: doc, languageId: "python", target: { kind: "lines", range: onLine(3, doc) }, answer });
    assert.equal(result.mapping, "wholeFile");
    assert.equal(text, doc.replace("sorted(xs)[:k]", "heapq.nsmallest(k, xs)").replace("sorted(xs)[-k:]", "heapq.nlargest(k, xs)"));
    // Asked for the file, the answer is taken as given.
    const asked = applied({ documentText: doc, languageId: "python", target: { kind: "file", range: onLine(0, doc) }, answer });
    assert.ok(asked.text.endsWith("print(smallest([5, 1, 4], 2))\n"));
});

// ---- line endings, tabs --------------------------------------------------------------------------

test("CRLF documents stay CRLF (function, snippet and whole-file edits)", () => {
    const crlf = TS_DOC.replace(/\n/g, "\r\n");
    const answers = [
        fence("ts", "export function parseConfig(path: string): Config {", "    const text = readFileSync(path, \"utf8\");", "    const data = JSON.parse(text);", "    return { port: data.port, host: data.host };", "}"),
        fence("ts", "const data = JSON.parse(text);", "if (!data) throw new Error(\"empty\");", "return { port: data.port, host: data.host };")
    ];
    for (const answer of answers) {
        const { text } = applied({ documentText: crlf, languageId: "typescript", target: { kind: "lines", range: onLine(10, crlf) }, answer });
        assert.ok(text.includes("host: data.host };\r\n}"), "edited");
        assert.equal(text.replace(/\r\n/g, "").includes("\n"), false, "a bare LF in a CRLF file");
    }
    const whole = applied({ documentText: "a = 1\r\nb = 2\r\n", languageId: "python", target: { kind: "file", range: onLine(0, "a = 1") }, answer: fence("python", "a = 1", "b = 3") });
    assert.equal(whole.text, "a = 1\r\nb = 3\r\n");
});

test("tab-indented documents get tabs", () => {
    const doc = lines("func Sum(xs []int) int {", "\ttotal := 0", "\tfor i := 1; i < len(xs); i++ {", "\t\ttotal += xs[i]", "\t}", "\treturn total", "}", "");
    const answer = fence("go", "func Sum(xs []int) int {", "    total := 0", "    for _, x := range xs {", "        total += x", "    }", "    return total", "}");
    const { text } = applied({ documentText: doc, languageId: "go", target: { kind: "lines", range: onLine(2, doc) }, answer });
    assert.equal(text, lines("func Sum(xs []int) int {", "\ttotal := 0", "\tfor _, x := range xs {", "\t\ttotal += x", "\t}", "\treturn total", "}", ""));
});

// ---- diffs ---------------------------------------------------------------------------------------------

test("a unified diff is placed by its old lines, even with several hunks", () => {
    const answer = fence("diff",
        "--- a/stack.py",
        "+++ b/stack.py",
        "@@ -8,2 +8,2 @@",
        "     def pop(self):",
        "-        return self.items.pop(0)",
        "+        return self.items.pop()",
        "@@ -18,1 +18,1 @@",
        "-    return fib(n - 1) + fib(n - 3)",
        "+    return fib(n - 1) + fib(n - 2)"
    );
    const { text, result } = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(8, PY_DOC) }, answer });
    assert.equal(result.mapping, "diff");
    assert.equal(text, PY_DOC.replace("pop(0)", "pop()").replace("fib(n - 3)", "fib(n - 2)"));
    const stale = proposeEdit({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(8, PY_DOC) },
        answer: fence("diff", "@@ -1 +1 @@", "-    return self.items.popleft()", "+    return self.items.pop()") });
    assert.equal(stale.ok, false);
    if (!stale.ok) assert.equal(stale.code, "diffMismatch");
});

// ---- refusals ----------------------------------------------------------------------------------------

test("refuses edits that would contain <think>, </think> or a line of the reasoning", () => {
    const reasoning = "Okay, the user wants pop to remove the last item instead of the first one.\n\nSo use pop() without an index.\n";
    const target = { kind: "lines" as const, range: onLine(8, PY_DOC) };
    const tagged = proposeEdit({ documentText: PY_DOC, languageId: "python", target, reasoning,
        answer: fence("python", "def pop(self):", "    return self.items.pop()  # </think>") });
    assert.deepEqual([tagged.ok, !tagged.ok && tagged.code], [false, "reasoningLeak"]);
    const leaked = proposeEdit({ documentText: PY_DOC, languageId: "python", target, reasoning,
        answer: fence("python", "def pop(self):", "    Okay, the user wants pop to remove the last item instead of the first one.", "    return self.items.pop()") });
    assert.equal(leaked.ok, false);
    if (!leaked.ok) {
        assert.equal(leaked.code, "reasoningLeak");
        assert.match(leaked.reason, /reasoning/);
    }
    // Code the model drafted while thinking and repeated in the answer is fine.
    const drafted = proposeEdit({ documentText: PY_DOC, languageId: "python", target,
        reasoning: reasoning + "\ndef pop(self):\n    return self.items.pop()\n", answer: fence("python", "def pop(self):", "    return self.items.pop()") });
    assert.equal(drafted.ok, true);
});

test("refuses placeholders, unrelated code, other languages, no code, no change and bad targets", () => {
    const target = { kind: "lines" as const, range: onLine(8, PY_DOC) };
    const cases: [string, string][] = [
        [fence("python", "class Stack:", "    # ... existing code ...", "    def pop(self):", "        return self.items.pop()"), "placeholder"],
        [fence("python", "def pop(self):", "    # rest of the method unchanged", "    return self.items.pop()"), "placeholder"],
        [fence("python", "import requests", "resp = requests.get(url, timeout=5)"), "unrelatedCode"],
        [fence("javascript", "items.pop();"), "languageMismatch"],
        ["Use `pop()` without an argument.", "noCodeBlock"],
        [fence("bash", "python -m pytest"), "noApplicableBlock"],
        [fence("python", "return self.items.pop(0)"), "noChange"]
    ];
    for (const [answer, code] of cases) {
        const r = proposeEdit({ documentText: PY_DOC, languageId: "python", target, answer });
        assert.equal(r.ok, false, answer);
        if (!r.ok) {
            assert.equal(r.code, code, answer);
            assert.ok(r.reason.length > 15, "a reason for the user");
        }
    }
    const bad = proposeEdit({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(0, PY_DOC) && { start: { line: 99, character: 0 }, end: { line: 99, character: 0 } } }, answer: fence("python", "x = 1") });
    assert.equal(!bad.ok && bad.code, "invalidTarget");
    // A large block that repeats other parts of the file cannot be placed on a one-line target.
    const repeated = fence("python", "self.items = []", "", "def pop(self):", "    return self.items.pop()", "", "def push(self, x):",
        "    self.items.append(x)", "print(fib(int(argv[1]) + 1))");
    const amb = proposeEdit({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(25, PY_DOC) }, answer: repeated });
    assert.equal(!amb.ok && amb.code, "ambiguousPlacement");
});

test("a function-only answer never replaces the whole file it was taken from", () => {
    const doc = lines("def area(r):", "    return 3.14 * r * r", "", "", "print(area(2))", "");
    const answer = fence("python", "import math", "", "", "def area(r):", "    return math.pi * r ** 2");
    const { text, result } = applied({ documentText: doc, languageId: "python", target: { kind: "lines", range: onLine(1, doc) }, answer });
    assert.equal(result.mapping, "definition");
    assert.equal(text, lines("import math", "", "def area(r):", "    return math.pi * r ** 2", "", "", "print(area(2))", ""));
});

// ---- the real transcripts' answers applied to documents ---------------------------------------------

test("real R1 answers: 001 function, 004 class in a module, 005 picks the file's block", { skip: transcriptsMissing }, () => {
    const byFile = new Map(loadTranscripts().map((t) => [t.file, t]));
    const answerOf = (f: string) => splitReasoning(byFile.get(f)!.raw!);

    const s1 = answerOf("001.json");
    const doc1 = lines("def add_numbers(a, b):", "    return a - b", "", "", "def sub(a, b):", "    return a - b", "");
    const r1 = applied({ documentText: doc1, languageId: "python", target: { kind: "lines", range: onLine(1, doc1) }, answer: s1.answer, reasoning: s1.reasoning });
    assert.equal(r1.text, lines("def add_numbers(a, b):", "    \"\"\"Returns the sum of two numbers.\"\"\"", "    return a + b", "", "", "def sub(a, b):", "    return a - b", ""));

    const s4 = answerOf("004.json");
    const doc4 = lines("\"\"\"Streaming statistics.\"\"\"", "import heapq", "import math", "", "", "class MedianFinder:", "    def __init__(self):",
        "        self.lower = []", "        self.higher = []", "", "    def find_median(self) -> float:", "        return -self.lower[0]", "", "",
        "def mean(xs):", "    return math.fsum(xs) / len(xs)", "");
    const r4 = applied({ documentText: doc4, languageId: "python", target: { kind: "lines", range: onLine(11, doc4) }, answer: s4.answer, reasoning: s4.reasoning });
    assert.equal(r4.result.mapping, "definition");
    assert.ok(r4.text.startsWith(lines("\"\"\"Streaming statistics.\"\"\"", "import heapq", "import math", "", "", "class MedianFinder:")));
    assert.ok(r4.text.endsWith(lines("            return (-self.lower[0] + self.higher[0]) / 2.0", "", "", "def mean(xs):", "    return math.fsum(xs) / len(xs)", "")));
    assert.ok(!r4.text.includes("Example usage"), "the answer's usage example stays out");
    assert.equal(r4.text.split("import heapq").length, 2, "import not duplicated");

    const s5 = answerOf("005.json");
    const doc5 = lines("import json", "import os", "from typing import Any, Optional", "from ..interfaces.key_value_store import KeyValueStore", "",
        "class LocalStore(KeyValueStore):", "    def __init__(self, storage_path: str = \"~/.kvstore\"):", "        self.storage_path = storage_path", "",
        "    def get(self, key: str) -> Optional[Any]:", "        with open(os.path.join(self.storage_path, key)) as f:", "            return json.load(f)", "");
    const r5 = applied({ documentText: doc5, languageId: "python", target: { kind: "lines", range: onLine(10, doc5) }, answer: s5.answer, reasoning: s5.reasoning });
    assert.equal(r5.result.block.index, 1);
    assert.equal(r5.result.block.fileHint, "src/store/implementations/local_store.py");
    assert.ok(r5.text.includes("import threading\n"), "the new import is added");
    assert.ok(r5.text.includes("self._lock = threading.Lock()"));

    // 003's only block is an ASCII diagram: nothing to apply.
    const s3 = answerOf("003.json");
    const r3 = proposeEdit({ documentText: doc1, languageId: "python", target: { kind: "lines", range: onLine(1, doc1) }, answer: s3.answer, reasoning: s3.reasoning });
    assert.equal(!r3.ok && r3.code, "noApplicableBlock");
});
