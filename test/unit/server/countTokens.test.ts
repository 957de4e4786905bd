// r1/countTokens through the real model process (dist/server.js over LSP): the counts equal what node-llama-cpp's
// own tokenizer gives for the same GGUF, loaded independently here: for the scripted model (byte tokens, special
// tokens) both when it is loaded and when only its vocabulary is read, and for a real trained tokenizer with
// merges (../shared/fixtures/models/stories260K.gguf, skipped when ../shared is absent).
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Llama, LlamaModel } from "node-llama-cpp" with { "resolution-mode": "import" };
import { ModelProcessClient } from "../../../src/platform/modelProcessClient";
import { ErrorCodes } from "../../../src/shared/lspProtocol";
import { ensureFixtureModel } from "../../fixtures/generate";
import { findSharedDir, repoRoot } from "../../fixtures/repoPaths";

const serverModule = resolve(repoRoot(), "dist/server.js");
const TEXTS = [
    "export function parsePrice(text: string): number {",
    "Prix: 12,50 € — 价格 · 🚀",
    "<think>\nnot a special token here</think>",
    ""
];

let client: ModelProcessClient;
let llama: Llama;
const references: LlamaModel[] = [];

async function reference(path: string): Promise<LlamaModel> {
    const m = await llama.loadModel({ modelPath: path, vocabOnly: true, gpuLayers: 0 });
    references.push(m);
    return m;
}

before(async () => {
    client = await ModelProcessClient.start({ serverModule });
    await client.configure({ gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0 });
    const { getLlama } = await import("node-llama-cpp");
    llama = await getLlama({ gpu: false, build: "never" });
});

after(async () => {
    await client?.stop();
    for (const m of references) await m.dispose();
});

describe("r1/countTokens: the model's own tokenizer", () => {
    test("the scripted model: equal to node-llama-cpp's count, loaded or not", async () => {
        const path = await ensureFixtureModel("scripted");
        const own = await reference(path);
        await client.unloadModel();
        for (const text of TEXTS) {
            const expected = own.tokenize(text, false).length;
            assert.equal((await client.countTokens({ modelPath: path, text })).tokens, expected, `vocabulary only: ${JSON.stringify(text)}`);
        }
        assert.equal((await client.status()).model, undefined, "counting loads no model");
        await client.loadModel(path);
        for (const text of TEXTS) {
            const expected = own.tokenize(text, false).length;
            assert.equal((await client.countTokens({ text })).tokens, expected, `the loaded model: ${JSON.stringify(text)}`);
        }
        assert.ok(own.tokenize(TEXTS[1]!, false).length > TEXTS[1]!.length, "non-ASCII text is several byte tokens (the count is not the length)");
    });

    test("a real trained tokenizer with merges (stories260K)", { skip: findSharedDir() ? false : "../shared is absent: no stories260K.gguf" }, async () => {
        const path = join(findSharedDir()!, "fixtures", "models", "stories260K.gguf");
        const own = await reference(path);
        const text = "Once upon a time, there was a little girl named Lily. She liked to play outside.";
        const expected = own.tokenize(text, false).length;
        assert.ok(expected < text.length / 2, `merges make words single tokens (${expected} tokens for ${text.length} characters)`);
        assert.equal((await client.countTokens({ modelPath: path, text })).tokens, expected);
    });

    test("no model: a clear error", async () => {
        await client.unloadModel();
        await assert.rejects(client.countTokens({ text: "x" }), (e: { code?: number; message?: string }) => e.code === ErrorCodes.noModel && /Select Model/.test(e.message ?? ""));
    });
});
