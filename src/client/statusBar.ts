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
        this.item.name = vscode.l10n.t("R1 Reasoner");
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
                this.item.text = configuredName ? vscode.l10n.t("$(sync~spin) R1: loading {0}…", configuredName) : vscode.l10n.t("$(sync~spin) R1: loading model…");
                break;
            case "generating":
                this.item.text = vscode.l10n.t("$(loading~spin) R1: {0} thinking", name);
                break;
            case "ready":
                this.item.text = vscode.l10n.t("$(hubot) R1: {0}", name);
                break;
            case "error":
                this.item.text = name ? vscode.l10n.t("$(error) R1: {0}", name) : vscode.l10n.t("$(error) R1: error");
                this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
                break;
            case "idle":
                this.item.text = configuredName ? vscode.l10n.t("$(hubot) R1: {0} (not loaded)", configuredName) : vscode.l10n.t("$(hubot) R1: select a model");
                break;
            default:
                this.item.text = configuredName ? vscode.l10n.t("$(hubot) R1: {0} · idle", configuredName) : vscode.l10n.t("$(hubot) R1: select a model");
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
        md.appendMarkdown(vscode.l10n.t("Click to select a model or another engine."));
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
        md.appendText(status.model.reasoningTemplate ? vscode.l10n.t("Model: {0}", status.model.name) : vscode.l10n.t("Model: {0} (no R1 template)", status.model.name));
        md.appendMarkdown("\n\n");
        md.appendText(vscode.l10n.t("Backend: {0} · GPU layers {1}/{2}", e.gpuName ? `${e.backend} (${e.gpuName})` : e.backend, e.gpuLayers, e.totalLayers));
        md.appendMarkdown("\n\n");
        md.appendMarkdown(vscode.l10n.t("Context: {0} tokens · Threads: {1} · Loaded in {2} s", e.contextSize, e.threads, (e.loadMs / 1000).toFixed(1)) + "\n\n");
        if (e.threadsReason) {
            md.appendText(vscode.l10n.t("Threads: {0}.", e.threadsReason));
            md.appendMarkdown("\n\n");
        }
        for (const w of e.warnings ?? []) {
            md.appendMarkdown("$(warning) ");
            md.appendText(w);
            md.appendMarkdown("\n\n");
        }
    } else if (configuredModel) {
        md.appendText(vscode.l10n.t("Model: {0} (loads on first use)", configuredModel));
        md.appendMarkdown("\n\n");
    } else {
        md.appendMarkdown(vscode.l10n.t("No model selected.") + "\n\n");
    }
    if (status?.error) {
        md.appendText(vscode.l10n.t("Error: {0}", status.error));
        md.appendMarkdown("\n\n");
    }
    if (status && status.rssBytes > 0) md.appendMarkdown(vscode.l10n.t("Model process memory: {0} (pid {1})", formatBytes(status.rssBytes), status.pid) + "\n\n");
    if (!status) md.appendMarkdown(vscode.l10n.t("The model process starts on first use.") + "\n\n");
    md.appendMarkdown(vscode.l10n.t("Click to select a model."));
    return md;
}
