// A chat conversation as the host keeps it: its turns (the user's request, what was sent to the model, what was
// attached, and the reply once it ended), and what a new request sends as history.
//
// R1 rule: earlier thoughts are never sent back. A request's history is the earlier exchanges that have an answer,
// each as the user turn exactly as it was sent (attached code included, so the prompt prefix stays the same and
// the model process can reuse its KV cache) and the final answer only. An exchange without an answer (stopped
// while thinking, failed) is left out whole, so the roles keep alternating. Fitting the history into the context
// window is the model process's job (core/historyTrim), which says when it dropped turns.
//
// Plain data (JSON-serializable: it is persisted per workspace, see chatHistory) changed by the functions below.

import type { ChatTurn, ReasonResult } from "../../shared/lspProtocol";
import type { TextRange } from "../edit/textEdit";

/** Where a turn came from: the chat itself, or a code action shown in the chat (Fix with R1, Explain Code). */
export type TurnKind = "chat" | "fix" | "explain";

/** Code a turn was about (what a chip showed): no text, only where it is. */
export interface ContextRef {
    kind: "file" | "selection";
    /** The document's URI (string form). */
    uri: string;
    /** Workspace-relative path, as shown to the model. */
    path: string;
    languageId: string;
    /** A selection's range in the document when it was attached. */
    range?: TextRange;
}

export interface ConversationTurn {
    id: string;
    kind: TurnKind;
    /** What the user typed (a code action's title): shown as the request. */
    prompt: string;
    /** The user turn as sent to the model (attached code, then the question). */
    request: string;
    /** What was attached to this request. */
    context: ContextRef[];
    /** The thinking budget of the request (0 = none). */
    thoughtBudget: number;
    /** The model's display name, when known at the start. */
    model?: string;
    startedAt: number;
    /** The reply, once it ended (also when stopped: the partial thought and answer; when it failed: what had arrived). */
    result?: ReasonResult;
    /** Why it ended without a complete reply (with `result`: the reply was interrupted, that is what had arrived). */
    error?: string;
    /** While it runs: what has arrived so far, saved from time to time so that a reload or a crash keeps it. */
    partial?: ReasonResult;
}

export interface Conversation {
    id: string;
    /** The first request, shortened: shown in the history list. */
    title: string;
    createdAt: number;
    updatedAt: number;
    turns: ConversationTurn[];
}

export const TITLE_MAX_CHARS = 60;

/** A history list title from a request: its first non-empty line, whitespace collapsed, at most 60 characters. */
export function conversationTitle(prompt: string): string {
    const line = prompt.split(/\r\n|\r|\n/).map((l) => l.replace(/\s+/g, " ").trim()).find((l) => l !== "") ?? "";
    if (line === "") return "New chat";
    return line.length > TITLE_MAX_CHARS ? `${line.slice(0, TITLE_MAX_CHARS - 1).trimEnd()}…` : line;
}

export function createConversation(id: string, now: number): Conversation {
    return { id, title: "New chat", createdAt: now, updatedAt: now, turns: [] };
}

export function isEmptyConversation(conversation: Conversation): boolean {
    return conversation.turns.length === 0;
}

export function findTurn(conversation: Conversation, id: string): ConversationTurn | undefined {
    return conversation.turns.find((t) => t.id === id);
}

/** A turn is running until it has a result or an error. */
export function isRunning(turn: ConversationTurn): boolean {
    return turn.result === undefined && turn.error === undefined;
}

/** Appends a turn; the first one names the conversation. */
export function addTurn(conversation: Conversation, turn: ConversationTurn): void {
    if (conversation.turns.length === 0) conversation.title = conversationTitle(turn.prompt);
    conversation.turns.push(turn);
    conversation.updatedAt = Math.max(conversation.updatedAt, turn.startedAt);
}

/** Records how a turn ended. False when the turn is not in the conversation (removed meanwhile). */
export function finishTurn(conversation: Conversation, id: string, result: ReasonResult, now: number): boolean {
    const turn = findTurn(conversation, id);
    if (!turn) return false;
    turn.result = result;
    delete turn.error;
    delete turn.partial;
    conversation.updatedAt = Math.max(conversation.updatedAt, now);
    return true;
}

