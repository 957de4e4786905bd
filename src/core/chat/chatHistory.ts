// The list of earlier chats as it is persisted per workspace (VS Code's workspaceState): newest first, bounded in
// count and in size, and read back defensively (a stored value from another version, or damaged, must never
// break the chat: what cannot be read is dropped).
//
// Bounds: at most `maxConversations` chats; each stored thought clipped to `maxReasoningChars` (its beginning and
// its end; thoughts are shown collapsed in history and never sent back to the model); then the oldest chats are
// dropped until the whole list is at most `maxChars` characters of JSON (a single chat larger than that loses
// its oldest turns). The chat being shown is dropped last.

import type { ReasonNotice, ReasonResult, ReasonStats, StopReason, ThoughtState } from "../../shared/lspProtocol";
import type { Conversation, ContextRef, ConversationTurn, TurnKind } from "./conversation";
import type { TextRange } from "../edit/textEdit";

export interface ChatHistory {
    version: 1;
    /** The chat shown when the window closed. */
    currentId?: string;
    /** Newest first (by updatedAt). */
    conversations: Conversation[];
}

export interface HistoryLimits {
    maxConversations: number;
    /** Most characters of the whole list as JSON. */
    maxChars: number;
    /** Most characters kept of each thought. */
    maxReasoningChars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxConversations: 40, maxChars: 1_000_000, maxReasoningChars: 16_000 };

export interface ChatSummary {
    id: string;
    title: string;
    updatedAt: number;
    turns: number;
}

export function emptyHistory(): ChatHistory {
    return { version: 1, conversations: [] };
}

function byNewest(a: Conversation, b: Conversation): number {
    return b.updatedAt - a.updatedAt;
}

/** The history with `conversation` added or replaced (an empty chat is removed instead), newest first. */
export function putConversation(history: ChatHistory, conversation: Conversation): ChatHistory {
    const others = history.conversations.filter((c) => c.id !== conversation.id);
    const conversations = conversation.turns.length > 0 ? [conversation, ...others] : others;
    return { ...history, conversations: conversations.sort(byNewest) };
}

export function deleteConversation(history: ChatHistory, id: string): ChatHistory {
    const next: ChatHistory = { ...history, conversations: history.conversations.filter((c) => c.id !== id) };
    if (next.currentId === id) delete next.currentId;
    return next;
}

export function summaries(history: ChatHistory): ChatSummary[] {
    return history.conversations.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, turns: c.turns.length }));
}

/** A thought of at most `max` characters: its beginning and its end, with a note of what is left out between. */
export function clipReasoning(text: string, max: number): string {
    if (text.length <= max) return text;
    const keep = Math.max(0, max - 80);
    const head = text.slice(0, Math.ceil(keep / 2));
    const tail = text.slice(text.length - Math.floor(keep / 2));
    const cut = text.length - head.length - tail.length;
    return `${head}\n\n[… ${cut} characters of this thought are not kept in the chat history …]\n\n${tail}`;
}

function clipTurn(turn: ConversationTurn, maxReasoningChars: number): ConversationTurn {
    const clip = (r: ReasonResult | undefined): ReasonResult | undefined =>
        r && r.reasoning.length > maxReasoningChars ? { ...r, reasoning: clipReasoning(r.reasoning, maxReasoningChars) } : r;
    const result = clip(turn.result);
    const partial = clip(turn.partial);
    if (result === turn.result && partial === turn.partial) return turn;
    return { ...turn, ...(result ? { result } : {}), ...(partial ? { partial } : {}) };
}

function size(value: unknown): number {
    return JSON.stringify(value).length;
}

/** The history within `limits` (see the file comment). The input is not changed. */
export function boundHistory(history: ChatHistory, limits: HistoryLimits = DEFAULT_HISTORY_LIMITS): ChatHistory {
    const current = history.currentId;
    let conversations = [...history.conversations].sort(byNewest).map((c) => ({ ...c, turns: c.turns.map((t) => clipTurn(t, limits.maxReasoningChars)) }));
    const dropOldest = (): boolean => {
        // The oldest that is not the current chat.
        for (let i = conversations.length - 1; i >= 0; i--) {
            if (conversations[i]!.id !== current || conversations.length === 1) {
                conversations.splice(i, 1);
                return true;
            }
        }
        return false;
    };
    while (conversations.length > limits.maxConversations && dropOldest());
    const total = (): number => size({ ...history, conversations });
    while (conversations.length > 1 && total() > limits.maxChars && dropOldest());
    if (conversations.length === 1 && total() > limits.maxChars) {
        const only = { ...conversations[0]!, turns: [...conversations[0]!.turns] };
        conversations = [only];
        while (only.turns.length > 1 && total() > limits.maxChars) only.turns.shift();
        if (total() > limits.maxChars) conversations = [];
    }
    const out: ChatHistory = { version: 1, conversations };
    if (current && conversations.some((c) => c.id === current)) out.currentId = current;
    return out;
}

