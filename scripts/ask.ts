// npm run ask -- --model FILE.gguf [options] "prompt"
// npm run ask -- --engine http://127.0.0.1:8000/v1 --model NAME [--api-key-env VAR] [options] "prompt"
// Starts the extension's model process and speaks to it over LSP, like the extension does: the thought streams
// dimmed, then the answer, then the stats. --json prints one JSON line at the end instead. With --engine the
// model process asks that OpenAI-compatible server (vLLM, SGLang, llama-server, Ollama, the DeepSeek API); the
// API key is read from the environment variable named by --api-key-env, never from the command line.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ModelProcessClient } from "../src/platform/modelProcessClient";
import type { GpuMode, ReasonParams, ReasonResult, RemoteEngineSpec } from "../src/shared/lspProtocol";

const usage = `Usage: npm run ask -- --model FILE.gguf [options] "prompt"
       npm run ask -- --engine BASE_URL --model NAME [--api-key-env VAR] [options] "prompt"

Options (they mirror the r1.* settings):
  --model FILE|NAME   GGUF model file (or R1_MODEL in the environment); with --engine, the server's model name
  --engine URL        an OpenAI-compatible server's base URL, e.g. http://127.0.0.1:8000/v1 or https://api.deepseek.com/v1
  --api-key-env VAR   with --engine: the environment variable that holds the API key (e.g. DEEPSEEK_API_KEY)
  --ca-file FILE      with --engine: a PEM CA certificate to trust (a self-signed server)
  --proxy URL         with --engine: proxy (http://host:port, "direct" for none; default: HTTPS_PROXY/HTTP_PROXY)
  --first-byte-timeout S  with --engine: seconds to wait for the server's first byte   default 60
  --threads N         CPU threads (0 = available cores)          default 0
  --context N         context size in tokens                      default 8192
  --gpu MODE          auto | cuda | vulkan | metal | cpu           default auto
  --temperature T     sampling temperature                        default 0.6
  --top-p P           nucleus sampling                            default 0.95
  --budget N          thinking budget in tokens (0 = unlimited)   default 4096
  --max-tokens N      hard cap on generated tokens                default 16384
  --seed N            sampling seed
  --json              print one JSON line at the end instead of streaming
  --verbose           print the model process's log lines to stderr
  -h, --help`;

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: {
            model: { type: "string" },
            engine: { type: "string" },
            "api-key-env": { type: "string" },
            "ca-file": { type: "string" },
            proxy: { type: "string" },
            "first-byte-timeout": { type: "string" },
            threads: { type: "string", default: "0" },
            context: { type: "string", default: "8192" },
            gpu: { type: "string", default: "auto" },
            temperature: { type: "string", default: "0.6" },
            "top-p": { type: "string", default: "0.95" },
            budget: { type: "string", default: "4096" },
            "max-tokens": { type: "string", default: "16384" },
            seed: { type: "string" },
            json: { type: "boolean", default: false },
            verbose: { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false }
        }
    });
    if (values.help) {
        console.log(usage);
        return 0;
    }
    // A remote engine's model is a name on that server: R1_MODEL (a local file) does not stand in for it.
    const model = values.engine !== undefined ? values.model : (values.model ?? process.env.R1_MODEL);
    const prompt = positionals.join(" ").trim();
    if (!model || !prompt) {
        console.error(usage);
        return 2;
    }
    const gpu = values.gpu as GpuMode;
    if (!["auto", "cuda", "vulkan", "metal", "cpu"].includes(gpu)) {
        console.error(`--gpu must be auto, cuda, vulkan, metal or cpu (got "${gpu}")`);
        return 2;
    }
    const num = (name: string, v: string | undefined): number => {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Error(`--${name} must be a number (got "${v}")`);
        return n;
    };
    let engine: RemoteEngineSpec | undefined;
    if (values.engine !== undefined) {
        engine = { baseUrl: values.engine, model };
        const keyVar = values["api-key-env"];
        if (keyVar !== undefined) {
            const key = process.env[keyVar];
            if (!key) {
                console.error(`--api-key-env ${keyVar}: that environment variable is not set`);
                return 2;
            }
            engine.apiKey = key;
        }
        if (values["ca-file"] !== undefined) engine.caFile = resolve(values["ca-file"]);
        if (values.proxy !== undefined) engine.proxy = values.proxy;
        if (values["first-byte-timeout"] !== undefined) engine.firstByteTimeoutMs = num("first-byte-timeout", values["first-byte-timeout"]) * 1000;
    } else if (values["api-key-env"] !== undefined || values["ca-file"] !== undefined || values.proxy !== undefined) {
        console.error("--api-key-env, --ca-file and --proxy need --engine");
        return 2;
    }

    const client = await ModelProcessClient.start({
        serverModule: resolve(__dirname, "../../dist/server.js"),
        onLog: values.verbose ? (line) => process.stderr.write(`[model process] ${line}\n`) : undefined
    });
    const dim = process.stdout.isTTY ? "\x1b[2m" : "";
    const reset = process.stdout.isTTY ? "\x1b[0m" : "";
    let interrupted = false;
    try {
        if (!engine) await client.configure({ gpu, contextSize: num("context", values.context), threads: num("threads", values.threads), idleUnloadMinutes: 0 });
        let inThought = false;
        let inAnswer = false;
        const params: ReasonParams = {
            action: "chat",
            turns: [{ role: "user", text: prompt }],
            sampling: {
                temperature: num("temperature", values.temperature),
                topP: num("top-p", values["top-p"]),
                thoughtBudget: num("budget", values.budget),
                maxTokens: num("max-tokens", values["max-tokens"]),
                seed: values.seed !== undefined ? num("seed", values.seed) : undefined
            }
        };
        if (engine) params.engine = engine;
        else params.modelPath = resolve(model);
        const handle = client.reason(
            params,
            values.json
                ? undefined
                : (p) => {
                      for (const n of p.notices ?? []) if (n.kind === "modelLoading") process.stderr.write(`Loading ${n.model}…\n`);
                      if (p.answerRetracted && inAnswer) {
                          process.stdout.write(`${reset}\n[the model closed its thought again: the text above was still reasoning]\n`);
                          inAnswer = false;
                      }
                      if (p.thought) {
                          if (!inThought) process.stdout.write(`${dim}Thinking…\n`);
                          inThought = true;
                          process.stdout.write(`${dim}${p.thought}${reset}`);
                      }
                      if (p.answer) {
                          if (!inAnswer && inThought) process.stdout.write(`${reset}\n\n`);
                          inAnswer = true;
                          process.stdout.write(p.answer);
                      }
                  }
        );
        process.once("SIGINT", () => {
            interrupted = true;
            handle.cancel();
        });
        const result = await handle.result;
        if (values.json) console.log(JSON.stringify(summary(result)));
        else printStats(result);
        return interrupted ? 130 : 0;
    } finally {
        await client.stop();
    }
}

