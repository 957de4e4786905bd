// Markdown → HTML string with `marked`, under the project's rendering policy:
//   - raw HTML written by the model is shown as text (escaped), never interpreted (as VS Code's own chat
//     markdown does with supportHtml off);
//   - links keep an href only when it is an absolute http(s) URL (sanitize.ts turns it into data-r1-href);
//     anything else (javascript:, command:, vscode:, data:, file:, relative) becomes plain text;
//   - images are never loaded: a placeholder shows the alt text;
//   - fenced code is highlighted and marked with data-r1-code="N"; the exact code (the token's text, not
//     the rendered HTML) is recorded in the RenderContext so toolbars can hand it to the host.
// The output still goes through sanitize.ts before it reaches the DOM.
import { Lexer, Parser, Renderer, getDefaults, type Links, type MarkedOptions, type Token, type Tokens, type TokensList } from "marked";
import { highlightCode, resolveLanguage } from "./highlight";
import { safeLinkUrl } from "./sanitize";

/** A fenced or indented code block of a reply, numbered in document order from 0. */
export interface CodeBlockInfo {
    index: number;
    /** The first word of the fence's info string as the model wrote it ("" when none). */
    lang: string;
    /** The code exactly as in the markdown (without the fences). */
    code: string;
    /** False while the block may still grow (its closing fence has not arrived). */
    complete: boolean;
}

/** Per-render state: where code block numbering starts, and where found code blocks are reported. */
export interface RenderContext {
    nextCodeIndex: number;
    /** True when the text being rendered is final (every code block in it is complete). */
    final: boolean;
    codeBlocks: CodeBlockInfo[];
}

export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

/** Does a fenced code block's raw text end with its closing fence? */
export function hasClosingFence(raw: string): boolean {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (!m) return false;
    const fence = m[1];
    const lines = raw.replace(/\n+$/, "").split("\n");
    if (lines.length < 2) return false;
    const last = lines[lines.length - 1];
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
    return close.test(last);
}

class ReplyRenderer extends Renderer {
    context: RenderContext = { nextCodeIndex: 0, final: true, codeBlocks: [] };

    override html(token: Tokens.HTML | Tokens.Tag): string {
        const text = escapeHtml(token.text);
        return "block" in token && token.block ? `<p class="r1-raw-html">${text.replace(/\n+$/, "")}</p>\n` : text;
    }

    override link(token: Tokens.Link): string {
        const inner = token.autolink ? escapeHtml(token.text) : this.parser.parseInline(token.tokens);
        const url = safeLinkUrl(token.href);
        if (url === undefined) return `<span class="r1-link-blocked">${inner}</span>`;
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
        return `<a href="${escapeHtml(url)}"${title}>${inner}</a>`;
    }

    override image(token: Tokens.Image): string {
        // Never an <img>: nothing is fetched. The placeholder names the source when it is a web address
        // (as a tooltip: an image may sit inside a link, and links cannot nest).
        const alt = token.tokens ? this.parser.parseInline(token.tokens, this.parser.textRenderer) : escapeHtml(token.text);
        const url = safeLinkUrl(token.href);
        const title = url === undefined ? "Image not shown" : `Image not shown: ${escapeHtml(url)}`;
        return `<span class="r1-image" title="${title}"><span class="codicon codicon-file-media"></span>${alt || "image"}</span>`;
    }

    override checkbox(token: Tokens.Checkbox): string {
        return token.checked
            ? '<span class="r1-task r1-task-done codicon codicon-pass-filled"></span> '
            : '<span class="r1-task codicon codicon-circle-large-outline"></span> ';
    }

    override code(token: Tokens.Code): string {
        const ctx = this.context;
        const index = ctx.nextCodeIndex++;
        const lang = (token.lang ?? "").match(/^\S*/)?.[0] ?? "";
        const complete = ctx.final || (token.codeBlockStyle !== "indented" && hasClosingFence(token.raw));
        ctx.codeBlocks.push({ index, lang, code: token.text, complete });
        const grammar = resolveLanguage(lang);
        const body = grammar && grammar !== "plaintext" ? highlightCode(token.text, grammar) : escapeHtml(token.text);
        const cls = grammar ? `hljs language-${grammar}` : "hljs";
        return `<pre data-r1-code="${index}"><code class="${cls}">${body}\n</code></pre>\n`;
    }
}

const renderer = new ReplyRenderer();
const options: MarkedOptions = { ...getDefaults(), gfm: true, breaks: false, pedantic: false, async: false, renderer };
const parser = new Parser(options);

/** Block-lexes `src`, resolving reference links against `links` first (earlier definitions win). */
export function lexMarkdown(src: string, links?: Links): TokensList {
    const lexer = new Lexer(options);
    if (links) for (const key of Object.keys(links)) lexer.tokens.links[key] = links[key];
    return lexer.lex(src);
}

/** Renders block tokens to (unsanitized) HTML, numbering code blocks from context.nextCodeIndex. */
export function renderTokens(tokens: Token[], context: RenderContext): string {
    renderer.context = context;
    try {
        return parser.parse(tokens);
    } finally {
        renderer.context = { nextCodeIndex: 0, final: true, codeBlocks: [] };
    }
}

/** A cheap fingerprint of a link map, to notice when reference definitions change. */
export function linksSignature(links: Links): string {
    let s = "";
    for (const key of Object.keys(links)) s += `${key}\u0000${links[key].href}\u0000${links[key].title ?? ""}\u0001`;
    return s;
}
