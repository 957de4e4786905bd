// CUDA without manual steps: on linux-x64 and win32-x64 with an NVIDIA driver, the first start of the model process
// offers (r1.cuda.download "ask"), or does ("auto"), a one-time download of node-llama-cpp's CUDA build of the exact
// version shipped (platform/npm/cudaInstall: npm registry over HTTP, the downloader's proxy rules, sha512 checked
// before unpacking, resumable), then restarts the model process so that `gpu: "auto"` picks CUDA. When it cannot be
// had, the user is told why (no driver, too old a driver, no CUDA runtime, offline, refused) and that Vulkan or the
// CPU is used meanwhile. Also the command R1: Download CUDA Support. docs/packaging.md says why it is not in the VSIX.
import * as vscode from "vscode";
import { formatBytes } from "../../core/models/byteSize";
import { formatDownloadProgress, progressPercent } from "../../core/models/downloadMessages";
import { cudaFailureText, cudaPlatform, planCuda, type CudaPlan } from "../../core/cuda/cudaPlan";
import { ModelDownloadError } from "../../platform/downloadErrors";
import { installCudaPackages, isInstalled, llamaCppVersion } from "../../platform/npm/cudaInstall";
import { DEFAULT_REGISTRY } from "../../platform/npm/registryPackage";
import { cudaMachine } from "../../platform/nvidiaDriver";
import type { Services } from "../services";

const DECLINED_KEY = "r1.cuda.declined";

type DownloadSetting = "ask" | "auto" | "never";

function setting(): { download: DownloadSetting; registry: string } {
    const cfg = vscode.workspace.getConfiguration("r1");
    return { download: cfg.get<DownloadSetting>("cuda.download") ?? "ask", registry: (cfg.get<string>("cuda.registry") ?? "").trim() || DEFAULT_REGISTRY };
}

export class CudaSupport implements vscode.Disposable {
    private checked = false;
    private running: Promise<boolean> | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly services: Services) {
        this.disposables.push(
            vscode.commands.registerCommand("r1.downloadCuda", () => this.run(true)),
            // The first start of the model process is "the first load": check once per session then.
            services.modelProcess.onStatus((status) => {
                if (status && !this.checked) {
                    this.checked = true;
                    void this.run(false);
                }
            })
        );
    }

    /** Whether CUDA support is installed now. `asked`: the user ran the command (no setting or earlier "never" stops it). */
    run(asked: boolean): Promise<boolean> {
        // An offer left unanswered does not block the command; two downloads never run at once (install()).
        return this.check(asked);
    }

    private async check(asked: boolean): Promise<boolean> {
        const { log, context, config } = this.services;
        if (!cudaPlatform(process.platform, process.arch)) {
            if (asked) void vscode.window.showInformationMessage(process.platform === "darwin"
                ? vscode.l10n.t("R1: node-llama-cpp has no CUDA build for {0}; Metal is used on Apple silicon.", `${process.platform}-${process.arch}`)
                : vscode.l10n.t("R1: node-llama-cpp has no CUDA build for {0}; Vulkan or the CPU is used.", `${process.platform}-${process.arch}`));
            return false;
        }
        const { download, registry } = setting();
        const gpu = config.engine().gpu;
        if (!asked && (download === "never" || gpu === "vulkan" || gpu === "cpu" || context.globalState.get<boolean>(DECLINED_KEY))) return false;
        const version = await llamaCppVersion(context.extensionPath);
        const plan = planCuda(await cudaMachine());
        log.info(`CUDA support: ${plan.kind === "fetch" ? `${plan.packages.join(" + ")} (${plan.note ?? `CUDA ${plan.runtime}`})` : plan.reason}.`);
        if (plan.kind === "unavailable") {
            if (asked || gpu === "cuda") void vscode.window.showWarningMessage(vscode.l10n.t("R1: CUDA cannot be used: {0}. Models run with Vulkan or on the CPU.", plan.reason));
            return false;
        }
        const missing = [];
        for (const p of plan.packages) if (!(await isInstalled(context.extensionPath, p, version))) missing.push(p);
        if (missing.length === 0) return true;
        if (!asked && download === "ask" && !(await this.offer(plan))) return false;
        this.running ??= this.install({ ...plan, packages: missing }, version, registry).finally(() => (this.running = undefined));
        return this.running;
    }

    private async offer(plan: Extract<CudaPlan, { kind: "fetch" }>): Promise<boolean> {
        const [download, notNow, never] = [vscode.l10n.t("Download"), vscode.l10n.t("Not Now"), vscode.l10n.t("Never")];
        const choice = await vscode.window.showInformationMessage(
            vscode.l10n.t("R1: an NVIDIA GPU is here. Download CUDA support ({0}, once) to run models on it? Until then they run with Vulkan or on the CPU.", formatBytes(plan.approxBytes)),
            download, notNow, never);
        if (choice === never) await this.services.context.globalState.update(DECLINED_KEY, true);
        return choice === download;
    }

    private async install(plan: Extract<CudaPlan, { kind: "fetch" }>, version: string, registry: string): Promise<boolean> {
        const { log, context, models, modelProcess } = this.services;
        const proxy = models.proxy();
        const controller = new AbortController();
        log.info(`Downloading CUDA support ${plan.packages.map((p) => `@node-llama-cpp/${p}@${version}`).join(", ")} from ${registry}; proxy from ${proxy.source}.`);
        try {
            await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("R1: downloading CUDA support"), cancellable: true }, (progress, token) => {
                token.onCancellationRequested(() => controller.abort());
                let last = 0;
                return installCudaPackages({
                    extensionPath: context.extensionPath,
                    storageDir: context.globalStorageUri.fsPath,
                    registry, version, packages: plan.packages,
                    signal: controller.signal, proxy: proxy.proxy, env: proxy.env,
                    onPackage: (name, i) => {
                        last = 0;
                        progress.report({ message: vscode.l10n.t("@node-llama-cpp/{0} ({1} of {2})", name, i + 1, plan.packages.length) });
                    },
                    onProgress: (p) => {
                        const percent = progressPercent(p);
                        const increment = percent !== null && percent > last ? (percent - last) / plan.packages.length : undefined;
                        if (percent !== null) last = Math.max(last, percent);
                        progress.report({ message: formatDownloadProgress(p), increment });
                    }
                });
            });
        } catch (error) {
            const aborted = controller.signal.aborted;
            const retry = vscode.l10n.t("Retry");
            const why = aborted ? vscode.l10n.t("you cancelled it (run R1: Download CUDA Support to resume)") : error instanceof ModelDownloadError ? cudaFailureText(error.code, error.message, registry) : error instanceof Error ? error.message : String(error);
            log[aborted ? "info" : "error"](`CUDA support was not installed: ${why}`);
            const choice = await vscode.window.showWarningMessage(vscode.l10n.t("R1: CUDA support was not installed: {0}. Models run with Vulkan or on the CPU.", why), ...(aborted ? [] : [retry]));
            if (choice === retry) return this.install(plan, version, registry);
            return false;
        }
        log.info("CUDA support installed; restarting the model process to use it.");
        if (modelProcess.running) await modelProcess.restart();
        void vscode.window.showInformationMessage(vscode.l10n.t("R1: CUDA support is installed. The model process restarted to use the NVIDIA GPU."));
        return true;
    }

    dispose(): void {
        for (const d of this.disposables) d.dispose();
    }
}

export function registerCudaSupport(services: Services): vscode.Disposable {
    return new CudaSupport(services);
}
