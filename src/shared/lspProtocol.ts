// The data of every custom message between the extension (LSP client) and the model process (LSP server):
// pure types and the error codes, with no runtime dependency, so the webview can read them too. The messages
// themselves (method names, direction, params and result types) are declared in lspMessages.ts.
//
// Streaming uses standard LSP progress: the client passes a `partialResultToken` with r1/reason and the
// server sends `$/progress` notifications with a ReasonProgress value for that token.

/** Which user-facing action a request comes from: each has its own thinking budget. */
export type ReasonAction = "chat" | "fix" | "explain";

export type GpuMode = "auto" | "cuda" | "vulkan" | "metal" | "cpu";

/** Engine settings the client sends with r1/configure (all from VS Code settings or CLI flags). */
export interface EngineSettings {
    gpu: GpuMode;
    /** Requested context size in tokens; the server caps it by what fits. */
    contextSize: number;
    /** 0 = the number of available cores. Never more than the cores. */
    threads: number;
    /** Minutes without a request after which the model is unloaded; 0 = never. */
    idleUnloadMinutes: number;
    /**
     * Input-lookup token prediction in the answer phase (r1.tokenPrediction); absent = on. Off: the sequence has
     * no token predictor at all (plain decoding).
     */
    tokenPrediction?: boolean;
}

export interface SamplingOptions {
    temperature: number;
    topP: number;
    /** Thought tokens before the thought is closed and the answer must follow; 0 = unlimited. */
    thoughtBudget: number;
    /** Hard cap on all generated tokens (thought + answer). */
    maxTokens: number;
    seed?: number;
}

/** One earlier turn of a conversation. Earlier thoughts are never sent back (R1 template behaviour). */
export interface ChatTurn {
    role: "user" | "assistant";
    /** For assistant turns: the final answer text only. */
    text: string;
}

export interface ReasonParams {
    action: ReasonAction;
    /** The conversation, ending with the new user turn. Instructions and context go inside user turns. */
    turns: ChatTurn[];
    sampling: SamplingOptions;
    /** Model to use; when omitted the server uses the loaded (or last configured) model. */
    modelPath?: string;
}

/** How the reasoning/answer split came about: the UI says which happened. */
export type ThoughtState =
    | "none"            // no thought yet
    | "thinking"        // thought open and streaming
    | "ended"           // thought closed by </think>
    | "empty"           // thought closed immediately (<think>\n\n</think>)
    | "budget"          // thought closed by the thinking budget
    | "unclosed"        // generation stopped while still thinking (max tokens, stop, loop)
    | "noTemplate";     // the model has no DeepSeek-R1 template: no thought, everything is answer

export type StopReason =
    | "eos"             // the model finished
    | "maxTokens"       // hit the hard token cap
    | "abort"           // cancelled by the user
    | "loop"            // the repetition watchdog stopped it
    | "error";

export interface ReasonStats {
    thoughtTokens: number;
    answerTokens: number;
    promptTokens: number;
    /** Prompt tokens served from the KV cache of an earlier request (prefix reuse). */
    reusedPromptTokens: number;
    /** Decode speed over the generated tokens so far. */
    tokensPerSecond: number;
    /** Time to first generated token, ms (undefined until it arrives). */
    ttftMs?: number;
    elapsedMs: number;
    thoughtMs?: number;
    /** Draft tokens the model checked (token prediction; local engine only): accepted + refused. */
    draftTokens?: number;
    /** Draft tokens the model accepted: each one a token generated without a decoding step of its own. */
    draftAcceptedTokens?: number;
}

export type ReasonNotice =
    | { kind: "budgetHit"; budget: number }
    | { kind: "loopStopped"; repeated: string }
    | { kind: "languageSwitch"; from: string; to: string }
    | { kind: "historyTrimmed"; droppedTurns: number }
    | { kind: "samplingOutsideRecommendation"; message: string }
    | { kind: "modelLoading"; model: string }
    | { kind: "info"; message: string }
    | RemoteReasonNotice;

/**
 * Value of each `$/progress` notification for a r1/reason partialResultToken. Deltas, batched.
 * Apply in this order: `answerRetracted`, then `thought`, then `answer`.
 */
export interface ReasonProgress {
    /**
     * The answer shown so far was still reasoning (the model wrote another `</think>` later; R1's rule is that the
     * answer follows the last one): clear it. Its text is repeated at the start of `thought`.
     */
    answerRetracted?: true;
    /** New thought text since the previous progress message. */
    thought?: string;
    /** New answer text since the previous progress message. */
    answer?: string;
    thoughtState: ThoughtState;
    stats: ReasonStats;
    notices?: ReasonNotice[];
}

