// The documents and helpers the edit tests share: a TypeScript and a Python document with a bug in each, fenced
// answers, one-line targets, and proposeEdit applied to its document.

import assert from "node:assert/strict";
import { type ProposeEditRequest, type ProposeEditResult, type ProposedEdit, proposeEdit } from "../../../src/core/edit/proposedEdit";
import { applyEdit, type TextRange } from "../../../src/core/edit/textEdit";

export const lines = (...l: string[]): string => l.join("\n");
export const fence = (lang: string, ...l: string[]): string => `\`\`\`${lang}\n${l.join("\n")}\n\`\`\``;
export const onLine = (line: number, docText: string): TextRange => ({
    start: { line, character: 0 },
    end: { line, character: docText.split(/\r?\n/)[line]!.length }
});

export function ok(r: ProposeEditResult): ProposedEdit {
    if (!r.ok) assert.fail(`refused (${r.code}): ${r.reason}`);
    return r;
}

/** The edit proposed for `req`, and the document with it applied (fails the test on a refusal). */
export function applied(req: ProposeEditRequest): { text: string; result: ProposedEdit } {
    const result = ok(proposeEdit(req));
    return { text: applyEdit(req.documentText, result.edit), result };
}

/** A config parser (line 10 reads `data.hostname`) and a cache whose get() passes `key.toLowerCase` uncalled. */
export const TS_DOC = lines(
    "import { readFileSync } from \"node:fs\";",
    "",
    "export interface Config {",
    "    port: number;",
    "    host: string;",
    "}",
    "",
    "export function parseConfig(path: string): Config {",
    "    const text = readFileSync(path, \"utf8\");",
    "    const data = JSON.parse(text);",
    "    return { port: data.port, host: data.hostname };",
    "}",
    "",
    "export class Cache {",
    "    private items = new Map<string, string>();",
    "",
    "    /**",
    "     * Returns the cached value.",
    "     */",
    "    get(key: string): string | undefined {",
    "        return this.items.get(key.toLowerCase);",
    "    }",
    "}",
    ""
);

/** A stack whose pop() takes the first item, a decorated fib with a wrong recursion, a multi-line signature. */
export const PY_DOC = lines(
    "import functools",
    "",
    "",
    "class Stack:",
    "    def __init__(self):",
    "        self.items = []",
    "",
    "    def pop(self):",
    "        return self.items.pop(0)",
    "",
    "    def push(self, x):",
    "        self.items.append(x)",
    "",
    "",
    "@functools.lru_cache(maxsize=None)",
    "def fib(n):",
    "    if n < 2:",
    "        return n",
    "    return fib(n - 1) + fib(n - 3)",
    "",
    "",
    "def main(",
    "    argv,",
    "    verbose=False,",
    "):",
    "    print(fib(int(argv[1])))",
    ""
);
