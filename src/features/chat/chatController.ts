// The chat's host side: one conversation shown in every chat webview (the side bar view and "Open Chat in
// Editor" panels), the requests it sends, the history of earlier chats, the attached code, and what the answers'
// buttons and links do. Webviews only draw: they get the conversation again whenever they (re)load.
//
//   send        the attached code and the question become one user turn (core/chatPrompt); the request carries the
//               earlier exchanges, answers only (core/conversation); the reply streams into every webview
//   Stop        cancels the request (the model process returns the partial thought, which stays)
//   Regenerate  the last chat turn again, from the same request
//   New Chat    the current chat goes to the history list (workspaceState, bounded: chatHistoryStore); the history
//               commands and their quick pick are chatHistoryCommands'
//   external    quick fixes and Explain Code show as turns of the current chat (TurnRenderer)
// The webviews connected are chatSurfaces'; the messages that draw turns are turnMessages'.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { reportRequestError } from "../../client/requestErrors";
import { locateAnswerCode } from "../../core/answer/answerCode";
import { buildChatPrompt, contextCharBudget } from "../../core/chat/chatPrompt";
import type { ChatSummary } from "../../core/chat/chatHistory";
import {
    addTurn, contextFor, type ContextRef, type Conversation, type ConversationTurn, createConversation, failTurn, findTurn, finishTurn,
    interruptRunningTurns, isEmptyConversation, regenerableTurn, removeTurn, requestTurns
} from "../../core/chat/conversation";
import type { ReasonNotice, ReasonProgress, ReasonResult } from "../../shared/lspProtocol";
import type { HostToWebview, WebviewToHost } from "../../shared/webviewProtocol";
import { ChatCodeActions, type CodeActionOutcome, type LinkOutcome } from "./chatCodeActions";
import { AttachedContext, selectionRef } from "./chatContext";
import { type ChatHistoryOwner, showChatHistory } from "./chatHistoryCommands";
import { ChatHistoryStore } from "./chatHistoryStore";
import { activeModelName, chatModel, modelStatusMessage } from "./chatModel";
import { type ChatConnection, ChatSurfaces, type Surface } from "./chatSurfaces";
import { PartialSaves } from "./partialSaves";
import { addProgress, conversationMessages, type LiveTurn, newLiveTurn, partialResult, replyOf, startedMessage, withHostNotices, zeroStats } from "./turnMessages";
import type { ExternalTurn, ExternalTurnInfo, TurnRenderer } from "../reasoning/reasoningDisplay";
import type { Services } from "../services";

export class ChatController implements TurnRenderer, ChatHistoryOwner, vscode.Disposable {
    readonly context = new AttachedContext();
    private readonly store: ChatHistoryStore;
    private conversation: Conversation;
    private readonly surfaces: ChatSurfaces;
    private readonly live = new Map<string, LiveTurn>();
    /** Turn id → the text each attached document had when the turn was sent (the base an Apply is rebased from). */
    private readonly baseTexts = new Map<string, ReadonlyMap<string, string>>();
    private chatRun: { turnId: string | undefined; cts: vscode.CancellationTokenSource } | undefined;
    private readonly actions: ChatCodeActions;
    private busy = false;
    private readonly disposables: vscode.Disposable[] = [];
    /** What a streaming reply received so far goes to the history (a reload or a crash keeps it). */
    private readonly partialSaves = new PartialSaves((id) => this.savePartial(id));

