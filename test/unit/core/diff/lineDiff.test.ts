import { test } from "node:test";
import assert from "node:assert/strict";
import { diffLines, type DiffOp } from "../../../../src/core/diff/lineDiff";
import { seededRandom } from "../../../webview/tokenize";

/** Rebuilds b from a and the ops, checking that equal runs really are equal. */
function replay(a: string[], b: string[], ops: DiffOp[]): string[] {
    const out: string[] = [];
    let ai = 0;
    let bi = 0;
    for (const op of ops) {
        assert.equal(op.oldStart, ai, "ops are contiguous in the old text");
        assert.equal(op.newStart, bi, "ops are contiguous in the new text");
        for (let k = 0; k < op.count; k++) {
            if (op.kind === "equal") {
                assert.equal(a[ai], b[bi]);
                out.push(a[ai]!);
                ai++;
                bi++;
            } else if (op.kind === "delete") ai++;
            else out.push(b[bi++]!);
        }
    }
    assert.equal(ai, a.length);
    return out;
}

test("diffLines: replaying the ops gives the new text, on random edits", () => {
    const rnd = seededRandom(42);
    for (let round = 0; round < 300; round++) {
        const a = Array.from({ length: Math.floor(rnd() * 30) }, () => `l${Math.floor(rnd() * 8)}`);
        const b = a.filter(() => rnd() > 0.2).flatMap((l) => (rnd() > 0.8 ? [l, `n${Math.floor(rnd() * 8)}`] : [l]));
        assert.deepEqual(replay(a, b, diffLines(a, b)), b);
    }
});

test("diffLines: minimal on small known cases", () => {
    const count = (ops: DiffOp[], kind: string) => ops.filter((o) => o.kind === kind).reduce((n, o) => n + o.count, 0);
    const ops = diffLines(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"]);
    assert.deepEqual([count(ops, "equal"), count(ops, "delete"), count(ops, "insert")], [3, 1, 2]);
    assert.deepEqual(diffLines([], []), []);
    assert.deepEqual(diffLines(["a"], []), [{ kind: "delete", oldStart: 0, newStart: 0, count: 1 }]);
});
