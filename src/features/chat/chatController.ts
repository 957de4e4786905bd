// The chat's host side: one conversation shown in every chat webview (the side bar view and "Open Chat in
// Editor" panels), the requests it sends, the history of earlier chats, the attached code, and what the answers'
// buttons and links do. Webviews only draw: they get the conversation again whenever they (re)load.
//
//   send        the attached code and the question become one user turn (core/chatPrompt); the request carries the
//               earlier exchanges, answers only (core/conversation); the reply streams into every webview
//   Stop        cancels the request (the model process returns the partial thought, which stays)
//   Regenerate  the last chat turn again, from the same request
//   New Chat    the current chat goes to the history list (workspaceState, bounded: chatHistoryStore)
//   external    quick fixes and Explain Code show as turns of the current chat (TurnRenderer)
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { reportRequestError } from "../../client/requestErrors";
import { locateAnswerCode } from "../../core/answer/answerCode";
import { timeAgo } from "../../core/chat/timeAgo";
import { buildChatPrompt, contextCharBudget } from "../../core/chat/chatPrompt";
import {
    addTurn, contextFor, type ContextRef, type Conversation, type ConversationTurn, createConversation, failTurn, findTurn, finishTurn,
    interruptRunningTurns, isEmptyConversation, regenerableTurn, removeTurn, requestTurns, type TurnKind
} from "../../core/chat/conversation";
import type { ReasonNotice, ReasonProgress, ReasonResult, ReasonStats, ThoughtState } from "../../shared/lspProtocol";
import type { ContextChip, HostToWebview, WebviewToHost } from "../../shared/webviewProtocol";
import { ChatCodeActions, type CodeActionOutcome, type LinkOutcome } from "./chatCodeActions";
import { AttachedContext, chipFor, relativePath } from "./chatContext";
import { ChatHistoryStore } from "./chatHistoryStore";
import { activeModelName, chatModel, modelDisplayName } from "./chatModel";
import { remoteChatStatus } from "../../core/models/remoteEngineText";
import type { ExternalTurn, ExternalTurnInfo, TurnRenderer } from "../reasoning/reasoningDisplay";
import type { Services } from "../services";

/** A connected webview (or a test standing in for one). */
export interface ChatConnection extends vscode.Disposable {
    /** Handles one message from the webview; resolves with what it did (for tests). */
    handle(message: WebviewToHost): Promise<unknown>;
}

interface Surface {
    post(message: HostToWebview): void;
    ready: boolean;
}

/** A turn whose reply is streaming: what arrived so far (to redraw it in a webview that loads meanwhile). */
interface LiveTurn {
    conversation: Conversation;
    kind: TurnKind;
    thought: string;
    answer: string;
    thoughtState: ThoughtState;
    stats: ReasonStats;
    notices: ReasonNotice[];
}

const zeroStats: ReasonStats = { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 };

function noticeKey(n: ReasonNotice): string {
    return JSON.stringify(n);
}

/** A turn that ended without a result, as a result (what the webview draws for it). */
function emptyResult(turn: ConversationTurn): ReasonResult {
    return { reasoning: "", answer: "", thoughtState: "none", stopReason: "error", stats: { ...zeroStats }, notices: [], model: turn.model ?? "" };
}

function turnChips(turn: ConversationTurn): ContextChip[] {
    return turn.context.map((ref, i) => chipFor(`${turn.id}:${i}`, ref));
}

