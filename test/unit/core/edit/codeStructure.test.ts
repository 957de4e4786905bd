// Finding definitions in source text (core/edit/codeStructure): the function around a line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { enclosingFunctionRange } from "../../../../src/core/edit/codeStructure";
import { PY_DOC } from "../../support/editDocuments";

test("enclosingFunctionRange: the method a line lies in, with the decorator of a decorated function", () => {
    assert.deepEqual(enclosingFunctionRange(PY_DOC, 8, "python"), { start: { line: 7, character: 0 }, end: { line: 8, character: 32 } });
    assert.deepEqual(enclosingFunctionRange(PY_DOC, 17, "python"), { start: { line: 14, character: 0 }, end: { line: 18, character: 34 } });
});
