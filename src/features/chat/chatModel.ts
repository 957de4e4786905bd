// The model a chat message runs on: the active remote engine (through requestEngine, which asks for consent once
// and refuses in an untrusted workspace), else the local model. With no local model selected (r1.modelPath
// empty), a model already downloaded into the models folder is used (and the user is told which), else the user
// is offered "R1: Select Model". Also the chat's status line about the model.
import { basename } from "node:path";
import * as vscode from "vscode";
import { remoteChatStatus } from "../../core/engines/remoteEngineText";
import type { StoredModel } from "../../platform/modelStore";
import type { ReasonParams } from "../../shared/lspProtocol";
import type { HostToWebview } from "../../shared/webviewProtocol";
import { engineParams, requestEngine } from "../engines/requestEngine";
import type { Services } from "../services";

export interface ChatModel {
    /** Display name: the file name without .gguf (as the model process names it), or "model @ host" for a remote engine. */
    name: string;
    /** Where the request goes: `modelPath`, or `engine` for a remote engine. */
    params: Pick<ReasonParams, "engine" | "modelPath">;
    /** Set when the model was chosen now because none was selected: a sentence for the user. */
    pickedNotice?: string;
    /** Set when the remote engine may not be used now (untrusted workspace, consent declined): why. */
    refused?: string;
}

/** The name the chat shows for the engine that answers next (no consent asked): the remote engine's label, else the local model's. */
export function activeModelName(services: Services): string | undefined {
    const remote = services.engines.active();
    if (remote) return remote.label;
    const path = services.config.modelPath;
    return path ? modelDisplayName(path, services.modelProcess.status?.model?.path === path ? services.modelProcess.status.model.name : undefined) : undefined;
}

/** "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M" for ".../DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf" (split parts: the model's name). */
export function modelDisplayName(path: string, loadedName?: string): string {
    if (loadedName) return loadedName;
    const file = basename(path).replace(/\.gguf$/i, "").replace(/-0*1-of-\d+$/, "");
    return file || path;
}

/** Which downloaded model to use when none is selected: catalog models first, then the larger (stronger) one. */
export function preferredDownloadedModel(models: readonly StoredModel[]): StoredModel | undefined {
    return models.filter((m) => m.complete)
        .sort((a, b) => Number(b.entry !== null) - Number(a.entry !== null) || b.sizeBytes - a.sizeBytes || a.path.localeCompare(b.path))[0];
}

/** The model for a chat message, or undefined when there is none (the user was offered to select one). */
export async function chatModel(services: Services): Promise<ChatModel | undefined> {
    const { config, modelProcess, models, log } = services;
    const target = await requestEngine(services);
    if (target.kind === "refused") return { name: target.endpoint.label, params: {}, refused: target.message };
    if (target.kind === "remote") return { name: target.name, params: engineParams(target, "") };
    const configured = config.modelPath;
    if (configured) {
        const loaded = modelProcess.status?.model;
        return { name: modelDisplayName(configured, loaded && loaded.path === configured ? loaded.name : undefined), params: engineParams(target, configured) };
    }
    let stored: StoredModel[] = [];
    try {
        stored = await (await models.store()).list();
    } catch (error) {
        log.warn(`The models folder could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const pick = preferredDownloadedModel(stored);
    if (pick) {
        await config.setModelPath(pick.path);
        const name = modelDisplayName(pick.path);
        log.info(`No model was selected: using ${pick.path}, found in the models folder.`);
        return { name, params: engineParams(target, pick.path), pickedNotice: `No model was selected, so R1 uses ${name}, downloaded earlier. Choose another with "R1: Select Model".` };
    }
    void vscode.window.showInformationMessage(vscode.l10n.t("R1: no model is selected yet. Choose one that fits this machine: R1 downloads it for you."), vscode.l10n.t("Select Model")).then((choice) => {
        if (choice) void vscode.commands.executeCommand("r1.selectModel");
    });
    return undefined;
}

/** The chat's status line: the remote engine (model and host), else the selected model's name and whether it is loading, thinking, ready or failed. */
export function modelStatusMessage(services: Services): HostToWebview {
    const { modelProcess, config, engines } = services;
    const remote = engines.active();
    if (remote) return { type: "status", ...remoteChatStatus({ endpoint: remote, trusted: vscode.workspace.isTrusted }) };
    const status = modelProcess.status;
    const path = config.modelPath;
    const model = path ? modelDisplayName(path, status?.model && status.model.path === path ? status.model.name : undefined) : undefined;
    const text = !model ? vscode.l10n.t("No model selected")
        : status?.state === "loading" ? vscode.l10n.t("Loading model…")
        : status?.state === "generating" ? vscode.l10n.t("Thinking…")
        : status?.state === "error" ? (status.error ?? vscode.l10n.t("Error"))
        : status?.model && status.model.path === path ? vscode.l10n.t("Ready") : vscode.l10n.t("Loads on first use");
    return model ? { type: "status", text, model } : { type: "status", text };
}
