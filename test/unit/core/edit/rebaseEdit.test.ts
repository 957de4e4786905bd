import { test } from "node:test";
import assert from "node:assert/strict";
import { proposeEdit } from "../../../../src/core/edit/proposedEdit";
import { rebaseEdit } from "../../../../src/core/edit/rebaseEdit";
import { applyEdit, type TextEdit } from "../../../../src/core/edit/textEdit";

const ORIGINAL = [
    "import os",
    "",
    "def read(path):",
    "    with open(path) as f:",
    "        return f.read()",
    "",
    "def size(path):",
    "    return os.path.getsize(path) / 1000",
    ""
].join("\n");

/** The edit a quick fix on `size` would make, computed from the answer like the product does. */
function sizeFix(doc: string): TextEdit {
    const line = doc.split("\n").findIndex((l) => l.includes("getsize"));
    const r = proposeEdit({
        documentText: doc, languageId: "python",
        target: { kind: "lines", range: { start: { line, character: 0 }, end: { line, character: 40 } } },
        answer: "```python\ndef size(path):\n    return os.path.getsize(path) / 1024\n```"
    });
    assert.ok(r.ok, r.ok ? "" : r.reason);
    return r.edit;
}

test("unchanged document: the edit is used as it is", () => {
    const edit = sizeFix(ORIGINAL);
    assert.deepEqual(rebaseEdit(ORIGINAL, ORIGINAL, edit), { ok: true, edit, movedBy: 0 });
});

test("lines added or removed above the target: the edit moves with its code", () => {
    const edit = sizeFix(ORIGINAL);
    const added = ORIGINAL.replace("import os\n", "import os\nimport sys\nimport json\n");
    const moved = rebaseEdit(ORIGINAL, added, edit);
    assert.ok(moved.ok);
    assert.equal(moved.movedBy, 2);
    assert.equal(applyEdit(added, moved.edit), added.replace("/ 1000", "/ 1024"));
    // The same as a fresh edit on the current text.
    assert.deepEqual(moved.edit, sizeFix(added));

    const removed = ORIGINAL.replace("def read(path):\n    with open(path) as f:\n        return f.read()\n\n", "");
    const up = rebaseEdit(ORIGINAL, removed, edit);
    assert.ok(up.ok);
    assert.equal(up.movedBy, -4);
    assert.equal(applyEdit(removed, up.edit), removed.replace("/ 1000", "/ 1024"));
});

test("changes below or beside the target leave it in place", () => {
    const edit = sizeFix(ORIGINAL);
    const below = `${ORIGINAL}\ndef main():\n    print(size("a.txt"))\n`;
    const r = rebaseEdit(ORIGINAL, below, edit);
    assert.ok(r.ok);
    assert.equal(r.movedBy, 0);
    assert.equal(applyEdit(below, r.edit), below.replace("/ 1000", "/ 1024"));
    // Typing in another function, same number of lines.
    const beside = ORIGINAL.replace("return f.read()", "return f.read().strip()");
    const b = rebaseEdit(ORIGINAL, beside, edit);
    assert.ok(b.ok);
    assert.equal(applyEdit(beside, b.edit), beside.replace("/ 1000", "/ 1024"));
});

test("the target region changed, got a line inserted, or was deleted: refused with the lines named", () => {
    const edit = sizeFix(ORIGINAL);
    const cases = [
        ORIGINAL.replace("/ 1000", "/ 1000.0"),
        ORIGINAL.replace("def size(path):\n", "def size(path):\n    # bytes to kB\n"),
        ORIGINAL.replace("def size(path):\n    return os.path.getsize(path) / 1000\n", ""),
        ""
    ];
    for (const current of cases) {
        const r = rebaseEdit(ORIGINAL, current, edit);
        assert.equal(r.ok, false, JSON.stringify(current));
        if (!r.ok) assert.match(r.reason, /lines 7–8\) changed while the model was thinking/);
    }
});

test("duplicated code: the edit moves with its own copy, never onto other text", () => {
    const doc = ["def a():", "    return 1", "", "def a():", "    return 1", ""].join("\n");
    const edit: TextEdit = { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 12 } }, newText: "    return 2" };
    // One copy deleted: which one is ambiguous. Refusing is fine; moving is fine only onto the same text.
    const current = ["def a():", "    return 1", ""].join("\n");
    const r = rebaseEdit(doc, current, edit);
    if (r.ok) assert.equal(current.split("\n")[r.edit.range.start.line], "    return 1");
    else assert.match(r.reason, /\(line 5\) changed/);
    // The user inserts a line between the copies: the edit moves by one.
    const inserted = ["def a():", "    return 1", "", "# second", "def a():", "    return 1", ""].join("\n");
    const s = rebaseEdit(doc, inserted, edit);
    assert.ok(s.ok);
    assert.equal(s.movedBy, 1);
    assert.equal(applyEdit(inserted, s.edit), inserted.replace(/return 1\n$/, "return 2\n"));
});

test("CRLF documents and a range that is not inside the original text", () => {
    const crlf = ORIGINAL.replace(/\n/g, "\r\n");
    const edit = sizeFix(crlf);
    const current = crlf.replace("import os\r\n", "import os\r\nimport re\r\n");
    const r = rebaseEdit(crlf, current, edit);
    assert.ok(r.ok);
    assert.equal(applyEdit(current, r.edit), current.replace("/ 1000", "/ 1024"));
    const bad = rebaseEdit(ORIGINAL, current, { range: { start: { line: 50, character: 0 }, end: { line: 51, character: 0 } }, newText: "x" });
    assert.equal(bad.ok, false);
});
