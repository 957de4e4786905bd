// Incremental markdown rendering for a streaming answer, at a cost per appended token that does not grow
// with the length of the reply.
//
// The text is split into completed top-level blocks, each lexed, rendered, sanitized and inserted once and
// then left alone, and the open tail (the blocks that later text may still change), re-rendered on each
// flush. Only the tail is lexed per flush, starting from the end of the last completed block.
//
// When is a block complete? marked's block lexer decides line by line whether a line continues the current
// block (a paragraph, a list, a table, a fence...). A block is therefore final as soon as the lexer has
// started a later, non-blank block whose first line is complete: nothing appended afterwards can change the
// decision that ended it. Blank lines alone decide nothing (a list continues after one); an incomplete line
// decides nothing ("-" may become a list item, a rule or a setext underline); an unclosed fence runs to the
// end of the text, so it stays in the tail until it closes.
//
// Reference links: a definition may come after its use ([docs] ... [docs]: https://...). Completed blocks
// that contain brackets are re-rendered whenever the set of definitions changes (rare), so the result
// always equals a render of the whole text at once (tests check this over many texts and chunkings).
//
// Completed blocks are grouped in wrapper elements of `blocksPerChunk` blocks (div.r1-mdchunk), so the
// answer element has few children: re-laying out the tail then costs the same whether the answer has 20
// blocks or 2,000 (a flat list of N children costs O(N) per layout). A full chunk is sealed
// (class r1-sealed: `content-visibility: auto`), so the browser skips style, layout, paint and
// compositing work inside the chunks scrolled out of view. The grouping depends only on the sequence of
// rendered nodes, so an incremental render and a one-pass render still produce the same DOM.
//
// Re-rendering the tail is proportional to the tail's size. A very large open block (a 300-line code fence
// still streaming) is re-rendered at most every few frames, spaced by its measured cost, so rendering never
// takes more than about a third of the main thread whatever the block size.
import type { Links, Token, TokensList } from "marked";
import { decorateCodeBlocks, markNewFiles } from "./codeBlocks";
import type { FrameScheduler } from "../reply/frameScheduler";
import { lexMarkdown, linksSignature, renderTokens, type CodeBlockInfo, type RenderContext } from "./markdownRenderer";
import { sanitizeToFragment } from "./sanitize";

interface CommittedBlock {
    raw: string;
    nodes: Node[];
    codeStart: number;
    /** Contains something that may be a reference link, so it depends on link definitions. */
    mayUseRefs: boolean;
}

/** Completed blocks (top-level elements) per wrapper element. */
const blocksPerChunk = 16;
/** Longest time, ms, a pending tail render is postponed because the previous one was slow. */
const maxTailDelayMs = 250;
/** A tail render waits this many times its previous cost before running again. */
const tailCostFactor = 2;

export class MarkdownStream {
    readonly element: HTMLElement;
    /** Text of the completed blocks (appended to, read only by `text`). */
    private committedText = "";
    /** Text not yet in a completed block: the only part lexed per flush. */
    private tailText = "";
    private heldCarriageReturn = false;
    private readonly blocks: CommittedBlock[] = [];
    private committedLinks: Links = Object.create(null) as Links;
    private linkSig = "";
    private tailNodes: Node[] = [];
    private chunk: HTMLElement | undefined;
    private chunkBlocks = 0;
    private committedCodeCount = 0;
    private readonly codeBlocks: CodeBlockInfo[] = [];
    /** Code → path of the blocks whose Apply creates a file (markNewFiles). */
    private readonly newFiles = new Map<string, string>();
    private finished = false;
    private dirty = false;
    private notBefore = 0;
    private readonly task = (now: number) => this.flush(now);

    /** `onRender` runs after each DOM update (e.g. to keep the view scrolled to the bottom). */
    constructor(private readonly scheduler: FrameScheduler, private readonly onRender?: () => void) {
        this.element = document.createElement("div");
        this.element.className = "r1-markdown";
    }

    /** The whole (normalized) markdown text received so far. */
    get text(): string {
        return this.committedText + this.tailText + (this.heldCarriageReturn ? "\n" : "");
    }

    get isFinished(): boolean {
        return this.finished;
    }

    /** The code block with this index (document order from 0), with its exact code. */
    codeBlock(index: number): CodeBlockInfo | undefined {
        return this.codeBlocks[index];
    }

