// The turns of the chat view: the user's request and the reply for each turn id, drawn from the host's
// messages (src/shared/webviewProtocol.ts); code block actions and link clicks go back to the host.
// Keeps the transcript scrolled to the end while replies stream, unless the user scrolls up.
import type { HostToWebview, WebviewToHost } from "../shared/webviewProtocol";
import { FrameScheduler } from "./frameScheduler";
import { ReplyView } from "./replyView";
import { StickToBottom } from "./stickToBottom";
import { renderUserTurn } from "./userTurnView";

export class ConversationView {
    readonly element: HTMLElement;
    private readonly scheduler = new FrameScheduler();
    private readonly replies = new Map<string, ReplyView>();
    private readonly scroll: StickToBottom;

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

    /** Draws a host message; returns false for messages that are not about turns (e.g. status). */
    handle(message: HostToWebview): boolean {
        switch (message.type) {
            case "turnStarted":
                this.request(message.prompt);
                this.start(message.id, message.thoughtBudget ?? 0, message.model);
                return true;
            case "progress":
                this.replies.get(message.id)?.applyProgress(message.progress);
                return true;
            case "turnFinished":
                this.replies.get(message.id)?.finish(message.result);
                return true;
            case "turnFailed":
                this.replies.get(message.id)?.finish({ stopReason: "error", error: message.message });
                return true;
            case "turnRestored":
                this.request(message.prompt);
                this.start(message.id, message.thoughtBudget ?? 0, message.result.model).restore(message.result);
                return true;
            case "clear":
                for (const reply of this.replies.values()) reply.dispose();
                this.replies.clear();
                this.element.replaceChildren();
                return true;
            default:
                return false;
        }
    }

    private request(prompt: string): void {
        if (prompt.trim()) this.element.append(renderUserTurn(prompt));
        this.scroll.pin(); // a new turn: follow it
    }

    private start(id: string, thoughtBudget: number, model: string | undefined): ReplyView {
        this.replies.get(id)?.dispose();
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
