// The @r1 chat participant of VS Code's Chat view (stable vscode.chat.createChatParticipant): /explain, /fix and
// questions about the request's references (#file, a selection), answered by the engine R1's own chat uses (the
// local model or the active remote engine). The thought shows as progress while the model thinks ("Thinking (230
// of 2048 tokens): …end of the thought"), then folds to one line ("Thought for 4.2 s · 812 tokens") before the
// answer streams; the whole thought is one click away in R1's own view ("Show Full Thinking"). A /fix answer is
// applied only through "Review and Apply Fix": Fix with R1's own path (FixWithR1: diff review, Apply/Discard,
// diagnostics verified), with this answer instead of a new request. Follow-ups send the earlier exchanges of
// context.history (the prompt as sent and the answer, never the thought), as R1's chat does.
import * as vscode from "vscode";
import { errorMessage } from "../../client/requestErrors";
import { thinkingProgressMessage } from "../../core/reply/thinkingProgress";
import type { ChatTurn, ReasonResult } from "../../shared/lspProtocol";
import { chatModel } from "../chat/chatModel";
import { type FixOutcome, FixWithR1 } from "../fix/fixWithR1";
import { ReasoningRequests, type RequestSpec } from "../reasoning/reasoningRequest";
import type { Services } from "../services";
import { codeRefs, planParticipant, type ParticipantPlan } from "./participantPlan";

export const PARTICIPANT_ID = "r1-reasoner.r1";

/** What a reply keeps in ChatResult.metadata (VS Code hands it back in context.history for follow-ups). */
export interface R1ReplyMetadata {
    id: string;
    /** The user turn as sent. */
    prompt: string;
    answer: string;
    /** Earlier turns sent with it (follow-ups). */
    historyTurns: number;
    promptTokens: number;
}

interface StoredReply {
    plan: Extract<ParticipantPlan, { ok: true }>;
    result: ReasonResult;
}

const progressEveryMs = 200;
const keptReplies = 50;

/** The earlier exchanges of this participant, as R1's chat sends them: [prompt as sent, answer], thoughts never. */
export function historyTurns(history: vscode.ChatContext["history"]): ChatTurn[] {
    const turns: ChatTurn[] = [];
    for (const turn of history) {
        if (!("result" in turn)) continue;
        const meta = (turn.result.metadata as { r1?: R1ReplyMetadata } | undefined)?.r1;
        if (meta && meta.answer.trim()) turns.push({ role: "user", text: meta.prompt }, { role: "assistant", text: meta.answer });
    }
    return turns;
}

function thoughtSummary(result: Pick<ReasonResult, "stats">): string {
    const s = result.stats;
    const seconds = ((s.thoughtMs ?? s.elapsedMs) / 1000).toFixed(1);
    return `Thought for ${seconds} s · ${s.thoughtTokens} tokens`;
}

export class R1Participant implements vscode.Disposable {
    private readonly replies = new Map<string, StoredReply>();
    private nextId = 1;
    /** For a fix's "Retry with R1" (a new request, shown in R1's view like a quick fix's). */
    private readonly requests: ReasoningRequests;

    constructor(private readonly services: Services) {
        this.requests = new ReasoningRequests(services);
    }

