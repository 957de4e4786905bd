// Typed access to the r1.* settings, and which of them need the model process restarted.
import * as vscode from "vscode";
import type { EngineSettings, GpuMode, ReasonAction, SamplingOptions } from "../shared/lspProtocol";

const section = "r1";

/** Settings whose change needs a new model process (one Llama per process, bound to its GPU backend). */
const restartSettings = ["gpu"] as const;
/** Settings sent to the running process with r1/configure. */
const engineSettingKeys = ["contextSize", "threads", "idleUnloadMinutes"] as const;

export class Config {
    private get cfg(): vscode.WorkspaceConfiguration {
        return vscode.workspace.getConfiguration(section);
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

    engine(): EngineSettings {
        return {
            gpu: this.cfg.get<GpuMode>("gpu") ?? "auto",
            contextSize: this.cfg.get<number>("contextSize") ?? 8192,
            threads: this.cfg.get<number>("threads") ?? 0,
            idleUnloadMinutes: this.cfg.get<number>("idleUnloadMinutes") ?? 30
        };
    }

    sampling(_action: ReasonAction): SamplingOptions {
        return {
            temperature: this.cfg.get<number>("temperature") ?? 0.6,
            topP: this.cfg.get<number>("topP") ?? 0.95,
            thoughtBudget: this.cfg.get<number>("thinkingBudget") ?? 4096,
            maxTokens: this.cfg.get<number>("maxTokens") ?? 16384
        };
    }

    static needsRestart(e: vscode.ConfigurationChangeEvent): boolean {
        return restartSettings.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }

    static affectsEngine(e: vscode.ConfigurationChangeEvent): boolean {
        return engineSettingKeys.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }
}
