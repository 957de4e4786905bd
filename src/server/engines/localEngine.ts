// The local engine: the GGUF model in this process (modelHost: load on first use, FIFO queue on one context
// sequence) running reasoningRun. A request that has to wait for a load says so with a `modelLoading` notice.
import type { ReasonNotice, ReasonResult } from "../../shared/lspProtocol";
import type { ModelHost } from "../modelHost";
import { runReasoning } from "../reasoningRun";
import type { EngineRequest, ReasoningEngine } from "./engine";

export class LocalEngine implements ReasoningEngine {
    constructor(private readonly host: ModelHost) {}

    reason({ params, signal, send }: EngineRequest): Promise<ReasonResult> {
        const modelPath = params.modelPath ?? this.host.current?.info.path ?? "";
        const initialNotices: ReasonNotice[] = [];
        let loadedForThisRequest = false;
        return this.host.run(
            modelPath,
            (loaded) => {
                // A load this request waited for may have had to give something up: say so in this reply.
                const loadNotices: ReasonNotice[] = loadedForThisRequest ? loaded.engine.warnings.map((message) => ({ kind: "info", message })) : [];
                return runReasoning(loaded, params, { signal, send, initialNotices, loadNotices });
            },
            (name) => {
                loadedForThisRequest = true;
                const n: ReasonNotice = { kind: "modelLoading", model: name };
                initialNotices.push(n);
                send({ thoughtState: "none", stats: { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 }, notices: [n] });
            }
        );
    }
}
