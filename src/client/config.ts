// Typed access to the r1.* settings, and which of them need the model process restarted.
import * as vscode from "vscode";
import type { EngineSettings, GpuMode, ReasonAction, SamplingOptions } from "../shared/lspProtocol";

const section = "r1";

/** Settings whose change needs a new model process (one Llama per process, bound to its GPU backend). */
const restartSettings = ["gpu"] as const;
/** Settings sent to the running process with r1/configure. */
const engineSettingKeys = ["contextSize", "threads", "idleUnloadMinutes", "tokenPrediction"] as const;
/** The defaults of r1.thinkingBudget, r1.fix.thinkingBudget and r1.explain.thinkingBudget (package.json). */
const defaultThinkingBudgets: Record<ReasonAction, number> = { chat: 4096, fix: 2048, explain: 1024 };

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

    /** r1.remote.caFile: a PEM CA file trusted for remote engines besides the system's ("" = none). */
    get remoteCaFile(): string {
        return (this.cfg.get<string>("remote.caFile") ?? "").trim();
    }

    /** r1.remote.firstByteTimeoutSeconds in ms: how long a remote engine may take to send its first byte. */
    get remoteFirstByteTimeoutMs(): number {
        const s = this.cfg.get<number>("remote.firstByteTimeoutSeconds") ?? 60;
        return Math.max(1, Number.isFinite(s) ? s : 60) * 1000;
    }

    engine(): EngineSettings {
        return {
            gpu: this.cfg.get<GpuMode>("gpu") ?? "auto",
            contextSize: this.cfg.get<number>("contextSize") ?? 8192,
            threads: this.cfg.get<number>("threads") ?? 0,
            idleUnloadMinutes: this.cfg.get<number>("idleUnloadMinutes") ?? 30,
            tokenPrediction: this.cfg.get<boolean>("tokenPrediction") ?? true
        };
    }

    /**
     * Sampling for one kind of request. Each action has its own thinking budget: r1.thinkingBudget (the chat),
     * r1.fix.thinkingBudget (quick fixes), r1.explain.thinkingBudget (Explain Code); 0 = no limit.
     */
    sampling(action: ReasonAction): SamplingOptions {
        return {
            temperature: this.cfg.get<number>("temperature") ?? 0.6,
            topP: this.cfg.get<number>("topP") ?? 0.95,
            thoughtBudget: this.thinkingBudget(action),
            maxTokens: this.cfg.get<number>("maxTokens") ?? 16384
        };
    }

    thinkingBudget(action: ReasonAction): number {
        const key = action === "chat" ? "thinkingBudget" : `${action}.thinkingBudget`;
        const value = this.cfg.get<number>(key) ?? defaultThinkingBudgets[action];
        return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
    }

    /** r1.fix.verificationTimeout in ms: how long a verified fix waits for the language's diagnostics. */
    get fixVerificationTimeoutMs(): number {
        const s = this.cfg.get<number>("fix.verificationTimeout") ?? 15;
        return Math.max(1, s) * 1000;
    }

    static needsRestart(e: vscode.ConfigurationChangeEvent): boolean {
        return restartSettings.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }

    static affectsEngine(e: vscode.ConfigurationChangeEvent): boolean {
        return engineSettingKeys.some((k) => e.affectsConfiguration(`${section}.${k}`));
    }
}
