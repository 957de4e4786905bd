// A plain-Node LSP client for the model process, without VS Code: it forks dist/server.js, performs the LSP
// initialize handshake and speaks the r1/* messages of src/shared/lspMessages.ts. `npm run ask`, the benchmarks and the tests use it, which
// also proves the server is editor-agnostic.
import { MODEL_PROCESS_EXEC_ARGV, modelProcessEnv } from "./modelProcessLaunch";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
    CancellationTokenSource,
    createProtocolConnection,
    ExitNotification,
    InitializedNotification,
    InitializeRequest,
    IPCMessageReader,
    IPCMessageWriter,
    LogMessageNotification,
    ShutdownRequest,
    type ProtocolConnection
} from "vscode-languageserver-protocol/node";
import {
    checkModelFileRequest,
    listRemoteModelsRequest,
    countTokensRequest,
    configureRequest,
    loadModelRequest,
    machineInfoRequest,
    reasonProgress,
    reasonRequest,
    statusChangedNotification,
    statusRequest,
    unloadModelRequest
} from "../shared/lspMessages";
import type {
    CheckModelFileResult,
    CountTokensParams,
    CountTokensResult,
    EngineSettings,
    ListRemoteModelsParams,
    ListRemoteModelsResult,
    LoadModelResult,
    MachineReport,
    ReasonParams,
    ReasonProgress,
    ReasonResult,
    ServerStatus
} from "../shared/lspProtocol";

export interface ModelProcessClientOptions {
    serverModule: string;
    /** Receives the process's stderr and LSP log messages. */
    onLog?: (line: string) => void;
    onStatus?: (status: ServerStatus) => void;
    env?: NodeJS.ProcessEnv;
}

export interface ReasonHandle {
    result: Promise<ReasonResult>;
    /** Sends $/cancelRequest; the result still arrives, with the partial reply and stopReason "abort". */
    cancel(): void;
}

export class ModelProcessClient {
    readonly child: ChildProcess;
    private readonly connection: ProtocolConnection;
    private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    readonly stderr: string[] = [];

    private constructor(options: ModelProcessClientOptions) {
        this.child = fork(options.serverModule, ["--node-ipc"], { silent: true, execArgv: [...MODEL_PROCESS_EXEC_ARGV], env: modelProcessEnv(process.env, options.env) });
        this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
        this.child.stderr?.setEncoding("utf8").on("data", (d: string) => {
            for (const line of d.split(/\r?\n/)) {
                if (!line) continue;
                this.stderr.push(line);
                options.onLog?.(line);
            }
        });
        this.child.stdout?.setEncoding("utf8").on("data", (d: string) => options.onLog?.(d.trimEnd()));
        this.connection = createProtocolConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
        this.connection.onNotification(LogMessageNotification.type, (p) => options.onLog?.(p.message));
        this.connection.onNotification(statusChangedNotification, (s) => options.onStatus?.(s));
        this.connection.listen();
    }

    static async start(options: ModelProcessClientOptions): Promise<ModelProcessClient> {
        const client = new ModelProcessClient(options);
        await client.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
        await client.connection.sendNotification(InitializedNotification.type, {});
        return client;
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    get exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
        return this.exited;
    }

    configure(settings: EngineSettings): Promise<ServerStatus> {
        return this.connection.sendRequest(configureRequest, settings);
    }

    status(): Promise<ServerStatus> {
        return this.connection.sendRequest(statusRequest);
    }

    /** Checks a GGUF without loading it: its info, or the problem with a message for the user. */
    checkModelFile(modelPath: string): Promise<CheckModelFileResult> {
        return this.connection.sendRequest(checkModelFileRequest, { modelPath });
    }

    loadModel(modelPath: string): Promise<LoadModelResult> {
        return this.connection.sendRequest(loadModelRequest, { modelPath });
    }

    machineInfo(): Promise<MachineReport> {
        return this.connection.sendRequest(machineInfoRequest);
    }

    /** The models of an OpenAI-compatible server (GET {baseUrl}/models), through the model process. */
    listRemoteModels(params: ListRemoteModelsParams): Promise<ListRemoteModelsResult> {
        return this.connection.sendRequest(listRemoteModelsRequest, params);
    }

    /** The tokens of a text by the model's own tokenizer. */
    countTokens(params: CountTokensParams): Promise<CountTokensResult> {
        return this.connection.sendRequest(countTokensRequest, params);
    }

    unloadModel(): Promise<ServerStatus> {
        return this.connection.sendRequest(unloadModelRequest);
    }

    reason(params: ReasonParams, onProgress?: (progress: ReasonProgress) => void): ReasonHandle {
        const token = randomUUID();
        const cts = new CancellationTokenSource();
        const subscription = this.connection.onProgress(reasonProgress, token, (p) => onProgress?.(p));
        const result = this.connection
            .sendRequest(reasonRequest, { ...params, partialResultToken: token }, cts.token)
            .finally(() => {
                subscription.dispose();
                cts.dispose();
            });
        return { result, cancel: () => cts.cancel() };
    }

    /** LSP shutdown + exit; kills the process if it does not leave within `timeoutMs`. */
    async stop(timeoutMs = 3000): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            this.connection.dispose();
            return;
        }
        const killer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
        try {
            await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, timeoutMs))]);
            await this.connection.sendNotification(ExitNotification.type);
        } catch {
            this.child.kill("SIGKILL");
        }
        await this.exited;
        clearTimeout(killer);
        this.connection.dispose();
    }
}
