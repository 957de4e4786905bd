// Token prediction (r1.tokenPrediction) measured through the model process, side by side: the same model and
// prompt, requests alternating with prediction on and off (the setting is sent with r1/configure, as the
// extension does; each switch gives the sequence a new predictor or none). Per phase: thought tokens/s and
// answer tokens/s, from the reply's own stats; the draft acceptance; and whether both replies are the same.
// Called by bench/engine.ts (npm run bench:engine).
import { join, resolve } from "node:path";
import { ModelProcessClient } from "../src/platform/modelProcessClient";
import type { EngineSettings, ReasonResult, SamplingOptions } from "../src/shared/lspProtocol";
import { COPY_SCRIPT } from "../test/fixtures/copyScript";
import { ensureFixtureModel } from "../test/fixtures/generate";
import { findSharedDir } from "../test/fixtures/repoPaths";

export interface PredictionRun {
    readonly on: boolean;
    readonly result: ReasonResult;
    readonly thoughtTokS: number;
    readonly answerTokS: number;
}

export interface PredictionFigures {
    readonly answerOnTokS: number;
    readonly answerOffTokS: number;
    /** Median over rounds of (answer tok/s on) / (answer tok/s off), each round a pair of adjacent runs. */
    readonly answerSpeedup: number;
    readonly thoughtOnTokS: number;
    readonly thoughtOffTokS: number;
    readonly thoughtRatio: number;
    /** Accepted draft tokens / draft tokens checked, over all runs with prediction on. */
    readonly acceptance: number;
    readonly draftTokens: number;
    /** Every run, on or off, gave the same reasoning, answer and token counts. */
    readonly identical: boolean;
    /** The runs with prediction off gave the same reply each time (else a difference is not prediction's doing). */
    readonly identicalOff: boolean;
    /**
     * Each run gave the same reply as the run two before it. Runs go on, off, off, on, on, off …, so each such pair
     * is one run with prediction and one without, after the same kind of previous request: the KV cells a request
     * reuses from the one before it change the batch split of the prompt, and with a nearly flat distribution
     * (random weights) that tiny numeric difference changes a sample at temperature > 0.
     */
    readonly identicalTwoApart: boolean;
    readonly answerTokens: number;
    readonly thoughtTokens: number;
    readonly runs: readonly PredictionRun[];
}

