// The generated models run through node-llama-cpp 3.21.1 as the product will run them, and these tests pin
// what the product relies on (docs/notes-fixtures.md explains the findings):
//   (b) forcing the reply to start with `<think>\n` by ending the history with an unended thought segment
//       keeps thought segmentation, but budgets.thoughtTokens no longer applies;
//   (B) a DeepSeek wrapper whose thought prefix is `<think>\n` with `openOnResponseStart` (the product's
//       src/server/forcedThinkWrapper.ts) forces the same prompt and keeps budgets working;
//   (c) a second `<think>` stays inside the thought as text; a second `</think>` is answer text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
    ChatHistoryItem, ChatWrapper, Llama, LlamaChatResponse, LlamaChatResponseChunk, LlamaModel
} from "node-llama-cpp" with { "resolution-mode": "import" };
import { createForcedThinkWrapper } from "../../src/server/forcedThinkWrapper";
import { ensureFixtureModel, type FixtureModelName } from "../fixtures/generate";
import { writeRandomModel } from "../fixtures/randomModel";
import { loadR1ChatTemplate } from "../fixtures/r1ChatTemplate";
import { findSharedDir } from "../fixtures/repoPaths";
import { expectedScriptReply, scriptPiecesFrom, writeScriptedModel, type ScriptSpec } from "../fixtures/scriptedModel";
import { SCRIPTED_VARIANTS, SCRIPTED_VARIANT_NAMES, type ScriptedVariantName } from "../fixtures/scriptedVariants";
import { R1_ASSISTANT, R1_BOS, R1_EOS, R1_THINK_CLOSE, R1_THINK_OPEN, R1_USER } from "../fixtures/r1Tokens";

type NodeLlamaCpp = typeof import("node-llama-cpp", { with: { "resolution-mode": "import" } });

let nlc: NodeLlamaCpp;
let llama: Llama;
const models = new Map<string, Promise<LlamaModel>>();
let scratch: string;

before(async () => {
    nlc = await import("node-llama-cpp");
    llama = await nlc.getLlama({ build: "never", gpu: false, logLevel: nlc.LlamaLogLevel.error });
    scratch = mkdtempSync(join(tmpdir(), "r1-fixture-models-"));
});

after(async () => {
    for (const model of models.values()) await (await model).dispose();
    await llama.dispose();
    rmSync(scratch, { recursive: true, force: true });
});

function loadModel(path: string): Promise<LlamaModel> {
    let model = models.get(path);
    if (model == null) models.set(path, (model = llama.loadModel({ modelPath: path })));
    return model;
}

async function variantModel(name: ScriptedVariantName): Promise<LlamaModel> {
    return loadModel(await ensureFixtureModel((name === "default" ? "scripted" : name) satisfies FixtureModelName));
}

async function customModel(fileName: string, spec: ScriptSpec): Promise<LlamaModel> {
    const path = join(scratch, fileName);
    if (!existsSync(path)) await writeScriptedModel(path, spec);
    return loadModel(path);
}

/** The R1 history the product sends when it forces `<think>\n`: the model turn opened with an unended thought. */
function forcedThinkHistory(userText: string): ChatHistoryItem[] {
    return [
        { type: "user", text: userText },
        { type: "model", response: [{ type: "segment", segmentType: "thought", text: "\n", ended: false }] }
    ];
}

/** (B): the product's DeepSeek wrapper whose thought opens with `<think>\n` when the model turn starts. */
function forcedThinkWrapper(): ChatWrapper {
    return createForcedThinkWrapper(nlc);
}

interface Run {
    readonly chunks: readonly LlamaChatResponseChunk[];
    /** Concatenated thought chunks and answer chunks. */
    readonly thought: string;
    readonly answer: string;
    readonly segmentStarts: number;
    readonly segmentEnds: number;
    readonly tokens: readonly number[];
    readonly result: LlamaChatResponse;
    /** Everything the sequence evaluated, special tokens printed. */
    readonly sequenceText: string;
    readonly wrapperName: string;
}

interface RunOptions {
    readonly history?: ChatHistoryItem[];
    readonly wrapper?: ChatWrapper;
    readonly temperature?: number;
    readonly seed?: number;
    readonly maxTokens?: number;
    readonly thoughtTokens?: number;
    readonly abortAfterTokens?: number;
    readonly contextSize?: number;
}

