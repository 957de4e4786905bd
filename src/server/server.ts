// The model process: a language server that speaks plain LSP plus the r1/* messages of
// src/shared/lspMessages.ts. It is the only place that runs node-llama-cpp, so a native crash or a model
// switch never touches the editor, and killing it is a sure way to free all model memory.
import { createConnection, ProposedFeatures, ResponseError, type InitializeResult } from "vscode-languageserver/node";
import {
    checkModelFileRequest,
    configureRequest,
    loadModelRequest,
    machineInfoRequest,
    reasonProgress,
    reasonRequest,
    statusChangedNotification,
    statusRequest,
    unloadModelRequest
} from "../shared/lspMessages";
import { ErrorCodes, type ReasonNotice, type ReasonProgress } from "../shared/lspProtocol";
import { ModelError } from "./modelErrors";
import { checkModelFileResult } from "./modelFile";
import { ModelHost } from "./modelHost";
import { runReasoning } from "./reasoningRun";

const connection = createConnection(ProposedFeatures.all);

function log(level: "info" | "warn" | "error", message: string): void {
    if (level === "error") connection.console.error(message);
    else if (level === "warn") connection.console.warn(message);
    else connection.console.info(message);
}

const host = new ModelHost({
    log,
    statusChanged: (status) => void connection.sendNotification(statusChangedNotification, status).catch(() => undefined)
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

connection.onRequest(statusRequest, () => host.status());

connection.onRequest(configureRequest, (settings) => guarded(async () => {
    await host.configure(settings);
    return host.status();
}));

// Reads the file's header only; runs beside the queue (a generation in progress does not delay it).
connection.onRequest(checkModelFileRequest, (params) => guarded(() => checkModelFileResult(params.modelPath)));

connection.onRequest(loadModelRequest, (params) => guarded(async () => {
    const loaded = await host.load(params.modelPath);
    return { model: loaded.info, engine: loaded.engine };
}));

connection.onRequest(machineInfoRequest, () => guarded(() => host.machineInfo()));

connection.onRequest(unloadModelRequest, () => guarded(async () => {
    await host.unload();
    return host.status();
}));

connection.onRequest(reasonRequest, (params, token) =>
    guarded(async () => {
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
