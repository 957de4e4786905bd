// The reasoning engine through its real LSP connection: dist/server.js (the model process) started by the
// plain LSP client, driven with the generated scripted models (deterministic replies, no download).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { ModelProcessClient } from "../../../src/platform/modelProcessClient";
import { ErrorCodes, type ReasonParams, type ReasonProgress, type ReasonResult, type SamplingOptions } from "../../../src/shared/lspProtocol";
import { ensureFixtureModel, type FixtureModelName } from "../../fixtures/generate";
import { findSharedDir } from "../../fixtures/repoPaths";
import { writeScriptedModel, expectedScriptReply } from "../../fixtures/scriptedModel";
import { r1ReplyPieces } from "../../fixtures/scriptPieces";
import { SCRIPTED_VARIANTS } from "../../fixtures/scriptedVariants";
import { repoRoot } from "../../fixtures/repoPaths";

const serverModule = resolve(repoRoot(), "dist/server.js");
const sampling: SamplingOptions = { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 400 };
const scratch = mkdtempSync(join(tmpdir(), "r1-engine-test-"));

let client: ModelProcessClient;
const models: Partial<Record<FixtureModelName, string>> = {};
const log: string[] = [];

async function model(name: FixtureModelName): Promise<string> {
    return (models[name] ??= await ensureFixtureModel(name));
}

function ask(modelPath: string, text: string, options: Partial<SamplingOptions> = {}, extra: Partial<ReasonParams> = {}): ReasonParams {
    return { action: "chat", turns: [{ role: "user", text }], modelPath, sampling: { ...sampling, ...options }, ...extra };
}

interface Streamed {
    result: ReasonResult;
    progress: ReasonProgress[];
    /** The reply as a client rebuilds it from the progress messages alone. */
    thought: string;
    answer: string;
}

async function run(params: ReasonParams, onProgress?: (p: ReasonProgress, all: ReasonProgress[]) => void): Promise<Streamed> {
    const progress: ReasonProgress[] = [];
    let thought = "";
    let answer = "";
    const handle = client.reason(params, (p) => {
        progress.push(p);
        if (p.answerRetracted) answer = "";
        thought += p.thought ?? "";
        answer += p.answer ?? "";
        onProgress?.(p, progress);
    });
    const result = await handle.result;
    return { result, progress, thought, answer };
}

before(async () => {
    client = await ModelProcessClient.start({ serverModule, onLog: (l) => log.push(l) });
    await client.configure({ gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0 });
});

after(async () => {
    await client?.stop();
    rmSync(scratch, { recursive: true, force: true });
});