// ---- reading a stored value back -----------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

const turnKinds: readonly TurnKind[] = ["chat", "fix", "explain"];
const stopReasons: readonly StopReason[] = ["eos", "maxTokens", "abort", "loop", "error"];
const thoughtStates: readonly ThoughtState[] = ["none", "thinking", "ended", "empty", "budget", "unclosed", "noTemplate"];

function parseRange(v: unknown): TextRange | undefined {
    if (!isObj(v) || !isObj(v.start) || !isObj(v.end)) return undefined;
    const { start, end } = v;
    if (!num(start.line) || !num(start.character) || !num(end.line) || !num(end.character)) return undefined;
    return { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
}

function parseContext(v: unknown): ContextRef | undefined {
    if (!isObj(v) || (v.kind !== "file" && v.kind !== "selection") || !str(v.uri) || !str(v.path) || !str(v.languageId)) return undefined;
    const ref: ContextRef = { kind: v.kind, uri: v.uri, path: v.path, languageId: v.languageId };
    const range = parseRange(v.range);
    if (range) ref.range = range;
    return ref;
}

function parseStats(v: unknown): ReasonStats {
    const o = isObj(v) ? v : {};
    const n = (k: string): number => (num(o[k]) ? (o[k] as number) : 0);
    const stats: ReasonStats = {
        thoughtTokens: n("thoughtTokens"), answerTokens: n("answerTokens"), promptTokens: n("promptTokens"),
        reusedPromptTokens: n("reusedPromptTokens"), tokensPerSecond: n("tokensPerSecond"), elapsedMs: n("elapsedMs")
    };
    if (num(o.ttftMs)) stats.ttftMs = o.ttftMs;
    if (num(o.thoughtMs)) stats.thoughtMs = o.thoughtMs;
    return stats;
}

function parseResult(v: unknown): ReasonResult | undefined {
    if (!isObj(v) || !str(v.reasoning) || !str(v.answer)) return undefined;
    return {
        reasoning: v.reasoning,
        answer: v.answer,
        thoughtState: thoughtStates.includes(v.thoughtState as ThoughtState) ? (v.thoughtState as ThoughtState) : "ended",
        stopReason: stopReasons.includes(v.stopReason as StopReason) ? (v.stopReason as StopReason) : "eos",
        stats: parseStats(v.stats),
        notices: Array.isArray(v.notices) ? (v.notices.filter((n) => isObj(n) && str(n.kind)) as ReasonNotice[]) : [],
        model: str(v.model) ? v.model : ""
    };
}

function parseTurn(v: unknown): ConversationTurn | undefined {
    if (!isObj(v) || !str(v.id) || !str(v.prompt) || !str(v.request)) return undefined;
    const turn: ConversationTurn = {
        id: v.id,
        kind: turnKinds.includes(v.kind as TurnKind) ? (v.kind as TurnKind) : "chat",
        prompt: v.prompt,
        request: v.request,
        context: Array.isArray(v.context) ? v.context.map(parseContext).filter((c): c is ContextRef => c !== undefined) : [],
        thoughtBudget: num(v.thoughtBudget) ? v.thoughtBudget : 0,
        startedAt: num(v.startedAt) ? v.startedAt : 0
    };
    if (str(v.model)) turn.model = v.model;
    const result = parseResult(v.result);
    if (result) turn.result = result;
    if (str(v.error)) turn.error = v.error;
    const partial = !result && turn.error === undefined ? parseResult(v.partial) : undefined;
    if (partial) turn.partial = partial;
    return turn;
}

function parseConversation(v: unknown): Conversation | undefined {
    if (!isObj(v) || !str(v.id) || !Array.isArray(v.turns)) return undefined;
    const turns = v.turns.map(parseTurn).filter((t): t is ConversationTurn => t !== undefined);
    if (turns.length === 0) return undefined;
    const updatedAt = num(v.updatedAt) ? v.updatedAt : 0;
    return {
        id: v.id,
        title: str(v.title) && v.title.trim() ? v.title : "Chat",
        createdAt: num(v.createdAt) ? v.createdAt : updatedAt,
        updatedAt,
        turns
    };
}

/** The history in a stored value; what cannot be read is left out (anything unreadable gives an empty history). */
export function parseHistory(value: unknown): ChatHistory {
    if (!isObj(value) || value.version !== 1 || !Array.isArray(value.conversations)) return emptyHistory();
    const seen = new Set<string>();
    const conversations: Conversation[] = [];
    for (const c of value.conversations.map(parseConversation)) {
        if (!c || seen.has(c.id)) continue;
        seen.add(c.id);
        conversations.push(c);
    }
    const history: ChatHistory = { version: 1, conversations: conversations.sort(byNewest) };
    if (str(value.currentId) && seen.has(value.currentId)) history.currentId = value.currentId;
    return history;
}