async function run(model: LlamaModel, options: RunOptions = {}): Promise<Run> {
    const context = await model.createContext({ contextSize: options.contextSize ?? 1024, threads: 1 });
    try {
        const sequence = context.getSequence();
        const wrapper = options.wrapper ?? new nlc.DeepSeekChatWrapper();
        const chat = new nlc.LlamaChat({ contextSequence: sequence, chatWrapper: wrapper });
        const chunks: LlamaChatResponseChunk[] = [];
        const tokens: number[] = [];
        const abort = new AbortController();
        const result = await chat.generateResponse(options.history ?? forcedThinkHistory("Write an add function."), {
            temperature: options.temperature ?? 0,
            seed: options.seed,
            maxTokens: options.maxTokens,
            budgets: options.thoughtTokens != null ? { thoughtTokens: options.thoughtTokens } : undefined,
            signal: abort.signal,
            stopOnAbortSignal: true,
            onResponseChunk: (chunk) => {
                chunks.push(chunk);
                tokens.push(...chunk.tokens);
                if (options.abortAfterTokens != null && tokens.length >= options.abortAfterTokens) abort.abort();
            }
        });
        const text = (type: "thought" | "answer") => chunks
            .filter((c) => (type === "thought" ? c.type === "segment" && c.segmentType === "thought" : c.type == null))
            .map((c) => c.text)
            .join("");
        return {
            chunks, tokens, result, wrapperName: wrapper.wrapperName,
            thought: text("thought"),
            answer: text("answer"),
            segmentStarts: chunks.filter((c) => c.type === "segment" && c.segmentStartTime != null).length,
            segmentEnds: chunks.filter((c) => c.type === "segment" && c.segmentEndTime != null).length,
            sequenceText: model.detokenize(sequence.contextTokens, true)
        };
    } finally {
        await context.dispose();
    }
}

test("every generated variant loads and tokenizes R1 special tokens as single tokens", async () => {
    for (const name of SCRIPTED_VARIANT_NAMES) {
        const model = await variantModel(name);
        assert.equal(model.fileInfo.metadata.general.name, SCRIPTED_VARIANTS[name].name);
        for (const special of [R1_BOS, R1_EOS, R1_USER, R1_ASSISTANT, R1_THINK_OPEN, R1_THINK_CLOSE])
            assert.equal(model.tokenize(special, true).length, 1, `${name}: ${special} is one token`);
        const prose = "Fix `x ｜ y` — naïve 🙂\n";
        assert.equal(model.detokenize(model.tokenize(prose)), prose, `${name}: any text tokenizes and comes back`);
    }
});

test("resolveChatWrapper picks DeepSeekChatWrapper for the R1 template (qwen2 and llama) and a generic one without", async () => {
    // resolveChatWrapper renders the Jinja template to compare it with each specialized wrapper: about
    // 0.5 s per call here, so the product should resolve once per loaded model.
    for (const name of ["default", "llamaArch"] as const) {
        const wrapper = nlc.resolveChatWrapper(await variantModel(name));
        assert.ok(wrapper instanceof nlc.DeepSeekChatWrapper, `${name}: got ${wrapper.wrapperName}`);
    }
    const generic = nlc.resolveChatWrapper(await variantModel("noTemplate"));
    assert.ok(generic instanceof nlc.GeneralChatWrapper, `noTemplate: got ${generic.wrapperName}`);
});

test("the default script reproduces exactly across runs at temperatures 0 and 1.0", async () => {
    const model = await variantModel("default");
    const expected = expectedScriptReply(SCRIPTED_VARIANTS.default);
    for (const [temperature, seed] of [[0, undefined], [0, undefined], [1, 1], [1, 2], [1, 3]] as const) {
        const r = await run(model, { temperature, seed });
        assert.equal(r.thought, expected.thought, `thought at temperature ${temperature}`);
        assert.equal(r.answer, expected.answer, `answer at temperature ${temperature}`);
        assert.equal(r.result.metadata.stopReason, "eogToken");
    }
});

test("(b) an unended thought segment at the end of the history forces <think>\\n and keeps segmentation", async () => {
    const model = await variantModel("default");
    const expected = expectedScriptReply(SCRIPTED_VARIANTS.default);
    const history = forcedThinkHistory("Write an add function.");
    const prompt = new nlc.DeepSeekChatWrapper().generateContextState({ chatHistory: history }).contextText.toString();
    assert.ok(prompt.endsWith(`${R1_USER}Write an add function.${R1_ASSISTANT}${R1_THINK_OPEN}\n`), prompt);

    const r = await run(model, { history });
    assert.equal(r.wrapperName, "DeepSeek");
    assert.ok(r.sequenceText.startsWith(`${R1_BOS}${R1_USER}Write an add function.${R1_ASSISTANT}${R1_THINK_OPEN}\n${expected.thought}${R1_THINK_CLOSE}`), r.sequenceText);
    // The stack comes from the history: no separate empty "start" chunk; the first thought chunk carries the start time.
    const first = r.chunks[0];
    assert.equal(first.type, "segment");
    assert.equal(first.type === "segment" && first.segmentType, "thought");
    assert.ok(first.type === "segment" && first.segmentStartTime != null && first.text !== "");
    assert.equal(r.segmentStarts, 1);
    assert.equal(r.segmentEnds, 1);
    const endIndex = r.chunks.findIndex((c) => c.type === "segment" && c.segmentEndTime != null);
    const firstAnswer = r.chunks.findIndex((c) => c.type == null && c.text !== "");
    assert.ok(endIndex < firstAnswer, "the thought ends before the answer starts");
    assert.equal(r.thought, expected.thought);
    assert.equal(r.answer, expected.answer);
    assert.equal(r.result.response, expected.answer);
    const [segment, answer] = r.result.fullResponse;
    assert.deepEqual(typeof segment === "object" && segment.type === "segment" ? [segment.segmentType, segment.text, segment.ended] : segment,
        ["thought", expected.thought, true], "the forced \"\\n\" is not repeated in the returned thought");
    assert.equal(answer, expected.answer);
});

