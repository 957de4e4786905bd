// The one interface the model process answers r1/reason through: the local node-llama-cpp engine
// (localEngine.ts) or an OpenAI-compatible server (remote/remoteEngine.ts). server.ts picks one per request by
// `params.engine`; both stream the same ReasonProgress and return the same ReasonResult.
import type { ReasonParams, ReasonProgress, ReasonResult } from "../../shared/lspProtocol";

export interface EngineRequest {
    params: ReasonParams;
    /** LSP $/cancelRequest (Stop): the engine stops at once and returns the partial reply. */
    signal: AbortSignal;
    /** Sends one `$/progress` value for the request's partialResultToken. */
    send: (progress: ReasonProgress) => void;
}

export interface ReasoningEngine {
    /** Answers one request. Fails with a ModelError (its code from ErrorCodes) when nothing could be produced. */
    reason(request: EngineRequest): Promise<ReasonResult>;
}
