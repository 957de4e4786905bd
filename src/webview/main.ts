// The chat webview (browser side): the header (model and state), the transcript (ConversationView: thinking
// block, sanitized markdown answer, code block actions; the welcome of an empty chat), and the prompt box
// (Composer: chips of attached code, `@file` completion, Send / Stop). Everything the user does is a message to
// the host (src/shared/webviewProtocol.ts); the host keeps the conversation and draws it again whenever the
// webview (re)loads. The draft in the prompt box survives reloads through the webview state.
import "./reply.css";
import "./chatShell.css";
import type { HostToWebview, WebviewToHost } from "../shared/webviewProtocol";
import { Composer } from "./chat/composer";
import { ConversationView } from "./chat/conversationView";
import { WelcomeView } from "./chat/welcomeView";
import { el, icon } from "./dom";

interface WebviewState {
    draft?: string;
}

interface VsCodeApi {
    postMessage(message: WebviewToHost): void;
    getState(): WebviewState | undefined;
    setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

// ---- header: the model (click to choose another) and its state ------------------------------------
const header = el("header", "r1-chat-header");
const modelButton = el("button", "r1-model-button");
modelButton.type = "button";
const modelName = el("span", "r1-model-name", "No model");
modelButton.append(icon("sparkle"), modelName, icon("chevron-down"));
const state = el("span", "r1-state", "Starting…");
state.setAttribute("role", "status");
// The class "status" is kept for tests and tools that read the state line.
state.classList.add("status");
header.append(modelButton, state);
modelButton.addEventListener("click", () => post({ type: "selectModel" }));

function showStatus(text: string, model: string | undefined): void {
    modelName.textContent = model ?? "Select a model";
    const label = model ? `Model: ${model}. Choose another model` : "No model selected. Select a model";
    modelButton.title = label;
    modelButton.setAttribute("aria-label", label);
    state.textContent = text;
    state.dataset.state = !model ? "none" : /error|fail|could not/i.test(text) ? "error" : /thinking|loading/i.test(text) ? "busy" : "ready";
}

// ---- transcript ----------------------------------------------------------------------------------
const transcript = el("div", "transcript");
// A region, not a live log: a streaming reply would be read out token by token. The state line (role=status)
// says when R1 is thinking and when it is ready.
transcript.setAttribute("role", "region");
transcript.setAttribute("aria-label", "Conversation with R1");
const welcome = new WelcomeView({
    openChat: (id) => post({ type: "openChat", id }),
    showHistory: () => post({ type: "showHistory" })
});
transcript.append(welcome.element);
const conversation = new ConversationView(transcript, post, transcript);
conversation.onDidChangeTurns = () => {
    welcome.element.hidden = !conversation.isEmpty;
};

// ---- prompt box ----------------------------------------------------------------------------------
let nextQuery = 1;
const saved = vscode.getState() ?? {};
const composer = new Composer({
    send: (text) => post({ type: "send", text }),
    stop: () => post({ type: "stop" }),
    attach: () => post({ type: "attach" }),
    removeContext: (id) => post({ type: "removeContext", id }),
    queryFiles: (query) => {
        const requestId = nextQuery++;
        post({ type: "queryFiles", requestId, query });
        return requestId;
    },
    addFile: (path) => post({ type: "addFile", path }),
    draftChanged: (draft) => vscode.setState({ ...(vscode.getState() ?? {}), draft })
});
if (saved.draft) composer.setDraft(saved.draft);

const app = document.getElementById("app") ?? document.body;
app.append(header, transcript, composer.element);

// When VS Code focuses the view (e.g. after "Add Selection to Chat"), the prompt box gets the focus.
window.addEventListener("focus", () => {
    if (document.activeElement === document.body || document.activeElement === null) composer.focus();
});

window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
    const m = event.data;
    if (typeof m !== "object" || m === null || typeof m.type !== "string") return;
    switch (m.type) {
        case "status":
            showStatus(m.text, m.model);
            return;
        case "busy":
            composer.setBusy(m.busy);
            return;
        case "context":
            composer.setChips(m.items);
            return;
        case "fileSuggestions":
            composer.showSuggestions(m.requestId, m.items);
            return;
        case "history":
            welcome.setHistory(m.items, m.currentId);
            return;
        default:
            conversation.handle(m);
    }
});

post({ type: "ready" });