test("(b) maxTokens and abort stop inside the thought, but budgets.thoughtTokens is ignored", async () => {
    const model = await variantModel("neverEndingThought");
    const spec = SCRIPTED_VARIANTS.neverEndingThought;
    const capped = await run(model, { maxTokens: 30 });
    assert.equal(capped.result.metadata.stopReason, "maxTokens");
    assert.equal(capped.thought, scriptPiecesFrom(spec, 30).join(""));
    assert.equal(capped.segmentEnds, 0);

    const aborted = await run(model, { abortAfterTokens: 5, maxTokens: 100 });
    assert.equal(aborted.result.metadata.stopReason, "abort");
    assert.ok(aborted.tokens.length >= 5 && aborted.tokens.length < 10, `${aborted.tokens.length} tokens`);
    assert.equal(aborted.answer, "");

    // The thought segment was opened by the history, not by this generation, so the budget never applies
    // (SegmentHandler.getOpenSegmentStack() skips segments it does not own).
    const budgeted = await run(model, { thoughtTokens: 10, maxTokens: 40 });
    assert.equal(budgeted.result.metadata.stopReason, "maxTokens");
    assert.equal(budgeted.segmentEnds, 0);
    assert.equal(budgeted.thought, scriptPiecesFrom(spec, 40).join(""));
});

test("(B) a wrapper with prefix <think>\\n and openOnResponseStart forces the same prompt and honours thought budgets", async () => {
    const history: ChatHistoryItem[] = [{ type: "user", text: "Write an add function." }];
    const expected = expectedScriptReply(SCRIPTED_VARIANTS.default);
    const plain = await run(await variantModel("default"), { history, wrapper: forcedThinkWrapper() });
    assert.ok(plain.sequenceText.startsWith(`${R1_BOS}${R1_USER}Write an add function.${R1_ASSISTANT}${R1_THINK_OPEN}\n${expected.thought}`));
    const first = plain.chunks[0];
    assert.ok(first.type === "segment" && first.segmentStartTime != null && first.text === "", "an empty start chunk comes first");
    assert.deepEqual([plain.thought, plain.answer, plain.segmentEnds], [expected.thought, expected.answer, 1]);

    const spec = SCRIPTED_VARIANTS.neverEndingThought;
    const budgeted = await run(await variantModel("neverEndingThought"), { history, wrapper: forcedThinkWrapper(), thoughtTokens: 10, maxTokens: 60 });
    assert.equal(budgeted.thought, scriptPiecesFrom(spec, 10).join(""));
    assert.equal(budgeted.segmentEnds, 1);
    assert.equal(budgeted.answer, spec.afterForcedClose.filter((p) => p !== R1_EOS).join(""));
    assert.equal(budgeted.result.metadata.stopReason, "eogToken");
    assert.ok(budgeted.sequenceText.includes(`${scriptPiecesFrom(spec, 10).join("")}${R1_THINK_CLOSE}`), "the budget wrote </think> into the context");
});

test("(c) a <think> written after the forced prefix stays in the thought; a second </think> is answer text", async () => {
    const openTag = await run(await variantModel("emitsOpenTag"));
    const reply = expectedScriptReply(SCRIPTED_VARIANTS.emitsOpenTag);
    assert.equal(openTag.segmentStarts, 1);
    assert.equal(openTag.thought, `${R1_THINK_OPEN}${reply.thought}`);
    assert.equal(openTag.answer, reply.answer);

    const twice: ScriptSpec = { pieces: ["Okay,", " thinking.", R1_THINK_CLOSE, "\n\nFirst answer.", " Wait,", " more thought?"], loopBackTo: 1 };
    const r = await run(await customModel("closeTwice.gguf", twice), { maxTokens: 13 });
    const pieces = scriptPiecesFrom(twice, 13);
    const close = pieces.indexOf(R1_THINK_CLOSE);
    assert.equal(r.segmentEnds, 1);
    assert.equal(r.thought, pieces.slice(0, close).join(""));
    assert.equal(r.answer, pieces.slice(close + 1).join(""));
    assert.equal(r.answer.split(R1_THINK_CLOSE).length - 1, 2, "later </think> tokens arrive as literal answer text");
});

