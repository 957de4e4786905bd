// The prompt box: chips of attached code, the textarea (Enter sends, Shift+Enter is a new line, `@` attaches a
// file), Attach, and Send, which becomes Stop while a reply is generated. Tab order: chips' remove buttons,
// the textarea, Attach, Send/Stop.
import type { ContextChip, FileSuggestion } from "../../shared/webviewProtocol";
import { renderChips } from "./contextChips";
import { FileCompletion } from "./fileCompletion";

export interface ComposerCallbacks {
    send(text: string): void;
    stop(): void;
    attach(): void;
    removeContext(id: string): void;
    /** `@` completion: ask for files; returns the request id. */
    queryFiles(query: string): number;
    addFile(path: string): void;
    /** The text in the box changed (to keep it across reloads of the webview). */
    draftChanged(text: string): void;
}

function iconButton(className: string, icon: string, label: string, type: "submit" | "button"): HTMLButtonElement {
    const button = document.createElement("button");
    button.className = `r1-icon-button ${className}`;
    button.type = type;
    button.title = label;
    button.setAttribute("aria-label", label);
    const glyph = document.createElement("span");
    glyph.className = `codicon codicon-${icon}`;
    glyph.setAttribute("aria-hidden", "true");
    button.append(glyph);
    return button;
}

export class Composer {
    readonly element: HTMLFormElement;
    readonly input: HTMLTextAreaElement;
    private readonly chips: HTMLElement;
    private readonly sendButton: HTMLButtonElement;
    private readonly stopButton: HTMLButtonElement;
    private readonly completion: FileCompletion;
    private busy = false;
    private chipItems: ContextChip[] = [];

    constructor(private readonly callbacks: ComposerCallbacks) {
        this.element = document.createElement("form");
        this.element.className = "composer";
        this.element.setAttribute("aria-label", "Message to R1");
        this.chips = document.createElement("div");
        this.chips.className = "r1-composer-chips";

        this.input = document.createElement("textarea");
        this.input.className = "prompt";
        this.input.rows = 3;
        this.input.placeholder = "Ask R1 about your code… (@ to attach a file)";
        this.input.setAttribute("aria-label", "Message to R1. Enter sends, Shift+Enter starts a new line, @ attaches a file.");
        this.completion = new FileCompletion(this.input, {
            query: (q) => callbacks.queryFiles(q),
            choose: (path) => callbacks.addFile(path)
        });

        const attach = iconButton("attach", "attach", "Attach Code (selection, current file, any file)", "button");
        const hint = document.createElement("span");
        hint.className = "composer-hint";
        hint.textContent = "Shift+Enter: new line";
        hint.setAttribute("aria-hidden", "true");
        this.stopButton = iconButton("stop", "debug-stop", "Stop (Escape)", "button");
        this.stopButton.hidden = true;
        this.sendButton = iconButton("send", "send", "Send (Enter)", "submit");
        const actions = document.createElement("div");
        actions.className = "composer-actions";
        actions.append(attach, hint, this.stopButton, this.sendButton);
        this.element.append(this.completion.element, this.chips, this.input, actions);

        this.element.addEventListener("submit", (e) => {
            e.preventDefault();
            this.submit();
        });
        this.input.addEventListener("keydown", (e) => this.onKeyDown(e));
        this.input.addEventListener("input", () => {
            this.updateSend();
            this.completion.update();
            callbacks.draftChanged(this.input.value);
        });
        this.input.addEventListener("click", () => this.completion.update());
        attach.addEventListener("click", () => callbacks.attach());
        this.stopButton.addEventListener("click", () => callbacks.stop());
        this.updateSend();
    }

    get draft(): string {
        return this.input.value;
    }

    setDraft(text: string): void {
        this.input.value = text;
        this.updateSend();
    }

    focus(): void {
        this.input.focus();
    }

    setChips(items: ContextChip[]): void {
        const hadFocus = this.chips.contains(document.activeElement);
        const focusedIndex = hadFocus ? [...this.chips.querySelectorAll(".r1-chip-remove")].indexOf(document.activeElement as Element) : -1;
        this.chipItems = items;
        this.chips.replaceChildren(renderChips(items, (chip) => this.callbacks.removeContext(chip.id)));
        if (hadFocus) {
            // Keyboard removal: the focus goes to the chip that took its place, else to the textarea.
            const buttons = this.chips.querySelectorAll<HTMLButtonElement>(".r1-chip-remove");
            (buttons[Math.min(focusedIndex, buttons.length - 1)] ?? this.input).focus();
        }
    }

    setBusy(busy: boolean): void {
        const hadFocus = document.activeElement === this.sendButton || document.activeElement === this.stopButton;
        this.busy = busy;
        this.stopButton.hidden = !busy;
        this.sendButton.hidden = busy;
        if (hadFocus) (busy ? this.stopButton : this.sendButton).focus();
        this.updateSend();
    }

    showSuggestions(requestId: number, items: FileSuggestion[]): void {
        this.completion.show(requestId, items);
    }

    private onKeyDown(e: KeyboardEvent): void {
        if (this.completion.onKeyDown(e)) return;
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            this.submit();
            return;
        }
        if (e.key === "Escape" && this.busy) {
            e.preventDefault();
            this.callbacks.stop();
            return;
        }
        // Backspace at the very start: to the last chip (its remove button), so chips can be removed from the keyboard.
        if (e.key === "Backspace" && this.input.selectionStart === 0 && this.input.selectionEnd === 0 && this.chipItems.length > 0) {
            const buttons = this.chips.querySelectorAll<HTMLButtonElement>(".r1-chip-remove");
            const last = buttons[buttons.length - 1];
            if (last) {
                e.preventDefault();
                last.focus();
            }
        }
    }

    private submit(): void {
        const text = this.input.value.trim();
        if (!text || this.busy) return;
        this.callbacks.send(text);
        this.setDraft("");
        this.callbacks.draftChanged("");
    }

    private updateSend(): void {
        this.sendButton.disabled = this.input.value.trim() === "";
    }

}
