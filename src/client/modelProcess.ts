// Starts and supervises the model process (src/server, a language server over Node IPC) with
// vscode-languageclient, and gives features a typed API over the r1/* methods.
//
// The process is forked here (not by the client library) so that its stderr is ours: when llama.cpp aborts the
// process (GGML_ASSERT on a malformed model, out of memory...) the user is told why, not just "connection
// closed". A crash is restarted once automatically; a second crash within a few minutes is left stopped with a
// "Restart Model Process" button.
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import {
    CloseAction,
    ErrorAction,
    IPCMessageReader,
    IPCMessageWriter,
    LanguageClient,
    ProgressType,
    ResponseError,
    State,
    type CloseHandlerResult,
    type ErrorHandlerResult,
    type LanguageClientOptions,
    type ServerOptions
} from "vscode-languageclient/node";
import {
    Methods,
    type EngineSettings,
    type ListRemoteModelsParams,
    type ListRemoteModelsResult,
    type LoadModelResult,
    type MachineReport,
    type ReasonParams,
    type ReasonProgress,
    type ReasonResult,
    type ServerStatus
} from "../shared/lspProtocol";
import type { Log } from "./log";

const reasonProgress = new ProgressType<ReasonProgress>();
const crashWindowMs = 3 * 60_000;

export interface ProcessExit {
    code: number | null;
    signal: NodeJS.Signals | null;
    /** The last lines the process wrote to stderr (llama.cpp's abort message lands here). */
    stderr: string[];
}

/** A request failed because the model process is gone or was restarted. */
export class ModelProcessGoneError extends Error {}

