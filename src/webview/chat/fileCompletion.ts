// `@file` completion in the prompt box: typing `@` (at the start or after a space) opens a list of workspace
// files that narrows as the user types; ↑/↓ move, Enter or Tab attach the file as a chip (the `@…` text is
// removed), Escape closes. The list is an ARIA listbox driven from the textarea (aria-activedescendant).
import type { FileSuggestion } from "../../shared/webviewProtocol";

export interface FileCompletionHost {
    /** Asks the host for files matching `query`; returns the request id the answer will carry. */
    query(query: string): number;
    /** Attaches the chosen file. */
    choose(path: string): void;
}

const MENTION = /(?:^|\s)@([^\s@]*)$/;

export class FileCompletion {
    readonly element: HTMLElement;
    private items: FileSuggestion[] = [];
    private active = 0;
    private pending = -1;
    /** Where the `@` of the mention being completed is in the textarea; -1 when closed. */
    private start = -1;
    private static nextListId = 1;
    private readonly listId = `r1-file-list-${FileCompletion.nextListId++}`;

    constructor(private readonly input: HTMLTextAreaElement, private readonly host: FileCompletionHost) {
        this.element = document.createElement("div");
        this.element.className = "r1-completion";
        this.element.id = this.listId;
        this.element.setAttribute("role", "listbox");
        this.element.setAttribute("aria-label", "Files to attach");
        this.element.hidden = true;
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-controls", this.listId);
        input.setAttribute("aria-expanded", "false");
        // mousedown, not click: the textarea keeps the focus.
        this.element.addEventListener("mousedown", (e) => {
            const option = (e.target as Element | null)?.closest<HTMLElement>("[role=option][data-index]");
            if (!option) return;
            e.preventDefault();
            this.choose(Number(option.dataset.index));
        });
        input.addEventListener("blur", () => this.close());
    }

    get isOpen(): boolean {
        return this.start >= 0;
    }

    /** After each edit or caret move: opens, narrows or closes the list. */
    update(): void {
        const caret = this.input.selectionStart ?? 0;
        if (this.input.selectionEnd !== caret) return this.close();
        const m = MENTION.exec(this.input.value.slice(0, caret));
        if (!m) return this.close();
        this.start = caret - m[1]!.length - 1;
        this.pending = this.host.query(m[1]!);
    }

    /** The host's answer to a query: shown if it is the answer to the latest one. */
    show(requestId: number, items: FileSuggestion[]): void {
        if (requestId !== this.pending || !this.isOpen) return;
        this.items = items;
        this.active = 0;
        this.render();
    }

    /** Handles a key while the list is open; true when it used it (the caller then does nothing else). */
    onKeyDown(e: KeyboardEvent): boolean {
        if (!this.isOpen || this.element.hidden) return false;
        const n = this.items.length;
        switch (e.key) {
            case "ArrowDown":
                if (n) this.setActive((this.active + 1) % n);
                break;
            case "ArrowUp":
                if (n) this.setActive((this.active - 1 + n) % n);
                break;
            case "Enter":
            case "Tab":
                if (!n) return false;
                this.choose(this.active);
                break;
            case "Escape":
                this.close();
                break;
            default:
                return false;
        }
        e.preventDefault();
        e.stopPropagation();
        return true;
    }

    close(): void {
        this.start = -1;
        this.pending = -1;
        this.items = [];
        this.element.hidden = true;
        this.element.replaceChildren();
        this.input.setAttribute("aria-expanded", "false");
        this.input.removeAttribute("aria-activedescendant");
    }

    private choose(index: number): void {
        const item = this.items[index];
        if (!item || this.start < 0) return;
        const caret = this.input.selectionStart ?? this.input.value.length;
        const value = this.input.value;
        this.input.value = value.slice(0, this.start) + value.slice(caret);
        this.input.setSelectionRange(this.start, this.start);
        this.close();
        this.input.dispatchEvent(new Event("input", { bubbles: true }));
        this.host.choose(item.path);
    }

    private setActive(index: number): void {
        this.active = index;
        this.element.querySelectorAll<HTMLElement>("[role=option]").forEach((o, i) => o.setAttribute("aria-selected", String(i === index)));
        const option = this.element.querySelector<HTMLElement>(`[data-index="${index}"]`);
        if (option) {
            this.input.setAttribute("aria-activedescendant", option.id);
            option.scrollIntoView({ block: "nearest" });
        }
    }

    private render(): void {
        const title = document.createElement("div");
        title.className = "r1-completion-title";
        title.textContent = "Attach a file";
        title.setAttribute("aria-hidden", "true");
        const rows: HTMLElement[] = [title];
        if (this.items.length === 0) {
            const empty = document.createElement("div");
            empty.className = "r1-completion-empty";
            empty.textContent = "No matching files";
            rows.push(empty);
        }
        this.items.forEach((item, i) => {
            const option = document.createElement("div");
            option.className = "r1-completion-option";
            option.id = `${this.listId}-${i}`;
            option.dataset.index = String(i);
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", String(i === this.active));
            option.setAttribute("aria-label", item.folder ? `${item.name}, ${item.folder}` : item.name);
            const glyph = document.createElement("span");
            glyph.className = "codicon codicon-file-code";
            glyph.setAttribute("aria-hidden", "true");
            const name = document.createElement("span");
            name.className = "r1-completion-name";
            name.textContent = item.name;
            const folder = document.createElement("span");
            folder.className = "r1-completion-folder";
            folder.textContent = item.folder;
            option.append(glyph, name, folder);
            rows.push(option);
        });
        this.element.replaceChildren(...rows);
        this.element.hidden = false;
        this.input.setAttribute("aria-expanded", "true");
        if (this.items.length) this.setActive(this.active);
        else this.input.removeAttribute("aria-activedescendant");
    }
}
