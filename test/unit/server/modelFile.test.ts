// The one check of a model file (src/server/modelFile.ts): called directly with every kind of bad file a
// user ends up with, and once through the real model process (r1/checkModelFile) the way the extension asks.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { checkModelFile, checkModelFileResult } from "../../../src/server/modelFile";
import { ModelProcessClient } from "../../../src/platform/modelProcessClient";
import { ErrorCodes, type ModelFileProblem, type ModelFileProblemCode, type ModelInfo } from "../../../src/shared/lspProtocol";
import { ensureFixtureModel } from "../../fixtures/generate";
import { findSharedDir, repoRoot } from "../../fixtures/repoPaths";
import { fakeModel, ggufHeader } from "../support/ggufBytes";

const dir = mkdtempSync(join(tmpdir(), "r1-gguf-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
}

async function usable(path: string): Promise<ModelInfo> {
    const r = await checkModelFileResult(path);
    assert.ok(r.ok, r.ok ? "" : `${r.problem.code}: ${r.problem.message}`);
    return r.model;
}

async function problem(path: string, expected: ModelFileProblemCode): Promise<ModelFileProblem> {
    const r = await checkModelFileResult(path);
    assert.ok(!r.ok, `expected ${expected}, the file was accepted`);
    assert.equal(r.problem.code, expected, r.problem.message);
    return r.problem;
}

describe("the model-file check", () => {
    test("a good header gives the model's name, architecture, size and training context", async () => {
        const p = write("Tiny-Q4_K_M.gguf", fakeModel("qwen2", 10_000));
        const model = await usable(p);
        assert.deepEqual(model, {
            path: p, name: "Tiny-Q4_K_M", architecture: "qwen2", sizeBytes: statSync(p).size, reasoningTemplate: false, trainContextSize: 131072
        });
        assert.equal((await usable(write("r1.gguf", fakeModel("deepseek2", 100)))).architecture, "deepseek2");
    });

    test("a header larger than a read buffer (a big tokenizer array) is read to the end", async () => {
        const tokens = Array.from({ length: 200_000 }, (_, i) => `token-${i}`);
        const p = write("big-vocab.gguf", Buffer.concat([ggufHeader({
            "general.architecture": { str: "llama" },
            "tokenizer.ggml.tokens": { strArray: tokens },
            "llama.block_count": { u32: 32 },
            "llama.embedding_length": { u32: 4096 },
            "llama.feed_forward_length": { u32: 14336 },
            "llama.attention.head_count": { u32: 32 },
            "llama.context_length": { u32: 65536 }
        }), randomBytes(1000)]));
        assert.equal((await usable(p)).trainContextSize, 65536, "the key after the 2 MB array was reached");
    });

    test("files that are not GGUF models are named for what they are", async () => {
        let e = await problem(write("random.gguf", randomBytes(5000)), "notGguf");
        assert.match(e.message, /random\.gguf is not a GGUF model file/);
        e = await problem(write("page.gguf", "\n  <!DOCTYPE html><html><body>Sign in</body></html>"), "webPage");
        assert.match(e.message, /page\.gguf is a web page or an error response/);
        await problem(write("error.gguf", '{"error":"Repository not found"}'), "webPage");
        e = await problem(write("pointer.gguf", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n"), "lfsPointer");
        assert.match(e.message, /Git LFS pointer/);
        e = await problem(write("archive.gguf", Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), randomBytes(100)])), "archive");
        assert.match(e.message, /zip archive/);
        e = await problem(write("empty.gguf", Buffer.alloc(0)), "empty");
        assert.match(e.message, /empty\.gguf is empty \(0 bytes\)/);
    });

    test("a missing file and a folder: the path and what to do", async () => {
        let e = await problem(join(dir, "nowhere.gguf"), "missing");
        assert.match(e.message, /Model file not found: .*nowhere\.gguf/);
        mkdirSync(join(dir, "folder.gguf"));
        e = await problem(join(dir, "folder.gguf"), "missing");
        assert.match(e.message, /folder\.gguf is a folder/);
        // A load of a missing file fails with the error code clients react to.
        await assert.rejects(checkModelFile(join(dir, "nowhere.gguf")), (error: { code: number }) => error.code === ErrorCodes.modelFileMissing);
    });

    test("an architecture we do not run is refused with the list of those we do", async () => {
        const e = await problem(write("mamba.gguf", fakeModel("mamba", 1000)), "unsupportedArchitecture");
        assert.match(e.message, /mamba\.gguf is a "mamba" model/);
        assert.match(e.message, /qwen2, llama, deepseek2/);
        await problem(write("whisper.gguf", fakeModel("whisper", 1000)), "unsupportedArchitecture");
        const none = await problem(write("noarch.gguf", Buffer.concat([ggufHeader({ "general.name": { str: "x" } }), randomBytes(64)])), "noArchitecture");
        assert.match(none.message, /no general\.architecture/);
    });

    test("headers cut short, other versions, big-endian files, damaged headers and missing hyperparameters", async () => {
        const full = fakeModel("qwen2", 0);
        let e = await problem(write("cut.gguf", full.subarray(0, full.length - 10)), "truncatedHeader");
        assert.match(e.message, /cut\.gguf ends inside its GGUF header/);
        await problem(write("tiny.gguf", full.subarray(0, 12)), "truncatedHeader");
        e = await problem(write("v1.gguf", ggufHeader({ "general.architecture": { str: "llama" } }, { version: 1 })), "unsupportedVersion");
        assert.match(e.message, /GGUF version 1; only versions 2 and 3/);
        await problem(write("v4.gguf", ggufHeader({ "general.architecture": { str: "llama" } }, { version: 4 })), "unsupportedVersion");
        const be = Buffer.from(ggufHeader({ "general.architecture": { str: "llama" } }));
        be.writeUInt32BE(3, 4);
        await problem(write("be.gguf", be), "bigEndian");
        await problem(write("fugg.gguf", Buffer.concat([Buffer.from("FUGG", "latin1"), randomBytes(100)])), "bigEndian");
        e = await problem(write("garbage.gguf", Buffer.concat([Buffer.from("GGUF\x03\x00\x00\x00", "latin1"), Buffer.alloc(16, 0xff), randomBytes(4000)])), "damaged");
        assert.match(e.message, /garbage\.gguf is a damaged GGUF file/);
        e = await problem(write("no-dims.gguf", Buffer.concat([ggufHeader({
            "general.architecture": { str: "qwen2" },
            "qwen2.context_length": { u32: 4096 },
            "qwen2.block_count": { u32: 2 }
        }), randomBytes(100)])), "missingMetadata");
        assert.match(e.message, /qwen2\.embedding_length, qwen2\.feed_forward_length, qwen2\.attention\.head_count/);
    });

    test("split models: a later part is refused, the first part needs the others beside it", async () => {
        const part = (no: number) => fakeModel("qwen2", 10, { "split.no": { u32: no }, "split.count": { u32: 3 } });
        const e = await problem(write("m-00002-of-00003.gguf", part(1)), "laterSplitPart");
        assert.match(e.message, /part 2 of 3/);
        assert.match(e.message, /-00001-of-00003\.gguf/);
        const first = write("m-00001-of-00003.gguf", part(0));
        const missing = await problem(first, "missingSplitParts");
        assert.match(missing.message, /m-00003-of-00003\.gguf is not beside it/);
        write("m-00003-of-00003.gguf", part(2));
        assert.equal((await usable(first)).name, "m", "the display name has no part suffix");
        await problem(write("renamed.gguf", part(0)), "missingSplitParts");
    });

    test("a generated model is usable; cut short, it is reported with the percentage present", async () => {
        const model = await usable(await ensureFixtureModel("scripted"));
        assert.equal(model.reasoningTemplate, true, "the R1 chat template is recognised");
        const cut = join(dir, "interrupted.gguf");
        copyFileSync(await ensureFixtureModel("multiBlock"), cut);
        truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
        const e = await problem(cut, "incomplete");
        assert.match(e.message, /interrupted\.gguf is incomplete: \d+ of \d+ bytes \(60\.\d%\)/);
    });

    test("reads a real GGUF from the shared fixtures (stories260K, a llama model without a chat template)", async (t) => {
        const shared = findSharedDir();
        const real = shared == null ? undefined : join(shared, "fixtures", "models", "stories260K.gguf");
        if (real == null || !existsSync(real)) {
            t.skip("../shared/fixtures/models/stories260K.gguf is absent (no shared/ folder beside this checkout)");
            return;
        }
        const model = await usable(real);
        assert.equal(model.architecture, "llama");
        assert.equal(model.reasoningTemplate, false);
        assert.ok(model.trainContextSize > 0);
    });
});

describe("r1/checkModelFile through the model process", () => {
    test("answers the check without loading anything; a load of a bad file fails with the same message", async () => {
        const client = await ModelProcessClient.start({ serverModule: resolve(repoRoot(), "dist/server.js") });
        try {
            const pointer = write("lfs.gguf", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n");
            const bad = await client.checkModelFile(pointer);
            assert.ok(!bad.ok);
            assert.equal(bad.problem.code, "lfsPointer");
            const good = await client.checkModelFile(await ensureFixtureModel("scripted"));
            assert.ok(good.ok);
            assert.equal(good.model.name, "r1-scripted");
            assert.equal((await client.status()).model, undefined, "checking loads no model");
            await assert.rejects(client.loadModel(pointer), (e: { code: number; message: string }) => {
                assert.equal(e.code, ErrorCodes.notGguf);
                assert.equal(e.message, bad.problem.message);
                return true;
            });
        } finally {
            await client.stop();
        }
    });
});
