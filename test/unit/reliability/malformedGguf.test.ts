// Hostile: every kind of malformed GGUF (test/fixtures/malformedGguf) through the one model-file check: a clear
// message naming the file, never an exception, never a hang; only a file whose header is sound but whose tensors
// are missing gets past it (llama.cpp then refuses it: the in-host test covers that).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { checkModelFileResult } from "../../../src/server/modelFile";
import { malformedGgufs } from "../../fixtures/malformedGguf";

const dir = mkdtempSync(join(tmpdir(), "r1-malformed-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("Hostile: each malformed GGUF is refused by the model-file check with a message that names the file (a hang fails by timeout)", { timeout: 60_000 }, async () => {
    const files = malformedGgufs();
    assert.ok(files.length >= 15, `${files.length} kinds`);
    const codes: string[] = [];
    for (const { name, bytes } of files) {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const r = await checkModelFileResult(path);
        if (name === "no-tensors.gguf") {
            assert.ok(r.ok, `${name}: the header is sound (llama.cpp refuses it at load)`);
            continue;
        }
        assert.equal(r.ok, false, `${name} was accepted`);
        if (!r.ok) {
            assert.ok(r.problem.message.includes(name) || /not found|empty/i.test(r.problem.message), `${name}: ${r.problem.message}`);
            codes.push(`${name}: ${r.problem.code}`);
        }
    }
    console.log(`${codes.length} refused by the check:\n  ${codes.join("\n  ")}`);
});