export interface ReasonResult {
    reasoning: string;
    answer: string;
    thoughtState: ThoughtState;
    stopReason: StopReason;
    stats: ReasonStats;
    notices: ReasonNotice[];
    model: string;
}

export interface ModelInfo {
    path: string;
    /** Display name, e.g. "DeepSeek-R1-Distill-Qwen-7B Q4_K_M". */
    name: string;
    architecture: string;
    sizeBytes: number;
    /** True when the GGUF carries the DeepSeek-R1 chat template (thoughts are segmented). */
    reasoningTemplate: boolean;
    trainContextSize: number;
}

export interface EngineInfo {
    backend: "cuda" | "vulkan" | "metal" | "cpu";
    gpuName?: string;
    gpuLayers: number;
    totalLayers: number;
    contextSize: number;
    threads: number;
    /** Why this thread count (the setting, or what the automatic choice saw: busy cores). */
    threadsReason?: string;
    loadMs: number;
    /** What the load had to give up, for the user: fewer GPU layers than the model has, a smaller context. */
    warnings: string[];
}

export type ServerState = "idle" | "loading" | "ready" | "generating" | "error";

export interface ServerStatus {
    state: ServerState;
    model?: ModelInfo;
    engine?: EngineInfo;
    /** Set when state is "error" or the last load failed: a message meant for the user. */
    error?: string;
    /** Requests running or queued. */
    activeRequests: number;
    rssBytes: number;
    pid: number;
    /** The engine settings the process works with (the last r1/configure, else its defaults); absent in a status the client makes up for a process that is gone. */
    settings?: EngineSettings;
    /** What the process holds now, for leak checks (the reliability soak); absent in a status the client makes up. */
    resources?: ProcessResources;
}

export interface ProcessResources {
    /** Node's active handles and requests by type (process.getActiveResourcesInfo()): timers, sockets, pipes... */
    active: Record<string, number>;
    /** Context sequences in use (0 or 1: one per loaded model). */
    sequencesInUse: number;
    /** Where the RSS goes: V8's heap (total and used) and memory outside it held by JS objects (bytes). */
    memory?: {
        heapTotal: number;
        heapUsed: number;
        external: number;
        arrayBuffers: number;
        /** The full garbage collection run once the process is idle after requests (server/idleCollector.ts). */
        idleCollection: { available: boolean; collections: number; collectedSinceLastRequest: boolean };
    };
}

/** What this machine can run, as measured by llama.cpp in the model process (for the model picker). */
export interface MachineReport {
    backend: "cuda" | "vulkan" | "metal" | "cpu";
    gpuNames: string[];
    /** 0 without a GPU. */
    vramBytes: number;
    freeVramBytes: number;
    /** Apple silicon and other unified-memory GPUs share RAM with the CPU. */
    unifiedMemory: boolean;
    ramBytes: number;
    freeRamBytes: number;
    cpuCores: number;
    /** Set when llama.cpp could not start (no binary) or could not read the GPU's memory: the figures then come from the OS only. */
    error?: string;
}

export interface LoadModelParams {
    modelPath: string;
}

export interface LoadModelResult {
    model: ModelInfo;
    engine: EngineInfo;
}

export interface CheckModelFileParams {
    modelPath: string;
}

/** Why a file cannot be used as a model (r1/checkModelFile); the message names the file and the fix. */
export type ModelFileProblemCode =
    | "missing"                 // no such file, a folder, or unreadable
    | "empty"                   // 0 bytes
    | "webPage"                 // an HTML page or an error response saved under the model's name
    | "lfsPointer"              // a Git LFS pointer: the repository was cloned without LFS
    | "archive"                 // a zip
    | "notGguf"                 // anything else that does not start with "GGUF"
    | "bigEndian"               // a big-endian GGUF
    | "unsupportedVersion"      // GGUF version other than 2 or 3
    | "truncatedHeader"         // the file ends inside its header
    | "damaged"                 // the header cannot be read
    | "noArchitecture"          // no general.architecture
    | "unsupportedArchitecture" // not one of the architectures the extension runs
    | "laterSplitPart"          // part 2 or later of a split model
    | "missingSplitParts"       // the first part of a split model without the others beside it
    | "missingMetadata"         // a hyperparameter llama.cpp asserts on is absent
    | "incomplete";             // less tensor data than the header promises (an interrupted download)

