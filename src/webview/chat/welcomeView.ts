// What an empty chat shows: what R1 does, how to give it code, and the recent chats of this workspace.
import { timeAgo } from "../../core/chat/timeAgo";
import type { ChatSummaryItem } from "../../shared/webviewProtocol";
import { el, icon } from "../dom";

export interface WelcomeCallbacks {
    openChat(id: string): void;
    showHistory(): void;
}

export class WelcomeView {
    readonly element: HTMLElement;
    private readonly recent: HTMLElement;
    private readonly list: HTMLElement;
    private readonly more: HTMLButtonElement;

    constructor(private readonly callbacks: WelcomeCallbacks) {
        this.element = el("section", "r1-welcome");
        this.element.setAttribute("aria-label", "New chat");
        const mark = el("div", "r1-welcome-mark");
        mark.append(icon("sparkle"));
        const title = el("h2", "", "Ask R1 about your code");
        const intro = el("p", "", "A DeepSeek-R1 model, on this machine or on the server you chose. It reasons before it answers, and you watch it think.");
        const tips = el("ul", "r1-welcome-tips");
        const tip = (glyph: string, ...parts: (string | HTMLElement)[]) => {
            const li = el("li", "");
            const text = el("span", "");
            text.append(...parts);
            li.append(icon(glyph), text);
            tips.append(li);
        };
        tip("attach", "Attach code: type ", el("kbd", "", "@"), " for a file, or use ", el("strong", "", "Add Selection to Chat"), " in the editor's context menu.");
        tip("lightbulb", "Code blocks in answers have ", el("strong", "", "Apply"), ": you review the change as a diff before it is made.");
        tip("eye", "The thinking streams live, then folds away: click it to read it again.");
        this.recent = el("div", "r1-recent");
        const heading = el("h3", "r1-recent-title", "Recent chats");
        heading.id = "r1-recent-title";
        this.list = el("ul", "r1-recent-list");
        this.list.setAttribute("aria-labelledby", heading.id);
        this.more = el("button", "r1-link-button", "Show all chats…");
        this.more.type = "button";
        this.more.addEventListener("click", () => callbacks.showHistory());
        this.recent.append(heading, this.list, this.more);
        this.element.append(mark, title, intro, tips, this.recent);
        this.setHistory([], "");
    }

    setHistory(items: readonly ChatSummaryItem[], currentId: string, max = 5): void {
        const others = items.filter((c) => c.id !== currentId);
        this.recent.hidden = others.length === 0;
        this.more.hidden = others.length <= max;
        this.list.replaceChildren(...others.slice(0, max).map((c) => {
            const li = el("li", "");
            const button = el("button", "r1-recent-item");
            button.type = "button";
            button.dataset.chatId = c.id;
            const when = timeAgo(c.updatedAt);
            button.setAttribute("aria-label", `${c.title}, ${when}`);
            button.append(icon("comment"), el("span", "r1-recent-label", c.title), el("span", "r1-recent-when", when));
            button.addEventListener("click", () => this.callbacks.openChat(c.id));
            li.append(button);
            return li;
        }));
    }
}
