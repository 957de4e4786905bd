// Starts and supervises the model process (src/server, a language server over Node IPC) with
// vscode-languageclient, and gives features a typed API over the r1/* messages of src/shared/lspMessages.ts.
//
// The process is forked here (not by the client library) so that its stderr is ours: when llama.cpp aborts the
// process (GGML_ASSERT on a malformed model, out of memory...) the user is told why, not just "connection
// closed". A crash is restarted once automatically; a second crash within a few minutes is left stopped with a
// "Restart Model Process" button.
//
// Nothing starts the process but a request: activation only builds this object (the status is undefined, "not
// started", until the first request). The engine settings are sent whenever the client reaches Running, so a
// process the client library restarted after a crash gets them however long its start takes.
import { MODEL_PROCESS_EXEC_ARGV, modelProcessEnv } from "../platform/modelProcessLaunch";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import {
    CloseAction,
    ErrorAction,
    IPCMessageReader,
    IPCMessageWriter,
    LanguageClient,
    ErrorCodes as RpcErrorCodes,
    ResponseError,
    State,
    type CloseHandlerResult,
    type ErrorHandlerResult,
    type LanguageClientOptions,
    type ServerOptions
} from "vscode-languageclient/node";
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
    unloadModelRequest,
    type ReasonRequestParams
} from "../shared/lspMessages";
import type { CheckModelFileResult, CountTokensParams, EngineSettings, ListRemoteModelsParams, ListRemoteModelsResult, LoadModelResult, MachineReport, ReasonParams, ReasonProgress, ReasonResult, ServerStatus } from "../shared/lspProtocol";
import type { Log } from "./log";
import { noticeText } from "../core/answer/untrustedText";