export class ChatController implements TurnRenderer, vscode.Disposable {
    readonly context = new AttachedContext();
    private readonly store: ChatHistoryStore;
    private conversation: Conversation;
    private readonly surfaces = new Set<Surface>();
    private readonly live = new Map<string, LiveTurn>();
    /** Turn id → the text each attached document had when the turn was sent (the base an Apply is rebased from). */
    private readonly baseTexts = new Map<string, ReadonlyMap<string, string>>();
    private chatRun: { turnId: string | undefined; cts: vscode.CancellationTokenSource } | undefined;
    private readonly actions: ChatCodeActions;
    private busy = false;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly services: Services, state: vscode.Memento = services.context.workspaceState) {
        this.store = new ChatHistoryStore(state);
        const saved = this.store.currentId ? this.store.get(this.store.currentId) : undefined;
        if (saved) {
            this.conversation = structuredClone(saved);
            interruptRunningTurns(this.conversation, "The window was reloaded while R1 was answering.");
        } else {
            this.conversation = createConversation(randomUUID(), Date.now());
        }
        this.actions = new ChatCodeActions(services.proposals, services.log);
        this.disposables.push(
            this.context,
            this.actions,
            this.context.onDidChange(() => this.post({ type: "context", items: this.context.chips() })),
            services.modelProcess.onStatus(() => this.postStatus()),
            services.engines.onDidChange(() => this.postStatus()),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.postStatus()),
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration("r1.modelPath")) this.postStatus();
            })
        );
        // Quick fixes and Explain Code draw their turns here from now on.
        services.display.setRenderer(this);
    }

    /** The conversation shown (for tests: do not change it). */
    get current(): Conversation {
        return this.conversation;
    }

    /** Whether a reply is being generated (a chat request or a code action shown in the chat). */
    get isBusy(): boolean {
        return this.busy;
    }

    // ---- webviews ---------------------------------------------------------------------------------------

    /** Connects a webview: it gets the whole conversation when it says "ready", then every change. */
    attach(webview: vscode.Webview): vscode.Disposable {
        const connection = this.connect((m) => void webview.postMessage(m).then(undefined, () => undefined));
        const sub = webview.onDidReceiveMessage((m: WebviewToHost) => {
            void connection.handle(m).catch((error: unknown) => this.services.log.error(`Chat: ${String(error instanceof Error ? error.stack ?? error.message : error)}`));
        });
        return vscode.Disposable.from(sub, connection);
    }

    /** Connects anything that draws the chat (a webview, or a test recording the messages). */
    connect(post: (message: HostToWebview) => void): ChatConnection {
        const surface: Surface = { post, ready: false };
        this.surfaces.add(surface);
        return {
            handle: (message) => this.handle(message, surface),
            dispose: () => {
                this.surfaces.delete(surface);
            }
        };
    }

    private post(message: HostToWebview): void {
        for (const s of this.surfaces) if (s.ready) s.post(message);
    }

    /** A message about a turn, drawn only where that turn's conversation is shown. */
    private postTurn(conversation: Conversation, message: HostToWebview): void {
        if (conversation === this.conversation) this.post(message);
    }

    private async handle(message: WebviewToHost, surface: Surface): Promise<unknown> {
        switch (message.type) {
            case "ready":
                surface.ready = true;
                this.replay(surface);
                return undefined;
            case "send":
                return this.send(message.text);
            case "stop":
                return this.stop();
            case "regenerate":
                return this.regenerate(message.id);
            case "newChat":
                return this.newChat();
            case "openChat":
                return this.openChat(message.id);
            case "showHistory":
                return this.showHistory();
            case "attach":
                return this.pickContext();
            case "removeContext":
                return this.context.remove(message.id);
            case "queryFiles": {
                const items = await this.context.suggestFiles(message.query);
                surface.post({ type: "fileSuggestions", requestId: message.requestId, items });
                return items;
            }
            case "addFile":
                try {
                    return await this.context.addWorkspaceFile(message.path);
                } catch (error) {
                    void vscode.window.showWarningMessage(`R1: ${message.path} cannot be attached: ${error instanceof Error ? error.message : String(error)}`);
                    return undefined;
                }
            case "selectModel":
                return vscode.commands.executeCommand("r1.selectModel");
            case "codeAction":
                return this.codeAction(message.id, message.action, message.code, message.blockIndex);
            case "openLink":
                return this.openLink(message.url);
        }
    }

    /** Draws everything in a webview that (re)loaded. */
    private replay(surface: Surface): void {
        surface.post({ type: "clear" });
        for (const turn of this.conversation.turns) {
            const live = this.live.get(turn.id);
            if (live) {
                surface.post(this.startedMessage(turn));
                surface.post({ type: "progress", id: turn.id, progress: { thought: live.thought, answer: live.answer, thoughtState: live.thoughtState, stats: live.stats, notices: live.notices } });
            } else {
                surface.post({
                    type: "turnRestored", id: turn.id, prompt: turn.prompt, result: turn.result ?? emptyResult(turn), thoughtBudget: turn.thoughtBudget,
                    kind: turn.kind, context: turnChips(turn), ...(turn.error !== undefined ? { error: turn.error } : {})
                });
            }
        }
        surface.post({ type: "context", items: this.context.chips() });
        surface.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
        surface.post(this.statusMessage());
        surface.post({ type: "busy", busy: this.busy });
    }

    private startedMessage(turn: ConversationTurn): HostToWebview {
        return {
            type: "turnStarted", id: turn.id, prompt: turn.prompt, thoughtBudget: turn.thoughtBudget, kind: turn.kind, context: turnChips(turn),
            ...(turn.model ? { model: turn.model } : {})
        };
    }

    private statusMessage(): HostToWebview {
        const { modelProcess, config, engines } = this.services;
        const remote = engines.active();
        if (remote) return { type: "status", ...remoteChatStatus({ endpoint: remote, trusted: vscode.workspace.isTrusted }) };
        const status = modelProcess.status;
        const path = config.modelPath;
        const model = path ? modelDisplayName(path, status?.model && status.model.path === path ? status.model.name : undefined) : undefined;
        const text = !model ? "No model selected"
            : status?.state === "loading" ? "Loading model…"
            : status?.state === "generating" ? "Thinking…"
            : status?.state === "error" ? (status.error ?? "Error")
            : status?.model && status.model.path === path ? "Ready" : "Loads on first use";
        return model ? { type: "status", text, model } : { type: "status", text };
    }

    private postStatus(): void {
        this.post(this.statusMessage());
    }

    private updateBusy(): void {
        const busy = this.chatRun !== undefined || [...this.live.values()].some((l) => l.conversation === this.conversation);
        if (busy === this.busy) return;
        this.busy = busy;
        this.post({ type: "busy", busy });
    }

    private async persist(conversation: Conversation = this.conversation): Promise<void> {
        await this.store.save(conversation, this.conversation.id);
        this.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
    }

    /** Resolves when the history is written (tests; a reload right after a reply). */
    flushed(): Promise<void> {
        return this.store.flushed();
    }

    // ---- turns ------------------------------------------------------------------------------------------

    private beginTurn(conversation: Conversation, turn: ConversationTurn): void {
        addTurn(conversation, turn);
        this.live.set(turn.id, { conversation, kind: turn.kind, thought: "", answer: "", thoughtState: "none", stats: { ...zeroStats }, notices: [] });
        this.postTurn(conversation, this.startedMessage(turn));
        this.updateBusy();
        void this.persist(conversation);
    }

    private progress(id: string, progress: ReasonProgress): void {
        const live = this.live.get(id);
        if (!live) return;
        if (progress.answerRetracted) live.answer = "";
        live.thought += progress.thought ?? "";
        live.answer += progress.answer ?? "";
        live.thoughtState = progress.thoughtState;
        live.stats = progress.stats;
        for (const n of progress.notices ?? []) if (!live.notices.some((m) => noticeKey(m) === noticeKey(n))) live.notices.push(n);
        this.postTurn(live.conversation, { type: "progress", id, progress });
    }

    private finish(id: string, result: ReasonResult): void {
        const live = this.live.get(id);
        if (!live) return;
        this.live.delete(id);
        // Notices the host added (a model chosen for the user, code cut to fit) stay with the turn.
        const keys = new Set(result.notices.map(noticeKey));
        const merged: ReasonResult = { ...result, notices: [...live.notices.filter((n) => !keys.has(noticeKey(n))), ...result.notices] };
        finishTurn(live.conversation, id, merged, Date.now());
        this.postTurn(live.conversation, { type: "turnFinished", id, result: merged });
        this.updateBusy();
        void this.persist(live.conversation);
    }

    private fail(id: string, message: string): void {
        const live = this.live.get(id);
        if (!live) return;
        this.live.delete(id);
        failTurn(live.conversation, id, message, Date.now());
        this.postTurn(live.conversation, { type: "turnFailed", id, message });
        this.updateBusy();
        void this.persist(live.conversation);
    }

    /** A request started elsewhere (a quick fix, Explain Code), shown as a turn of the current chat. */
    startTurn(info: ExternalTurnInfo): ExternalTurn {
        const id = randomUUID();
        const context: ContextRef[] = info.source ? [{
            kind: "selection", uri: info.source.uri.toString(), path: relativePath(info.source.uri), languageId: languageOf(info.source.uri),
            range: { start: { line: info.source.range.start.line, character: info.source.range.start.character }, end: { line: info.source.range.end.line, character: info.source.range.end.character } }
        }] : [];
        const { config } = this.services;
        const turn: ConversationTurn = {
            id, kind: info.kind, prompt: info.title, request: info.prompt, context, thoughtBudget: config.thinkingBudget(info.kind),
            startedAt: Date.now(), ...(activeModelName(this.services) ? { model: activeModelName(this.services) } : {})
        };
        if (info.source) {
            const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === info.source!.uri.toString());
            if (doc) this.baseTexts.set(id, new Map([[doc.uri.toString(), doc.getText()]]));
        }
        this.beginTurn(this.conversation, turn);
        return {
            progress: (progress) => this.progress(id, progress),
            finish: (result) => this.finish(id, result),
            fail: (message) => this.fail(id, message)
        };
    }

    /** Sends a message with the attached code. */
    async send(text: string): Promise<void> {
        const prompt = text.trim();
        if (!prompt) return;
        if (this.chatRun) {
            void vscode.window.showInformationMessage("R1 is still answering: stop it, or wait for the answer, before you send the next message.");
            return;
        }
        // Claimed now, so that a second Enter while the files are read does not send twice.
        const cts = new vscode.CancellationTokenSource();
        this.chatRun = { turnId: undefined, cts };
        try {
            const resolved = await this.context.resolve();
            this.context.clear();
            const { config } = this.services;
            const maxContextChars = contextCharBudget(config.engine().contextSize, config.sampling("chat").thoughtBudget);
            const built = buildChatPrompt(prompt, resolved.codes, { maxContextChars });
            const notices: ReasonNotice[] = [...resolved.problems, ...built.notes].map((message) => ({ kind: "info", message }));
            await this.runChatTurn({ prompt, request: built.text, refs: resolved.refs, baseTexts: resolved.baseTexts, notices }, cts);
        } finally {
            if (this.chatRun?.cts === cts) this.chatRun = undefined;
            cts.dispose();
            this.updateBusy();
        }
    }

    private async runChatTurn(
        spec: { prompt: string; request: string; refs: ContextRef[]; baseTexts: ReadonlyMap<string, string>; notices: ReasonNotice[] },
        cts: vscode.CancellationTokenSource
    ): Promise<void> {
        const { config, modelProcess, log } = this.services;
        const conversation = this.conversation;
        const id = randomUUID();
        if (this.chatRun?.cts === cts) this.chatRun.turnId = id;
        const model = await chatModel(this.services);
        const sampling = config.sampling("chat");
        const turn: ConversationTurn = {
            id, kind: "chat", prompt: spec.prompt, request: spec.request, context: spec.refs, thoughtBudget: sampling.thoughtBudget,
            startedAt: Date.now(), ...(model ? { model: model.name } : {})
        };
        this.baseTexts.set(id, spec.baseTexts);
        this.beginTurn(conversation, turn);
        if (model?.refused) {
            this.fail(id, model.refused);
            return;
        }
        if (!model) {
            this.fail(id, 'No model is selected. Run "R1: Select Model" to choose one that fits this machine (R1 downloads it), or to use a GGUF file you have.');
            return;
        }
        const notices = [...(model.pickedNotice ? [{ kind: "info" as const, message: model.pickedNotice }] : []), ...spec.notices];
        if (notices.length > 0) this.progress(id, { thoughtState: "none", stats: { ...zeroStats }, notices });
        try {
            const result = await modelProcess.reason(
                { action: "chat", turns: requestTurns(conversation, spec.request, id), sampling, ...model.params },
                (progress) => this.progress(id, progress),
                cts.token
            );
            this.finish(id, result);
        } catch (error) {
            this.fail(id, reportRequestError(error, log));
        }
    }

    /** Stops the reply being generated (the chat's, and code actions shown in the chat). */
    stop(): boolean {
        let stopped = false;
        if (this.chatRun) {
            this.chatRun.cts.cancel();
            stopped = true;
        }
        if ([...this.live.values()].some((l) => l.kind !== "chat")) {
            void vscode.commands.executeCommand("r1.stopCodeActionRequests");
            stopped = true;
        }
        return stopped;
    }

    /** Generates the last chat turn's reply again, from the same request. */
    async regenerate(id: string): Promise<boolean> {
        if (this.chatRun) return false;
        const conversation = this.conversation;
        const turn = regenerableTurn(conversation);
        if (!turn || turn.id !== id) return false;
        const cts = new vscode.CancellationTokenSource();
        this.chatRun = { turnId: undefined, cts };
        try {
            removeTurn(conversation, id);
            const baseTexts = this.baseTexts.get(id) ?? new Map<string, string>();
            this.baseTexts.delete(id);
            this.postTurn(conversation, { type: "turnRemoved", id });
            await this.runChatTurn({ prompt: turn.prompt, request: turn.request, refs: turn.context, baseTexts, notices: [] }, cts);
            return true;
        } finally {
            if (this.chatRun?.cts === cts) this.chatRun = undefined;
            cts.dispose();
            this.updateBusy();
        }
    }

    /** Starts an empty chat; the current one stays in the history (a reply being generated is stopped). */
    async newChat(): Promise<void> {
        this.chatRun?.cts.cancel();
        if (isEmptyConversation(this.conversation)) return;
        const previous = this.conversation;
        this.conversation = createConversation(randomUUID(), Date.now());
        await this.persist(previous);
        this.showConversation();
    }

    /** Shows an earlier chat from the history. */
    async openChat(id: string): Promise<boolean> {
        if (id === this.conversation.id) return true;
        const streaming = [...this.live.values()].find((l) => l.conversation.id === id)?.conversation;
        const stored = streaming ?? this.store.get(id);
        if (!stored) {
            void vscode.window.showWarningMessage("R1: that chat is no longer in the history.");
            return false;
        }
        this.chatRun?.cts.cancel();
        const previous = this.conversation;
        this.conversation = streaming ?? structuredClone(stored);
        await this.persist(previous);
        this.showConversation();
        return true;
    }

    private showConversation(): void {
        for (const s of this.surfaces) if (s.ready) this.replay(s);
        this.updateBusy();
        void this.persist();
    }

    /** Deletes an earlier chat (the current one: a new chat starts). */
    async deleteChat(id: string): Promise<void> {
        if (id === this.conversation.id) {
            this.chatRun?.cts.cancel();
            this.conversation = createConversation(randomUUID(), Date.now());
            await this.store.delete(id);
            this.showConversation();
            return;
        }
        await this.store.delete(id);
        this.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
    }

    /** The history list: a quick pick of the earlier chats, newest first, with a delete button each. */
    async showHistory(): Promise<void> {
        type Item = vscode.QuickPickItem & { id: string };
        const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("trash"), tooltip: "Delete Chat" };
        const items = (): Item[] => this.store.list().map((c) => ({
            id: c.id,
            label: c.title,
            description: `${c.turns} ${c.turns === 1 ? "turn" : "turns"} · ${timeAgo(c.updatedAt)}${c.id === this.conversation.id ? " · shown now" : ""}`,
            iconPath: new vscode.ThemeIcon(c.id === this.conversation.id ? "comment-discussion" : "comment"),
            buttons: [deleteButton]
        }));
        if (items().length === 0) {
            void vscode.window.showInformationMessage("R1: there are no earlier chats in this workspace yet.");
            return;
        }
        const pick = vscode.window.createQuickPick<Item>();
        pick.title = "R1: Chat History";
        pick.placeholder = "Open an earlier chat (this workspace)";
        pick.matchOnDescription = true;
        pick.items = items();
        const chosen = await new Promise<Item | undefined>((resolve) => {
            pick.onDidTriggerItemButton(async (e) => {
                await this.deleteChat(e.item.id);
                pick.items = items();
                if (pick.items.length === 0) pick.hide();
            });
            pick.onDidAccept(() => {
                resolve(pick.selectedItems[0]);
                pick.hide();
            });
            pick.onDidHide(() => resolve(undefined));
            pick.show();
        });
        pick.dispose();
        if (chosen) await this.openChat(chosen.id);
    }

    /** "Attach" in the prompt box: the selection, the current file, or any workspace file. */
    private async pickContext(): Promise<ContextChip | undefined> {
        const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
        type Item = vscode.QuickPickItem & { run: () => Promise<ContextChip | undefined> };
        const items: Item[] = [];
        if (editor && !editor.selection.isEmpty) {
            const s = editor.selection;
            items.push({ label: "$(selection) Selection", description: `${relativePath(editor.document.uri)}:${s.start.line + 1}-${s.end.line + 1}`, run: async () => this.context.addSelection(editor) });
        }
        if (editor) items.push({ label: "$(file) Current File", description: relativePath(editor.document.uri), run: async () => this.context.addDocument(editor.document) });
        items.push({
            label: "$(search) File from the Workspace…", run: async () => {
                const files = await this.context.suggestFiles("", 5000);
                const file = await vscode.window.showQuickPick(files.map((f) => ({ label: f.name, description: f.folder, path: f.path })), { placeHolder: "Attach a file to the chat", matchOnDescription: true });
                return file ? this.context.addWorkspaceFile(file.path) : undefined;
            }
        });
        const choice = await vscode.window.showQuickPick(items, { placeHolder: "Attach code to the next message" });
        return choice?.run();
    }

    // ---- answers' code blocks and links -----------------------------------------------------------------

    /** Copy / Insert at Cursor / Apply on a code block of turn `id`. */
    async codeAction(id: string, action: "copy" | "insert" | "apply", code: string, blockIndex: number): Promise<CodeActionOutcome> {
        const live = this.live.get(id);
        const conversation = live?.conversation ?? this.conversation;
        const turn = findTurn(conversation, id);
        const answer = live ? live.answer : turn?.result?.answer;
        if (!turn || answer === undefined) {
            const message = "That reply is not in the chat any more.";
            void vscode.window.showWarningMessage(`R1: ${message}`);
            return { status: "refused", message };
        }
        const reasoning = live ? live.thought : (turn.result?.reasoning ?? "");
        return this.actions.run(action, code, {
            answer, reasoning,
            located: locateAnswerCode(answer, code, blockIndex, reasoning),
            targets: contextFor(conversation, id),
            baseTexts: this.baseTexts.get(id) ?? new Map()
        });
    }

    openLink(url: string): Promise<LinkOutcome> {
        return this.actions.openLink(url);
    }

    dispose(): void {
        this.chatRun?.cts.cancel();
        this.services.display.setRenderer(undefined);
        for (const d of this.disposables) d.dispose();
        this.surfaces.clear();
    }
}

function languageOf(uri: vscode.Uri): string {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId ?? "plaintext";
}
