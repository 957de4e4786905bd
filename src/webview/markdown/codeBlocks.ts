// The frame around each code block of an answer: a header with the language and Copy / Insert at Cursor /
// Apply buttons. Built with DOM calls (not HTML strings) around the sanitized <pre data-r1-code="N">.
// Buttons carry no code: a click is resolved to the block's index, and the code is looked up in the
// markdown stream's record of tokens, so what reaches the host is exactly what the model wrote.
import type { CodeBlockInfo } from "./markdownRenderer";
import { icon } from "../dom";

export type CodeAction = "copy" | "insert" | "apply";

export interface CodeActionRequest {
    action: CodeAction;
    blockIndex: number;
    lang: string;
    code: string;
}

const actions: { action: CodeAction; label: string; icon: string; whileStreaming: boolean }[] = [
    { action: "copy", label: "Copy", icon: "copy", whileStreaming: true },
    { action: "insert", label: "Insert at Cursor", icon: "insert", whileStreaming: false },
    { action: "apply", label: "Apply in Editor", icon: "git-pull-request-go-to-changes", whileStreaming: false }
];

/** Wraps every `pre[data-r1-code]` of a sanitized fragment in a code block frame with its toolbar. */
export function decorateCodeBlocks(fragment: DocumentFragment, lookup: (index: number) => CodeBlockInfo | undefined): void {
    for (const pre of fragment.querySelectorAll<HTMLPreElement>("pre[data-r1-code]")) {
        const index = Number(pre.getAttribute("data-r1-code"));
        pre.removeAttribute("data-r1-code");
        const info = lookup(index);
        if (!info) continue;

        const frame = document.createElement("div");
        frame.className = "r1-codeblock";
        frame.dataset.r1Code = String(index);
        if (!info.complete) frame.classList.add("r1-streaming");

        const header = document.createElement("div");
        header.className = "r1-codeblock-header";
        const lang = document.createElement("span");
        lang.className = "r1-codeblock-lang";
        lang.textContent = info.lang || "text";
        header.append(lang);

        const bar = document.createElement("div");
        bar.className = "r1-codeblock-actions";
        bar.setAttribute("role", "toolbar");
        bar.setAttribute("aria-label", `Code block ${index + 1} actions`);
        for (const a of actions) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "r1-icon-button";
            button.dataset.r1Action = a.action;
            button.title = a.label;
            button.setAttribute("aria-label", a.label);
            button.append(icon(a.icon));
            if (!info.complete && !a.whileStreaming) button.disabled = true;
            bar.append(button);
        }
        header.append(bar);

        pre.replaceWith(frame);
        frame.append(header, pre);
    }
}

/**
 * Turns Apply into "Create file" on the frames under `root` whose code would create a file (`files`: code → the
 * path, from the host, which checked that no such file exists). The button still sends "apply": the host decides.
 */
export function markNewFiles(root: ParentNode, lookup: (index: number) => CodeBlockInfo | undefined, files: ReadonlyMap<string, string>): void {
    if (files.size === 0) return;
    for (const frame of root.querySelectorAll<HTMLElement>(".r1-codeblock")) {
        const info = lookup(Number(frame.dataset.r1Code));
        const path = info && files.get(info.code.replace(/\s+$/, ""));
        const button = frame.querySelector<HTMLButtonElement>('button[data-r1-action="apply"]');
        if (!path || !button || frame.dataset.r1NewFile === path) continue;
        frame.dataset.r1NewFile = path;
        const label = `Create file ${path}`;
        button.title = label;
        button.setAttribute("aria-label", label);
        button.replaceChildren(icon("new-file"));
        const note = document.createElement("span");
        note.className = "r1-codeblock-file";
        note.textContent = `new file ${path}`;
        frame.querySelector(".r1-codeblock-lang")?.after(note);
    }
}

/** The code block action a click asks for, or undefined when the click is not on an enabled action button. */
export function codeActionFromEvent(event: Event, lookup: (index: number) => CodeBlockInfo | undefined): CodeActionRequest | undefined {
    const target = event.target;
    if (!(target instanceof Element)) return undefined;
    const button = target.closest<HTMLButtonElement>("button[data-r1-action]");
    if (!button || button.disabled) return undefined;
    const frame = button.closest<HTMLElement>(".r1-codeblock");
    const action = button.dataset.r1Action as CodeAction;
    if (!frame || !actions.some((a) => a.action === action)) return undefined;
    const info = lookup(Number(frame.dataset.r1Code));
    if (!info) return undefined;
    return { action, blockIndex: info.index, lang: info.lang, code: info.code };
}

/** Brief "done" feedback on a button (the check icon), e.g. after Copy. */
export function flashDone(event: Event): void {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    const glyph = button?.querySelector(".codicon");
    if (!button || !glyph) return;
    const original = glyph.className;
    glyph.className = "codicon codicon-check";
    button.classList.add("r1-done");
    setTimeout(() => {
        glyph.className = original;
        button.classList.remove("r1-done");
    }, 1200);
}
