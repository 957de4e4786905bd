// Runs one reasoning request for a code action (a fix, Explain Code): the thought and answer stream into the
// reasoning view (display.startTurn) and a progress notification shows how far the thinking is and can cancel
// it. Cancelling sends LSP $/cancelRequest; the model process stops and returns the partial reply, which stays
// in the view. "R1: Stop Fix or Explanation" cancels every request started here. The engine (the local model or
// the active remote engine) comes from requestEngine, as for the chat.
import * as vscode from "vscode";
import { reportRequestError } from "../../client/requestErrors";
import { engineParams, requestEngine } from "../engines/requestEngine";
import { contextCharBudget } from "../../core/chat/chatPrompt";
import { thinkingProgressMessage } from "../../core/reply/thinkingProgress";
import type { ReasonNotice, ReasonResult } from "../../shared/lspProtocol";
import type { ExternalTurnInfo } from "./reasoningDisplay";
import type { Services } from "../services";

export interface RequestSpec {
    action: "fix" | "explain";
    /** The user turn (the only turn: no system prompt). */
    prompt: string;
    /** How the request shows in the reasoning view. */
    turn: ExternalTurnInfo;
    /** The progress notification's title ("R1: fixing TS2322 in cart.ts:9"). */
    progressTitle: string;
    /** Notices the turn shows from its start (e.g. a selection cut to fit the context). */
    notices?: ReasonNotice[];
}

export type RequestOutcome =
    | { kind: "done"; result: ReasonResult }
    /** Cancelled by the user; `result` holds the partial reply when the model process sent one. */
    | { kind: "cancelled"; result?: ReasonResult }
    | { kind: "failed"; message: string }
    | { kind: "noModel" };

/** Context key set while a code-action request runs (enables "R1: Stop Fix or Explanation"). */
export const runningContextKey = "r1.codeActionRunning";

const reportEveryMs = 200;

export class ReasoningRequests implements vscode.Disposable {
    private readonly running = new Set<vscode.CancellationTokenSource>();

    constructor(private readonly services: Services) {}

    /** How many characters of code a request of `action` may quote (chatPrompt's budget for r1.contextSize). */
    codeCharBudget(action: "fix" | "explain"): number {
        const { config } = this.services;
        return contextCharBudget(config.engine().contextSize, config.thinkingBudget(action));
    }

    /**
     * Tokens of `text` by the loaded local model's own tokenizer; undefined where that cannot be asked (no model
     * loaded yet, the model process down). The character budget above assumes ~3 characters per token, which a
     * byte-level or unusual text breaks: a trimmed prompt is checked with this before it is sent.
     */
    async promptTokens(text: string): Promise<number | undefined> {
        try {
            const modelPath = this.services.config.modelPath;
            return await this.services.modelProcess.countTokens({ text, ...(modelPath ? { modelPath } : {}) });
        } catch (error) {
            this.services.log.warn(`Counting the prompt's tokens failed: ${error instanceof Error ? error.message : String(error)}`);
            return undefined;
        }
    }

    /** Number of requests running now. */
    get active(): number {
        return this.running.size;
    }

    /** Cancels every running request; returns how many there were. */
    cancelAll(): number {
        const n = this.running.size;
        for (const cts of this.running) cts.cancel();
        return n;
    }

    async run(spec: RequestSpec): Promise<RequestOutcome> {
        const { config, modelProcess, display, log } = this.services;
        const target = await requestEngine(this.services);
        if (target.kind === "refused") {
            const actions = vscode.workspace.isTrusted ? [vscode.l10n.t("Select Model")] : [vscode.l10n.t("Manage Workspace Trust"), vscode.l10n.t("Select Model")];
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0}", target.message), ...actions).then((choice) => {
                if (choice === vscode.l10n.t("Select Model")) void vscode.commands.executeCommand("r1.selectModel");
                else if (choice) void vscode.commands.executeCommand("workbench.trust.manage");
            });
            return { kind: "failed", message: target.message };
        }
        if (target.kind === "local" && !config.modelPath) {
            void vscode.window.showInformationMessage(vscode.l10n.t("R1: no model is selected yet."), vscode.l10n.t("Select Model")).then((choice) => {
                if (choice) void vscode.commands.executeCommand("r1.selectModel");
            });
            return { kind: "noModel" };
        }
        const turn = display.startTurn(spec.turn);
        if (spec.notices?.length) {
            turn.progress({ thoughtState: "none", stats: { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 }, notices: spec.notices });
        }
        const cts = new vscode.CancellationTokenSource();
        this.running.add(cts);
        void vscode.commands.executeCommand("setContext", runningContextKey, true);
        const sampling = config.sampling(spec.action);
        try {
            return await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Notification, title: spec.progressTitle, cancellable: true },
                async (progress, token) => {
                    const sub = token.onCancellationRequested(() => cts.cancel());
                    let thought = "";
                    let lastReport = 0;
                    try {
                        const result = await modelProcess.reason(
                            { action: spec.action, turns: [{ role: "user", text: spec.prompt }], sampling, ...engineParams(target, config.modelPath) },
                            (p) => {
                                turn.progress(p);
                                if (p.thought) thought += p.thought;
                                const now = Date.now();
                                if (now - lastReport >= reportEveryMs) {
                                    lastReport = now;
                                    progress.report({ message: thinkingProgressMessage(thought, p, sampling.thoughtBudget) });
                                }
                            },
                            cts.token
                        );
                        turn.finish(result);
                        if (result.stopReason === "abort" || cts.token.isCancellationRequested) return { kind: "cancelled", result } as const;
                        return { kind: "done", result } as const;
                    } catch (error) {
                        if (cts.token.isCancellationRequested) {
                            turn.stopped();
                            return { kind: "cancelled" } as const;
                        }
                        const message = reportRequestError(error, log);
                        turn.fail(message);
                        return { kind: "failed", message } as const;
                    } finally {
                        sub.dispose();
                    }
                }
            );
        } finally {
            this.running.delete(cts);
            cts.dispose();
            if (this.running.size === 0) void vscode.commands.executeCommand("setContext", runningContextKey, false);
        }
    }

    dispose(): void {
        this.cancelAll();
    }
}
