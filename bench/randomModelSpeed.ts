// Speed of node-llama-cpp on the random-weight model with the real DeepSeek-R1-Distill-Qwen-1.5B shapes,
// through the path the product uses (LlamaChat + DeepSeekChatWrapper, reply forced to start with <think>\n).
//   node out/bench/randomModelSpeed.js [--q8] [--threads 1,2] [--tokens 64] [--prompt-bytes 400]
// Writes test/fixtures/models/r1-random-1.5b-q4_0.gguf (or q8_0) first when missing (~1-2 GB, seconds).
// Prompts tokenize one byte per token (the fixture tokenizer has no merges), so prompt tokens = prompt bytes.
import type { ChatHistoryItem } from "node-llama-cpp" with { "resolution-mode": "import" };
import { ensureFixtureModel } from "../test/fixtures/generate";

function option(name: string, fallback: string): string {
    const at = process.argv.indexOf(name);
    return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
    const q8 = process.argv.includes("--q8");
    const threadCounts = option("--threads", "1,2").split(",").map(Number);
    const maxTokens = Number(option("--tokens", "64"));
    const promptBytes = Number(option("--prompt-bytes", "400"));

    let started = Date.now();
    const path = await ensureFixtureModel(q8 ? "random-1.5b-q8_0" : "random-1.5b-q4_0");
    const ensureMs = Date.now() - started;
    const nlc = await import("node-llama-cpp");
    const llama = await nlc.getLlama({ build: "never", gpu: false, logLevel: nlc.LlamaLogLevel.error });
    started = Date.now();
    const model = await llama.loadModel({ modelPath: path });
    const loadMs = Date.now() - started;
    started = Date.now();
    const wrapper = nlc.resolveChatWrapper(model);
    const resolveMs = Date.now() - started;
    console.log(`${path}\n  ensure ${ensureMs} ms, load ${loadMs} ms, resolveChatWrapper ${resolveMs} ms (${wrapper.wrapperName}), RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);

    const userText = "Explain what this function does and fix the bug in it. ".repeat(Math.ceil(promptBytes / 56)).slice(0, promptBytes);
    const rows: Array<Record<string, number>> = [];
    for (const threads of threadCounts) {
        const context = await model.createContext({ contextSize: 2048, threads });
        try {
            const chat = new nlc.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: wrapper });
            const history: ChatHistoryItem[] = [
                { type: "user", text: userText },
                { type: "model", response: [{ type: "segment", segmentType: "thought", text: "\n", ended: false }] }
            ];
            const promptTokens = wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
            let firstChunkAt = 0;
            let tokens = 0;
            const t0 = performance.now();
            const result = await chat.generateResponse(history, {
                maxTokens, temperature: 0.6, seed: 1,
                onResponseChunk: (chunk) => {
                    if (chunk.tokens.length > 0 && firstChunkAt === 0) firstChunkAt = performance.now();
                    tokens += chunk.tokens.length;
                }
            });
            const end = performance.now();
            rows.push({
                threads,
                promptTokens,
                firstTokenMs: Math.round(firstChunkAt - t0),
                promptTokPerS: Math.round((promptTokens / (firstChunkAt - t0)) * 1000 * 10) / 10,
                decodeTokens: tokens,
                decodeTokPerS: Math.round(((tokens - 1) / (end - firstChunkAt)) * 1000 * 10) / 10
            });
            console.log(`  threads ${threads}: prompt ${promptTokens} tok, first token after ${Math.round(firstChunkAt - t0)} ms ` +
                `(${rows.at(-1)!.promptTokPerS} tok/s); decode ${tokens} tok at ${rows.at(-1)!.decodeTokPerS} tok/s (${result.metadata.stopReason})`);
        } finally {
            await context.dispose();
        }
    }
    console.log(JSON.stringify({ model: q8 ? "Q8_0" : "Q4_0", loadMs, resolveMs, rows }));
    await model.dispose();
    await llama.dispose();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
