// "R1: Select Model": choose a GGUF file on disk; it is checked and loaded at once so a bad file is reported
// now (naming the file), and the previous model keeps working if it fails.
import * as vscode from "vscode";
import { reportRequestError } from "../client/requestErrors";
import type { Services } from "./services";

export function registerSelectModel(services: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.selectModel", async (path?: string) => {
        const modelPath = typeof path === "string" && path ? path : await pickGgufFile(services.config.modelPath);
        if (!modelPath) return undefined;
        return useModel(services, modelPath);
    });
}

async function pickGgufFile(current: string): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
        title: "R1: Select a GGUF model file",
        openLabel: "Use Model",
        canSelectMany: false,
        defaultUri: current ? vscode.Uri.file(current) : undefined,
        filters: { "GGUF models": ["gguf"], "All files": ["*"] }
    });
    return picked?.[0]?.fsPath;
}

/** Loads `modelPath` in the model process; on success it becomes the configured model. */
export async function useModel({ config, modelProcess, log }: Services, modelPath: string): Promise<boolean> {
    try {
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `R1: loading ${modelPath.split(/[\\/]/).pop()}…` },
            () => modelProcess.loadModel(modelPath)
        );
        await config.setModelPath(modelPath);
        const e = result.engine;
        log.info(`Selected model ${result.model.name} (${e.backend}, ${e.gpuLayers}/${e.totalLayers} GPU layers, context ${e.contextSize}).`);
        void vscode.window.setStatusBarMessage(`R1: ${result.model.name} ready (${(e.loadMs / 1000).toFixed(1)} s)`, 5000);
        return true;
    } catch (error) {
        reportRequestError(error, log);
        return false;
    }
}