    /** Shows "Create file" on the blocks with this code, now and when they are drawn again. */
    markNewFiles(files: ReadonlyArray<{ code: string; path: string }>): void {
        for (const f of files) this.newFiles.set(f.code.replace(/\s+$/, ""), f.path);
        markNewFiles(this.element, (i) => this.codeBlocks[i], this.newFiles);
    }

    get codeBlockCount(): number {
        return this.codeBlocks.length;
    }

    append(chunk: string): void {
        if (this.finished || chunk.length === 0) return;
        // Line endings as marked normalizes them, without splitting a "\r\n" across two chunks.
        let text = (this.heldCarriageReturn ? "\r" : "") + chunk;
        this.heldCarriageReturn = text.endsWith("\r");
        if (this.heldCarriageReturn) text = text.slice(0, -1);
        this.tailText += text.replace(/\r\n?/g, "\n");
        this.markDirty();
    }

    /** No more text: render everything as final (in the next frame, or now with `flushNow`). */
    finish(): void {
        if (this.finished) return;
        if (this.heldCarriageReturn) this.tailText += "\n";
        this.heldCarriageReturn = false;
        this.finished = true;
        this.notBefore = 0;
        this.markDirty();
    }

    /** Forgets everything: the answer is empty again and streaming may start over. */
    reset(): void {
        this.scheduler.cancel(this.task);
        this.element.replaceChildren();
        this.committedText = "";
        this.tailText = "";
        this.heldCarriageReturn = false;
        this.blocks.length = 0;
        this.committedLinks = Object.create(null) as Links;
        this.linkSig = "";
        this.tailNodes = [];
        this.chunk = undefined;
        this.chunkBlocks = 0;
        this.committedCodeCount = 0;
        this.codeBlocks.length = 0;
        this.finished = false;
        this.dirty = false;
        this.notBefore = 0;
        this.onRender?.();
    }

    /**
     * Renders a complete text in one pass (restored history, or a reply that arrives whole): one lexer run,
     * one render, one sanitization. Also the reference the incremental path is tested against.
     */
    renderComplete(text: string): void {
        this.scheduler.cancel(this.task);
        const source = text.replace(/\r\n?/g, "\n");
        this.committedText = source;
        this.tailText = "";
        this.heldCarriageReturn = false;
        this.finished = true;
        this.dirty = false;
        for (const block of this.blocks) for (const node of block.nodes) node.parentNode?.removeChild(node);
        this.blocks.length = 0;
        this.removeTail();
        this.element.replaceChildren();
        this.chunk = undefined;
        this.chunkBlocks = 0;
        this.codeBlocks.length = 0;
        const tokens = lexMarkdown(source);
        const ctx: RenderContext = { nextCodeIndex: 0, final: true, codeBlocks: [] };
        const nodes = this.build(renderTokens(tokens, ctx), ctx);
        this.appendCompleted(nodes);
        this.blocks.push({ raw: source, nodes, codeStart: 0, mayUseRefs: false });
        this.committedCodeCount = this.codeBlocks.length;
        this.committedLinks = tokens.links;
        this.linkSig = linksSignature(tokens.links);
        this.onRender?.();
    }

    /** Renders pending text now instead of in the next frame. */
    flushNow(): void {
        this.scheduler.cancel(this.task);
        this.notBefore = 0;
        this.flush(performance.now());
    }

    private markDirty(): void {
        this.dirty = true;
        this.scheduler.schedule(this.task);
    }

    private flush(now: number): void {
        if (!this.dirty) return;
        if (now < this.notBefore) {
            this.scheduler.schedule(this.task); // a slow tail: try again in a later frame
            return;
        }
        const t0 = performance.now();
        this.dirty = false;
        const tail = this.tailText;
        const tokens = lexMarkdown(tail, this.committedLinks);
        const commitCount = this.finished ? tokens.length : stablePrefixLength(tokens, tail);

        this.removeTail();
        const committedBefore = this.committedText;
        let consumed = 0;
        for (let i = 0; i < commitCount; i++) {
            this.commit(tokens[i]);
            consumed += tokens[i].raw.length;
        }
        // Completed text leaves the tail, so the next flush lexes (and the engine flattens) only what is open.
        if (this.finished) {
            this.committedText = committedBefore + tail; // exactly the text, whatever marked did with the raws
            this.tailText = "";
        } else if (consumed > 0) {
            this.tailText = tail.slice(consumed);
        }

        const tailTokens = tokens.slice(commitCount);
        if (tailTokens.length > 0) {
            this.codeBlocks.length = this.committedCodeCount;
            const ctx: RenderContext = { nextCodeIndex: this.committedCodeCount, final: this.finished, codeBlocks: [] };
            this.tailNodes = this.build(renderTokens(tailTokens, ctx), ctx);
            this.element.append(...this.tailNodes);
        }

        const sig = linksSignature(tokens.links);
        if (sig !== this.linkSig) {
            this.linkSig = sig;
            this.rerenderReferenceBlocks(tokens.links);
        }
        this.onRender?.();
        const cost = performance.now() - t0;
        this.notBefore = this.finished ? 0 : now + Math.min(maxTailDelayMs, cost * tailCostFactor);
    }

