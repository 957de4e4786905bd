// The list of turns in the chat view: routes host messages to reply views by turn id and reports code
// block actions and link clicks back. The lead's chat view (input box, welcome page) builds on this.
import { FrameScheduler } from "./frameScheduler";
import { ReplyView } from "./replyView";
import type { HostToWebviewMessage, WebviewToHostMessage } from "./replyProtocol";
import { StickToBottom } from "./stickToBottom";
import { renderUserTurn } from "./userTurnView";

export class ConversationView {
    readonly element: HTMLElement;
    private readonly scheduler = new FrameScheduler();
    private readonly replies = new Map<string, ReplyView>();
    private readonly scroll: StickToBottom;

    constructor(container: HTMLElement, private readonly post: (message: WebviewToHostMessage) => void) {
        this.element = document.createElement("div");
        this.element.className = "r1-conversation";
        this.element.setAttribute("role", "list");
        container.append(this.element);
        const page = document.scrollingElement ?? document.documentElement;
        this.scroll = new StickToBottom(page, { events: window, content: this.element });
    }

    /** The reply view of a turn (for the chat view and tests). */
    reply(turnId: string): ReplyView | undefined {
        return this.replies.get(turnId);
    }

    handle(message: HostToWebviewMessage): void {
        switch (message.type) {
            case "request":
                this.element.append(renderUserTurn(message.text));
                this.scroll.pin();
                break;
            case "replyStart":
                this.start(message.turnId, message.thoughtBudget, message.model);
                break;
            case "replyProgress": {
                const reply = this.replies.get(message.turnId);
                if (!reply) return;
                if (message.thought) reply.appendThought(message.thought);
                if (message.answer) reply.appendAnswer(message.answer);
                reply.setThoughtState(message.thoughtState);
                reply.setStats(message.stats);
                for (const notice of message.notices ?? []) reply.addNotice(notice);
                break;
            }
            case "replyEnd":
                this.replies.get(message.turnId)?.finish(message);
                break;
            case "turnRestore": {
                this.element.append(renderUserTurn(message.request));
                this.start(message.turnId, message.thoughtBudget, message.model).restore(message);
                break;
            }
            case "clear":
                for (const reply of this.replies.values()) reply.dispose();
                this.replies.clear();
                this.element.replaceChildren();
                break;
        }
    }

    private start(turnId: string, thoughtBudget: number, model: string | undefined): ReplyView {
        this.replies.get(turnId)?.dispose();
        const reply = new ReplyView({
            scheduler: this.scheduler,
            thoughtBudget,
            model,
            onCodeAction: (r) => this.post({ type: "codeAction", turnId, ...r }),
            onOpenLink: (url) => this.post({ type: "openLink", url })
        });
        reply.element.dataset.turnId = turnId;
        this.replies.set(turnId, reply);
        this.element.append(reply.element);
        return reply;
    }
}