export interface PredictionBenchOptions {
    readonly modelPath: string;
    readonly prompt: string;
    readonly sampling: SamplingOptions;
    readonly rounds: number;
    readonly engine: EngineSettings;
    readonly log: (line: string) => void;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Tokens per second of each phase, from the stats every reply carries. */
export function phaseSpeeds(result: ReasonResult): { thoughtTokS: number; answerTokS: number } {
    const s = result.stats;
    const thoughtEnd = s.thoughtMs ?? s.elapsedMs;
    const thoughtSeconds = (thoughtEnd - (s.ttftMs ?? 0)) / 1000;
    const answerSeconds = (s.elapsedMs - thoughtEnd) / 1000;
    return {
        thoughtTokS: thoughtSeconds > 0 ? (s.thoughtTokens - 1) / thoughtSeconds : 0,
        answerTokS: answerSeconds > 0 ? s.answerTokens / answerSeconds : 0
    };
}

export async function measureTokenPrediction(options: PredictionBenchOptions): Promise<PredictionFigures> {
    const client = await ModelProcessClient.start({ serverModule: resolve(__dirname, "../../dist/server.js") });
    const runs: PredictionRun[] = [];
    try {
        await client.configure({ ...options.engine, tokenPrediction: true });
        await client.loadModel(options.modelPath);
        const once = async (on: boolean): Promise<PredictionRun> => {
            await client.configure({ ...options.engine, tokenPrediction: on });
            const result = await client.reason({ action: "fix", turns: [{ role: "user", text: options.prompt }], modelPath: options.modelPath, sampling: options.sampling }).result;
            return { on, result, ...phaseSpeeds(result) };
        };
        await once(true); // warm-up: buffers, caches
        for (let i = 0; i < options.rounds; i++) {
            const order = i % 2 === 0 ? [true, false] : [false, true];
            for (const on of order) runs.push(await once(on));
            const [a, b] = runs.slice(-2);
            const [on, off] = a!.on ? [a!, b!] : [b!, a!];
            options.log(
                `  round ${i + 1}: answer ${on.answerTokS.toFixed(1)} vs ${off.answerTokS.toFixed(1)} tok/s, thought ${on.thoughtTokS.toFixed(1)} vs ${off.thoughtTokS.toFixed(1)} tok/s ` +
                    `(on vs off; drafts ${on.result.stats.draftAcceptedTokens}/${on.result.stats.draftTokens})`
            );
        }
    } finally {
        await client.stop();
    }
    const on = runs.filter((r) => r.on);
    const off = runs.filter((r) => !r.on);
    const pairs = on.map((r, i) => [r, off[i]!] as const);
    const draftTokens = on.reduce((n, r) => n + (r.result.stats.draftTokens ?? 0), 0);
    const accepted = on.reduce((n, r) => n + (r.result.stats.draftAcceptedTokens ?? 0), 0);
    const key = (r: PredictionRun): string => JSON.stringify([r.result.reasoning, r.result.answer, r.result.stats.thoughtTokens, r.result.stats.answerTokens, r.result.stopReason]);
    return {
        answerOnTokS: median(on.map((r) => r.answerTokS)),
        answerOffTokS: median(off.map((r) => r.answerTokS)),
        answerSpeedup: median(pairs.map(([a, b]) => a.answerTokS / b.answerTokS)),
        thoughtOnTokS: median(on.map((r) => r.thoughtTokS)),
        thoughtOffTokS: median(off.map((r) => r.thoughtTokS)),
        thoughtRatio: median(pairs.map(([a, b]) => a.thoughtTokS / b.thoughtTokS)),
        acceptance: draftTokens > 0 ? accepted / draftTokens : 0,
        draftTokens,
        identical: runs.every((r) => key(r) === key(runs[0]!)),
        identicalOff: off.every((r) => key(r) === key(off[0]!)),
        identicalTwoApart: runs.every((r, i) => i < 2 || key(r) === key(runs[i - 2]!)),
        answerTokens: runs[0]?.result.stats.answerTokens ?? 0,
        thoughtTokens: runs[0]?.result.stats.thoughtTokens ?? 0,
        runs
    };
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Whether a real trained model (stories260K from ../shared: no chat template, so all of its reply is answer and
 * drafts start at once) gives the same tokens with prediction on and off, greedy and at temperature 0.8 with a
 * seed. A refused draft still draws from the sampler's random stream, so above temperature 0 the two runs may part
 * after the first refused draft. Undefined when ../shared is absent.
 */
async function storiesCheck(engine: EngineSettings, log: (line: string) => void): Promise<Record<string, boolean | number> | undefined> {
    const shared = findSharedDir();
    if (!shared) {
        log("stories260K check skipped: ../shared is absent");
        return undefined;
    }
    const modelPath = join(shared, "fixtures/models/stories260K.gguf");
    const prompt = "Once upon a time, there was a little girl named Lily. Lily liked to play with her ball in the park. One day, Lily saw a big dog in the park.";
    const base = { topP: 0.95, thoughtBudget: 0, maxTokens: 200, seed: 3 };
    const figures: Record<string, boolean | number> = {};
    for (const [name, temperature] of [["t0", 0], ["t08", 0.8]] as const) {
        const f = await measureTokenPrediction({ modelPath, prompt, sampling: { ...base, temperature }, rounds: 1, engine, log: () => undefined });
        figures[`stories_identical_${name}`] = f.identical;
        figures[`stories_drafts_${name}`] = f.draftTokens;
        figures[`stories_acceptance_${name}`] = round(f.acceptance, 3);
    }
    log(`stories260K (real trained model, all answer): ${JSON.stringify(figures)}`);
    return figures;
}

/**
 * What one decoding step costs with 1 to 16 tokens in the batch (median ms over 7 tries, alternating), on the
 * random 1.5B model in this process: a draft of one token makes the step a batch of 2. Explains the CPU figure.
 */
async function batchCosts(modelPath: string, threads: number): Promise<Record<number, number>> {
    const lib = await import("node-llama-cpp");
    const llama = await lib.getLlama({ gpu: "auto", build: "never", progressLogs: false, logLevel: lib.LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath });
    try {
        const context = await model.createContext({ contextSize: 1024, sequences: 1, threads: { ideal: threads, min: 1 } });
        const sequence = context.getSequence();
        const tokens = model.tokenize("x".repeat(300));
        await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, 200));
        const times: Record<number, number[]> = { 1: [], 2: [], 4: [], 8: [], 16: [] };
        for (let rep = 0; rep < 7; rep++)
            for (const n of [1, 2, 4, 8, 16]) {
                const t0 = performance.now();
                await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, n));
                times[n]!.push(performance.now() - t0);
                await sequence.eraseContextTokenRanges([{ start: sequence.nextTokenIndex - n, end: sequence.nextTokenIndex }]);
            }
        return Object.fromEntries(Object.entries(times).map(([n, t]) => [Number(n), median(t)]));
    } finally {
        await model.dispose();
    }
}

