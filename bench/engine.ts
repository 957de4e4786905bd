// npm run bench:engine [-- --model FILE --rounds N --tokens N --threads N --prefix-tokens N --prediction-rounds N --prediction-only]
// Measures what the extension's path costs over raw node-llama-cpp, side by side in one run (alternating, since
// machines are noisy): the same model, settings, prompt and threads, once in this process through
// node-llama-cpp directly, once through the model process (dist/server.js) over LSP with the plain client.
// Then two requests that share a long prefix, to measure KV-cache prefix reuse. Then token prediction
// (bench/tokenPrediction.ts: answer and thought tokens/s with r1.tokenPrediction on and off, alternating, on a
// scripted model at real 1.5B shapes and on the random-weight one). Prints tables and, last, one JSON line.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ChatHistoryItem } from "node-llama-cpp" with { "resolution-mode": "import" };
import { ModelProcessClient } from "../src/platform/modelProcessClient";
import type { ReasonParams, ReasonResult } from "../src/shared/lspProtocol";
import { ensureFixtureModel } from "../test/fixtures/generate";
import { predictionBench } from "./tokenPrediction";

interface Sample {
    decodeTokS: number;
    promptTokS: number;
    ttftMs: number;
    tokens: number;
}

const { values } = parseArgs({
    options: {
        model: { type: "string" },
        rounds: { type: "string", default: "3" },
        tokens: { type: "string", default: "96" },
        threads: { type: "string", default: String(Math.min(2, availableParallelism())) },
        "prefix-tokens": { type: "string", default: "4000" },
        context: { type: "string", default: "8192" },
        "prediction-rounds": { type: "string", default: "4" },
        "prediction-only": { type: "boolean", default: false }
    }
});
const rounds = Number(values.rounds);
const maxTokens = Number(values.tokens);
const threads = Number(values.threads);
const contextSize = Number(values.context);
const prefixTokens = Number(values["prefix-tokens"]);
const sampling = { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens, seed: 42 };
const question = "Write a TypeScript function that merges two sorted arrays into one sorted array, and explain its complexity.";

