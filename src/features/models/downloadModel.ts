// Downloading a catalog model into the models folder, in a cancellable progress notification (bytes,
// speed, time left). A previous partial download resumes; the file is verified (size, sha256 when known)
// before it gets its final name. Failures are shown with the fix and, where trying again can work, Retry.
import * as vscode from "vscode";
import { withHubEndpoint } from "../../core/models/downloadProxy";
import { type DownloadErrorAction, downloadErrorActions, formatDownloadProgress, formatDuration, progressPercent } from "../../core/models/downloadMessages";
import { formatBytes } from "../../core/models/byteSize";
import type { CatalogEntry } from "../../core/models/modelCatalog";
import { entryLabel } from "../../core/models/modelPicker";
import { ModelDownloadError } from "../../platform/downloadErrors";
import { downloadFiles } from "../../platform/modelDownloader";
import type { Services } from "../services";
import { useModelFile } from "./useModel";

/** Downloads `entry` (or joins the download already running). Resolves with the model path, or undefined. */
export function downloadEntry(services: Services, entry: CatalogEntry, then?: (path: string) => Promise<unknown>): Promise<string | undefined> {
    const running = services.models.download(entry.id);
    if (running) {
        void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0} is already downloading (see its notification).", entryLabel(entry)));
        return running.promise;
    }
    const controller = new AbortController();
    const promise = runDownload(services, entry, controller, then);
    services.models.track({ entry, promise, controller });
    // Loading the model afterwards is not part of the download: the entry stops counting as downloading first.
    return promise.then(async (path) => {
        if (path !== undefined && then) await then(path);
        return path;
    });
}

/** Downloads `entry`, then checks and loads it. True when the model is in use. */
export async function downloadAndUse(services: Services, entry: CatalogEntry): Promise<boolean> {
    const path = await downloadEntry(services, entry, (p) => useModelFile(services, p));
    return path !== undefined && services.config.modelPath === path;
}

async function runDownload(services: Services, entry: CatalogEntry, controller: AbortController, then?: (path: string) => Promise<unknown>): Promise<string | undefined> {
    const { log, models } = services;
    const label = entryLabel(entry);
    let store;
    try {
        store = await models.store();
    } catch (error) {
        showError(services, entry, error instanceof Error ? error.message : String(error), ["Models Folder Setting"], then);
        return undefined;
    }
    const stored = (await store.list().catch(() => [])).find((s) => s.entry?.id === entry.id);
    const already = stored ? stored.sizeBytes + stored.partialBytes : 0;
    const proxy = models.proxy();
    const headers = await models.authHeaders();
    const endpoint = process.env.HF_ENDPOINT;
    const files = store.downloadFilesFor(entry).map((f) => ({ ...f, url: withHubEndpoint(f.url, endpoint) }));
    const started = Date.now();
    log.info(`Downloading ${entry.id} (${formatBytes(entry.quantization.sizeBytes)}, ${entry.quantization.files.length} file(s)) into ${store.root}` +
        `${already > 0 ? `, resuming from ${formatBytes(already)}` : ""} from ${new URL(files[0].url).origin}; proxy from ${proxy.source}${headers.Authorization ? "; with a Hugging Face token" : ""}.`);
    try {
        const result = await vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: already > 0
                    ? vscode.l10n.t("R1: resuming the download of {0} ({1})", label, formatBytes(entry.quantization.sizeBytes))
                    : vscode.l10n.t("R1: downloading {0} ({1})", label, formatBytes(entry.quantization.sizeBytes)),
                cancellable: true
            },
            (progress, token) => {
                token.onCancellationRequested(() => controller.abort());
                let lastPercent = 0;
                return downloadFiles(files, {
                    signal: controller.signal,
                    proxy: proxy.proxy,
                    env: proxy.env,
                    headers,
                    onProgress: (p) => {
                        const percent = progressPercent(p);
                        const increment = percent !== null && percent > lastPercent ? percent - lastPercent : undefined;
                        if (percent !== null) lastPercent = Math.max(lastPercent, percent);
                        progress.report({ message: formatDownloadProgress(p), increment });
                    }
                });
            }
        );
        const seconds = (Date.now() - started) / 1000;
        const verified = result.files.every((f) => f.sha256) ? "sha256 verified" : "size checked (no sha256 known)";
        log.info(`Downloaded ${entry.id}: ${formatBytes(result.transferredBytes)} transferred in ${formatDuration(seconds)}` +
            `${seconds > 0 ? ` (${formatBytes(result.transferredBytes / seconds)}/s)` : ""}, ${verified}.`);
        return store.modelPathFor(entry);
    } catch (error) {
        if (error instanceof ModelDownloadError) {
            log[error.code === "aborted" ? "info" : "error"](`Download of ${entry.id} failed (${error.code}): ${error.message}`);
            if (error.code === "aborted") {
                void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", error.message), vscode.l10n.t("Resume")).then((choice) => {
                    if (choice) void downloadEntry(services, entry, then);
                });
            } else {
                showError(services, entry, error.message, downloadErrorActions(error.code), then);
            }
        } else {
            log.error(error instanceof Error ? error : String(error));
            showError(services, entry, `Downloading ${label} failed: ${error instanceof Error ? error.message : String(error)}`, ["Retry"], then);
        }
        return undefined;
    }
}

/** Shows the error without waiting for it (the caller goes on); each button does what it says. */
function showError(services: Services, entry: CatalogEntry, message: string, actions: DownloadErrorAction[], then?: (path: string) => Promise<unknown>): void {
    void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0}", message), ...actions).then(async (choice) => {
        switch (choice) {
            case "Retry":
                void downloadEntry(services, entry, then);
                break;
            case "Set Hugging Face Token":
                if (await vscode.commands.executeCommand<boolean>("r1.setHuggingFaceToken")) void downloadEntry(services, entry, then);
                break;
            case "Proxy Settings":
                void vscode.commands.executeCommand("workbench.action.openSettings", "r1.downloadProxy");
                break;
            case "Models Folder Setting":
                void vscode.commands.executeCommand("workbench.action.openSettings", "r1.modelsFolder");
                break;
            case "Manage Models":
                void vscode.commands.executeCommand("r1.manageModels");
                break;
            case "Choose Another Model":
                void vscode.commands.executeCommand("r1.selectModel");
                break;
        }
    });
}
