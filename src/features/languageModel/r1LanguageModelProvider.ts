// R1 as a language model of VS Code (vscode.lm and the Chat view's model picker), vendor "r1-reasoner": a
// request's messages become R1's conversation (core/lm/lmMessages: text only, no tools), run by the model process
// like a chat message of R1's own view (r1/reason, the local model or the saved remote engine the model id names),
// and only the ANSWER streams back, as LanguageModelTextPart. The thought is never sent: the stable API of
// @types/vscode 1.138 has no thinking part (LanguageModelResponsePart is text, tool call, tool result or data).
// Cancelling the request cancels r1/reason ($/cancelRequest): the model stops at once. Token counts come from the
// model's own tokenizer in the model process (r1/countTokens); a remote engine's are estimated (core/lm/tokenEstimate).
import * as vscode from "vscode";
import { errorMessage } from "../../client/requestErrors";
import { toChatTurns, TOOLS_UNSUPPORTED, type LmMessage, type LmPart } from "../../core/lm/lmMessages";
import { estimateTokens } from "../../core/lm/tokenEstimate";
import type { ReasonParams, ReasonResult } from "../../shared/lspProtocol";
import { engineFor, engineParams } from "../engines/requestEngine";
import type { Services } from "../services";
import { listLmModels, type R1ChatInformation } from "./lmModelList";

export const LM_VENDOR = "r1-reasoner";

/** What the last response ended with (for tests and the log): how the model process stopped, and what was sent. */
export interface LmResponseRecord {
    modelId: string;
    stopReason: ReasonResult["stopReason"] | "failed";
    /** The text parts sent, joined. */
    sentText: string;
    /** Characters of thought the model wrote (never sent). */
    thoughtChars: number;
}

function toPart(part: unknown): LmPart {
    if (part instanceof vscode.LanguageModelTextPart) return { kind: "text", value: part.value };
    if (part instanceof vscode.LanguageModelToolCallPart) return { kind: "toolCall", name: part.name };
    if (part instanceof vscode.LanguageModelToolResultPart) return { kind: "toolResult" };
    if (part instanceof vscode.LanguageModelDataPart) return { kind: "data", mimeType: part.mimeType };
    return { kind: "other" };
}

function toMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
    // The stable API names User (1) and Assistant (2); VS Code also sends System (3).
    const role = message.role === vscode.LanguageModelChatMessageRole.User ? "user" : message.role === vscode.LanguageModelChatMessageRole.Assistant ? "assistant" : "system";
    return { role, parts: message.content.map(toPart) };
}

function textOf(input: string | vscode.LanguageModelChatRequestMessage): string {
    if (typeof input === "string") return input;
    return input.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : "")).join("");
}

