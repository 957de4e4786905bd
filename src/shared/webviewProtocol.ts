// Messages between the chat webview (src/webview) and the extension host (src/features/chatView.ts).
// Both sides import these types; every message has a `type` discriminant.
import type { ReasonProgress, ReasonResult } from "./lspProtocol";

/** webview → host */
export type WebviewToHost =
    | { type: "ready" }
    | { type: "send"; text: string }
    | { type: "stop" }
    /** A code block's Copy / Insert at Cursor / Apply button in turn `id`; `code` is the block's exact text from the answer's markdown. */
    | { type: "codeAction"; id: string; action: "copy" | "insert" | "apply"; blockIndex: number; lang: string; code: string }
    /** The user activated a link in an answer (always an absolute http/https URL): the host asks before opening it. */
    | { type: "openLink"; url: string };

/** host → webview */
export type HostToWebview =
    | { type: "status"; text: string; model?: string }
    /** `thoughtBudget` (thought tokens allowed, 0 = none) drives the thinking meter's "% of budget"; `model` names the model in the reply header. */
    | { type: "turnStarted"; id: string; prompt: string; thoughtBudget?: number; model?: string }
    | { type: "progress"; id: string; progress: ReasonProgress }
    | { type: "turnFinished"; id: string; result: ReasonResult }
    | { type: "turnFailed"; id: string; message: string }
    /** A finished turn drawn in one pass (e.g. history after the webview was reloaded). */
    | { type: "turnRestored"; id: string; prompt: string; result: ReasonResult; thoughtBudget?: number }
    /** Remove every turn. */
    | { type: "clear" };