export interface ModelFileProblem {
    code: ModelFileProblemCode;
    message: string;
}

export type CheckModelFileResult = { ok: true; model: ModelInfo } | { ok: false; problem: ModelFileProblem };

/** Error codes of failed r1/* requests (ResponseError.code), so clients can react without parsing text. */
export const ErrorCodes = {
    noModel: -32001,
    modelFileMissing: -32002,
    notGguf: -32003,
    loadFailed: -32004,
    noBinary: -32005,
    busy: -32006,
    // remote engines (see the section below): the message is for the user and never contains the API key
    /** Connection refused, DNS failure, TLS error, no first byte within the timeout. */
    remoteUnreachable: -32010,
    /** HTTP 401/403: the API key is missing or refused. */
    remoteAuth: -32011,
    /** HTTP 404: no such model or route. */
    remoteNotFound: -32012,
    /** HTTP 400/413 saying the prompt does not fit the model's context. */
    remoteContextTooLong: -32013,
    /** HTTP 429, also after the one automatic retry. */
    remoteRateLimited: -32014,
    /** HTTP 5xx (and other HTTP errors). */
    remoteServer: -32015,
    /** Malformed SSE or JSON before any output arrived. */
    remoteProtocol: -32016
} as const;

// ---- remote engines ---------------------------------------------------------------------------
// Issue 14: any OpenAI-compatible serving engine (vLLM, SGLang, llama-server, Ollama, LM Studio, the DeepSeek
// API) answers r1/reason instead of the local model. Outside this section the remote engines add only:
// ReasonNotice's RemoteReasonNotice member, listRemoteModelsRequest (lspMessages.ts) and the ErrorCodes remote*.
// ReasonParams and ReasonStats gain fields here by interface merging.
//
// Failures before any output arrived: the r1/reason request fails with a ResponseError (ErrorCodes.remote*).
// Failures after output arrived: the result returns normally with stopReason "error", the partial
// reasoning/answer, and a `streamInterrupted` notice.

/** An OpenAI-compatible serving engine. The API key travels only inside requests; never logged. */
export interface RemoteEngineSpec {
    /** Base URL including the version path, e.g. "http://127.0.0.1:8000/v1" or "https://api.deepseek.com/v1". */
    baseUrl: string;
    /** The server's model name (GET /v1/models id), e.g. "deepseek-reasoner". */
    model: string;
    apiKey?: string;
    /** A PEM CA file to trust in addition to the system's (self-signed servers). */
    caFile?: string;
    /** Proxy URL (http://[user:password@]host:port); "direct" for none; unset: HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
    proxy?: string;
    /** No first byte within this many ms → error "no response". Default 60000. */
    firstByteTimeoutMs?: number;
}

export interface ReasonParams {
    /** Set: the request goes to this engine (no local model is loaded; modelPath is ignored). */
    engine?: RemoteEngineSpec;
}

/** Token counts as a remote server reported them (its `usage` object). */
export interface RemoteUsage {
    promptTokens: number;
    completionTokens: number;
    /** Only when the server reports it (DeepSeek API: completion_tokens_details.reasoning_tokens). */
    reasoningTokens?: number;
}

export interface ReasonStats {
    /** As the remote server reported it; absent for the local engine or when the server sent none. */
    usage?: RemoteUsage;
}

export type RemoteReasonNotice =
    /** The remote stream broke after output arrived: the partial reply is kept (stopReason "error"). */
    | { kind: "streamInterrupted"; message: string };

export interface ListRemoteModelsParams {
    engine: Omit<RemoteEngineSpec, "model">;
}

export interface ListRemoteModelsResult {
    /** The ids of GET {baseUrl}/models, as the server lists them. */
    models: string[];
    /** The server has no /models route (HTTP 404): the user types the model name. */
    routeMissing?: boolean;
}

// ---- token counts -------------------------------------------------------------------------------
// Issue 12: VS Code's language model API asks a provider for token counts (provideTokenCount). The model
// process answers with the model's own tokenizer (r1/countTokens, declared in lspMessages.ts).

export interface CountTokensParams {
    /** The GGUF whose tokenizer counts; omitted: the loaded model. Only its vocabulary is read when it is not loaded. */
    modelPath?: string;
    text: string;
}

export interface CountTokensResult {
    /** Tokens of `text` as the model's tokenizer splits input text (node-llama-cpp's `tokenize(text)`, as for a prompt's text). */
    tokens: number;
}
