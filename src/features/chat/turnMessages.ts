// The messages that draw a chat's turns in a webview: a turn started, a finished turn restored, and for a turn
// whose reply is still streaming, what arrived so far (LiveTurn), so that a webview that (re)loads meanwhile draws
// it whole. Notices the host adds to a turn (a model chosen for the user, code cut to fit) stay with its result.
import type { Conversation, ConversationTurn, TurnKind } from "../../core/chat/conversation";
import type { ReasonNotice, ReasonProgress, ReasonResult, ReasonStats, ThoughtState } from "../../shared/lspProtocol";
import type { ContextChip, HostToWebview } from "../../shared/webviewProtocol";
import { chipFor } from "./chatContext";

/** A turn whose reply is streaming: what arrived so far (to redraw it in a webview that loads meanwhile). */
export interface LiveTurn {
    conversation: Conversation;
    kind: TurnKind;
    thought: string;
    answer: string;
    thoughtState: ThoughtState;
    stats: ReasonStats;
    notices: ReasonNotice[];
}

export const zeroStats: ReasonStats = { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 };

export function newLiveTurn(conversation: Conversation, kind: TurnKind): LiveTurn {
    return { conversation, kind, thought: "", answer: "", thoughtState: "none", stats: { ...zeroStats }, notices: [] };
}

function noticeKey(n: ReasonNotice): string {
    return JSON.stringify(n);
}

/** Adds a progress message to what the live turn received (a retracted answer is dropped; notices once each). */
export function addProgress(live: LiveTurn, progress: ReasonProgress): void {
    if (progress.answerRetracted) live.answer = "";
    live.thought += progress.thought ?? "";
    live.answer += progress.answer ?? "";
    live.thoughtState = progress.thoughtState;
    live.stats = progress.stats;
    for (const n of progress.notices ?? []) if (!live.notices.some((m) => noticeKey(m) === noticeKey(n))) live.notices.push(n);
}

/** The result with the notices the host added to the live turn first (those the result repeats once). */
export function withHostNotices(live: LiveTurn, result: ReasonResult): ReasonResult {
    const keys = new Set(result.notices.map(noticeKey));
    return { ...result, notices: [...live.notices.filter((n) => !keys.has(noticeKey(n))), ...result.notices] };
}

/** A turn's reply so far (streaming) or final; undefined when the turn is gone or has no answer. */
export function replyOf(turn: ConversationTurn | undefined, live: LiveTurn | undefined): { answer: string; reasoning: string } | undefined {
    const answer = live ? live.answer : turn?.result?.answer;
    if (!turn || answer === undefined) return undefined;
    return { answer, reasoning: live ? live.thought : (turn.result?.reasoning ?? "") };
}

/** What a live turn has received so far, as a reply (kept when the turn is interrupted). */
export function partialResult(live: LiveTurn, model: string | undefined): ReasonResult {
    return { reasoning: live.thought, answer: live.answer, thoughtState: live.thoughtState, stopReason: "error", stats: live.stats, notices: [...live.notices], model: model ?? "" };
}

/** A turn that ended without a result, as a result (what the webview draws for it). */
function emptyResult(turn: ConversationTurn): ReasonResult {
    return { reasoning: "", answer: "", thoughtState: "none", stopReason: "error", stats: { ...zeroStats }, notices: [], model: turn.model ?? "" };
}

function turnChips(turn: ConversationTurn): ContextChip[] {
    return turn.context.map((ref, i) => chipFor(`${turn.id}:${i}`, ref));
}

export function startedMessage(turn: ConversationTurn): HostToWebview {
    return {
        type: "turnStarted", id: turn.id, prompt: turn.prompt, thoughtBudget: turn.thoughtBudget, kind: turn.kind, context: turnChips(turn),
        ...(turn.model ? { model: turn.model } : {})
    };
}

/** Every turn of the conversation as a webview that (re)loads draws it: finished ones whole, live ones so far. */
export function conversationMessages(conversation: Conversation, live: ReadonlyMap<string, LiveTurn>): HostToWebview[] {
    return conversation.turns.flatMap((turn): HostToWebview[] => {
        const l = live.get(turn.id);
        if (l) {
            return [startedMessage(turn), { type: "progress", id: turn.id, progress: { thought: l.thought, answer: l.answer, thoughtState: l.thoughtState, stats: l.stats, notices: l.notices } }];
        }
        return [{
            type: "turnRestored", id: turn.id, prompt: turn.prompt, result: turn.result ?? emptyResult(turn), thoughtBudget: turn.thoughtBudget,
            kind: turn.kind, context: turnChips(turn), ...(turn.error !== undefined ? { error: turn.error } : {})
        }];
    });
}
