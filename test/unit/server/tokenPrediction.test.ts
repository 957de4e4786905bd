// Token prediction (input lookup, answer phase) through the real model process: a scripted model whose answer
// copies a run of the prompt's tokens, and whose thought copies another run. With r1.tokenPrediction on and
// off the reply must be the same, token for token; on, the model must have accepted drafts, and only in the
// answer (the thought's copy would add accepted drafts if the predictor drafted there).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { ModelProcessClient } from "../../../src/platform/modelProcessClient";
import type { EngineSettings, ReasonParams, ReasonResult, SamplingOptions } from "../../../src/shared/lspProtocol";
import { findSharedDir, repoRoot } from "../../fixtures/repoPaths";
import { R1_EOS, R1_THINK_CLOSE } from "../../fixtures/r1Tokens";
import { expectedScriptReply, writeScriptedModel, type ScriptSpec } from "../../fixtures/scriptedModel";

// Each piece is one token used once; a one-byte piece is that byte's token, the token the prompt has there too.
const THOUGHT_COPY = "#$%&()*+,./:;<=>?@[]^_{|}~";
const KEY_BEFORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const KEY_AFTER = "abcdefghijklmnopqrstuvwxyz0123456789";
const PROMPT = `Notes: ${THOUGHT_COPY}\nCopy this key, with ! in place of the dash: ${KEY_BEFORE}-${KEY_AFTER}`;
const ANSWER_PIECES = ["\n\nHere it is:\n\n", ...KEY_BEFORE, "!", ...KEY_AFTER];

const copying: ScriptSpec = {
    pieces: ["Okay, the notes first.", ...THOUGHT_COPY, R1_THINK_CLOSE, ...ANSWER_PIECES, R1_EOS],
    name: "scripted copier"
};
/** A thought that never ends; the thinking budget closes it and the copying answer follows. */
const copyingAfterBudget: ScriptSpec = {
    pieces: ["Okay, the notes first.", ...THOUGHT_COPY],
    loopBackTo: 1,
    afterForcedClose: ANSWER_PIECES,
    name: "scripted copier (endless thought)"
};

const serverModule = resolve(repoRoot(), "dist/server.js");
const sampling: SamplingOptions = { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 400, seed: 7 };
const engine: EngineSettings = { gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0 };
const scratch = mkdtempSync(join(tmpdir(), "r1-prediction-test-"));
let client: ModelProcessClient;
const paths: string[] = [];

before(async () => {
    client = await ModelProcessClient.start({ serverModule });
    paths.push(join(scratch, "copier.gguf"), join(scratch, "copier-budget.gguf"));
    await writeScriptedModel(paths[0], copying);
    await writeScriptedModel(paths[1], copyingAfterBudget);
});

after(async () => {
    await client?.stop();
    rmSync(scratch, { recursive: true, force: true });
});

async function reason(modelPath: string, tokenPrediction: boolean, options: Partial<SamplingOptions> = {}): Promise<ReasonResult> {
    await client.configure({ ...engine, tokenPrediction });
    const params: ReasonParams = { action: "fix", turns: [{ role: "user", text: PROMPT }], modelPath, sampling: { ...sampling, ...options } };
    return client.reason(params).result;
}

test("token prediction: same reply with it on and off, drafts accepted in the answer only", async () => {
    const expected = expectedScriptReply(copying);
    const on = await reason(paths[0], true);
    const off = await reason(paths[0], false);
    const onAgain = await reason(paths[0], true);
    for (const r of [on, off, onAgain]) {
        assert.equal(r.stopReason, "eos");
        assert.equal(r.reasoning, expected.thought.trim());
        assert.equal(r.answer, expected.answer.trim());
    }
    assert.equal(on.stats.answerTokens, off.stats.answerTokens);
    assert.equal(on.stats.thoughtTokens, off.stats.thoughtTokens);
    assert.equal(off.stats.draftTokens, undefined, "off: no predictor, no drafts");
    for (const r of [on, onAgain]) {
        const accepted = r.stats.draftAcceptedTokens ?? 0;
        // The answer copies 26 + 36 tokens of the prompt (the "!" breaks the run once). Drafts of up to
        // DRAFT_MAX_TOKENS (8) per step accept nearly all of them. Unpatched node-llama-cpp accepts only the first
        // token of each draft (scripts/patchNodeLlamaCpp.mjs), at most every other copied token: 31.
        assert.ok(accepted >= 45, `drafts accepted in the answer: ${accepted} of ${r.stats.draftTokens} (node-llama-cpp unpatched?)`);
        // Drafting in the thought would accept ~20 more (its copy of the notes): more than the answer can give.
        assert.ok(accepted <= 62, `no drafts in the thought: ${accepted} accepted for ${r.stats.answerTokens} answer tokens`);
    }
});

test("token prediction with the thinking budget: the answer after a budget-closed thought is drafted, same reply", async () => {
    const on = await reason(paths[1], true, { thoughtBudget: 40 });
    const off = await reason(paths[1], false, { thoughtBudget: 40 });
    assert.equal(on.thoughtState, "budget");
    assert.deepEqual([on.reasoning, on.answer, on.stopReason], [off.reasoning, off.answer, off.stopReason]);
    assert.equal(on.answer, ANSWER_PIECES.join("").trim());
    assert.ok((on.stats.draftAcceptedTokens ?? 0) >= 45, `accepted after the budget: ${on.stats.draftAcceptedTokens}`);
    assert.ok((on.stats.draftAcceptedTokens ?? 0) <= 62);
});

test("token prediction with a real trained model at temperature 0.8 and a seed: the same reply on and off", async (t) => {
    // stories260K has no chat template: all of its reply is answer, so the lookup drafts from the first token, and
    // most drafts in its prose are refused. A refused draft must not draw from the sampler's random stream
    // (scripts/patchNodeLlamaCpp.mjs, "lazy draft sampling"): without that fix these replies part.
    const shared = findSharedDir();
    if (!shared) {
        t.skip("../shared/fixtures/models/stories260K.gguf is absent (no shared/ folder beside this checkout)");
        return;
    }
    const stories = join(shared, "fixtures/models/stories260K.gguf");
    const prompt = "Once upon a time, there was a little girl named Lily. Lily liked to play with her ball in the park. One day, Lily saw a big dog in the park.";
    const ask = async (tokenPrediction: boolean): Promise<ReasonResult> => {
        await client.configure({ ...engine, tokenPrediction });
        return client.reason({ action: "chat", turns: [{ role: "user", text: prompt }], modelPath: stories, sampling: { temperature: 0.8, topP: 0.95, thoughtBudget: 0, maxTokens: 200, seed: 3 } }).result;
    };
    const off = await ask(false);
    const on = await ask(true);
    assert.ok((on.stats.draftTokens ?? 0) > (on.stats.draftAcceptedTokens ?? 0), `some drafts were refused: ${on.stats.draftAcceptedTokens} of ${on.stats.draftTokens}`);
    assert.equal(on.answer, off.answer);
    assert.equal(on.stats.answerTokens, off.stats.answerTokens);
});
