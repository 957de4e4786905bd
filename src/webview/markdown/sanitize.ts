// The only door from model output to the DOM. Markdown is rendered to an HTML string (markdownRenderer.ts:
// raw HTML in the model's text is escaped there, links and images rewritten); this module then parses that
// string with DOMPurify under an allow-list of exactly the elements and attributes our renderer emits, so
// that a bug or a gap upstream still cannot put a script, a style, a frame, a form, SVG/MathML, an event
// handler, a style attribute or a non-http(s) URL into the page.
//
// Links never keep an `href`: a click inside a VS Code webview on <a href> is opened by the webview host
// without asking. A sanitized link carries its (http/https only, normalized) URL in `data-r1-href`, is
// focusable, and clicks on it go to a callback that asks the extension to confirm (see replyView.ts).
import DOMPurify, { type Config } from "dompurify";

/** Elements the markdown renderer produces. Everything else is dropped (text content kept). */
const allowedTags = [
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"
];
const allowedAttributes = ["href", "title", "class", "start", "align", "data-r1-code"];

/** Named explicitly too, so that a future edit of the allow-list cannot let them in by accident. */
export const forbiddenTags = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "option", "svg", "math", "link", "meta", "base", "img", "picture", "source", "video",
    "audio", "track", "canvas", "template", "noscript", "portal", "dialog", "details", "marquee"
];
const forbiddenAttributes = [
    "style", "id", "name", "src", "srcset", "action", "formaction", "xlink:href", "background", "poster", "ping",
    "target", "download", "srcdoc", "is", "autofocus", "contenteditable", "tabindex"
];

const config: Config & { RETURN_DOM_FRAGMENT: true } = {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttributes,
    FORBID_TAGS: forbiddenTags,
    FORBID_ATTR: forbiddenAttributes,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ALLOW_SELF_CLOSE_IN_ATTR: false,
    // Applies to every attribute not listed as URI-safe: only links may hold URLs, and only http(s).
    ALLOWED_URI_REGEXP: /^https?:\/\//i,
    ADD_URI_SAFE_ATTR: ["start", "align", "data-r1-code"],
    SAFE_FOR_TEMPLATES: false,
    SANITIZE_DOM: true,
    SANITIZE_NAMED_PROPS: true,
    KEEP_CONTENT: true,
    WHOLE_DOCUMENT: false,
    RETURN_DOM_FRAGMENT: true
};

const classToken = /^(?:hljs(?:-[a-z_]+)*|[a-z]+_{1,2}|language-[a-z0-9+#-]{1,32}|r1-[a-z0-9-]{1,40}|codicon(?:-[a-z0-9-]{1,40})?)$/;

let purifier: ReturnType<typeof DOMPurify> | undefined;

function instance(): ReturnType<typeof DOMPurify> {
    if (purifier) return purifier;
    // A private instance: its hooks cannot leak into (or be changed by) other users of DOMPurify.
    const p = DOMPurify(window);
    p.addHook("uponSanitizeAttribute", (node, event) => {
        const name = event.attrName;
        const value = event.attrValue;
        if (name === "class") {
            const kept = value.split(/\s+/).filter((t) => classToken.test(t));
            if (kept.length === 0) event.keepAttr = false;
            else event.attrValue = kept.join(" ");
        } else if (name === "align") {
            event.keepAttr = value === "left" || value === "center" || value === "right";
        } else if (name === "start") {
            event.keepAttr = node.nodeName === "OL" && /^\d{1,9}$/.test(value);
        } else if (name === "data-r1-code") {
            event.keepAttr = node.nodeName === "PRE" && /^\d{1,6}$/.test(value);
        } else if (name === "href") {
            event.keepAttr = node.nodeName === "A" && safeLinkUrl(value) !== undefined;
        }
    });
    p.addHook("afterSanitizeAttributes", (node) => {
        if (node.nodeName !== "A") return;
        const url = safeLinkUrl(node.getAttribute("href") ?? "");
        node.removeAttribute("href");
        if (url === undefined) return;
        node.setAttribute("data-r1-href", url);
        node.setAttribute("role", "link");
        node.setAttribute("tabindex", "0");
        if (!node.hasAttribute("title")) node.setAttribute("title", url);
    });
    purifier = p;
    return p;
}

/**
 * The absolute http(s) URL `raw` denotes, normalized by the URL parser (so that what is shown, checked and
 * sent to the host is the same string), or undefined for anything else: relative, javascript:, data:,
 * command:, vscode:, file:, credentials in the URL, or unparsable.
 */
export function safeLinkUrl(raw: string): string | undefined {
    const trimmed = raw.trim();
    if (!/^https?:\/\//i.test(trimmed)) return undefined;
    let url: URL;
    try {
        url = new URL(trimmed);
    } catch {
        return undefined;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.username || url.password || !url.hostname) return undefined;
    return url.href;
}

/** Sanitizes renderer output into a fragment of the current document, ready to insert. */
export function sanitizeToFragment(html: string): DocumentFragment {
    return instance().sanitize(html, config);
}
