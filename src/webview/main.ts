// Webview entry point: connects the conversation view to the extension host. Kept thin on purpose: the
// message protocol and the chat view's wiring belong to src/shared/webviewProtocol.ts and the chat feature.
import "./reply.css";
import { ConversationView } from "./conversationView";
import type { HostToWebviewMessage, WebviewToHostMessage } from "./replyProtocol";

interface VsCodeApi {
    postMessage(message: WebviewToHostMessage): void;
    getState(): unknown;
    setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("r1-root") ?? document.body;
const conversation = new ConversationView(root, (m) => vscode.postMessage(m));

window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === "object" && data !== null && typeof (data as { type?: unknown }).type === "string") {
        conversation.handle(data as HostToWebviewMessage);
    }
});
vscode.postMessage({ type: "ready" });