export class ModelProcess implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private child: ChildProcess | undefined;
    private stderrTail: string[] = [];
    private lastExit: ProcessExit | undefined;
    private crashes: number[] = [];
    private starting: Promise<LanguageClient> | undefined;
    private stopping = false;
    private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
    private readonly crashEmitter = new vscode.EventEmitter<{ exit: ProcessExit | undefined; restarted: boolean }>();
    /** Disposables of the current process instance; cleared on every restart. */
    private instanceDisposables: vscode.Disposable[] = [];
    private lastStatus: ServerStatus | undefined;

    readonly onStatus = this.statusEmitter.event;
    readonly onCrash = this.crashEmitter.event;

    constructor(
        private readonly serverModule: string,
        private readonly log: Log,
        private readonly engineSettings: () => EngineSettings
    ) {}

    get status(): ServerStatus | undefined {
        return this.lastStatus;
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    get running(): boolean {
        return this.client?.state === State.Running;
    }

    /** Starts the process if it is not running; resolves when it answers. */
    async ensureStarted(): Promise<LanguageClient> {
        if (this.client?.state === State.Running) return this.client;
        this.starting ??= this.start().finally(() => (this.starting = undefined));
        return this.starting;
    }

    private async start(): Promise<LanguageClient> {
        const serverOptions: ServerOptions = async () => {
            const child = fork(this.serverModule, ["--node-ipc"], {
                silent: true,
                execArgv: [],
                env: { ...process.env, NODE_LLAMA_CPP_POSTINSTALL: "skip" }
            });
            this.child = child;
            this.stderrTail = [];
            this.lastExit = undefined;
            child.stderr?.setEncoding("utf8").on("data", (data: string) => {
                for (const line of data.split(/\r?\n/)) {
                    if (!line.trim()) continue;
                    this.stderrTail.push(line);
                    if (this.stderrTail.length > 40) this.stderrTail.shift();
                    this.log.warn(`[model process] ${line}`);
                }
            });
            child.stdout?.setEncoding("utf8").on("data", (data: string) => {
                for (const line of data.split(/\r?\n/)) if (line.trim()) this.log.info(`[model process] ${line}`);
            });
            child.on("exit", (code, signal) => {
                this.lastExit = { code, signal, stderr: [...this.stderrTail] };
                if (this.child === child) this.child = undefined;
                this.log.info(`Model process ${child.pid} exited (code ${code}, signal ${signal}).`);
            });
            this.log.info(`Model process started (pid ${child.pid}).`);
            return { reader: new IPCMessageReader(child), writer: new IPCMessageWriter(child) };
        };

        const clientOptions: LanguageClientOptions = {
            // No document sync: every request carries its own context.
            documentSelector: [],
            outputChannel: this.log.channel,
            errorHandler: {
                error: (_error, _message, count): ErrorHandlerResult => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
                closed: () => this.onClosed()
            }
        };

        const client = new LanguageClient("r1.modelProcess", "R1 Reasoner model process", serverOptions, clientOptions);
        this.client = client;
        this.stopping = false;
        await client.start();
        this.watchInstance(client);
        return client;
    }

    private watchInstance(client: LanguageClient): void {
        for (const d of this.instanceDisposables) d.dispose();
        this.instanceDisposables = [
            client.onNotification(Methods.statusChanged, (status: ServerStatus) => {
                this.lastStatus = status;
                this.statusEmitter.fire(status);
            })
        ];
        void client.sendRequest(Methods.configure, this.engineSettings()).then(
            (status) => {
                this.lastStatus = status as ServerStatus;
                this.statusEmitter.fire(this.lastStatus);
            },
            (error: unknown) => this.log.error(`Configuring the model process failed: ${String(error)}`)
        );
    }

    private async onClosed(): Promise<CloseHandlerResult> {
        if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
        // Give the exit event a moment to arrive, so the reason can be reported.
        for (let i = 0; i < 20 && !this.lastExit; i++) await new Promise((r) => setTimeout(r, 25));
        const exit = this.lastExit;
        const now = Date.now();
        this.crashes = this.crashes.filter((t) => now - t < crashWindowMs);
        this.crashes.push(now);
        const restart = this.crashes.length <= 1;
        const reason = describeExit(exit);
        this.log.error(`The model process stopped unexpectedly: ${reason}`);
        this.crashEmitter.fire({ exit, restarted: restart });
        this.lastStatus = { state: "error", error: `Model process crashed: ${reason}`, activeRequests: 0, rssBytes: 0, pid: 0 };
        this.statusEmitter.fire(this.lastStatus);
        if (restart) {
            void vscode.window.showWarningMessage(`R1: the model process stopped unexpectedly (${reason}). It was restarted; the model loads again on the next request.`, "Show Logs").then((choice) => {
                if (choice) this.log.show();
            });
            // The restarted process must get the settings again.
            setTimeout(() => {
                if (this.client?.state === State.Running) this.watchInstance(this.client);
            }, 500);
            return { action: CloseAction.Restart, handled: true };
        }
        void vscode.window.showErrorMessage(`R1: the model process crashed again (${reason}). It was not restarted.`, "Restart Model Process", "Show Logs").then((choice) => {
            if (choice === "Restart Model Process") void vscode.commands.executeCommand("r1.restartModelProcess");
            else if (choice === "Show Logs") this.log.show();
        });
        return { action: CloseAction.DoNotRestart, handled: true };
    }

    /** Stops the process (freeing all model memory) and starts a new one. */
    async restart(): Promise<void> {
        this.crashes = [];
        await this.stop();
        await this.ensureStarted();
    }

    async stop(): Promise<void> {
        const client = this.client;
        const child = this.child;
        this.client = undefined;
        this.stopping = true;
        if (client && client.state !== State.Stopped) {
            try {
                await client.stop(3000);
            } catch (error) {
                this.log.warn(`Stopping the model process: ${String(error)}`);
            }
        }
        if (child && child.exitCode === null && child.signalCode === null) {
            await new Promise<void>((resolve) => {
                const timer = setTimeout(() => {
                    child.kill("SIGKILL");
                    resolve();
                }, 2000);
                child.once("exit", () => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }

    async getStatus(): Promise<ServerStatus> {
        const client = await this.ensureStarted();
        const status = await client.sendRequest<ServerStatus>(Methods.status);
        this.lastStatus = status;
        return status;
    }

    async configure(): Promise<void> {
        if (!this.running) return;
        await this.client!.sendRequest(Methods.configure, this.engineSettings());
    }

    async loadModel(modelPath: string): Promise<LoadModelResult> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest<LoadModelResult>(Methods.loadModel, { modelPath }));
    }

    async machineInfo(): Promise<MachineReport> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest<MachineReport>(Methods.machineInfo));
    }

    /** The models a remote engine serves (GET /models through the model process; the key stays in the request). */
    async listRemoteModels(params: ListRemoteModelsParams): Promise<ListRemoteModelsResult> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest<ListRemoteModelsResult>(Methods.listRemoteModels, params));
    }

    async unloadModel(): Promise<void> {
        if (!this.running) return;
        await this.call(() => this.client!.sendRequest(Methods.unloadModel));
    }

    /** Runs a reasoning request; `onProgress` receives batched deltas; cancelling the token keeps the partial reply. */
    async reason(params: ReasonParams, onProgress: (progress: ReasonProgress) => void, token?: vscode.CancellationToken): Promise<ReasonResult> {
        const client = await this.ensureStarted();
        const progressToken = randomUUID();
        const subscription = client.onProgress(reasonProgress, progressToken, onProgress);
        try {
            const args = { ...params, partialResultToken: progressToken };
            // A missing token must not be passed as one (the client would take it for a cancellation token).
            return await this.call(() => (token ? client.sendRequest<ReasonResult>(Methods.reason, args, token) : client.sendRequest<ReasonResult>(Methods.reason, args)));
        } finally {
            subscription.dispose();
        }
    }

    private async call<T>(request: () => Promise<T>): Promise<T> {
        try {
            return await request();
        } catch (error) {
            if (error instanceof ResponseError) throw error;
            const exit = this.lastExit;
            if (exit || !this.running) {
                throw new ModelProcessGoneError(`The model process stopped while working on the request (${describeExit(exit)}).`);
            }
            throw error;
        }
    }

    dispose(): void {
        for (const d of this.instanceDisposables) d.dispose();
        void this.stop();
        this.statusEmitter.dispose();
        this.crashEmitter.dispose();
    }
}

export function describeExit(exit: ProcessExit | undefined): string {
    if (!exit) return "connection lost";
    const assert = exit.stderr.find((l) => /GGML_ASSERT|error|abort|out of memory/i.test(l));
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    return assert ? `${how}: ${assert.trim().slice(0, 300)}` : how;
}
