// The model's state in the status bar: what is loaded, where it runs, and whether it is thinking; with a remote
// engine active, which engine and model answer ("R1 · deepseek-reasoner @ api.deepseek.com").
// Clicking it opens "R1: Select Model". Until the first request starts the model process, it says "idle".
import { basename } from "node:path";
import { escapeIcons } from "../core/answer/untrustedText";
import * as vscode from "vscode";
import { formatBytes } from "../core/models/byteSize";
import { remoteStatusText, remoteTooltipLines, type RemoteEngineState } from "../core/engines/remoteEngineText";
import type { ServerStatus } from "../shared/lspProtocol";

export class StatusBar implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;

    constructor() {
        this.item = vscode.window.createStatusBarItem("r1.status", vscode.StatusBarAlignment.Right, 100);
        this.item.name = "R1 Reasoner";
        this.item.command = "r1.selectModel";
        this.item.show();
    }

    /**
     * Shows the local model's state, or the remote engine's when one is active (`remote`). `status` undefined: the
     * model process is not started (it starts on first use).
     */
    update(status: ServerStatus | undefined, configuredModel: string, remote?: RemoteEngineState): void {
        if (remote) {
            this.showRemote(remote);
            return;
        }
        // A file name can hold `$(icon)` too: escaped like the model's own name.
        const configuredName = configuredModel ? escapeIcons(basename(configuredModel).replace(/\.gguf$/i, "")) : "";
        // The name is the model file's own (general.name) or its file name: untrusted, shown as text.
        const name = escapeIcons(status?.model?.name ?? configuredName);
        this.item.backgroundColor = undefined;
        switch (status?.state) {
            case "loading":
                this.item.text = `$(sync~spin) R1: loading ${configuredName || "model"}…`;
                break;
            case "generating":
                this.item.text = `$(loading~spin) R1: ${name} thinking`;
                break;
            case "ready":
                this.item.text = `$(hubot) R1: ${name}`;
                break;
            case "error":
                this.item.text = `$(error) R1: ${name || "error"}`;
                this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
                break;
            case "idle":
                this.item.text = configuredName ? `$(hubot) R1: ${configuredName} (not loaded)` : "$(hubot) R1: select a model";
                break;
            default:
                this.item.text = configuredName ? `$(hubot) R1: ${configuredName} · idle` : "$(hubot) R1: select a model";
        }
        this.item.tooltip = tooltip(status, configuredModel);
    }

    private showRemote(remote: RemoteEngineState): void {
        this.item.text = remoteStatusText(remote);
        this.item.backgroundColor = remote.trusted ? undefined : new vscode.ThemeColor("statusBarItem.warningBackground");
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown("**R1 Reasoner**\n\n");
        for (const line of remoteTooltipLines(remote)) {
            md.appendText(line);
            md.appendMarkdown("\n\n");
        }
        md.appendMarkdown("Click to select a model or another engine.");
        this.item.tooltip = md;
    }

    /** The text and tooltip shown now (for tests). */
    get shown(): { text: string; tooltip: string } {
        const t = this.item.tooltip;
        return { text: this.item.text, tooltip: typeof t === "string" ? t : (t?.value ?? "") };
    }

    dispose(): void {
        this.item.dispose();
    }
}

function tooltip(status: ServerStatus | undefined, configuredModel: string): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown("**R1 Reasoner**\n\n");
    if (status?.model && status.engine) {
        const e = status.engine;
        // The model's name, the GPU's name and errors come from the model file, the driver and llama.cpp: text, never markdown.
        md.appendText(`Model: ${status.model.name}${status.model.reasoningTemplate ? "" : " (no R1 template)"}`);
        md.appendMarkdown("\n\n");
        md.appendText(`Backend: ${e.backend}${e.gpuName ? ` (${e.gpuName})` : ""} · GPU layers ${e.gpuLayers}/${e.totalLayers}`);
        md.appendMarkdown("\n\n");
        md.appendMarkdown(`Context: ${e.contextSize} tokens · Threads: ${e.threads} · Loaded in ${(e.loadMs / 1000).toFixed(1)} s\n\n`);
        if (e.threadsReason) {
            md.appendText(`Threads: ${e.threadsReason}.`);
            md.appendMarkdown("\n\n");
        }
        for (const w of e.warnings ?? []) {
            md.appendMarkdown("$(warning) ");
            md.appendText(w);
            md.appendMarkdown("\n\n");
        }
    } else if (configuredModel) {
        md.appendText(`Model: ${configuredModel} (loads on first use)`);
        md.appendMarkdown("\n\n");
    } else {
        md.appendMarkdown("No model selected.\n\n");
    }
    if (status?.error) {
        md.appendText(`Error: ${status.error}`);
        md.appendMarkdown("\n\n");
    }
    if (status && status.rssBytes > 0) md.appendMarkdown(`Model process memory: ${formatBytes(status.rssBytes)} (pid ${status.pid})\n\n`);
    if (!status) md.appendMarkdown("The model process starts on first use.\n\n");
    md.appendMarkdown("Click to select a model.");
    return md;
}
