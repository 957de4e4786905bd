// The chat webview (browser side): status line, transcript and prompt box. The transcript's turns are
// drawn by ConversationView (thinking block, sanitized markdown answer, code block actions).
import "./reply.css";
import type { HostToWebview, WebviewToHost } from "../shared/webviewProtocol";
import { ConversationView } from "./conversationView";

interface VsCodeApi {
    postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

function iconButton(className: string, icon: string, label: string, type: "submit" | "button"): HTMLButtonElement {
    const button = el("button", `r1-icon-button ${className}`);
    button.type = type;
    button.title = label;
    button.setAttribute("aria-label", label);
    const glyph = el("span", `codicon codicon-${icon}`);
    glyph.setAttribute("aria-hidden", "true");
    button.append(glyph);
    return button;
}

const app = document.getElementById("app") ?? document.body;
const status = el("div", "status", "Starting…");
status.setAttribute("role", "status");
const transcript = el("div", "transcript");
const form = el("form", "composer");
const input = el("textarea", "prompt");
input.placeholder = "Ask R1… (Enter to send, Shift+Enter for a new line)";
input.setAttribute("aria-label", "Prompt");
input.rows = 3;
const send = iconButton("send", "send", "Send (Enter)", "submit");
const stop = iconButton("stop", "debug-stop", "Stop", "button");
stop.hidden = true;
const actions = el("div", "composer-actions");
actions.append(stop, send);
form.append(input, actions);
app.append(status, transcript, form);

const conversation = new ConversationView(transcript, (m) => vscode.postMessage(m), transcript);

form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    vscode.postMessage({ type: "send", text });
    input.value = "";
});
input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        form.requestSubmit();
    }
});
stop.addEventListener("click", () => vscode.postMessage({ type: "stop" }));

window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
    const m = event.data;
    if (typeof m !== "object" || m === null || typeof m.type !== "string") return;
    if (m.type === "status") {
        status.textContent = m.model ? `${m.model} · ${m.text}` : m.text;
        return;
    }
    if (m.type === "turnStarted") stop.hidden = false;
    if (m.type === "turnFinished" || m.type === "turnFailed") stop.hidden = true;
    conversation.handle(m);
});

vscode.postMessage({ type: "ready" });
