// Making a model file the active one: the model process checks the file first (r1/checkModelFile: a file that
// is not a GGUF, a model of another architecture, a later split part... is refused with a message naming it),
// then loads it, and only then does r1.modelPath change (and the local model becomes the engine again, when a
// remote engine was the active one). Whatever fails, the previous choice stays configured.
import { basename } from "node:path";
import * as vscode from "vscode";
import { reportRequestError } from "../../client/requestErrors";
import { noticeText } from "../../core/answer/untrustedText";
import type { Services } from "../services";

/** Checks `modelPath`, loads it in the model process and stores it in r1.modelPath. True on success. */
export async function useModelFile(services: Services, modelPath: string): Promise<boolean> {
    const checked = await services.modelProcess.checkModelFile(modelPath).catch((error: unknown) => {
        reportRequestError(error, services.log);
        return undefined;
    });
    if (!checked) return false;
    if (!checked.ok) {
        const problem = checked.problem.message;
        services.log.error(`Not using ${modelPath} (${checked.problem.code}): ${problem}`);
        const previous = services.config.modelPath;
        const keep = previous && previous !== modelPath ? ` ${basename(previous)} stays selected.` : "";
        void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0}{1}", noticeText(problem), noticeText(keep)), vscode.l10n.t("Select Model")).then((choice) => {
            if (choice) void vscode.commands.executeCommand("r1.selectModel");
        });
        return false;
    }
    return useModel(services, modelPath);
}

/** Loads `modelPath` in the model process; on success it becomes the configured model. */
export async function useModel({ config, modelProcess, log, engines }: Services, modelPath: string): Promise<boolean> {
    try {
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("R1: loading {0}…", basename(modelPath)) },
            () => modelProcess.loadModel(modelPath)
        );
        await config.setModelPath(modelPath);
        await engines.setActive("local");
        const e = result.engine;
        log.info(`Selected model ${result.model.name} (${e.backend}, ${e.gpuLayers}/${e.totalLayers} GPU layers, context ${e.contextSize}).`);
        void vscode.window.setStatusBarMessage(`R1: ${result.model.name} ready (${(e.loadMs / 1000).toFixed(1)} s)`, 5000);
        return true;
    } catch (error) {
        reportRequestError(error, log);
        return false;
    }
}
