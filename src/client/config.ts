// Typed access to the r1.* settings, and which of them need the model process restarted.
import * as vscode from "vscode";
import { type NumberSettingKey, numberRules, readNumberSetting } from "../core/settings/numberSettings";
import type { EngineSettings, GpuMode, ReasonAction, SamplingOptions } from "../shared/lspProtocol";

const section = "r1";

/** Settings whose change needs a new model process (one Llama per process, bound to its GPU backend). */
const restartSettings = ["gpu"] as const;
/** Settings sent to the running process with r1/configure. */
const engineSettingKeys = ["contextSize", "threads", "idleUnloadMinutes", "tokenPrediction"] as const;
const gpuModes: readonly GpuMode[] = ["auto", "metal", "cuda", "vulkan", "cpu"];

export class Config {
    private get cfg(): vscode.WorkspaceConfiguration {
        return vscode.workspace.getConfiguration(section);
    }

    /** A numeric setting, or its default when settings.json holds a wrong type or an out-of-range value. */
    private num(key: NumberSettingKey): number {
        return readNumberSetting(key, this.cfg.get<unknown>(key)).value;
    }

    /** What is wrong with the settings as stored, one sentence each (settingsWarnings shows them). */
    problems(): string[] {
        const problems = (Object.keys(numberRules) as NumberSettingKey[]).flatMap((key) => readNumberSetting(key, this.cfg.get<unknown>(key)).problem ?? []);
        const gpu = this.cfg.get<unknown>("gpu");
        if (gpu !== undefined && !gpuModes.includes(gpu as GpuMode)) problems.push(`r1.gpu is ${JSON.stringify(gpu)?.slice(0, 40)}, not one of ${gpuModes.join(", ")}: using auto.`);
        return problems;
    }

    get modelPath(): string {
        return (this.cfg.get<string>("modelPath") ?? "").trim();
    }

    async setModelPath(path: string): Promise<void> {
        await this.cfg.update("modelPath", path, vscode.ConfigurationTarget.Global);
    }

    /** r1.modelsFolder ("" = the extension's global storage/models). */
    get modelsFolder(): string {
        return (this.cfg.get<string>("modelsFolder") ?? "").trim();
    }

    /** r1.downloadProxy ("" = VS Code's http.proxy, then the environment; "direct" = none). */
    get downloadProxy(): string {
        return (this.cfg.get<string>("downloadProxy") ?? "").trim();
    }

    /** VS Code's own proxy settings (http.proxy, http.noProxy). */
    get httpProxy(): { proxy: string; noProxy: string[] } {
        const http = vscode.workspace.getConfiguration("http");
        return { proxy: (http.get<string>("proxy") ?? "").trim(), noProxy: http.get<string[]>("noProxy") ?? [] };
    }

    /** r1.remote.caFile: a PEM CA file trusted for remote engines besides the system's ("" = none). */
    get remoteCaFile(): string {
        return (this.cfg.get<string>("remote.caFile") ?? "").trim();
    }

    /** r1.remote.firstByteTimeoutSeconds in ms: how long a remote engine may take to send its first byte. */
    get remoteFirstByteTimeoutMs(): number {
        return this.num("remote.firstByteTimeoutSeconds") * 1000;
    }

    engine(): EngineSettings {
        return {
            gpu: gpuModes.find((m) => m === this.cfg.get<unknown>("gpu")) ?? "auto",
            contextSize: this.num("contextSize"),
            threads: this.num("threads"),
            idleUnloadMinutes: this.num("idleUnloadMinutes"),
            tokenPrediction: this.cfg.get<unknown>("tokenPrediction") !== false
        };
    }

    /**
     * Sampling for one kind of request. Each action has its own thinking budget: r1.thinkingBudget (the chat),
     * r1.fix.thinkingBudget (quick fixes), r1.explain.thinkingBudget (Explain Code); 0 = no limit.
     */
    sampling(action: ReasonAction): SamplingOptions {
        return {
            temperature: this.num("temperature"),
            topP: this.num("topP"),
            thoughtBudget: this.thinkingBudget(action),
            maxTokens: this.num("maxTokens")
        };
    }

    thinkingBudget(action: ReasonAction): number {
        return this.num(action === "chat" ? "thinkingBudget" : `${action}.thinkingBudget`);
    }

    /** r1.fix.verificationTimeout in ms: how long a verified fix waits for the language's diagnostics. */
    get fixVerificationTimeoutMs(): number {
        return this.num("fix.verificationTimeout") * 1000;
    }

    static needsRestart(e: vscode.ConfigurationChangeEvent): boolean {
        return restartSettings.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }

    static affectsEngine(e: vscode.ConfigurationChangeEvent): boolean {
        return engineSettingKeys.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }
}
