// The model process: a language server that speaks plain LSP plus the r1/* messages of
// src/shared/lspMessages.ts. It is the only place that runs node-llama-cpp, so a native crash or a model
// switch never touches the editor, and killing it is a sure way to free all model memory.
import { createConnection, ProposedFeatures, ResponseError, type InitializeResult } from "vscode-languageserver/node";
import {
    checkModelFileRequest,
    countTokensRequest,
    listRemoteModelsRequest,
    configureRequest,
    loadModelRequest,
    machineInfoRequest,
    reasonProgress,
    reasonRequest,
    statusChangedNotification,
    statusRequest,
    unloadModelRequest
} from "../shared/lspMessages";
import { ErrorCodes, type ReasonProgress } from "../shared/lspProtocol";
import { LocalEngine } from "./engines/localEngine";
import { RemoteEngine } from "./engines/remote/remoteEngine";
import { ModelError } from "./modelErrors";
import { checkModelFileResult } from "./modelFile";
import { ModelHost } from "./modelHost";
import { SecretRedactor } from "./secretRedactor";
import { TokenCounter } from "./tokenCounter";

const connection = createConnection(ProposedFeatures.all);
/** API keys of remote engines never reach a log line or an error message. */
const redactor = new SecretRedactor();

function log(level: "info" | "warn" | "error", message: string): void {
    const text = redactor.redact(message);
    if (level === "error") connection.console.error(text);
    else if (level === "warn") connection.console.warn(text);
    else connection.console.info(text);
}

const host = new ModelHost({
    log,
    statusChanged: (status) => void connection.sendNotification(statusChangedNotification, status).catch(() => undefined)
});

// A bug in a handler must not take the model process down with it.
process.on("uncaughtException", (error) => log("error", `Uncaught exception in the model process: ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) => log("error", `Unhandled rejection in the model process: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

const localEngine = new LocalEngine(host);
const remoteEngine = new RemoteEngine(log, redactor);
const tokenCounter = new TokenCounter(host);

function toResponseError(error: unknown): ResponseError<void> {
    if (error instanceof ResponseError) return new ResponseError(error.code, redactor.redact(error.message));
    if (error instanceof ModelError) {
        if (error.code <= ErrorCodes.remoteUnreachable && error.code >= ErrorCodes.remoteProtocol) log("warn", `remote: ${error.message}`);
        return new ResponseError(error.code, redactor.redact(error.message));
    }
    const message = error instanceof Error ? error.message : String(error);
    log("error", error instanceof Error && error.stack ? error.stack : message);
    return new ResponseError(ErrorCodes.loadFailed, redactor.redact(message));
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
        // LSP $/cancelRequest → AbortSignal: the engine stops at once and returns the partial reply.
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        if (token.isCancellationRequested) abort.abort();
        // A remote engine answers without the local model's queue and without loading a model.
        const engine = params.engine ? remoteEngine : localEngine;
        try {
            return await engine.reason({ params, signal: abort.signal, send });
        } finally {
            subscription.dispose();
        }
    })
);

connection.onRequest(listRemoteModelsRequest, (params, token) =>
    guarded(() => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return remoteEngine.listModels(params, abort.signal);
    })
);

// The model's own tokenizer (VS Code's provideTokenCount); beside the queue, like checkModelFile.
connection.onRequest(countTokensRequest, (params) => guarded(() => tokenCounter.count(params)));

connection.onShutdown(async () => {
    await tokenCounter.dispose();
    await host.dispose();
});

connection.listen();
