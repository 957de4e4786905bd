// DRAFT of the host ↔ webview messages the reply rendering needs. The lead owns the real protocol
// (src/shared/webviewProtocol.ts); these types are meant to move there unchanged or be replaced by it.
// Host → webview messages arrive as `message` events on window; webview → host go through
// acquireVsCodeApi().postMessage.
import type { ReasonNotice, ReasonStats, StopReason, ThoughtState } from "../shared/lspProtocol";

/** Notices a reply can show: the engine's, plus states only the host or the webview knows. */
export type ReplyNotice =
    | ReasonNotice
    /** The model wrote `…</think>` without the opening `<think>`: the text before it was taken as thought. */
    | { kind: "thinkTagOnly" }
    | { kind: "stoppedByUser" }
    | { kind: "maxTokens"; maxTokens?: number }
    | { kind: "error"; message: string };

/** host → webview: show the user's request (a new turn starts). */
export interface RequestMessage {
    type: "request";
    turnId: string;
    text: string;
}

/** host → webview: a reply starts streaming for `turnId`. */
export interface ReplyStartMessage {
    type: "replyStart";
    turnId: string;
    /** Shown in the reply header, e.g. "DeepSeek-R1-Distill-Qwen-7B Q4_K_M". */
    model?: string;
    /** Thought tokens allowed (0: no limit); drives the meter's "% of budget". */
    thoughtBudget: number;
}

/** host → webview: new text and numbers (a batch of ReasonProgress deltas). */
export interface ReplyProgressMessage {
    type: "replyProgress";
    turnId: string;
    thought?: string;
    answer?: string;
    thoughtState: ThoughtState;
    stats: ReasonStats;
    notices?: ReplyNotice[];
}

/** host → webview: the reply ended (finished, stopped, failed). */
export interface ReplyEndMessage {
    type: "replyEnd";
    turnId: string;
    stopReason: StopReason;
    thoughtState: ThoughtState;
    stats: ReasonStats;
    notices?: ReplyNotice[];
    /** A message for the user when stopReason is "error". */
    error?: string;
}

/** host → webview: a finished turn from history (webview reloaded), rendered in one pass. */
export interface TurnRestoreMessage {
    type: "turnRestore";
    turnId: string;
    request: string;
    model?: string;
    thoughtBudget: number;
    reasoning: string;
    answer: string;
    thoughtState: ThoughtState;
    stopReason: StopReason;
    stats: ReasonStats;
    notices: ReplyNotice[];
    error?: string;
}

/** host → webview: remove every turn. */
export interface ClearMessage {
    type: "clear";
}

export type HostToWebviewMessage = RequestMessage | ReplyStartMessage | ReplyProgressMessage | ReplyEndMessage | TurnRestoreMessage | ClearMessage;

/** webview → host: the view is ready for messages (sent once after load). */
export interface ReadyMessage {
    type: "ready";
}

/** webview → host: a code block button. `code` is the block's exact text from the markdown. */
export interface CodeActionMessage {
    type: "codeAction";
    turnId: string;
    action: "copy" | "insert" | "apply";
    blockIndex: number;
    lang: string;
    code: string;
}

/** webview → host: the user clicked a link (always http/https); the host asks before opening it. */
export interface OpenLinkMessage {
    type: "openLink";
    url: string;
}

export type WebviewToHostMessage = ReadyMessage | CodeActionMessage | OpenLinkMessage;