    constructor(private readonly services: Services, state: vscode.Memento = services.context.workspaceState) {
        this.store = new ChatHistoryStore(state);
        this.surfaces = new ChatSurfaces((message, surface) => this.handle(message, surface), services.log);
        const saved = this.store.currentId ? this.store.get(this.store.currentId) : undefined;
        if (saved) {
            this.conversation = structuredClone(saved);
            interruptRunningTurns(this.conversation, "Interrupted: the window was reloaded while R1 was answering. What had arrived is kept.");
        } else {
            this.conversation = createConversation(randomUUID(), Date.now());
        }
        this.actions = new ChatCodeActions(services.proposals, services.log);
        this.disposables.push(
            this.context,
            this.actions,
            this.context.onDidChange(() => this.surfaces.post({ type: "context", items: this.context.chips() })),
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

    /** Why the webview messages the host refused were refused, oldest first (tests). */
    get rejectedMessages(): readonly string[] {
        return this.surfaces.rejected;
    }

    /** The earlier chats, newest first (the history quick pick). */
    historyList(): ChatSummary[] {
        return this.store.list();
    }

    // ---- webviews ---------------------------------------------------------------------------------------

    /** Connects a webview: it gets the whole conversation when it says "ready", then every change. */
    attach(webview: vscode.Webview): vscode.Disposable {
        return this.surfaces.attach(webview);
    }

    /** Connects anything that draws the chat (a webview, or a test recording the messages). */
    connect(post: (message: HostToWebview) => void): ChatConnection {
        return this.surfaces.connect(post);
    }

    /** A message about a turn, drawn only where that turn's conversation is shown. */
    private postTurn(conversation: Conversation, message: HostToWebview): void {
        if (conversation === this.conversation) this.surfaces.post(message);
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
                return showChatHistory(this);
            case "attach":
                return this.context.pick();
            case "removeContext":
                return this.context.remove(message.id);
            case "queryFiles": {
                const items = await this.context.suggestFiles(message.query);
                surface.post({ type: "fileSuggestions", requestId: message.requestId, items });
                return items;
            }
            case "addFile":
                return this.context.addChosenFile(message.path);
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
        for (const message of conversationMessages(this.conversation, this.live)) surface.post(message);
        for (const turn of this.conversation.turns) if (!this.live.has(turn.id)) this.offerNewFiles(this.conversation, turn.id, (m) => surface.post(m));
        surface.post({ type: "context", items: this.context.chips() });
        surface.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
        surface.post(modelStatusMessage(this.services));
        surface.post({ type: "busy", busy: this.busy });
    }

    private postStatus(): void {
        this.surfaces.post(modelStatusMessage(this.services));
    }

    private updateBusy(): void {
        const busy = this.chatRun !== undefined || [...this.live.values()].some((l) => l.conversation === this.conversation);
        if (busy === this.busy) return;
        this.busy = busy;
        this.surfaces.post({ type: "busy", busy });
    }

    private async persist(conversation: Conversation = this.conversation): Promise<void> {
        await this.store.save(conversation, this.conversation.id);
        this.surfaces.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
    }

    /** Resolves when the history is written (tests; a reload right after a reply). */
    flushed(): Promise<void> {
        return this.store.flushed();
    }

    // ---- turns ------------------------------------------------------------------------------------------

    private beginTurn(conversation: Conversation, turn: ConversationTurn): void {
        addTurn(conversation, turn);
        this.live.set(turn.id, newLiveTurn(conversation, turn.kind));
        this.postTurn(conversation, startedMessage(turn));
        this.updateBusy();
        void this.persist(conversation);
    }

    private progress(id: string, progress: ReasonProgress): void {
        const live = this.live.get(id);
        if (!live) return;
        addProgress(live, progress);
        if (progress.thought || progress.answer) this.partialSaves.arrived(id);
        this.postTurn(live.conversation, { type: "progress", id, progress });
    }

    private savePartial(id: string): void {
        const live = this.live.get(id);
        const turn = live && findTurn(live.conversation, id);
        if (!live || !turn) return;
        turn.partial = partialResult(live, turn.model);
        void this.store.save(live.conversation, this.conversation.id);
    }

    /** Turns whose partial reply is still to be saved (tests: none is left once every reply has ended). */
    get pendingPartialSaves(): number {
        return this.partialSaves.size;
    }

    private finish(id: string, result: ReasonResult): void {
        const live = this.live.get(id);
        if (!live) return;
        this.live.delete(id);
        this.partialSaves.ended(id);
        // Notices the host added (a model chosen for the user, code cut to fit) stay with the turn.
        const merged = withHostNotices(live, result);
        finishTurn(live.conversation, id, merged, Date.now());
        this.postTurn(live.conversation, { type: "turnFinished", id, result: merged });
        this.offerNewFiles(live.conversation, id);
        this.updateBusy();
        void this.persist(live.conversation);
    }

    private fail(id: string, message: string): void {
        const live = this.live.get(id);
        if (!live) return;
        this.live.delete(id);
        this.partialSaves.ended(id);
        // What had arrived stays, marked interrupted by the error (also in the history).
        failTurn(live.conversation, id, message, Date.now(), partialResult(live, findTurn(live.conversation, id)?.model));
        this.postTurn(live.conversation, { type: "turnFailed", id, message });
        this.updateBusy();
        void this.persist(live.conversation);
    }

    /** A request started elsewhere (a quick fix, Explain Code), shown as a turn of the current chat. */
    startTurn(info: ExternalTurnInfo): ExternalTurn {
        const id = randomUUID();
        const context: ContextRef[] = info.source ? [selectionRef(info.source.uri, info.source.range)] : [];
        const model = activeModelName(this.services);
        const turn: ConversationTurn = {
            id, kind: info.kind, prompt: info.title, request: info.prompt, context, thoughtBudget: this.services.config.thinkingBudget(info.kind),
            startedAt: Date.now(), ...(model ? { model } : {})
        };
        if (info.source) {
            const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === info.source!.uri.toString());
            if (doc) this.baseTexts.set(id, new Map([[doc.uri.toString(), doc.getText()]]));
        }
        this.beginTurn(this.conversation, turn);
        return {
            progress: (progress) => this.progress(id, progress),
            finish: (result) => this.finish(id, result),
            fail: (message) => this.fail(id, message),
            stopped: () => {
                const live = this.live.get(id);
                if (live) this.finish(id, { ...partialResult(live, findTurn(live.conversation, id)?.model), stopReason: "abort" });
            }
        };
    }

    /** Sends a message with the attached code. */
    async send(text: string): Promise<void> {
        const prompt = text.trim();
        if (!prompt) return;
        if (this.chatRun) {
            void vscode.window.showInformationMessage(vscode.l10n.t("R1 is still answering: stop it, or wait for the answer, before you send the next message."));
            return;
        }
        // Claimed now, so that a second Enter while the files are read does not send twice.
        await this.asChatRun(async (cts) => {
            const resolved = await this.context.resolve();
            this.context.clear();
            const { config } = this.services;
            const maxContextChars = contextCharBudget(config.engine().contextSize, config.sampling("chat").thoughtBudget);
            const built = buildChatPrompt(prompt, resolved.codes, { maxContextChars });
            const notices: ReasonNotice[] = [...resolved.problems, ...built.notes].map((message) => ({ kind: "info", message }));
            await this.runChatTurn({ prompt, request: built.text, refs: resolved.refs, baseTexts: resolved.baseTexts, notices }, cts);
        });
    }

    /** Runs `run` as the chat's one request (Stop cancels its token); the chat is free again when it ends. */
    private async asChatRun<T>(run: (cts: vscode.CancellationTokenSource) => Promise<T>): Promise<T> {
        const cts = new vscode.CancellationTokenSource();
        this.chatRun = { turnId: undefined, cts };
        try {
            return await run(cts);
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
        if (!model || model.refused) {
            this.fail(id, model?.refused ?? 'No model is selected. Run "R1: Select Model" to choose one that fits this machine (R1 downloads it), or to use a GGUF file you have.');
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
            // Stopped before the model process took the request (the client refuses a request cancelled before it is
            // sent): the turn ends stopped, like any Stop, not as an error.
            const live = this.live.get(id);
            if (cts.token.isCancellationRequested && live) this.finish(id, { ...partialResult(live, model?.name), stopReason: "abort" });
            else this.fail(id, reportRequestError(error, log));
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
        return this.asChatRun(async (cts) => {
            removeTurn(conversation, id);
            const baseTexts = this.baseTexts.get(id) ?? new Map<string, string>();
            this.baseTexts.delete(id);
            this.postTurn(conversation, { type: "turnRemoved", id });
            await this.runChatTurn({ prompt: turn.prompt, request: turn.request, refs: turn.context, baseTexts, notices: [] }, cts);
            return true;
        });
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
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: that chat is no longer in the history."));
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
        for (const s of this.surfaces.ready()) this.replay(s);
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
        this.surfaces.post({ type: "history", items: this.store.list(), currentId: this.conversation.id });
    }

    // ---- answers' code blocks and links -----------------------------------------------------------------

    /** Tells the webviews which blocks of finished turn `id` would create a file (their button reads "Create file"). */
    private offerNewFiles(conversation: Conversation, id: string, post = (m: HostToWebview) => this.postTurn(conversation, m)): void {
        const reply = replyOf(findTurn(conversation, id), undefined);
        if (!reply) return;
        void this.actions.newFiles({ ...reply, targets: contextFor(conversation, id) }).then((files) => {
            if (files.length > 0) post({ type: "newFiles", id, files });
        }, (error: unknown) => this.services.log.warn(`Could not check the answer's new files: ${String(error)}`));
    }

    /** Copy / Insert at Cursor / Apply on a code block of turn `id`. */
    async codeAction(id: string, action: "copy" | "insert" | "apply", code: string, blockIndex: number): Promise<CodeActionOutcome> {
        const live = this.live.get(id);
        const conversation = live?.conversation ?? this.conversation;
        const reply = replyOf(findTurn(conversation, id), live);
        return this.actions.run(action, code, reply && {
            ...reply,
            located: locateAnswerCode(reply.answer, code, blockIndex, reply.reasoning),
            targets: contextFor(conversation, id),
            baseTexts: this.baseTexts.get(id) ?? new Map()
        });
    }

    openLink(url: string): Promise<LinkOutcome> {
        return this.actions.openLink(url);
    }

    dispose(): void {
        this.chatRun?.cts.cancel();
        this.partialSaves.dispose();
        this.services.display.setRenderer(undefined);
        for (const d of this.disposables) d.dispose();
        this.surfaces.clear();
    }
}
