// Messages between the chat webview (src/webview) and the extension host (src/features/chatView.ts).
// Both sides import these types; every message has a `type` discriminant.
import type { ReasonProgress, ReasonResult } from "./lspProtocol";

/** webview → host */
export type WebviewToHost =
    | { type: "ready" }
    | { type: "send"; text: string }
    | { type: "stop" };

/** host → webview */
export type HostToWebview =
    | { type: "status"; text: string; model?: string }
    | { type: "turnStarted"; id: string; prompt: string }
    | { type: "progress"; id: string; progress: ReasonProgress }
    | { type: "turnFinished"; id: string; result: ReasonResult }
    | { type: "turnFailed"; id: string; message: string };
