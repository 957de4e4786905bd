// Earlier chats, persisted per workspace in VS Code's workspaceState (restored after a window reload), bounded by
// core/chatHistory (count, size, long thoughts clipped).
import type * as vscode from "vscode";
import {
    boundHistory, type ChatHistory, DEFAULT_HISTORY_LIMITS, deleteConversation, type HistoryLimits, parseHistory, putConversation, summaries,
    type ChatSummary
} from "../../core/chat/chatHistory";
import type { Conversation } from "../../core/chat/conversation";

export const historyStateKey = "r1.chat.history";

export class ChatHistoryStore {
    private history: ChatHistory;
    private writing: Promise<void> = Promise.resolve();

    constructor(private readonly state: vscode.Memento, private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
        this.history = parseHistory(state.get<unknown>(historyStateKey));
    }

    /** The chat that was shown when the window closed. */
    get currentId(): string | undefined {
        return this.history.currentId;
    }

    get(id: string): Conversation | undefined {
        return this.history.conversations.find((c) => c.id === id);
    }

    list(): ChatSummary[] {
        return summaries(this.history);
    }

    /** Stores `conversation` (an empty one is removed) and makes `currentId` the chat shown. */
    save(conversation: Conversation, currentId: string): Promise<void> {
        const next = putConversation(this.history, conversation);
        next.currentId = currentId;
        return this.write(next);
    }

    delete(id: string): Promise<void> {
        return this.write(deleteConversation(this.history, id));
    }

    /** Resolves when every write so far has reached the storage. */
    flushed(): Promise<void> {
        return this.writing;
    }

    private write(next: ChatHistory): Promise<void> {
        const bounded = boundHistory(next, this.limits);
        // The shown chat stays the current one even when it is empty (and so not stored).
        if (next.currentId) bounded.currentId = next.currentId;
        this.history = bounded;
        // In order: a slow write must not land after a later one.
        this.writing = this.writing.then(() => this.state.update(historyStateKey, bounded)).then(undefined, () => undefined);
        return this.writing;
    }
}