export class R1LanguageModelProvider implements vscode.LanguageModelChatProvider<R1ChatInformation>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeLanguageModelChatInformation = this.changed.event;
    private readonly subscriptions: vscode.Disposable[] = [];
    private loadedKey = "";
    /** The last response's record (tests read it through the extension's API). */
    lastResponse: LmResponseRecord | undefined;

    constructor(private readonly services: Services) {
        const { engines, modelProcess } = services;
        this.subscriptions.push(
            this.changed,
            engines.onDidChange(() => this.changed.fire()),
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (["r1.modelPath", "r1.modelsFolder", "r1.contextSize", "r1.maxTokens"].some((k) => e.affectsConfiguration(k))) this.changed.fire();
            }),
            // A model loaded or unloaded, or loaded with another context: the list and the windows change.
            modelProcess.onStatus((status) => {
                const key = status?.model ? `${status.model.path}#${status.engine?.contextSize ?? ""}` : "";
                if (key === this.loadedKey) return;
                this.loadedKey = key;
                this.changed.fire();
            })
        );
    }

    provideLanguageModelChatInformation(): Promise<R1ChatInformation[]> {
        return listLmModels(this.services);
    }

    async provideLanguageModelChatResponse(
        model: R1ChatInformation,
        messages: readonly vscode.LanguageModelChatRequestMessage[],
        options: vscode.ProvideLanguageModelChatResponseOptions,
        progress: vscode.Progress<vscode.LanguageModelResponsePart>,
        token: vscode.CancellationToken
    ): Promise<void> {
        const { config, modelProcess, log } = this.services;
        if (options.tools?.length && options.toolMode === vscode.LanguageModelChatToolMode.Required) {
            throw new Error(`${TOOLS_UNSUPPORTED}: this request requires one of ${options.tools.length} tool(s).`);
        }
        const converted = toChatTurns(messages.map(toMessage));
        if (!converted.ok) throw new Error(converted.reason);
        for (const note of converted.notes) log.info(`Language model request: ${note}`);
        if (options.tools?.length) log.info(`Language model request: ${options.tools.length} tool(s) offered and not used (${TOOLS_UNSUPPORTED}).`);

        const params = await this.targetParams(model);
        let sent = "";
        let retractedAfterSending = false;
        let result: ReasonResult;
        try {
            result = await modelProcess.reason(
                { action: "chat", turns: converted.turns, sampling: config.sampling("chat"), ...params },
                (p) => {
                    // What was streamed as the answer turned out to be reasoning (the model wrote another </think>):
                    // it cannot be taken back, so nothing more is sent and the request fails below, saying so.
                    if (p.answerRetracted && sent) retractedAfterSending = true;
                    if (retractedAfterSending || !p.answer) return;
                    sent += p.answer;
                    progress.report(new vscode.LanguageModelTextPart(p.answer));
                },
                token
            );
        } catch (error) {
            // Cancelled by the caller: the request may end by an exception of the transport rather than a result.
            this.lastResponse = { modelId: model.id, stopReason: token.isCancellationRequested ? "abort" : "failed", sentText: sent, thoughtChars: 0 };
            if (token.isCancellationRequested) return;
            const message = errorMessage(error);
            log.error(`Language model request to ${model.name} failed: ${message}`);
            throw new Error(`R1 (${model.name}): ${message}`);
        }
        this.lastResponse = { modelId: model.id, stopReason: result.stopReason, sentText: sent, thoughtChars: result.reasoning.length };
        log.info(`Language model request to ${model.name}: ${result.stopReason}, ${result.stats.answerTokens} answer tokens (${result.stats.thoughtTokens} thought tokens not sent).`);
        if (retractedAfterSending) throw new Error(`R1 (${model.name}) went on reasoning after its answer had started: the text sent so far was reasoning, not an answer. Ask again.`);
        if (result.stopReason === "error") {
            const why = result.notices.find((n) => n.kind === "streamInterrupted");
            throw new Error(`R1 (${model.name}): the reply broke off${why && "message" in why ? `: ${why.message}` : "."}`);
        }
    }

    async provideTokenCount(model: R1ChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
        const value = textOf(text);
        if (model.target.kind === "remote") return estimateTokens(value);
        return this.services.modelProcess.countTokens({ modelPath: model.target.path, text: value });
    }

    private async targetParams(model: R1ChatInformation): Promise<Pick<ReasonParams, "engine" | "modelPath">> {
        if (model.target.kind === "local") return { modelPath: model.target.path };
        const id = model.target.endpointId;
        const endpoint = this.services.engines.endpoints().find((e) => e.id === id);
        if (!endpoint) throw new Error(`R1: the remote engine "${model.name}" is no longer saved.`);
        const target = await engineFor(this.services, endpoint);
        if (target.kind === "refused") throw new Error(`R1: ${target.message}`);
        return engineParams(target, "");
    }

    dispose(): void {
        for (const s of this.subscriptions) s.dispose();
    }
}

export function registerLanguageModel(services: Services): vscode.Disposable & { provider: R1LanguageModelProvider } {
    const provider = new R1LanguageModelProvider(services);
    const registration = vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider);
    return Object.assign(vscode.Disposable.from(registration, provider), { provider });
}
