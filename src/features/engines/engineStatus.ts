// Keeps the status bar true to the engine that answers: the local model's state from the model process, or the
// active remote engine (model @ host, whether a key is stored, off in an untrusted workspace). Updated when the
// model process reports, r1.modelPath changes, an engine is saved, switched or removed, or the workspace is trusted.
import * as vscode from "vscode";
import type { StatusBar } from "../../client/statusBar";
import type { RemoteEngineState } from "../../core/engines/remoteEngineText";
import type { Services } from "../services";

export function registerEngineStatus(services: Services, statusBar: StatusBar): vscode.Disposable {
    const { modelProcess, config, engines } = services;
    let generation = 0;
    const refresh = async (): Promise<void> => {
        const mine = ++generation;
        const remote = await remoteState(services);
        // A later refresh may have finished first (the key lookup is async): the newest wins.
        if (mine === generation) statusBar.update(modelProcess.status, config.modelPath, remote);
    };
    void refresh();
    return vscode.Disposable.from(
        modelProcess.onStatus(() => void refresh()),
        engines.onDidChange(() => void refresh()),
        vscode.workspace.onDidGrantWorkspaceTrust(() => void refresh()),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration("r1.modelPath")) void refresh();
        })
    );
}

/** The active remote engine as the status bar and the chat show it; undefined when the local model answers. */
export async function remoteState(services: Services): Promise<RemoteEngineState | undefined> {
    const endpoint = services.engines.active();
    if (!endpoint) return undefined;
    const hasKey = Boolean(await services.engines.apiKey(endpoint.id));
    return { endpoint, trusted: vscode.workspace.isTrusted, hasKey, busy: services.modelProcess.status?.state === "generating" };
}
