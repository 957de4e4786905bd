// Small DOM builders the webview's views share.

/** A new element with its class names and, when given, its text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

/** A codicon glyph (hidden from screen readers: the control it sits in carries the label). */
export function icon(name: string, extra = ""): HTMLElement {
    const span = el("span", `codicon codicon-${name}${extra ? ` ${extra}` : ""}`);
    span.setAttribute("aria-hidden", "true");
    return span;
}