function summary(r: ReasonResult): Record<string, unknown> {
    return {
        reasoning: r.reasoning,
        answer: r.answer,
        stopReason: r.stopReason,
        thoughtState: r.thoughtState,
        thoughtTokens: r.stats.thoughtTokens,
        answerTokens: r.stats.answerTokens,
        promptTokens: r.stats.promptTokens,
        decodeTokS: r.stats.tokensPerSecond,
        ttftMs: r.stats.ttftMs ?? null,
        elapsedMs: r.stats.elapsedMs,
        usage: r.stats.usage ?? null,
        notices: r.notices,
        model: r.model
    };
}

function printStats(r: ReasonResult): void {
    const s = r.stats;
    const notes = r.notices
        .map((n) => {
            switch (n.kind) {
                case "budgetHit":
                    return `thinking budget of ${n.budget} tokens reached`;
                case "loopStopped":
                    return `stopped a loop repeating "${n.repeated.slice(0, 60)}"`;
                case "languageSwitch":
                    return `reasoning switched from ${n.from} to ${n.to}`;
                case "historyTrimmed":
                    return `${n.droppedTurns} earlier turns dropped to fit the context`;
                case "samplingOutsideRecommendation":
                case "info":
                    return n.message;
                case "streamInterrupted":
                    return `the reply was cut off (${n.message}); what arrived is shown`;
                case "modelLoading":
                    return undefined;
            }
        })
        .filter(Boolean);
    process.stderr.write(
        `\n\n— ${r.model} · ${r.stopReason} · thought ${r.thoughtState} · ${s.thoughtTokens} thought + ${s.answerTokens} answer tokens · ` +
            `${s.tokensPerSecond} tok/s · first token ${s.ttftMs ?? "-"} ms · ${(s.elapsedMs / 1000).toFixed(1)} s` +
            (s.usage ? `\n— server usage: ${s.usage.promptTokens} prompt + ${s.usage.completionTokens} completion tokens` +
                (s.usage.reasoningTokens !== undefined ? ` (${s.usage.reasoningTokens} reasoning)` : "") : "") +
            `${notes.length ? `\n— ${notes.join("; ")}` : ""}\n`
    );
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`ask: ${message}`);
        process.exit(1);
    }
);
