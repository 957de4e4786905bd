// Choosing the answer's block to apply (core/edit/blockChoice), seen through proposeEdit: the block a user would
// expect is the one applied.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ProposeEditRequest, proposeEdit } from "../../../../src/core/edit/proposedEdit";
import { applied, fence, onLine, PY_DOC, TS_DOC } from "../../support/editDocuments";

test("the block in the document's language that overlaps the target most is chosen", () => {
    const answer = [
        "Install nothing new:", fence("bash", "pip install --upgrade pip"),
        "Config stays:", fence("json", "{ \"debug\": true }"),
        "Usage:", fence("python", "s = Stack()", "s.push(1)", "print(s.pop())"),
        "Fix:", fence("python", "def pop(self):", "    return self.items.pop()")
    ].join("\n\n");
    const { result } = applied({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(8, PY_DOC) }, answer });
    assert.equal(result.block.index, 3);
    // An explicit block (chat Apply on that block) is used as asked.
    const usage = proposeEdit({ documentText: PY_DOC, languageId: "python", target: { kind: "lines", range: onLine(8, PY_DOC) }, answer, blockIndex: 0 });
    assert.equal(usage.ok, false);
    if (!usage.ok) assert.equal(usage.code, "noApplicableBlock");
});

test("with the document's path, a block under another file's name is left out; under its own name it is chosen", () => {
    const elsewhere = "**src/server.ts**\n\n" + fence("ts",
        "export function parseConfig(path: string): Config {",
        "    const text = readFileSync(path, \"utf8\");",
        "    const data = JSON.parse(text);",
        "    return { port: data.port, host: data.hostname };",
        "}");
    const here = "**src/config.ts**\n\n" + fence("ts", "    return { port: data.port, host: data.host };");
    const answer = `Two files:\n\n${elsewhere}\n\n${here}`;
    const req: ProposeEditRequest = { documentText: TS_DOC, languageId: "typescript", target: { kind: "lines", range: onLine(10, TS_DOC) }, answer };
    const blind = proposeEdit(req);
    assert.equal(blind.ok ? blind.block.index : blind.block?.index, 0, "without the path the block that overlaps most wins");
    const { text, result } = applied({ ...req, documentPath: "/work/app/src/config.ts" });
    assert.equal(result.block.index, 1);
    assert.equal(text, TS_DOC.replace("host: data.hostname", "host: data.host"));
    const only = proposeEdit({ ...req, answer: `Here:\n\n${elsewhere}`, documentPath: "/work/app/src/config.ts" });
    assert.equal(only.ok, false);
    if (!only.ok) assert.equal(only.reason, "The answer's code is for src/server.ts, not config.ts.");
});