/** True when a reply has some text (a thought or an answer) worth keeping. */
export function hasReplyText(result: ReasonResult | undefined): result is ReasonResult {
    return result !== undefined && (result.reasoning.trim() !== "" || result.answer.trim() !== "");
}

/**
 * Records that a turn ended with an error; `partial`, what had arrived (else the last saved partial), stays as its
 * reply, marked interrupted by the error (stopReason "error").
 */
export function failTurn(conversation: Conversation, id: string, message: string, now: number, partial?: ReasonResult): boolean {
    const turn = findTurn(conversation, id);
    if (!turn) return false;
    turn.error = message;
    const kept = hasReplyText(partial) ? partial : turn.partial;
    delete turn.partial;
    if (hasReplyText(kept)) turn.result = { ...kept, stopReason: "error" };
    conversation.updatedAt = Math.max(conversation.updatedAt, now);
    return true;
}

export function removeTurn(conversation: Conversation, id: string): ConversationTurn | undefined {
    const i = conversation.turns.findIndex((t) => t.id === id);
    if (i < 0) return undefined;
    const [turn] = conversation.turns.splice(i, 1);
    if (conversation.turns.length === 0) conversation.title = "New chat";
    return turn;
}

/** The answer of a turn, or "" when it has none. */
export function answerOf(turn: ConversationTurn): string {
    return turn.result?.answer ?? "";
}

/**
 * The history a new request sends: every earlier exchange with an answer, as [user request, assistant answer]; an
 * interrupted one (an error, even with part of an answer) is left out whole.
 * `before`: only turns before the one with this id (a regenerated turn's own earlier answer is not history).
 */
export function historyTurns(conversation: Conversation, before?: string): ChatTurn[] {
    const out: ChatTurn[] = [];
    for (const turn of conversation.turns) {
        if (turn.id === before) break;
        const answer = answerOf(turn);
        if (answer.trim() === "" || turn.request.trim() === "" || turn.error !== undefined) continue;
        out.push({ role: "user", text: turn.request }, { role: "assistant", text: answer });
    }
    return out;
}

/** The turns of a request: the history, then the new user turn. */
export function requestTurns(conversation: Conversation, request: string, before?: string): ChatTurn[] {
    return [...historyTurns(conversation, before), { role: "user", text: request }];
}

/** The turn "Regenerate" applies to: the last turn, when it is a chat turn that has ended. */
export function regenerableTurn(conversation: Conversation): ConversationTurn | undefined {
    const last = conversation.turns[conversation.turns.length - 1];
    return last && last.kind === "chat" && !isRunning(last) ? last : undefined;
}

/**
 * Turns that were running when the conversation was saved (the window was reloaded or closed meanwhile) end with
 * `message`, keeping what had arrived (their last saved partial reply). Returns how many there were.
 */
export function interruptRunningTurns(conversation: Conversation, message: string): number {
    let n = 0;
    for (const turn of conversation.turns) {
        if (isRunning(turn)) {
            failTurn(conversation, turn.id, message, conversation.updatedAt);
            n++;
        }
    }
    return n;
}

/** The code the conversation was about, newest first: the given turn's context, then the earlier turns'. */
export function contextFor(conversation: Conversation, turnId: string): ContextRef[] {
    const i = conversation.turns.findIndex((t) => t.id === turnId);
    if (i < 0) return [];
    const out: ContextRef[] = [];
    const seen = new Set<string>();
    for (let k = i; k >= 0; k--) {
        const turn = conversation.turns[k]!;
        // This turn's selections before its files: a selection is the more precise target.
        const refs = [...turn.context.filter((c) => c.kind === "selection"), ...turn.context.filter((c) => c.kind === "file")];
        for (const ref of refs) {
            const key = `${ref.kind}|${ref.uri}|${JSON.stringify(ref.range ?? null)}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(ref);
        }
    }
    return out;
}