/** The token-prediction part of bench:engine: the JSON fields it adds to the last line. */
export async function predictionBench(threads: number, rounds: number, log: (line: string) => void): Promise<Record<string, number | boolean | string>> {
    const engine: EngineSettings = { gpu: "auto", contextSize: 4096, threads, idleUnloadMinutes: 0 };
    const sampling: SamplingOptions = { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 1000, seed: 42 };

    const scriptedPath = await ensureFixtureModel("scripted-1.5b-q4_0");
    log(`\ntoken prediction, scripted model at real 1.5B shapes (Q4_0): ${scriptedPath}`);
    const scripted = await measureTokenPrediction({ modelPath: scriptedPath, prompt: COPY_SCRIPT.prompt, sampling, rounds, engine, log });
    const reply = scripted.runs[0]!.result;
    const followed = reply.answer === COPY_SCRIPT.answer.trim() && reply.reasoning === COPY_SCRIPT.thought.trim();

    // Random weights: the thought never ends by itself, so a short thinking budget closes it and the answer phase
    // (where prediction is on) runs for the rest; its tokens almost never occur in the prompt.
    const randomPath = await ensureFixtureModel("random-1.5b-q4_0");
    log(`\ntoken prediction, random-weight 1.5B (Q4_0): ${randomPath}`);
    const randomSampling = { ...sampling, thoughtBudget: 48, maxTokens: 48 + 128 };
    const random = await measureTokenPrediction({ modelPath: randomPath, prompt: COPY_SCRIPT.prompt, sampling: randomSampling, rounds, engine, log });
    const randomGreedy = await measureTokenPrediction({ modelPath: randomPath, prompt: COPY_SCRIPT.prompt, sampling: { ...randomSampling, temperature: 0 }, rounds: 1, engine, log: () => undefined });
    const stories = await storiesCheck(engine, log);
    const cost = await batchCosts(randomPath, threads);
    log(`decoding step on the random 1.5B: ${cost[1]!.toFixed(0)} ms for 1 token, ${cost[2]!.toFixed(0)} ms for 2, ${cost[4]!.toFixed(0)} ms for 4, ${cost[8]!.toFixed(0)} ms for 8, ${cost[16]!.toFixed(0)} ms for 16`);

    log("\n| model | answer tok/s on / off | answer_speedup | thought tok/s on / off | thought_ratio | drafts accepted | identical |");
    log("|---|---|---|---|---|---|---|");
    for (const [name, f] of [["scripted 1.5B shapes Q4_0", scripted], ["random 1.5B Q4_0", random]] as const)
        log(
            `| ${name} | ${f.answerOnTokS.toFixed(1)} / ${f.answerOffTokS.toFixed(1)} | ${f.answerSpeedup.toFixed(2)} | ${f.thoughtOnTokS.toFixed(1)} / ${f.thoughtOffTokS.toFixed(1)} | ` +
                `${f.thoughtRatio.toFixed(2)} | ${(f.acceptance * 100).toFixed(0)}% of ${f.draftTokens} | ${f.identical} |`
        );
    return {
        prediction_model: "scripted-1.5b-q4_0",
        prediction_rounds: rounds,
        answer_tok_s_on: round(scripted.answerOnTokS, 1),
        answer_tok_s_off: round(scripted.answerOffTokS, 1),
        answer_speedup: round(scripted.answerSpeedup, 3),
        thought_tok_s_on: round(scripted.thoughtOnTokS, 1),
        thought_tok_s_off: round(scripted.thoughtOffTokS, 1),
        thought_ratio: round(scripted.thoughtRatio, 3),
        draft_acceptance: round(scripted.acceptance, 3),
        draft_tokens: scripted.draftTokens,
        identical: scripted.identical,
        script_followed: followed,
        answer_tokens: scripted.answerTokens,
        thought_tokens: scripted.thoughtTokens,
        random_answer_speedup: round(random.answerSpeedup, 3),
        random_thought_ratio: round(random.thoughtRatio, 3),
        random_draft_tokens: random.draftTokens,
        random_draft_acceptance: round(random.acceptance, 3),
        random_identical: random.identical,
        random_identical_greedy: randomGreedy.identical,
        random_identical_off_runs: random.identicalOff,
        random_identical_two_apart: random.identicalTwoApart,
        step_ms_batch1: round(cost[1]!, 1),
        step_cost_ratio_batch2: round(cost[2]! / cost[1]!, 3),
        step_cost_ratio_batch4: round(cost[4]! / cost[1]!, 3),
        step_cost_ratio_batch8: round(cost[8]! / cost[1]!, 3),
        step_cost_ratio_batch16: round(cost[16]! / cost[1]!, 3),
        ...stories
    };
}
