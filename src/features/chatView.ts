// The R1 Reasoner sidebar view: a prompt box whose reply streams from the model, thought and answer apart.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { reportRequestError } from "../client/requestErrors";
import type { HostToWebview, WebviewToHost } from "../shared/webviewProtocol";
import type { ExternalTurn, ExternalTurnInfo, TurnRenderer } from "./reasoningDisplay";
import type { Services } from "./services";
import { webviewHtml, webviewOptions } from "./webviewHtml";

export const chatViewId = "r1.chatView";

export function registerChatView(services: Services): vscode.Disposable {
    const provider = new ChatViewProvider(services);
    return vscode.Disposable.from(
        vscode.window.registerWebviewViewProvider(chatViewId, provider, { webviewOptions: { retainContextWhenHidden: true } }),
        provider
    );
}

class ChatViewProvider implements vscode.WebviewViewProvider, TurnRenderer, vscode.Disposable {
    private view: vscode.WebviewView | undefined;
    private running: vscode.CancellationTokenSource | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly services: Services) {}

    resolveWebviewView(view: vscode.WebviewView): void {
        this.view = view;
        const extensionUri = this.services.context.extensionUri;
        view.webview.options = webviewOptions(extensionUri);
        view.webview.html = webviewHtml(view.webview, extensionUri, "R1 Reasoner");
        this.disposables.push(
            view.webview.onDidReceiveMessage((message: WebviewToHost) => this.onMessage(message)),
            this.services.modelProcess.onStatus(() => this.postStatus()),
            view.onDidDispose(() => {
                this.view = undefined;
                this.ready = false;
                this.services.display.setRenderer(undefined);
            })
        );
    }

    private ready = false;

    /** A request started elsewhere (quick fix, Explain Code) shown as a turn of the conversation. */
    startTurn(info: ExternalTurnInfo): ExternalTurn {
        const id = randomUUID();
        this.post({ type: "turnStarted", id, prompt: info.title });
        return {
            progress: (progress) => this.post({ type: "progress", id, progress }),
            finish: (result) => this.post({ type: "turnFinished", id, result }),
            fail: (message) => this.post({ type: "turnFailed", id, message })
        };
    }

    private post(message: HostToWebview): void {
        void this.view?.webview.postMessage(message);
    }

    private postStatus(): void {
        const status = this.services.modelProcess.status;
        const model = status?.model?.name ?? (this.services.config.modelPath.split(/[\\/]/).pop() || undefined);
        const text = !model ? "No model selected" : status?.state === "loading" ? "Loading model…" : status?.state === "generating" ? "Thinking…" : status?.state === "error" ? (status.error ?? "Error") : "Ready";
        this.post({ type: "status", text, model });
    }

    private async onMessage(message: WebviewToHost): Promise<void> {
        switch (message.type) {
            case "ready":
                this.postStatus();
                if (!this.ready) {
                    this.ready = true;
                    this.services.display.setRenderer(this);
                }
                return;
            case "stop":
                this.running?.cancel();
                return;
            case "send":
                await this.send(message.text);
                return;
        }
    }

    private async send(text: string): Promise<void> {
        const { config, modelProcess, log } = this.services;
        const prompt = text.trim();
        if (!prompt) return;
        const id = randomUUID();
        this.post({ type: "turnStarted", id, prompt });
        if (!config.modelPath) {
            this.post({ type: "turnFailed", id, message: 'No model is selected. Run "R1: Select Model" to choose a GGUF file.' });
            const choice = await vscode.window.showInformationMessage("R1: no model is selected yet.", "Select Model");
            if (choice) void vscode.commands.executeCommand("r1.selectModel");
            return;
        }
        this.running?.cancel();
        const cts = new vscode.CancellationTokenSource();
        this.running = cts;
        try {
            const result = await modelProcess.reason(
                { action: "chat", turns: [{ role: "user", text: prompt }], sampling: config.sampling("chat"), modelPath: config.modelPath },
                (progress) => this.post({ type: "progress", id, progress }),
                cts.token
            );
            this.post({ type: "turnFinished", id, result });
        } catch (error) {
            this.post({ type: "turnFailed", id, message: reportRequestError(error, log) });
        } finally {
            if (this.running === cts) this.running = undefined;
            cts.dispose();
        }
    }

    dispose(): void {
        this.running?.cancel();
        for (const d of this.disposables) d.dispose();
    }
}
