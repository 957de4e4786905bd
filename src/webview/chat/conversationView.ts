// The turns of the chat view: the user's request and the reply for each turn id, drawn from the host's
// messages (src/shared/webviewProtocol.ts); code block actions, link clicks and Regenerate go back to the host.
// Keeps the transcript scrolled to the end while replies stream, unless the user scrolls up.
import type { ContextChip, HostToWebview, TurnKindName, WebviewToHost } from "../../shared/webviewProtocol";
import { FrameScheduler } from "../reply/frameScheduler";
import { ReplyView } from "../reply/replyView";
import { StickToBottom } from "../reply/stickToBottom";
import { renderUserTurn } from "./userTurnView";

export class ConversationView {
    readonly element: HTMLElement;
    private readonly scheduler = new FrameScheduler();
    private readonly replies = new Map<string, ReplyView>();
    private readonly requests = new Map<string, HTMLElement>();
    private readonly kinds = new Map<string, TurnKindName>();
    private readonly running = new Set<string>();
    private readonly scroll: StickToBottom;
    private footer: HTMLElement | undefined;
    /** Runs when turns are added or removed (e.g. to show the welcome of an empty chat). */
    onDidChangeTurns: (() => void) | undefined;

    /**
     * `container` receives the turns; `scroller` is the element that scrolls them (default: the page).
     * `post` sends messages to the host.
     */
    constructor(container: HTMLElement, private readonly post: (message: WebviewToHost) => void, scroller?: HTMLElement) {
        this.element = document.createElement("div");
        this.element.className = "r1-conversation";
        container.append(this.element);
        this.scroll = scroller
            ? new StickToBottom(scroller, { content: this.element })
            : new StickToBottom(document.scrollingElement ?? document.documentElement, { events: window, content: this.element });
    }

    /** The reply view of a turn. */
    reply(id: string): ReplyView | undefined {
        return this.replies.get(id);
    }

    /** True when the chat has no turn. */
    get isEmpty(): boolean {
        return this.replies.size === 0 && this.requests.size === 0;
    }

    /** Draws a host message; returns false for messages that are not about turns (e.g. status). */
    handle(message: HostToWebview): boolean {
        switch (message.type) {
            case "turnStarted":
                this.request(message.id, message.prompt, message.context);
                this.start(message.id, message.thoughtBudget ?? 0, message.model, message.kind);
                this.running.add(message.id);
                this.updateFooter();
                this.onDidChangeTurns?.();
                return true;
            case "progress":
                this.replies.get(message.id)?.applyProgress(message.progress);
                return true;
            case "turnFinished":
                this.replies.get(message.id)?.finish(message.result);
                this.running.delete(message.id);
                this.updateFooter();
                return true;
            case "turnFailed":
                this.replies.get(message.id)?.finish({ stopReason: "error", error: message.message });
                this.running.delete(message.id);
                this.updateFooter();
                return true;
            case "turnRestored": {
                this.request(message.id, message.prompt, message.context);
                const reply = this.start(message.id, message.thoughtBudget ?? 0, message.result.model, message.kind);
                reply.restore(message.error !== undefined ? { ...message.result, stopReason: "error", error: message.error } : message.result);
                this.updateFooter();
                this.onDidChangeTurns?.();
                return true;
            }
            case "newFiles":
                this.replies.get(message.id)?.markNewFiles(message.files);
                return true;
            case "turnRemoved":
                this.remove(message.id);
                this.updateFooter();
                this.onDidChangeTurns?.();
                return true;
            case "clear":
                for (const reply of this.replies.values()) reply.dispose();
                this.replies.clear();
                this.requests.clear();
                this.kinds.clear();
                this.running.clear();
                this.footer = undefined;
                this.element.replaceChildren();
                this.onDidChangeTurns?.();
                return true;
            default:
                return false;
        }
    }

    private remove(id: string): void {
        this.replies.get(id)?.dispose();
        this.replies.delete(id);
        this.requests.get(id)?.remove();
        this.requests.delete(id);
        this.kinds.delete(id);
        this.running.delete(id);
    }

    /** "Regenerate" under the last reply, when it is a chat turn that has ended and nothing is running. */
    private updateFooter(): void {
        this.footer?.remove();
        this.footer = undefined;
        if (this.running.size > 0) return;
        const last = [...this.replies.keys()].pop();
        if (!last || this.kinds.get(last) !== "chat") return;
        const reply = this.replies.get(last)!;
        const footer = document.createElement("div");
        footer.className = "r1-reply-footer";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "r1-text-button r1-regenerate";
        button.title = "Generate this reply again";
        const glyph = document.createElement("span");
        glyph.className = "codicon codicon-refresh";
        glyph.setAttribute("aria-hidden", "true");
        const label = document.createElement("span");
        label.textContent = "Regenerate";
        button.append(glyph, label);
        button.addEventListener("click", () => {
            button.disabled = true;
            this.post({ type: "regenerate", id: last });
        });
        footer.append(button);
        reply.element.append(footer);
        this.footer = footer;
    }

    private request(id: string, prompt: string, context: readonly ContextChip[] | undefined): void {
        this.requests.get(id)?.remove();
        this.requests.delete(id);
        if (prompt.trim()) {
            const element = renderUserTurn(prompt, context ?? []);
            element.dataset.turnId = id;
            this.requests.set(id, element);
            this.element.append(element);
        }
        this.scroll.pin(); // a new turn: follow it
    }

    private start(id: string, thoughtBudget: number, model: string | undefined, kind: TurnKindName | undefined): ReplyView {
        this.replies.get(id)?.dispose();
        if (kind) this.kinds.set(id, kind);
        const reply = new ReplyView({
            scheduler: this.scheduler,
            thoughtBudget,
            model,
            onCodeAction: (r) => this.post({ type: "codeAction", id, ...r }),
            onOpenLink: (url) => this.post({ type: "openLink", url })
        });
        reply.element.dataset.turnId = id;
        this.replies.set(id, reply);
        this.element.append(reply.element);
        return reply;
    }
}
