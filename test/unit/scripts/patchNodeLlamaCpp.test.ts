// scripts/patchNodeLlamaCpp.mjs: the one-line fix of node-llama-cpp's draft check (token prediction). The installed
// copy must be patched (npm's postinstall and the build do it), the patch applies once, and a changed upstream
// file is reported instead of patched blindly. What the fix does is tested through the model process in
// test/unit/server/tokenPrediction.test.ts (multi-token drafts accepted).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { repoRoot } from "../../fixtures/repoPaths";

interface PatchModule {
    target: string;
    patchSource(source: string): { source: string; state: string };
}

const load = async (): Promise<PatchModule> => (await import(pathToFileURL(join(repoRoot(), "scripts/patchNodeLlamaCpp.mjs")).href)) as PatchModule;

// The shape of the two places the patches change, as in node-llama-cpp 3.21.1's LlamaContext.js.
const SNIPPET = [
    "    async *_speculativeEvaluate(tokens, metadata, { temperature }) {",
    "        const validatedTokens = [];",
    "                        const decodeResult = await this._decodeTokens(evalTokens, logitsArray, evaluationPriority, this._tokenMeter, contextShiftOptions, (batchLogitIndex, tokenIndex) => {",
    "                            return withLock([sampler, \"sample\"], async () => {",
    "                                if (sampleProbabilities || sampleConfidence)",
    "                                    return this._context._ctx.sampleToken(batchLogitIndex, sampler._sampler, sampleProbabilities, sampleConfidence);",
    "                                else",
    "                                    return this._context._ctx.sampleToken(batchLogitIndex, sampler._sampler);",
    "                            });",
    "                        });",
    "                                if (lastValidatedTokenOutput != null && lastValidatedTokenOutput === evalTokens[i]) {",
    "                                    this._loadedTokenPredictions.push([evalTokens[i], [resultToken, probabilities, confidence]]);",
    "                                    this._validatedTokenPredictions++;",
    "    }",
    ""
].join("\n");

test("the installed node-llama-cpp has both fixes of the draft check", async () => {
    const { target, patchSource } = await load();
    const source = readFileSync(target, "utf8");
    assert.match(source, /validatedTokens\.push\(\[evalTokens\[i\], resultToken\]\);/, `${target} is not patched: run npm install (postinstall) or npm run build`);
    assert.match(source, /return r1Sampled\(await this\._context\._ctx\.sampleToken\(batchLogitIndex, sampler\._sampler\)\);/);
    assert.equal(patchSource(source).state, "already patched");
});

test("the patches apply once: accepted drafts recorded, positions after a refused draft token not sampled", async () => {
    const { patchSource } = await load();
    const first = patchSource(SNIPPET);
    assert.equal(first.state, "patched");
    const lines = first.source.split("\n");
    assert.ok(lines.includes("                                    validatedTokens.push([evalTokens[i], resultToken]); /* r1-reasoner: validated draft */"));
    assert.ok(lines.includes("                                    return r1Sampled(await this._context._ctx.sampleToken(batchLogitIndex, sampler._sampler));"));
    const skip = lines.findIndex((l) => l.includes("r1Refused = true; return -2;"));
    assert.ok(skip > lines.findIndex((l) => l.includes("(batchLogitIndex, tokenIndex) => {")), "the skip opens the sampling callback");
    const second = patchSource(first.source);
    assert.equal(second.state, "already patched");
    assert.equal(second.source, first.source);
});

test("a changed upstream file is reported, not patched", async () => {
    const { patchSource } = await load();
    const changed = SNIPPET.replace("this._loadedTokenPredictions.push", "this._loadedTokenPredictions.unshift");
    assert.deepEqual(patchSource(changed), { source: changed, state: "anchor not found: validated draft" });
    const noSampler = SNIPPET.replace(/sampler\._sampler\);/, "sampler.native);");
    assert.equal(patchSource(noSampler).state, "anchor not found: lazy draft sampling");
});