const crashWindowMs = 3 * 60_000;
/** Crashes within `crashWindowMs` that are restarted automatically; the next one leaves the process stopped. */
export const autoRestartLimit = 1;

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
    /** How each process ended (a request that process was serving reports it, even after a restart cleared lastExit). */
    private readonly exits = new WeakMap<ChildProcess, ProcessExit>();
    private crashes: number[] = [];
    private starting: Promise<LanguageClient> | undefined;
    private stopping = false;
    private readonly statusEmitter = new vscode.EventEmitter<ServerStatus | undefined>();
    private readonly crashEmitter = new vscode.EventEmitter<{ exit: ProcessExit | undefined; restarted: boolean }>();
    /** Disposables of the current process instance; cleared on every restart. */
    private instanceDisposables: vscode.Disposable[] = [];
    private lastStatus: ServerStatus | undefined;
    /** The r1/configure of the current instance's latest start (settled when it has been answered or failed). */
    private settingsSent: Promise<void> = Promise.resolve();

    /** Fires with the process's status; undefined means the process is not started (it starts on first use). */
    readonly onStatus = this.statusEmitter.event;
    readonly onCrash = this.crashEmitter.event;

    constructor(
        private readonly serverModule: string,
        private readonly log: Log,
        private readonly engineSettings: () => EngineSettings
    ) {}

    /** The last status the process reported; undefined until it is started, and again after `stop()`. */
    get status(): ServerStatus | undefined {
        return this.lastStatus;
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    get running(): boolean {
        return this.client?.state === State.Running;
    }

    /** Starts the process if it is not running; resolves when it answers and has the engine settings. */
    async ensureStarted(): Promise<LanguageClient> {
        const client = this.client;
        if (client?.state === State.Running) return client;
        if (client?.state === State.Starting && !this.starting) {
            // The client library is restarting the process after a crash: wait for that one, do not fork another.
            await client.start();
            await this.settingsSent;
            return client;
        }
        this.starting ??= this.start().finally(() => (this.starting = undefined));
        return this.starting;
    }

    private async start(): Promise<LanguageClient> {
        const serverOptions: ServerOptions = async () => {
            const child = fork(this.serverModule, ["--node-ipc"], {
                silent: true,
                execArgv: [...MODEL_PROCESS_EXEC_ARGV],
                env: modelProcessEnv(process.env)
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
                this.exits.set(child, this.lastExit);
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
                closed: () => this.onClosed(owner.client)
            }
        };

        const owner: { client?: LanguageClient } = {};
        const client = new LanguageClient("r1.modelProcess", "R1 Reasoner model process", serverOptions, clientOptions);
        owner.client = client;
        this.client = client;
        this.stopping = false;
        this.watchInstance(client);
        await client.start();
        await this.settingsSent;
        return client;
    }

    /** Listens to one client for its whole life: its status notifications, and each time it reaches Running. */
    private watchInstance(client: LanguageClient): void {
        for (const d of this.instanceDisposables) d.dispose();
        this.instanceDisposables = [
            client.onNotification(statusChangedNotification, (status) => {
                if (this.client === client) this.setStatus(status);
            }),
            // Every start, the first and each restart after a crash, gets the settings once the server answers.
            client.onDidChangeState(({ newState }) => {
                if (newState === State.Running) this.settingsSent = this.sendSettings(client);
            })
        ];
    }

    private async sendSettings(client: LanguageClient): Promise<void> {
        try {
            const status = await client.sendRequest(configureRequest, this.engineSettings());
            if (this.client === client) this.setStatus(status);
        } catch (error) {
            this.log.error(`Sending the settings to the model process failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    private setStatus(status: ServerStatus | undefined): void {
        this.lastStatus = status;
        this.statusEmitter.fire(status);
    }

    private async onClosed(client: LanguageClient | undefined): Promise<CloseHandlerResult> {
        // A client that was stopped or replaced (Restart Model Process during a crash) is never restarted: a second
        // process would run beside the current one.
        if (this.stopping || this.client !== client) return { action: CloseAction.DoNotRestart, handled: true };
        // The exit event carries the reason to report: wait for it (it follows the closed pipe; bounded in case it never comes).
        const child = this.child;
        if (!this.lastExit && child) await exitOf(child, 5000);
        if (this.stopping || this.client !== client) return { action: CloseAction.DoNotRestart, handled: true };
        const exit = this.lastExit;
        const now = Date.now();
        this.crashes = this.crashes.filter((t) => now - t < crashWindowMs);
        this.crashes.push(now);
        const restart = this.crashes.length <= autoRestartLimit;
        const reason = noticeText(describeExit(exit));
        this.log.error(`The model process stopped unexpectedly: ${reason}`);
        this.crashEmitter.fire({ exit, restarted: restart });
        this.setStatus({ state: "error", error: `Model process crashed: ${reason}`, activeRequests: 0, rssBytes: 0, pid: 0 });
        if (restart) {
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: the model process stopped unexpectedly ({0}). It was restarted; the model loads again on the next request.", reason), vscode.l10n.t("Show Logs")).then((choice) => {
                if (choice) this.log.show();
            });
            // The restarted process gets the settings when the client is Running again (watchInstance).
            return { action: CloseAction.Restart, handled: true };
        }
        const times = `${this.crashes.length} times in ${crashWindowMs / 60_000} minutes`;
        void vscode.window.showErrorMessage(vscode.l10n.t("R1: the model process crashed again ({0}): {1}, so it is not restarted automatically. Restart it when you are ready, or look at the logs.", reason, times), vscode.l10n.t("Restart Model Process"), vscode.l10n.t("Show Logs")).then((choice) => {
            if (choice === vscode.l10n.t("Restart Model Process")) void vscode.commands.executeCommand("r1.restartModelProcess");
            else if (choice === vscode.l10n.t("Show Logs")) this.log.show();
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
        if (!this.client) this.setStatus(undefined);
    }

    async getStatus(): Promise<ServerStatus> {
        const client = await this.ensureStarted();
        const status = await client.sendRequest(statusRequest);
        this.lastStatus = status;
        return status;
    }

    /** Sends the engine settings to a running process; a process that is not running gets them when it starts. */
    async configure(): Promise<void> {
        const client = this.client;
        if (!client || client.state !== State.Running) return;
        const status = await client.sendRequest(configureRequest, this.engineSettings());
        if (this.client === client) this.setStatus(status);
    }

    /** Checks a GGUF in the model process without loading it: its info, or the problem with a message for the user. */
    async checkModelFile(modelPath: string): Promise<CheckModelFileResult> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest(checkModelFileRequest, { modelPath }));
    }

    async loadModel(modelPath: string): Promise<LoadModelResult> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest(loadModelRequest, { modelPath }));
    }

    async machineInfo(): Promise<MachineReport> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest(machineInfoRequest));
    }

    /** The models a remote engine serves (GET /models through the model process; the key stays in the request). */
    async listRemoteModels(params: ListRemoteModelsParams): Promise<ListRemoteModelsResult> {
        const client = await this.ensureStarted();
        return this.call(() => client.sendRequest(listRemoteModelsRequest, params));
    }

    /** The tokens of `text` by the model's own tokenizer (only the vocabulary is read when that model is not loaded). */
    async countTokens(params: CountTokensParams): Promise<number> {
        const client = await this.ensureStarted();
        return (await this.call(() => client.sendRequest(countTokensRequest, params))).tokens;
    }

    async unloadModel(): Promise<void> {
        if (!this.running) return;
        await this.call(() => this.client!.sendRequest(unloadModelRequest));
    }

    /** Progress listeners of reasoning requests in flight (leak checks: 0 once every request has ended). */
    get progressListeners(): number {
        return this.progressSubscriptions;
    }
    private progressSubscriptions = 0;

    /** Runs a reasoning request; `onProgress` receives batched deltas; cancelling the token keeps the partial reply. */
    async reason(params: ReasonParams, onProgress: (progress: ReasonProgress) => void, token?: vscode.CancellationToken): Promise<ReasonResult> {
        const client = await this.ensureStarted();
        const progressToken = randomUUID();
        const subscription = client.onProgress(reasonProgress, progressToken, onProgress);
        this.progressSubscriptions++;
        try {
            const args: ReasonRequestParams = { ...params, partialResultToken: progressToken };
            return await this.call(() => client.sendRequest(reasonRequest, args, token));
        } finally {
            this.progressSubscriptions--;
            subscription.dispose();
        }
    }

    private async call<T>(request: () => Promise<T>): Promise<T> {
        const child = this.child;
        try {
            return await request();
        } catch (error) {
            // The server's own errors stay; a pending request rejected because the connection closed is a lost process.
            if (error instanceof ResponseError && error.code !== RpcErrorCodes.PendingResponseRejected && error.code !== RpcErrorCodes.ConnectionInactive) throw error;
            // The connection closes before the process's exit is seen (and a restart may already be under way): wait
            // for that process's exit, so that the user is told how it ended ("killed by SIGKILL", llama.cpp's abort).
            if (child && child.exitCode === null && child.signalCode === null) await exitOf(child, 5000);
            const exit = (child && this.exits.get(child)) ?? this.lastExit;
            if (exit || !this.running) {
                throw new ModelProcessGoneError(`Interrupted: the model process stopped while working on the request (${describeExit(exit)}).`);
            }
            throw error;
        }
    }

    dispose(): void {
        for (const d of this.instanceDisposables) d.dispose();
        this.statusEmitter.dispose();
        this.crashEmitter.dispose();
        void this.stop();
    }
}

/** Resolves when `child` exits, or after `timeoutMs`. */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
    });
}

export function describeExit(exit: ProcessExit | undefined): string {
    if (!exit) return "connection lost";
    const assert = exit.stderr.find((l) => /GGML_ASSERT|error|abort|out of memory/i.test(l));
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    return assert ? `${how}: ${assert.trim().slice(0, 300)}` : how;
}
