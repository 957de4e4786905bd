// The model process: a language server that speaks plain LSP plus the r1/* methods of
// src/shared/lspProtocol.ts. It is the only place that runs node-llama-cpp, so a native crash or a model
// switch never touches the editor, and killing it is a sure way to free all model memory.
import {
    createConnection,
    ProgressType,
    ProposedFeatures,
    ResponseError,
    type CancellationToken,
    type InitializeResult
} from "vscode-languageserver/node";
import {
    ErrorCodes,
    Methods,
    type EngineSettings,
    type LoadModelParams,
    type LoadModelResult,
    type ReasonNotice,
    type ReasonParams,
    type ReasonProgress,
    type ReasonResult,
    type ServerStatus
} from "../shared/lspProtocol";
import { ModelError } from "./modelErrors";
import { ModelHost } from "./modelHost";
import { runReasoning } from "./reasoningRun";

const connection = createConnection(ProposedFeatures.all);
const reasonProgress = new ProgressType<ReasonProgress>();

function log(level: "info" | "warn" | "error", message: string): void {
    if (level === "error") connection.console.error(message);
    else if (level === "warn") connection.console.warn(message);
    else connection.console.info(message);
}

const host = new ModelHost({
    log,
    statusChanged: (status) => void connection.sendNotification(Methods.statusChanged, status).catch(() => undefined)
});

// A bug in a handler must not take the model process down with it.
process.on("uncaughtException", (error) => log("error", `Uncaught exception in the model process: ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) => log("error", `Unhandled rejection in the model process: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

function toResponseError(error: unknown): ResponseError<void> {
    if (error instanceof ResponseError) return error;
    if (error instanceof ModelError) return new ResponseError(error.code, error.message);
    const message = error instanceof Error ? error.message : String(error);
    log("error", error instanceof Error && error.stack ? error.stack : message);
    return new ResponseError(ErrorCodes.loadFailed, message);
}

async function guarded<T>(work: () => Promise<T>): Promise<T | ResponseError<void>> {
    try {
        return await work();
    } catch (error) {
        return toResponseError(error);
    }
}

/**
 * For tests only: R1_TEST_SERVER_START_DELAY_MS holds back the answer to `initialize` by that many ms, so the
 * client stays "starting" that long (a slow start, made real rather than left to chance). Unset: no delay.
 */
const startDelayMs = Number(process.env.R1_TEST_SERVER_START_DELAY_MS ?? 0);

connection.onInitialize(async (): Promise<InitializeResult> => {
    if (startDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, startDelayMs));
    return { capabilities: {}, serverInfo: { name: "r1-reasoner-model-process", version: "0.1.0" } };
});

connection.onRequest(Methods.status, (): ServerStatus => host.status());

connection.onRequest(Methods.configure, (settings: EngineSettings) => guarded(async () => {
    await host.configure(settings);
    return host.status();
}));

connection.onRequest(Methods.loadModel, (params: LoadModelParams) => guarded(async (): Promise<LoadModelResult> => {
    const loaded = await host.load(params.modelPath);
    return { model: loaded.info, engine: loaded.engine };
}));

connection.onRequest(Methods.machineInfo, () => guarded(() => host.machineInfo()));

connection.onRequest(Methods.unloadModel, () => guarded(async () => {
    await host.unload();
    return host.status();
}));

connection.onRequest(Methods.reason, (params: ReasonParams & { partialResultToken?: string | number }, token: CancellationToken) =>
    guarded(async (): Promise<ReasonResult> => {
        const progressToken = params.partialResultToken;
        const send = (progress: ReasonProgress): void => {
            if (progressToken !== undefined) void connection.sendProgress(reasonProgress, progressToken, progress).catch(() => undefined);
        };
        // LSP $/cancelRequest → AbortSignal → node-llama-cpp's stopOnAbortSignal (the partial reply is kept).
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        if (token.isCancellationRequested) abort.abort();
        const modelPath = params.modelPath ?? host.current?.info.path ?? "";
        const initialNotices: ReasonNotice[] = [];
        let loadedForThisRequest = false;
        try {
            return await host.run(
                modelPath,
                (loaded) => {
                    // A load this request waited for may have had to give something up: say so in this reply.
                    const loadNotices: ReasonNotice[] = loadedForThisRequest ? loaded.engine.warnings.map((message) => ({ kind: "info", message })) : [];
                    return runReasoning(loaded, params, { signal: abort.signal, send, initialNotices, loadNotices });
                },
                (name) => {
                    loadedForThisRequest = true;
                    const n: ReasonNotice = { kind: "modelLoading", model: name };
                    initialNotices.push(n);
                    send({ thoughtState: "none", stats: { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 }, notices: [n] });
                }
            );
        } finally {
            subscription.dispose();
        }
    })
);

connection.onShutdown(async () => {
    await host.dispose();
});

connection.listen();