    /** The request handler VS Code calls (also driven directly by the in-host tests). */
    readonly handle: vscode.ChatRequestHandler = async (request, context, stream, token) => {
        const { config, modelProcess, log } = this.services;
        const plan = await planParticipant(this.services, request.command, request.prompt, codeRefs(request.references, request.command !== undefined));
        if (!plan.ok) {
            stream.markdown(plan.message);
            return {};
        }
        const model = await chatModel(this.services);
        if (!model) {
            stream.markdown("No model is selected yet.");
            stream.button({ command: "r1.selectModel", title: vscode.l10n.t("Select Model") });
            return {};
        }
        if (model.refused) {
            stream.markdown(model.refused);
            return {};
        }
        if (model.pickedNotice) stream.markdown(`*${model.pickedNotice}*\n\n`);
        for (const note of plan.notes) stream.markdown(`*${note}*\n\n`);
        if (plan.source) stream.reference(new vscode.Location(plan.source.uri, plan.source.range));

        const history = historyTurns(context.history);
        const sampling = config.sampling(plan.action);
        let thought = "";
        let answering = false;
        let lastProgress = 0;
        let result: ReasonResult;
        try {
            result = await modelProcess.reason(
                { action: plan.action, turns: [...history, { role: "user", text: plan.prompt }], sampling, ...model.params },
                (p) => {
                    if (p.answerRetracted) stream.markdown("\n\n*(The text above was still reasoning: R1 went on thinking.)*\n\n");
                    if (p.thought) thought += p.thought;
                    // The thought as progress while it streams (a batch may also hold the first answer text).
                    if (!answering && (p.thought || !lastProgress) && Date.now() - lastProgress >= progressEveryMs) {
                        lastProgress = Date.now();
                        stream.progress(thinkingProgressMessage(thought, p, sampling.thoughtBudget));
                    }
                    if (!p.answer) return;
                    if (!answering) {
                        answering = true;
                        if (thought) stream.markdown(`*${thoughtSummary(p)}*\n\n`);
                    }
                    stream.markdown(p.answer);
                },
                token
            );
        } catch (error) {
            if (token.isCancellationRequested) return {};
            const message = errorMessage(error);
            log.error(`@r1 request failed: ${message}`);
            return { errorDetails: { message: `R1: ${message}` } };
        }
        const id = String(this.nextId++);
        this.replies.set(id, { plan, result });
        while (this.replies.size > keptReplies) this.replies.delete(this.replies.keys().next().value!);
        if (!answering && result.reasoning) stream.markdown(`*${thoughtSummary(result)}; no answer${result.stopReason === "abort" ? " (stopped)" : result.thoughtState === "unclosed" ? " (it was still thinking when it stopped)" : ""}.*`);
        if (result.reasoning) stream.button({ command: "r1.participant.showThinking", title: vscode.l10n.t("Show Full Thinking"), arguments: [id] });
        if (plan.fix && result.answer.trim() && result.stopReason !== "abort") {
            stream.button({ command: "r1.participant.applyFix", title: vscode.l10n.t("Review and Apply Fix"), arguments: [id] });
        }
        const metadata: R1ReplyMetadata = { id, prompt: plan.prompt, answer: result.answer, historyTurns: history.length, promptTokens: result.stats.promptTokens };
        return { metadata: { r1: metadata } };
    };

    /** "Show Full Thinking": the reply, thought and answer, as a turn of R1's own view. */
    showThinking(id: string): boolean {
        const reply = this.replies.get(id);
        if (!reply) return false;
        const { plan, result } = reply;
        const turn = this.services.display.startTurn({
            kind: plan.action === "fix" ? "fix" : "explain", title: plan.title, prompt: plan.prompt,
            ...(plan.source ? { source: plan.source } : {})
        });
        turn.progress({ thought: result.reasoning, answer: result.answer, thoughtState: result.thoughtState, stats: result.stats });
        turn.finish(result);
        return true;
    }

    /** "Review and Apply Fix": Fix with R1's diff review and verification, with this reply's answer. */
    async applyFix(id: string): Promise<FixOutcome | undefined> {
        const reply = this.replies.get(id);
        if (!reply?.plan.fix) {
            void vscode.window.showInformationMessage(vscode.l10n.t("R1: that answer is no longer available; ask @r1 /fix again."));
            return undefined;
        }
        // The first "request" of this fix is the answer the chat shows; a retry after a failed verification asks anew.
        let answer: ReasonResult | undefined = reply.result;
        const answered = {
            run: (spec: RequestSpec) => {
                const result = answer;
                answer = undefined;
                return result ? Promise.resolve({ kind: "done" as const, result }) : this.requests.run(spec);
            }
        };
        return new FixWithR1(this.services, answered, this.services.proposals).run(reply.plan.fix);
    }

    dispose(): void {
        this.requests.dispose();
        this.replies.clear();
    }
}

export function registerParticipant(services: Services): vscode.Disposable & { participant: R1Participant } {
    const participant = new R1Participant(services);
    const chatParticipant = vscode.chat.createChatParticipant(PARTICIPANT_ID, participant.handle);
    chatParticipant.iconPath = vscode.Uri.joinPath(services.context.extensionUri, "media", "r1.svg");
    return Object.assign(vscode.Disposable.from(
        chatParticipant,
        participant,
        vscode.commands.registerCommand("r1.participant.showThinking", (id: string) => participant.showThinking(id)),
        vscode.commands.registerCommand("r1.participant.applyFix", (id: string) => participant.applyFix(id))
    ), { participant });
}
