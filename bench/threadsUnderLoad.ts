// npm run bench:threads [-- --tokens 32 --rounds 2]
// Decoding speed with 1 thread and with every core, on idle cores and on cores kept busy by other processes (one
// busy-loop process per core, as a build or another model would), side by side in one run (alternating rounds:
// the machine is noisy), on the random-weight model with the real DeepSeek-R1-Distill-Qwen-1.5B shapes (Q4_0).
// It also prints what the automatic choice (core/models/threadChoice, from the busy cores measured as the model
// process does when it loads) picks in each condition. Prints a table and, last, one JSON line.
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import type { ChatHistoryItem } from "node-llama-cpp" with { "resolution-mode": "import" };
import { chooseThreads } from "../src/core/models/threadChoice";
import { busyCores } from "../src/server/cpuLoad";
import { ensureFixtureModel } from "../test/fixtures/generate";

function option(name: string, fallback: string): string {
    const at = process.argv.indexOf(name);
    return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1]! : fallback;
}

/** One busy-loop process per core (other work on the machine); returns a function that stops them. */
function busyLoad(count: number): () => void {
    const children: ChildProcess[] = [];
    for (let i = 0; i < count; i++) children.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
    return () => {
        for (const c of children) c.kill("SIGKILL");
    };
}

async function main(): Promise<void> {
    const cores = availableParallelism();
    const maxTokens = Number(option("--tokens", "32"));
    const rounds = Number(option("--rounds", "2"));
    const threadCounts = [...new Set([1, cores])];
    const path = await ensureFixtureModel("random-1.5b-q4_0");
    const nlc = await import("node-llama-cpp");
    const llama = await nlc.getLlama({ build: "never", gpu: false, logLevel: nlc.LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path });
    const wrapper = nlc.resolveChatWrapper(model);
    const history: ChatHistoryItem[] = [
        { type: "user", text: "Explain what this function does and fix the bug in it." },
        { type: "model", response: [{ type: "segment", segmentType: "thought", text: "\n", ended: false }] }
    ];

    /** Decode tokens per second with `threads` (time from the first generated token to the last). */
    async function decode(threads: number): Promise<number> {
        const context = await model.createContext({ contextSize: 1024, threads });
        try {
            const chat = new nlc.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: wrapper });
            let first = 0;
            let tokens = 0;
            await chat.generateResponse(history, {
                maxTokens, temperature: 0.6, seed: 1,
                onResponseChunk: (chunk) => {
                    if (chunk.tokens.length > 0 && first === 0) first = performance.now();
                    tokens += chunk.tokens.length;
                }
            });
            return Math.round(((tokens - 1) / (performance.now() - first)) * 1000 * 10) / 10;
        } finally {
            await context.dispose();
        }
    }

    const samples: Record<string, number[]> = {};
    const auto: Record<string, { busyCores: number | undefined; threads: number; reason: string }> = {};
    for (let round = 0; round < rounds; round++) {
        for (const load of ["idle", "busy"] as const) {
            const stop = load === "busy" ? busyLoad(cores) : () => undefined;
            try {
                const busy = await busyCores();
                const choice = chooseThreads({ requested: 0, cores, mathCores: llama.cpuMathCores, ...(busy !== undefined ? { busyCores: busy } : {}) });
                auto[load] = { busyCores: busy === undefined ? undefined : Math.round(busy * 100) / 100, ...choice };
                for (const threads of round % 2 === 0 ? threadCounts : [...threadCounts].reverse()) {
                    (samples[`${load}:${threads}`] ??= []).push(await decode(threads));
                }
            } finally {
                stop();
            }
        }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`\ndecode tok/s (median of ${rounds}; ${maxTokens} tokens; ${cores} cores; random 1.5B Q4_0)`);
    console.log(`load   ${threadCounts.map((t) => `${t} thread${t > 1 ? "s" : ""}`.padStart(12)).join("")}   automatic choice`);
    const rows: Record<string, unknown> = {};
    for (const load of ["idle", "busy"] as const) {
        const speeds = threadCounts.map((t) => median(samples[`${load}:${t}`]!));
        rows[load] = { ...Object.fromEntries(threadCounts.map((t, i) => [`threads${t}`, speeds[i]])), auto: auto[load] };
        console.log(`${load.padEnd(6)} ${speeds.map((s) => String(s).padStart(12)).join("")}   ${auto[load]!.threads} (${auto[load]!.reason})`);
    }
    console.log(JSON.stringify({ bench: "threadsUnderLoad", cores, maxTokens, rounds, rows }));
    await model.dispose();
    await llama.dispose();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