describe("streamed reasoning over LSP", () => {
    test("thought and answer arrive separately and exactly as the model wrote them", async () => {
        const path = await model("scripted");
        const expected = expectedScriptReply(SCRIPTED_VARIANTS.default);
        const r = await run(ask(path, "Write an add function in TypeScript."));
        assert.equal(r.result.thoughtState, "ended");
        assert.equal(r.result.stopReason, "eos");
        assert.equal(r.result.reasoning, expected.thought.trim());
        assert.equal(r.result.answer, expected.answer.trim());
        assert.match(r.result.answer, /```typescript\nexport function add\(a: number, b: number\): number \{/);
        assert.ok(!r.result.answer.includes("</think>") && !r.result.reasoning.includes("</think>"), "no tags leak into either part");
        // What streamed is what the result says.
        assert.equal(r.thought.trim(), r.result.reasoning);
        assert.equal(r.answer.trimEnd(), r.result.answer);
        // Thought deltas all come before answer deltas.
        const firstAnswer = r.progress.findIndex((p) => p.answer);
        assert.ok(firstAnswer >= 0 && r.progress.slice(0, firstAnswer + 1).some((p) => p.thought) && r.progress.slice(firstAnswer + 1).every((p) => !p.thought), "thought streams first, then the answer");
        assert.equal(r.result.stats.thoughtTokens, SCRIPTED_VARIANTS.default.pieces.indexOf("</think>"), "every thought token counted");
        assert.ok(r.result.stats.answerTokens > 5);
        assert.ok((r.result.stats.ttftMs ?? -1) >= 0 && r.result.stats.promptTokens > 10);
        assert.equal(r.result.model, "r1-scripted");
    });

    test("progress is batched: far fewer messages than tokens, each with live stats", async () => {
        const path = await model("neverEndingThought");
        const r = await run(ask(path, "Think for a while.", { maxTokens: 300 }));
        const tokens = r.result.stats.thoughtTokens + r.result.stats.answerTokens;
        assert.equal(tokens, 300);
        assert.ok(r.progress.length < tokens / 4, `${r.progress.length} messages for ${tokens} tokens`);
        const last = r.progress.at(-1)!;
        assert.equal(last.stats.thoughtTokens, 300);
        assert.ok(r.progress.every((p, i) => i === 0 || p.stats.elapsedMs >= r.progress[i - 1]!.stats.elapsedMs), "elapsed time only grows");
    });

    test("a model that writes only </think> (no opening tag) is split right", async () => {
        const r = await run(ask(await model("onlyCloseTag"), "Hello!"));
        assert.equal(r.result.thoughtState, "ended");
        assert.equal(r.result.reasoning, "The user greets me. I should greet back.");
        assert.equal(r.result.answer, "Hello! How can I help?");
    });

    test("a model that writes <think> again after the forced one: the tag is not part of the thought", async () => {
        const r = await run(ask(await model("emitsOpenTag"), "Hello!"));
        assert.equal(r.result.thoughtState, "ended");
        assert.equal(r.result.reasoning, "Okay, the user says hello.");
        assert.equal(r.result.answer, "Hello there!");
        assert.ok(!r.thought.includes("<think>"));
    });

    test("an empty thought is reported as empty", async () => {
        const r = await run(ask(await model("emptyThought"), "2 + 2?"));
        assert.equal(r.result.thoughtState, "empty");
        assert.equal(r.result.reasoning, "");
        assert.equal(r.result.answer, "Nothing to think about: 2 + 2 = 4.");
    });

    test("a model without the R1 template: no thought segments; its own </think> still splits the reply", async () => {
        const r = await run(ask(await model("noTemplate"), "Write an add function."));
        const expected = expectedScriptReply(SCRIPTED_VARIANTS.noTemplate);
        // The generic wrapper does not force <think>, but the script closes its thought: R1's rule applies.
        assert.equal(r.result.reasoning, expected.thought.trim());
        assert.equal(r.result.answer, expected.answer.trim());
        assert.equal(r.result.thoughtState, "ended");
        assert.ok(r.progress.some((p) => p.answerRetracted), "the text shown as answer until </think> was retracted");
        assert.equal(r.answer.trimEnd(), r.result.answer, "the client's view after the retraction matches");
    });

    test("a second </think> in the answer: the answer is what follows the last one", async () => {
        const path = join(scratch, "double-close.gguf");
        // The second </think> is written as plain bytes (each piece of a script is used once), as text it is the same.
        const secondClose = [..."</think>"];
        await writeScriptedModel(path, { pieces: ["First", " thought.", "</think>", "\n\nDraft", " answer.\n", ...secondClose, "\n\nFinal", " answer."] });
        const r = await run(ask(path, "Go."));
        assert.equal(r.result.answer, "Final answer.");
        assert.match(r.result.reasoning, /^First thought\.[\s\S]*Draft answer\.$/);
        assert.ok(r.progress.some((p) => p.answerRetracted));
        assert.equal(r.answer.trimEnd(), "Final answer.");
    });
});

describe("budgets and guards", () => {
    test("the thinking budget closes the thought and the answer follows; the state says so", async () => {
        const r = await run(ask(await model("neverEndingThought"), "Think.", { thoughtBudget: 40 }));
        assert.equal(r.result.thoughtState, "budget");
        assert.ok(r.result.notices.some((n) => n.kind === "budgetHit" && n.budget === 40));
        assert.ok(r.result.stats.thoughtTokens >= 40 && r.result.stats.thoughtTokens <= 42, `${r.result.stats.thoughtTokens} thought tokens`);
        assert.equal(r.result.answer, "I ran out of time to think, so here is a short answer.");
        assert.equal(r.result.stopReason, "eos");
    });

    test("maxTokens stops a thought that never ends: unclosed, no answer", async () => {
        const r = await run(ask(await model("neverEndingThought"), "Think.", { maxTokens: 60 }));
        assert.equal(r.result.stopReason, "maxTokens");
        assert.equal(r.result.thoughtState, "unclosed");
        assert.equal(r.result.answer, "");
        assert.equal(r.result.stats.thoughtTokens, 60);
    });

    test("the loop watchdog stops a reply that repeats itself, and says what repeated", async () => {
        const r = await run(ask(await model("shortLoop"), "Think.", { maxTokens: 2000 }));
        assert.equal(r.result.stopReason, "loop");
        const loop = r.result.notices.find((n) => n.kind === "loopStopped");
        assert.ok(loop && loop.kind === "loopStopped" && /going around in circles/.test(loop.repeated), JSON.stringify(loop));
        assert.ok(r.result.stats.thoughtTokens < 200, `stopped early (${r.result.stats.thoughtTokens} tokens)`);
        assert.ok(r.progress.some((p) => p.notices?.some((n) => n.kind === "loopStopped")), "the notice streamed too");
    });

    test("a loop in the answer is stopped as well", async () => {
        const r = await run(ask(await model("shortLoopAnswer"), "Go.", { maxTokens: 2000 }));
        assert.equal(r.result.stopReason, "loop");
        assert.equal(r.result.thoughtState, "ended");
        assert.match(r.result.answer, /^The answer is the same again and/);
    });

    test("a thought that switches from English to Chinese raises a notice", async () => {
        const path = join(scratch, "mixed.gguf");
        await writeScriptedModel(path, {
            pieces: r1ReplyPieces({
                thought:
                    "Okay, the user wants me to fix a type error in this function. The argument is a string but the parameter expects a number, so I should convert it first. " +
                    "嗯，我需要检查这个函数的类型是否正确，然后考虑边界情况，比如溢出和非数字的输入，最后给出修正后的代码。",
                answer: "\n\nUse Number(value) before the call."
            })
        });
        const r = await run(ask(path, "Fix it."));
        const n = r.result.notices.find((x) => x.kind === "languageSwitch");
        assert.deepEqual(n, { kind: "languageSwitch", from: "Latin", to: "Han" });
    });

    test("sampling outside DeepSeek's recommendation is allowed, with a warning", async () => {
        const r = await run(ask(await model("scripted"), "Hi", { temperature: 1.2 }));
        assert.equal(r.result.thoughtState, "ended");
        assert.ok(r.result.notices.some((n) => n.kind === "samplingOutsideRecommendation" && /0\.5–0\.7/.test(n.message)));
    });
});

describe("cancellation and concurrency", () => {
    test("cancel mid-thought keeps the partial thought, and the next request works at once", async () => {
        const path = await model("neverEndingThought");
        let cancelled = false;
        const handle = client.reason(ask(path, "Think forever.", { maxTokens: 100_000 }), (p) => {
            if (!cancelled && (p.thought ?? "").length > 0) {
                cancelled = true;
                handle.cancel();
            }
        });
        const result = await handle.result;
        assert.equal(result.stopReason, "abort");
        assert.equal(result.thoughtState, "unclosed");
        assert.match(result.reasoning, /^Okay, let me think this through\./);
        assert.ok(result.stats.thoughtTokens < 5000, `stopped soon (${result.stats.thoughtTokens} tokens)`);
        const next = await run(ask(await model("scripted"), "Write an add function."));
        assert.equal(next.result.stopReason, "eos");
        assert.equal(next.result.reasoning, expectedScriptReply(SCRIPTED_VARIANTS.default).thought.trim());
    });

    test("two concurrent requests both complete, each with its own reply", async () => {
        const a = run(ask(await model("onlyCloseTag"), "Hello!"));
        const b = run(ask(await model("emptyThought"), "2 + 2?"));
        const [ra, rb] = await Promise.all([a, b]);
        assert.equal(ra.result.answer, "Hello! How can I help?");
        assert.equal(rb.result.answer, "Nothing to think about: 2 + 2 = 4.");
        assert.equal(ra.answer.trimEnd(), ra.result.answer, "progress of one never mixes into the other");
        assert.equal(rb.answer.trimEnd(), rb.result.answer);
    });

    test("a follow-up that shares the prompt prefix reuses the evaluated tokens", async () => {
        const path = await model("scripted");
        const file = "```ts\n" + Array.from({ length: 40 }, (_, i) => `export const value${i} = ${i};`).join("\n") + "\n```\n";
        const first = await run(ask(path, `Unrelated ${Date.now()}`));
        assert.ok(first.result.stats.promptTokens > 0);
        const a = await run(ask(path, `${file}\nQuestion one: which value is largest?`));
        const b = await run(ask(path, `${file}\nQuestion two: which value is smallest?`));
        assert.ok(a.result.stats.reusedPromptTokens < 10, `first sees a cold prefix (${a.result.stats.reusedPromptTokens})`);
        assert.ok(b.result.stats.reusedPromptTokens > file.length * 0.9, `reused ${b.result.stats.reusedPromptTokens} of ${b.result.stats.promptTokens}`);
    });

    test("multi-turn: earlier thoughts are not fed back, and a conversation too long for the context is trimmed with a notice", async () => {
        const path = await model("scripted");
        const turns = [];
        for (let i = 0; i < 12; i++) {
            turns.push({ role: "user" as const, text: `Question ${i}: ${"lorem ipsum dolor ".repeat(20)}` });
            turns.push({ role: "assistant" as const, text: `Answer ${i}: ${"sit amet ".repeat(20)}` });
        }
        turns.push({ role: "user" as const, text: "Final question." });
        const r = await run({ action: "chat", turns, modelPath: path, sampling: { ...sampling, maxTokens: 200 } });
        const trimmed = r.result.notices.find((n) => n.kind === "historyTrimmed");
        assert.ok(trimmed && trimmed.kind === "historyTrimmed" && trimmed.droppedTurns >= 2 && trimmed.droppedTurns % 2 === 0, JSON.stringify(trimmed));
        assert.ok(r.result.stats.promptTokens <= 2048 - 200);
        assert.equal(r.result.stopReason, "eos");
    });
});

describe("models: load, switch, bad files", () => {
    test("loading reports the model, backend, layers, context and threads", async () => {
        const loaded = await client.loadModel(await model("llamaArch"));
        assert.equal(loaded.model.architecture, "llama");
        assert.equal(loaded.model.reasoningTemplate, true);
        assert.equal(loaded.engine.backend, "cpu");
        assert.equal(loaded.engine.threads, 1);
        assert.equal(loaded.engine.contextSize, 2048);
        const status = await client.status();
        assert.equal(status.state, "ready");
        assert.equal(status.model?.name, "r1-llamaArch");
        assert.deepEqual(status.settings, { gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0 }, "the status says which settings the process works with");
    });

    test("a missing file, a file that is not GGUF, a truncated GGUF, an architecture we do not run and a tensor llama.cpp misses: clear errors, the server survives, the previous model stays", async () => {
        await client.loadModel(await model("scripted"));
        const notGguf = join(scratch, "notes.gguf");
        writeFileSync(notGguf, "# just some markdown\n".repeat(10));
        const truncated = join(scratch, "truncated.gguf");
        copyFileSync(await model("multiBlock"), truncated);
        truncateSync(truncated, Math.floor(statSync(truncated).size * 0.6));
        // An architecture we do not run, with consistent metadata: every "qwen2" becomes "qwenX" (same length,
        // so every offset stays valid). The check refuses it before llama.cpp sees it.
        const wrongArch = join(scratch, "wrong-arch.gguf");
        await writeScriptedModel(wrongArch, { pieces: ["a", "b"], architecture: "qwen2" });
        const bytes = readFileSync(wrongArch);
        for (let at = bytes.indexOf("qwen2"); at >= 0; at = bytes.indexOf("qwen2", at + 5)) bytes.write("qwenX", at, "latin1");
        writeFileSync(wrongArch, bytes);
        // A file the check passes but llama.cpp refuses: a tensor renamed (same length). llama.cpp's own words
        // are the message.
        const wrongTensor = join(scratch, "wrong-tensor.gguf");
        const tensorBytes = readFileSync(await model("scripted"));
        tensorBytes.write("output_norX", tensorBytes.indexOf("output_norm.weight"), "latin1");
        writeFileSync(wrongTensor, tensorBytes);

        const cases: Array<[string, number, RegExp]> = [
            [join(scratch, "missing.gguf"), ErrorCodes.modelFileMissing, /not found: .*missing\.gguf/],
            [notGguf, ErrorCodes.notGguf, /notes\.gguf is not a GGUF model file/],
            [truncated, ErrorCodes.loadFailed, /truncated\.gguf is incomplete: \d+ of \d+ bytes \(\d+\.\d%\)/],
            [wrongArch, ErrorCodes.loadFailed, /^wrong-arch\.gguf is a "qwenX" model; R1 Reasoner runs qwen2, llama, deepseek2 models/],
            [wrongTensor, ErrorCodes.loadFailed, /^Could not load wrong-tensor \(wrong-tensor\.gguf\): missing tensor 'output_norm\.weight'/]
        ];
        for (const [path, code, message] of cases) {
            await assert.rejects(client.loadModel(path), (e: { code: number; message: string }) => {
                assert.equal(e.code, code, e.message);
                assert.match(e.message, message);
                return true;
            });
            const status = await client.status();
            assert.equal(status.model?.name, "r1-scripted", `the previous model is still loaded after ${path}`);
        }
        const still = await run(ask(await model("scripted"), "Still there?"));
        assert.equal(still.result.stopReason, "eos");
    });

    test("the model is unloaded after the idle time, and loads again on the next request", async () => {
        await client.configure({ gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0.005 });
        try {
            const r = await run(ask(await model("onlyCloseTag"), "Hello!"));
            assert.equal(r.result.stopReason, "eos");
            assert.equal((await client.status()).state, "ready");
            await new Promise((resolve) => setTimeout(resolve, 900));
            const idle = await client.status();
            assert.equal(idle.state, "idle");
            assert.equal(idle.model, undefined);
            const again = await run(ask(await model("onlyCloseTag"), "Hello again!"));
            assert.equal(again.result.answer, "Hello! How can I help?");
            assert.ok(again.result.notices.some((n) => n.kind === "modelLoading"), "the reload is announced");
        } finally {
            await client.configure({ gpu: "cpu", contextSize: 2048, threads: 1, idleUnloadMinutes: 0 });
        }
    });

    test("a reasoning request with no model gives the no-model error", async () => {
        await client.unloadModel();
        await assert.rejects(client.reason({ ...ask("", "Hi") }).result, (e: { code: number; message: string }) => {
            assert.equal(e.code, ErrorCodes.noModel);
            assert.match(e.message, /R1: Select Model/);
            return true;
        });
    });

    test("stories260K (a real trained model without a chat template) loads and generates: all answer", { skip: findSharedDir() ? false : "../shared is absent: stories260K.gguf is not available" }, async () => {
        const path = join(findSharedDir()!, "fixtures", "models", "stories260K.gguf");
        const r = await run(ask(path, "Once upon a time", { maxTokens: 40 }));
        assert.equal(r.result.thoughtState, "noTemplate");
        assert.equal(r.result.reasoning, "");
        assert.ok(r.result.answer.length > 20, r.result.answer);
        assert.match(r.result.answer, /[a-z]{3,}/);
        assert.equal(r.result.stats.answerTokens, 40);
    });

    test("switching to a large model and back frees its memory", { timeout: 180_000 }, async () => {
        const big = await ensureFixtureModel("random-1.5b-q4_0");
        await client.loadModel(await model("scripted"));
        const baseline = (await client.status()).rssBytes;
        await client.loadModel(big);
        const loaded = (await client.status()).rssBytes;
        await client.loadModel(await model("scripted"));
        const after = (await client.status()).rssBytes;
        const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
        assert.ok(loaded - baseline > 700 * 2 ** 20, `the 1.5B model takes memory (${mib(baseline)} → ${mib(loaded)})`);
        assert.ok(after - baseline < 250 * 2 ** 20, `switching back frees it (${mib(baseline)} → ${mib(loaded)} → ${mib(after)})`);
    });
});