test("each variant says its script through the forced prefix", async () => {
    for (const name of ["onlyCloseTag", "emptyThought", "multiBlock", "llamaArch"] as const) {
        const expected = expectedScriptReply(SCRIPTED_VARIANTS[name]);
        const r = await run(await variantModel(name));
        assert.deepEqual([r.thought, r.answer, r.segmentEnds], [expected.thought, expected.answer, 1], name);
    }
    const shortLoop = await run(await variantModel("shortLoop"), { maxTokens: 21 });
    assert.equal(shortLoop.thought, scriptPiecesFrom(SCRIPTED_VARIANTS.shortLoop, 21).join(""));
    assert.ok(isPeriodic(shortLoop.tokens.slice(1), 4), "the thought repeats with period 4");

    const loopAnswer = await run(await variantModel("shortLoopAnswer"), { maxTokens: 20 });
    const pieces = scriptPiecesFrom(SCRIPTED_VARIANTS.shortLoopAnswer, 20);
    assert.equal(loopAnswer.thought, pieces.slice(0, pieces.indexOf(R1_THINK_CLOSE)).join(""));
    assert.equal(loopAnswer.answer, pieces.slice(pieces.indexOf(R1_THINK_CLOSE) + 1).join(""));
    assert.ok(isPeriodic(loopAnswer.tokens.slice(-12), 3), "the answer repeats with period 3");

    const never = await run(await variantModel("neverEndingThought"), { maxTokens: 600, contextSize: 2048 });
    assert.equal(never.segmentEnds, 0);
    assert.equal(never.thought, scriptPiecesFrom(SCRIPTED_VARIANTS.neverEndingThought, 600).join(""));
    for (let period = 1; period <= 256; period++)
        assert.ok(!isPeriodic(never.tokens.slice(-300), period), `no period ${period} in the never-ending thought`);
});

test("without a chat template the reply has no segments", async () => {
    const model = await variantModel("noTemplate");
    const r = await run(model, { history: [{ type: "user", text: "Write an add function." }], wrapper: new nlc.GeneralChatWrapper() });
    assert.equal(r.chunks.filter((c) => c.type === "segment").length, 0);
    assert.equal(r.answer, expectedScriptReply(SCRIPTED_VARIANTS.noTemplate).raw, "</think> arrives as plain text");
});

test("a small random model with the real qwen2 layout loads and decodes", async () => {
    const path = join(scratch, "random-small.gguf");
    const info = await writeRandomModel(path, {
        shape: { nVocab: 2048, nEmbd: 128, nLayer: 2, nFf: 256, nHead: 4, nHeadKv: 2, contextLength: 4096 },
        weightType: "Q8_0"
    });
    assert.ok(info.parameters > 2048 * 128 * 2);
    const model = await loadModel(path);
    assert.equal(model.fileInfo.metadata.tokenizer.chat_template, loadR1ChatTemplate().text);
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    try {
        const sequence = context.getSequence();
        const generated: number[] = [];
        for await (const token of sequence.evaluate(model.tokenize("Hello", true), { temperature: 0 })) {
            generated.push(token);
            if (generated.length === 8) break;
        }
        assert.equal(generated.length, 8);
        assert.ok(generated.every((t) => t >= 0 && t < 2048));
    } finally {
        await context.dispose();
    }
});

test("stories260K (a real tiny Llama without a template) writes text", async (t) => {
    const shared = findSharedDir();
    const path = shared == null ? undefined : join(shared, "fixtures", "models", "stories260K.gguf");
    if (path == null || !existsSync(path)) {
        t.skip("../shared/fixtures/models/stories260K.gguf is absent (a clone without ../shared; set R1_SHARED_DIR)");
        return;
    }
    const model = await loadModel(path);
    assert.ok(!(nlc.resolveChatWrapper(model) instanceof nlc.DeepSeekChatWrapper));
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    try {
        const completion = new nlc.LlamaCompletion({ contextSequence: context.getSequence() });
        const text = await completion.generateCompletion("Once upon a time", { maxTokens: 40, temperature: 0 });
        const words = text.match(/[A-Za-z]+/g) ?? [];
        assert.ok(words.length >= 10, `a story, got ${JSON.stringify(text)}`);
    } finally {
        await context.dispose();
    }
});

/** Whether `tokens` repeats with exactly this period all along (and is longer than two periods). */
function isPeriodic(tokens: readonly number[], period: number): boolean {
    if (tokens.length < period * 2) return false;
    for (let i = period; i < tokens.length; i++) if (tokens[i] !== tokens[i - period]) return false;
    return true;
}
