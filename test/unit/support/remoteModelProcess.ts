// The real model process (dist/server.js, started by the plain LSP client) for the remote-engine tests: requests
// aimed at a replay server, the progress rebuilt as a client shows it, and every log line the process wrote
// (LSP window/logMessage and stderr), so a test can grep them for the API key.
import { resolve } from "node:path";
import { ModelProcessClient, type ReasonHandle } from "../../../src/platform/modelProcessClient";
import type { ChatTurn, ReasonParams, ReasonProgress, ReasonResult, RemoteEngineSpec, SamplingOptions } from "../../../src/shared/lspProtocol";
import { repoRoot } from "../../fixtures/repoPaths";

/** An API key no test output may ever contain. */
export const TEST_API_KEY = "sk-r1test-7d41c9e2b5a84f36a0e1d2c3b4a59687";

export const remoteSampling: SamplingOptions = { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 2048 };

export interface RemoteParamsOptions {
    engine?: Partial<RemoteEngineSpec>;
    sampling?: Partial<SamplingOptions>;
    turns?: ChatTurn[];
}

export function remoteParams(baseUrl: string, options: RemoteParamsOptions = {}): ReasonParams {
    return {
        action: "chat",
        turns: options.turns ?? [{ role: "user", text: "Write an add function in TypeScript." }],
        sampling: { ...remoteSampling, ...options.sampling },
        engine: { baseUrl, model: "deepseek-ai/DeepSeek-R1", apiKey: TEST_API_KEY, ...options.engine }
    };
}

export interface Streamed {
    result: ReasonResult;
    progress: ReasonProgress[];
    /** The reply as a client rebuilds it from the progress messages alone. */
    thought: string;
    answer: string;
}

export interface Running {
    handle: ReasonHandle;
    progress: ReasonProgress[];
    /** Resolves with the first progress message that passes `test`. */
    progressWhere(test: (p: ReasonProgress) => boolean): Promise<ReasonProgress>;
    done: Promise<Streamed>;
}

export class RemoteModelProcess {
    private constructor(readonly client: ModelProcessClient, readonly log: string[]) {}

    static async start(): Promise<RemoteModelProcess> {
        const log: string[] = [];
        const client = await ModelProcessClient.start({ serverModule: resolve(repoRoot(), "dist/server.js"), onLog: (line) => log.push(line) });
        return new RemoteModelProcess(client, log);
    }

    start(params: ReasonParams): Running {
        const progress: ReasonProgress[] = [];
        const watchers: Array<{ test: (p: ReasonProgress) => boolean; resolve: (p: ReasonProgress) => void }> = [];
        let thought = "";
        let answer = "";
        const handle = this.client.reason(params, (p) => {
            progress.push(p);
            if (p.answerRetracted) answer = "";
            thought += p.thought ?? "";
            answer += p.answer ?? "";
            for (const w of watchers.filter((x) => x.test(p))) {
                watchers.splice(watchers.indexOf(w), 1);
                w.resolve(p);
            }
        });
        return {
            handle,
            progress,
            progressWhere: (test) => {
                const seen = progress.find(test);
                return seen ? Promise.resolve(seen) : new Promise((resolve) => watchers.push({ test, resolve }));
            },
            done: handle.result.then((result) => ({ result, progress, thought, answer }))
        };
    }

    run(params: ReasonParams): Promise<Streamed> {
        return this.start(params).done;
    }

    stop(): Promise<void> {
        return this.client.stop();
    }
}
