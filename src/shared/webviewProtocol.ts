// Messages between the chat webview (src/webview) and the extension host (src/features/chatController.ts).
// Both sides import these types; every message has a `type` discriminant.
import type { ReasonProgress, ReasonResult } from "./lspProtocol";

/** Where a turn came from: the chat, or a code action shown in the chat. Only chat turns can be regenerated. */
export type TurnKindName = "chat" | "fix" | "explain";

/** Attached code, as a chip above the prompt box (or under a request that had it). */
export interface ContextChip {
    /** Chips above the prompt box: the id `removeContext` takes. */
    id: string;
    kind: "file" | "selection";
    /** "cart.ts" or "cart.ts:5-9". */
    label: string;
    /** Tooltip: the workspace-relative path (and lines). */
    detail: string;
}

/** A file offered by `@` completion. */
export interface FileSuggestion {
    /** Workspace-relative path (what `addFile` sends back). */
    path: string;
    name: string;
    /** The folder part of the path ("" at the root). */
    folder: string;
}

/** An earlier chat in the history list. */
export interface ChatSummaryItem {
    id: string;
    title: string;
    /** ms since the epoch. */
    updatedAt: number;
    turns: number;
}

/** webview → host */
export type WebviewToHost =
    | { type: "ready" }
    | { type: "send"; text: string }
    | { type: "stop" }
    /** Regenerate the reply of turn `id` (the last turn, a chat turn that has ended). */
    | { type: "regenerate"; id: string }
    | { type: "newChat" }
    /** Show an earlier chat (from the history list). */
    | { type: "openChat"; id: string }
    /** Open the history list (a quick pick with every earlier chat). */
    | { type: "showHistory" }
    /** Offer ways to attach code (selection, current file, a workspace file). */
    | { type: "attach" }
    | { type: "removeContext"; id: string }
    /** `@` completion: the files matching `query`; answered by `fileSuggestions` with the same `requestId`. */
    | { type: "queryFiles"; requestId: number; query: string }
    /** Attach a workspace file chosen from `@` completion. */
    | { type: "addFile"; path: string }
    | { type: "selectModel" }
    /** A code block's Copy / Insert at Cursor / Apply button in turn `id`; `code` is the block's exact text from the answer's markdown. */
    | { type: "codeAction"; id: string; action: "copy" | "insert" | "apply"; blockIndex: number; lang: string; code: string }
    /** The user activated a link in an answer (always an absolute http/https URL): the host asks before opening it. */
    | { type: "openLink"; url: string };

/** host → webview */
export type HostToWebview =
    | { type: "status"; text: string; model?: string }
    /**
     * `thoughtBudget` (thought tokens allowed, 0 = none) drives the thinking meter's "% of budget"; `model` names the
     * model in the reply header; `context` is what was attached to the request.
     */
    | { type: "turnStarted"; id: string; prompt: string; thoughtBudget?: number; model?: string; kind?: TurnKindName; context?: ContextChip[] }
    | { type: "progress"; id: string; progress: ReasonProgress }
    | { type: "turnFinished"; id: string; result: ReasonResult }
    | { type: "turnFailed"; id: string; message: string }
    /** A finished turn drawn in one pass (e.g. history after the webview was reloaded); `error` when it failed. */
    | { type: "turnRestored"; id: string; prompt: string; result: ReasonResult; thoughtBudget?: number; kind?: TurnKindName; context?: ContextChip[]; error?: string }
    /**
     * Code blocks of finished turn `id` whose Apply creates a file (the answer names a path that is no file yet):
     * the block's exact code and the path, relative to the workspace folder. Their button reads "Create file".
     */
    | { type: "newFiles"; id: string; files: Array<{ code: string; path: string }> }
    /** Remove a turn (its request and its reply), e.g. before it is regenerated. */
    | { type: "turnRemoved"; id: string }
    /** Remove every turn. */
    | { type: "clear" }
    /** Whether a reply is being generated (the Stop button shows; Enter waits). */
    | { type: "busy"; busy: boolean }
    /** The code attached to the next message (chips above the prompt box). */
    | { type: "context"; items: ContextChip[] }
    | { type: "fileSuggestions"; requestId: number; items: FileSuggestion[] }
    /** Earlier chats, newest first (the empty chat lists the recent ones); `currentId` is the chat shown. */
    | { type: "history"; items: ChatSummaryItem[]; currentId: string };
