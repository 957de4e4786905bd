// The chat webview (browser side). Minimal for now: a prompt box and a streamed reply, thought and answer
// apart, as plain text (textContent only: model output never becomes HTML here).
import type { HostToWebview, WebviewToHost } from "../shared/webviewProtocol";

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

const app = document.getElementById("app")!;
const status = el("div", "status", "Starting…");
const transcript = el("div", "transcript");
transcript.setAttribute("aria-live", "polite");
const form = el("form", "composer");
const input = el("textarea", "prompt");
input.placeholder = "Ask R1… (Enter to send, Shift+Enter for a new line)";
input.setAttribute("aria-label", "Prompt");
input.rows = 3;
const send = el("button", "send", "Send");
send.type = "submit";
const stop = el("button", "stop", "Stop");
stop.type = "button";
stop.hidden = true;
form.append(input, send, stop);
app.append(status, transcript, form);

interface TurnView {
    thought: HTMLElement;
    answer: HTMLElement;
    meta: HTMLElement;
}
const turns = new Map<string, TurnView>();

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
    switch (m.type) {
        case "status":
            status.textContent = m.model ? `${m.model} · ${m.text}` : m.text;
            break;
        case "turnStarted": {
            const turn = el("div", "turn");
            const thoughtBox = el("details", "thought");
            thoughtBox.open = true;
            thoughtBox.append(el("summary", "thought-title", "Thinking…"));
            const thought = el("div", "thought-text");
            thoughtBox.append(thought);
            const answer = el("div", "answer");
            const meta = el("div", "meta");
            turn.append(el("div", "user", m.prompt), thoughtBox, answer, meta);
            transcript.append(turn);
            turns.set(m.id, { thought, answer, meta });
            stop.hidden = false;
            break;
        }
        case "progress": {
            const t = turns.get(m.id);
            if (!t) break;
            if (m.progress.answerRetracted) t.answer.textContent = "";
            if (m.progress.thought) t.thought.textContent += m.progress.thought;
            if (m.progress.answer) t.answer.textContent += m.progress.answer;
            const s = m.progress.stats;
            t.meta.textContent = `${s.thoughtTokens} thought · ${s.answerTokens} answer tokens · ${s.tokensPerSecond} tok/s`;
            transcript.scrollTop = transcript.scrollHeight;
            break;
        }
        case "turnFinished": {
            const t = turns.get(m.id);
            if (!t) break;
            t.thought.textContent = m.result.reasoning;
            t.answer.textContent = m.result.answer;
            const s = m.result.stats;
            t.meta.textContent = `${m.result.stopReason} · thought ${m.result.thoughtState} · ${s.thoughtTokens} thought + ${s.answerTokens} answer tokens · ${s.tokensPerSecond} tok/s · ${(s.elapsedMs / 1000).toFixed(1)} s`;
            const title = t.thought.parentElement?.querySelector("summary");
            if (title) title.textContent = `Thought for ${((s.thoughtMs ?? s.elapsedMs) / 1000).toFixed(1)} s · ${s.thoughtTokens} tokens`;
            stop.hidden = true;
            break;
        }
        case "turnFailed": {
            const t = turns.get(m.id);
            if (t) t.answer.append(el("div", "error", m.message));
            stop.hidden = true;
            break;
        }
    }
});

vscode.postMessage({ type: "ready" });