function peakRssBytes(pid: number | "self"): number {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

async function main(): Promise<void> {
    if (values["prediction-only"]) {
        console.log(`threads: ${threads}`);
        console.log(JSON.stringify(await predictionBench(threads, Number(values["prediction-rounds"]), (l) => console.log(l))));
        return;
    }
    const modelPath = values.model ? resolve(values.model) : await ensureFixtureModel("random-1.5b-q4_0");
    console.log(`model: ${modelPath}\nthreads: ${threads}, context: ${contextSize}, decode tokens: ${maxTokens}, rounds: ${rounds}\n`);

    // ---- raw node-llama-cpp in this process -------------------------------------------------------------
    const lib = await import("node-llama-cpp");
    const llama = await lib.getLlama({ gpu: "auto", build: "never", progressLogs: false, logLevel: lib.LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize, sequences: 1, threads: { ideal: threads, min: 1 } });
    const sequence = context.getSequence();
    const chatWrapper = lib.resolveChatWrapper(model);
    const reasoning = chatWrapper instanceof lib.DeepSeekChatWrapper;

    async function raw(prompt: string, keepCache = false): Promise<Sample> {
        if (!keepCache) await sequence.clearHistory();
        const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
        const history: ChatHistoryItem[] = [
            { type: "user", text: prompt },
            { type: "model", response: reasoning ? [{ type: "segment", segmentType: "thought", text: "\n", ended: false }] : [] }
        ];
        const promptLength = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
        const t0 = performance.now();
        let first: number | undefined;
        let count = 0;
        await chat.generateResponse(history, {
            ...sampling,
            onResponseChunk: (c) => {
                if (c.tokens.length === 0) return;
                first ??= performance.now();
                count += c.tokens.length;
            }
        });
        const end = performance.now();
        chat.dispose({ disposeSequence: false });
        const ttft = (first ?? end) - t0;
        return { ttftMs: ttft, decodeTokS: (count - 1) / ((end - (first ?? end)) / 1000), promptTokS: promptLength / (ttft / 1000), tokens: count };
    }

    // ---- the extension's path: model process over LSP ---------------------------------------------------
    const client = await ModelProcessClient.start({ serverModule: resolve(__dirname, "../../dist/server.js") });
    await client.configure({ gpu: "auto", contextSize, threads, idleUnloadMinutes: 0 });
    await client.loadModel(modelPath);
    const params = (prompt: string): ReasonParams => ({ action: "chat", turns: [{ role: "user", text: prompt }], sampling, modelPath });
    // The server keeps the prefix between requests; a leading nonce makes each measured request start cold.
    let nonce = 0;
    async function ext(prompt: string): Promise<Sample & { result: ReasonResult }> {
        const t0 = performance.now();
        const result = await client.reason(params(prompt)).result;
        const s = result.stats;
        const ttft = s.ttftMs ?? performance.now() - t0;
        return { result, ttftMs: ttft, decodeTokS: s.tokensPerSecond, promptTokS: s.promptTokens / (ttft / 1000), tokens: s.thoughtTokens + s.answerTokens };
    }

    // Warm-up both (first evaluation allocates buffers).
    await raw(`warm-up ${nonce++}. ${question}`);
    await ext(`warm-up ${nonce++}. ${question}`);

    const rawSamples: Sample[] = [];
    const extSamples: Sample[] = [];
    for (let i = 0; i < rounds; i++) {
        const prompt = `Request ${nonce++}. ${question}`;
        const [a, b] = i % 2 === 0 ? ["raw", "ext"] : ["ext", "raw"];
        for (const which of [a, b]) {
            if (which === "raw") rawSamples.push(await raw(prompt));
            else extSamples.push(await ext(prompt));
        }
        const r = rawSamples.at(-1)!;
        const e = extSamples.at(-1)!;
        console.log(`round ${i + 1}: raw ${r.decodeTokS.toFixed(1)} tok/s, ttft ${r.ttftMs.toFixed(0)} ms | ext ${e.decodeTokS.toFixed(1)} tok/s, ttft ${e.ttftMs.toFixed(0)} ms`);
    }

    // ---- prefix reuse: two requests that share a long prefix (a file, then two questions about it) ----------
    const fileLine = (i: number): string => `export function helper${i}(value: number): number { return value * ${i} + ${i % 7}; }\n`;
    let file = "";
    for (let i = 0; model.tokenize(file).length < prefixTokens; i++) file += fileLine(i);
    const prefix = `File src/helpers.ts:\n\`\`\`typescript\n${file}\`\`\`\n\n`;
    const firstReq = await ext(`${prefix}Question: which helper returns the largest value for input 3?`);
    const secondReq = await ext(`${prefix}Question: are any of these helpers unused?`);
    const prefixRatio = secondReq.ttftMs / firstReq.ttftMs;
    console.log(
        `\nprefix: ${firstReq.result.stats.promptTokens} prompt tokens; first request ttft ${firstReq.ttftMs.toFixed(0)} ms ` +
            `(reused ${firstReq.result.stats.reusedPromptTokens}), second ${secondReq.ttftMs.toFixed(0)} ms (reused ${secondReq.result.stats.reusedPromptTokens})`
    );

    const rawPeak = peakRssBytes("self");
    const extPeak = client.pid ? peakRssBytes(client.pid) : 0;
    await client.stop();
    await model.dispose();

    const median = (xs: number[]): number => {
        const s = [...xs].sort((x, y) => x - y);
        return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const rawDecode = median(rawSamples.map((s) => s.decodeTokS));
    const extDecode = median(extSamples.map((s) => s.decodeTokS));
    const rawTtft = median(rawSamples.map((s) => s.ttftMs));
    const extTtft = median(extSamples.map((s) => s.ttftMs));
    // Rounds alternate raw and extension on the same prompt: the median of the per-round differences is less
    // sensitive to the machine's drift than the difference of the medians.
    const pairedTtftDiff = median(extSamples.map((e, i) => e.ttftMs - rawSamples[i]!.ttftMs));
    const rawPrompt = median(rawSamples.map((s) => s.promptTokS));
    const extPrompt = median(extSamples.map((s) => s.promptTokS));
    const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

    console.log("\n| path | decode tok/s | prompt tok/s | ttft ms | peak RSS MiB |");
    console.log("|---|---|---|---|---|");
    console.log(`| raw node-llama-cpp (this process) | ${rawDecode.toFixed(1)} | ${rawPrompt.toFixed(0)} | ${rawTtft.toFixed(0)} | ${mib(rawPeak)} |`);
    console.log(`| extension (model process over LSP) | ${extDecode.toFixed(1)} | ${extPrompt.toFixed(0)} | ${extTtft.toFixed(0)} | ${mib(extPeak)} |`);
    const prediction = await predictionBench(threads, Number(values["prediction-rounds"]), (l) => console.log(l));
    console.log(
        JSON.stringify({
            raw_decode_tok_s: round(rawDecode),
            ext_decode_tok_s: round(extDecode),
            decode_ratio: round(extDecode / rawDecode, 3),
            raw_ttft_ms: round(rawTtft),
            ext_ttft_ms: round(extTtft),
            ttft_paired_median_diff_ms: round(pairedTtftDiff),
            raw_prompt_tok_s: round(rawPrompt),
            ext_prompt_tok_s: round(extPrompt),
            raw_peak_rss_mib: Number(mib(rawPeak)),
            ext_peak_rss_mib: Number(mib(extPeak)),
            prefix_prompt_tokens: firstReq.result.stats.promptTokens,
            prefix_first_ttft_ms: round(firstReq.ttftMs),
            prefix_second_ttft_ms: round(secondReq.ttftMs),
            prefix_ttft_ratio: round(prefixRatio, 3),
            ...prediction
        })
    );
}

function round(n: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(n * f) / f;
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exit(1);
    }
);