    private commit(token: Token): void {
        this.committedText += token.raw;
        if (token.type === "space") return;
        collectDefinitions(token, this.committedLinks);
        const ctx: RenderContext = { nextCodeIndex: this.committedCodeCount, final: true, codeBlocks: [] };
        this.codeBlocks.length = this.committedCodeCount;
        const nodes = this.build(renderTokens([token], ctx), ctx);
        this.appendCompleted(nodes);
        this.blocks.push({ raw: token.raw, nodes, codeStart: this.committedCodeCount, mayUseRefs: /\[[^\]\n]*\]/.test(token.raw) });
        this.committedCodeCount = ctx.nextCodeIndex;
    }

    private rerenderReferenceBlocks(links: Links): void {
        for (const block of this.blocks) {
            if (!block.mayUseRefs || block.nodes.length === 0) continue;
            const ctx: RenderContext = { nextCodeIndex: block.codeStart, final: true, codeBlocks: [] };
            const html = renderTokens(lexMarkdown(block.raw, links), ctx);
            const nodes = this.build(html, ctx);
            const first = block.nodes[0];
            for (const node of nodes) first.parentNode?.insertBefore(node, first);
            for (const node of block.nodes) node.parentNode?.removeChild(node);
            block.nodes = nodes;
        }
    }

    /** Sanitizes rendered HTML, records the code blocks it holds, and adds their toolbars. */
    private build(html: string, ctx: RenderContext): Node[] {
        for (const info of ctx.codeBlocks) this.codeBlocks[info.index] = info;
        const fragment = sanitizeToFragment(html);
        decorateCodeBlocks(fragment, (i) => this.codeBlocks[i]);
        markNewFiles(fragment, (i) => this.codeBlocks[i], this.newFiles);
        return [...fragment.childNodes];
    }

    /** Appends completed nodes, opening a new chunk before an element that would overfill the current one. */
    private appendCompleted(nodes: Node[]): void {
        for (const node of nodes) {
            const isBlock = node.nodeType === Node.ELEMENT_NODE;
            if (!this.chunk || (isBlock && this.chunkBlocks >= blocksPerChunk)) {
                this.chunk?.classList.add("r1-sealed");
                this.chunk = document.createElement("div");
                this.chunk.className = "r1-mdchunk";
                this.chunkBlocks = 0;
                this.element.append(this.chunk);
            }
            this.chunk.append(node);
            if (isBlock) this.chunkBlocks++;
        }
    }

    private removeTail(): void {
        for (const node of this.tailNodes) node.parentNode?.removeChild(node);
        this.tailNodes = [];
    }
}

/**
 * How many leading tokens are final: all tokens before the last non-blank token whose first line is
 * complete (see the comment at the top). 0 when the raw texts do not line up with the source, which would
 * mean marked rewrote something: then nothing is committed and the whole tail is simply re-rendered.
 */
export function stablePrefixLength(tokens: TokensList | Token[], tail: string): number {
    let count = 0;
    for (let j = tokens.length - 1; j >= 1; j--) {
        const t = tokens[j];
        if (t.type !== "space" && t.raw.includes("\n")) {
            count = j;
            break;
        }
    }
    let offset = 0;
    for (let i = 0; i < count; i++) {
        const raw = tokens[i].raw;
        if (!tail.startsWith(raw, offset)) return 0;
        offset += raw.length;
    }
    return count;
}

/** Adds the link reference definitions inside a block (top level or nested) to `links`; first one wins. */
function collectDefinitions(token: Token, links: Links): void {
    if (token.type === "def") {
        const def = token as Token & { tag: string; href: string; title: string };
        if (!(def.tag in links)) links[def.tag] = { href: def.href, title: def.title };
        return;
    }
    if (token.type === "list") for (const item of (token as Token & { items: Token[] }).items) collectDefinitions(item, links);
    const children = (token as { tokens?: Token[] }).tokens;
    if (token.type !== "paragraph" && Array.isArray(children)) for (const child of children) collectDefinitions(child, links);
}
