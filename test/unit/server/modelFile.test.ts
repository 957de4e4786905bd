import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { checkGgufFile, GgufError, readGgufHeader } from "../../../src/platform/ggufHeader";
import { fakeModel, ggufHeader } from "../support/ggufBytes";
import { findSharedDir } from "../../fixtures/repoPaths";

const dir = mkdtempSync(join(tmpdir(), "r1-gguf-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
}

async function problem(p: Promise<unknown>, expected: string): Promise<GgufError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof GgufError, String(e));
        assert.equal(e.problem, expected, e.message);
        return e;
    }
    assert.fail(`expected ${expected}`);
}

test("reads version, counts, architecture, name and scalar metadata, skipping arrays", async () => {
    const p = write("qwen.gguf", fakeModel("qwen2", 10_000, { "qwen2.attention.layer_norm_rms_epsilon": { f32: 1e-6 } }));
    const h = await checkGgufFile(p);
    assert.equal(h.version, 3);
    assert.equal(h.architecture, "qwen2");
    assert.equal(h.name, "test qwen2");
    assert.equal(h.metadata.get("qwen2.context_length"), 131072);
    assert.deepEqual(h.metadata.get("tokenizer.ggml.tokens"), { arrayOf: 8, length: 5 });
    assert.ok(Math.abs((h.metadata.get("qwen2.attention.layer_norm_rms_epsilon") as number) - 1e-6) < 1e-9);
});

test("a header larger than the read buffer (a big tokenizer array) is read to the end", async () => {
    const tokens = Array.from({ length: 200_000 }, (_, i) => `token-${i}`);
    const p = write("big-vocab.gguf", Buffer.concat([ggufHeader({
        "general.architecture": { str: "llama" },
        "tokenizer.ggml.tokens": { strArray: tokens },
        "llama.block_count": { u32: 32 }
    }), randomBytes(1000)]));
    const h = await checkGgufFile(p);
    assert.equal(h.architecture, "llama");
    assert.equal(h.metadata.get("llama.block_count"), 32, "the key after the 2 MB array was reached");
});

test("rejects files that are not GGUF models, saying what they are", async () => {
    let e = await problem(checkGgufFile(write("random.gguf", randomBytes(5000))), "not-gguf");
    assert.match(e.message, /random\.gguf is not a GGUF model/);
    e = await problem(checkGgufFile(write("page.gguf", "<!DOCTYPE html><html><body>Sign in</body></html>")), "html");
    assert.match(e.message, /web page or an error response/);
    e = await problem(checkGgufFile(write("pointer.gguf", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n")), "not-gguf");
    assert.match(e.message, /Git LFS pointer/);
    e = await problem(checkGgufFile(write("archive.gguf", Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), randomBytes(100)]))), "archive");
    await problem(checkGgufFile(write("empty.gguf", Buffer.alloc(0))), "empty");
});

test("rejects an unsupported architecture with the list of supported ones", async () => {
    const e = await problem(checkGgufFile(write("mamba.gguf", fakeModel("mamba", 1000))), "unsupported-architecture");
    assert.match(e.message, /"mamba" model/);
    assert.match(e.message, /qwen2, llama/);
    // A caller may narrow the list.
    await problem(checkGgufFile(write("llama-only.gguf", fakeModel("qwen2", 1000)), { supportedArchitectures: ["llama"] }), "unsupported-architecture");
});

test("rejects truncated headers, other versions, big-endian files and later parts of split models", async () => {
    const full = fakeModel("qwen2", 0);
    await problem(checkGgufFile(write("cut.gguf", full.subarray(0, full.length - 10))), "truncated");
    await problem(checkGgufFile(write("v1.gguf", ggufHeader({ "general.architecture": { str: "llama" } }, { version: 1 }))), "unsupported-version");
    const be = Buffer.from(ggufHeader({ "general.architecture": { str: "llama" } }));
    be.writeUInt32BE(3, 4);
    await problem(checkGgufFile(write("be.gguf", be)), "big-endian");
    const e = await problem(checkGgufFile(write("m-00002-of-00003.gguf", fakeModel("qwen2", 10, { "split.no": { u32: 1 }, "split.count": { u32: 3 } }))), "not-first-split");
    assert.match(e.message, /part 2 of 3/);
    assert.match(e.message, /-00001-of-00003\.gguf/);
    // The first part is fine.
    const h = await checkGgufFile(write("m-00001-of-00003.gguf", fakeModel("qwen2", 10, { "split.no": { u32: 0 }, "split.count": { u32: 3 } })));
    assert.deepEqual(h.split, { index: 0, count: 3 });
    await problem(checkGgufFile(write("noarch.gguf", ggufHeader({ "general.name": { str: "x" } }))), "corrupt");
});

test("reads a real GGUF from the shared fixtures (stories260K, a llama model)", async (t) => {
    const shared = findSharedDir();
    const real = shared == null ? undefined : join(shared, "fixtures", "models", "stories260K.gguf");
    if (real == null || !existsSync(real)) {
        t.skip("../shared/fixtures/models/stories260K.gguf is absent (no shared/ folder beside this checkout)");
        return;
    }
    const h = await readGgufHeader(real);
    assert.equal(h.architecture, "llama");
    assert.ok(h.tensorCount > 0);
    assert.ok(h.metadata.has("llama.block_count"));
});
