// The thinking block: the model's chain of thought streamed live as plain text, under a header that is a
// live meter while thinking (elapsed, thought tokens, tokens/s, share of the thinking budget) and becomes a
// one-line summary ("Thought for 14 s · 812 tokens") that opens and closes the block once the answer starts.
//
// Text is only ever inserted as Text nodes (the model cannot inject markup here). Each line is its own
// block element inside a paragraph element, and new text is appended to the last line's Text node, so the
// DOM and layout work per token stay the same however long the thought grows. Paragraphs are grouped in
// chunks of `paragraphsPerChunk`; full chunks are sealed with `content-visibility: auto`, so the browser
// skips laying out and painting those scrolled out of view, while the number of elements it tracks for
// that stays small (one per chunk, not one per paragraph).
import type { FrameScheduler } from "./frameScheduler";
import { StickToBottom } from "./stickToBottom";
import { el, icon } from "../dom";

export interface ThoughtStats {
    /** Thought tokens so far (from the engine). */
    thoughtTokens?: number;
    /** Decode speed, tokens per second. */
    tokensPerSecond?: number;
    /** Thinking time in ms, once the thought has ended (from the engine). */
    thoughtMs?: number;
}

export type ThoughtEnd = "ended" | "budget" | "unclosed";

let nextId = 0;
const paragraphsPerChunk = 16;
const number = new Intl.NumberFormat("en-US");

/** "14 s", "2 min 5 s"; with `precise`, tenths below 10 s ("0.4 s") for short final times. */
function seconds(ms: number, precise = false): string {
    if (precise && ms < 9950) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export class ThoughtView {
    readonly element: HTMLElement;
    private readonly header: HTMLButtonElement;
    private readonly title: HTMLElement;
    private readonly meter: HTMLElement;
    private readonly meterTime: HTMLElement;
    private readonly meterTokens: HTMLElement;
    private readonly meterSpeed: HTMLElement;
    private readonly meterBudget: HTMLElement;
    private readonly budgetBar: HTMLProgressElement;
    private readonly body: HTMLElement;
    private readonly content: HTMLElement;
    private readonly scroll: StickToBottom;

    private pending = "";
    private received = "";
    private chunk: HTMLElement | undefined;
    private chunkParagraphs = 0;
    private paragraph: HTMLElement | undefined;
    private line: Text | undefined;
    private newlines = 0;
    private chars = 0;

    private stats: ThoughtStats = {};
    private startedAt: number | undefined;
    private endedAt: number | undefined;
    private endState: ThoughtEnd | undefined;
    private expanded = true;
    private userToggled = false;
    private ticker: ReturnType<typeof setInterval> | undefined;
    private readonly task = () => this.flush();

    constructor(private readonly scheduler: FrameScheduler, private budget = 0, private readonly onRender?: () => void) {
        const id = `r1-thought-${++nextId}`;
        this.element = el("section", "r1-thought r1-thinking");
        this.element.setAttribute("aria-label", "Model thinking");

        this.header = el("button", "r1-thought-header");
        this.header.type = "button";
        this.header.setAttribute("aria-expanded", "true");
        this.header.setAttribute("aria-controls", id);
        this.title = el("span", "r1-thought-title");
        this.title.textContent = "Thinking";
        this.meterTime = el("span", "r1-meter-item r1-meter-time");
        this.meterTokens = el("span", "r1-meter-item r1-meter-tokens");
        this.meterSpeed = el("span", "r1-meter-item r1-meter-speed");
        this.meterBudget = el("span", "r1-meter-item r1-meter-budget");
        this.meter = el("span", "r1-thought-meter");
        this.meter.append(this.meterTime, this.meterTokens, this.meterSpeed, this.meterBudget);
        this.header.append(icon("chevron-right", "r1-thought-chevron"), icon("sparkle", "r1-thought-icon"), this.title, this.meter);

        this.budgetBar = el("progress", "r1-budget-bar");
        this.budgetBar.max = 100;
        this.budgetBar.setAttribute("aria-hidden", "true"); // the meter says it in words

        this.body = el("div", "r1-thought-body");
        this.body.id = id;
        this.body.tabIndex = 0;
        this.body.setAttribute("role", "log");
        this.body.setAttribute("aria-live", "off");
        this.body.setAttribute("aria-label", "Thought text");
        this.content = el("div", "r1-thought-text");
        this.body.append(this.content);

        this.element.append(this.header, this.budgetBar, this.body);
        this.scroll = new StickToBottom(this.body, { content: this.content });
        this.header.addEventListener("click", () => {
            this.userToggled = true;
            this.setExpanded(!this.expanded);
        });
        this.renderMeter();
    }

    get isExpanded(): boolean {
        return this.expanded;
    }

    get hasText(): boolean {
        return this.chars > 0 || this.pending.length > 0;
    }

    /** The thought text received so far. */
    get text(): string {
        return this.received;
    }

    append(text: string): void {
        if (text.length === 0 || this.endState) return;
        if (this.startedAt === undefined) this.start();
        this.pending += text;
        this.received += text;
        this.scheduler.schedule(this.task);
    }

    setStats(stats: ThoughtStats): void {
        this.stats = { ...this.stats, ...stats };
        this.scheduler.schedule(this.task);
    }

    setBudget(budget: number): void {
        this.budget = budget;
        this.scheduler.schedule(this.task);
    }

    /** The thought is over (closed by </think>, by the budget, or the generation stopped inside it). */
    end(state: ThoughtEnd): void {
        if (this.endState) return;
        this.endState = state;
        this.endedAt = performance.now();
        this.stopTicker();
        this.element.classList.remove("r1-thinking");
        this.element.classList.toggle("r1-thought-unfinished", state === "unclosed");
        this.scheduler.schedule(this.task);
    }

    /** The thought goes on after all (the answer so far was retracted into it): back to the live state. */
    reopen(): void {
        if (!this.endState) return;
        this.endState = undefined;
        this.endedAt = undefined;
        this.element.classList.add("r1-thinking");
        this.element.classList.remove("r1-thought-unfinished");
        if (this.startedAt !== undefined && this.ticker === undefined) this.ticker = setInterval(() => this.scheduler.schedule(this.task), 1000);
        if (!this.userToggled) this.setExpanded(true);
        this.scheduler.schedule(this.task);
    }

    /** Replaces the whole text (the host's final text differs from what streamed). */
    replaceText(text: string): void {
        this.content.replaceChildren();
        this.chunk = undefined;
        this.chunkParagraphs = 0;
        this.paragraph = undefined;
        this.line = undefined;
        this.newlines = 0;
        this.chars = 0;
        this.pending = text;
        this.received = text;
        this.scheduler.schedule(this.task);
    }

    /** Collapses to the summary line, unless the user has opened or closed the block themselves. */
    autoCollapse(): void {
        if (!this.userToggled) this.setExpanded(false);
    }

    setExpanded(expanded: boolean): void {
        this.expanded = expanded;
        this.header.setAttribute("aria-expanded", String(expanded));
        this.element.classList.toggle("r1-collapsed", !expanded);
    }

    dispose(): void {
        this.stopTicker();
        this.scheduler.cancel(this.task);
        this.scroll.dispose();
    }

    /** Writes pending text and numbers into the DOM (once per frame). */
    flush(): void {
        if (this.pending.length > 0) {
            this.write(this.pending);
            this.pending = "";
        }
        this.renderMeter();
        this.onRender?.();
    }

    private start(): void {
        this.startedAt = performance.now();
        // The elapsed time moves on between messages too; once a second is enough for a seconds counter.
        this.ticker = setInterval(() => this.scheduler.schedule(this.task), 1000);
    }

    private stopTicker(): void {
        if (this.ticker !== undefined) clearInterval(this.ticker);
        this.ticker = undefined;
    }

    private write(text: string): void {
        let i = 0;
        while (i < text.length) {
            const nl = text.indexOf("\n", i);
            const end = nl === -1 ? text.length : nl;
            if (end > i) this.writeLine(text.slice(i, end));
            if (nl === -1) break;
            this.newlines++;
            i = nl + 1;
        }
    }

    private writeLine(text: string): void {
        if (!this.paragraph || this.newlines >= 2) {
            if (!this.paragraph) text = text.replace(/^\s+/, ""); // R1 starts its thought with "\n"
            if (text.length === 0) return;
            if (!this.chunk || this.chunkParagraphs >= paragraphsPerChunk) {
                this.chunk?.classList.add("r1-sealed");
                this.chunk = el("div", "r1-tchunk");
                this.chunkParagraphs = 0;
                this.content.append(this.chunk);
            }
            this.paragraph = el("div", "r1-tp");
            this.chunk.append(this.paragraph);
            this.chunkParagraphs++;
            this.newLine();
        } else if (this.newlines === 1) {
            this.newLine();
        }
        this.newlines = 0;
        this.line!.appendData(text);
        this.chars += text.length;
    }

    private newLine(): void {
        const line = el("div", "r1-tl");
        this.line = document.createTextNode("");
        line.append(this.line);
        this.paragraph!.append(line);
    }

    private elapsedMs(): number {
        if (this.stats.thoughtMs !== undefined && this.endState) return this.stats.thoughtMs;
        if (this.startedAt === undefined) return 0;
        return (this.endedAt ?? performance.now()) - this.startedAt;
    }

    private tokens(): { count: number; estimated: boolean } {
        if (this.stats.thoughtTokens !== undefined) return { count: this.stats.thoughtTokens, estimated: false };
        return { count: Math.round((this.chars + this.pending.length) / 4), estimated: true };
    }

    private renderMeter(): void {
        const elapsed = this.elapsedMs();
        const { count, estimated } = this.tokens();
        const tokenText = `${estimated ? "≈" : ""}${number.format(count)} ${count === 1 ? "token" : "tokens"}`;
        const thinking = !this.endState;
        if (thinking) {
            setText(this.title, "Thinking");
        } else {
            const verb = this.endState === "unclosed" ? "Stopped after thinking for" : "Thought for";
            setText(this.title, `${verb} ${seconds(elapsed, true)} · ${tokenText}`);
        }
        setText(this.meterTime, seconds(elapsed));
        setText(this.meterTokens, tokenText);
        const speed = this.stats.tokensPerSecond ?? (elapsed > 1000 ? (count * 1000) / elapsed : undefined);
        setText(this.meterSpeed, speed !== undefined && speed > 0 ? `${speed.toFixed(speed < 10 ? 1 : 0)} tok/s` : "");
        if (this.budget > 0) {
            const used = Math.min(100, (count / this.budget) * 100);
            setText(this.meterBudget, `${Math.round(used)}% of budget`);
            this.meterBudget.title = `${number.format(count)} of ${number.format(this.budget)} thinking tokens`;
            this.budgetBar.value = used;
            this.budgetBar.classList.toggle("r1-budget-high", used >= 90);
            this.budgetBar.hidden = false;
        } else {
            setText(this.meterBudget, "");
            this.budgetBar.hidden = true;
        }
        this.meter.hidden = !thinking;
    }
}

/** Sets text only when it changed, reusing the Text node (no new nodes per frame for the meter). */
function setText(node: HTMLElement, text: string): void {
    const first = node.firstChild;
    if (first instanceof Text && first.nextSibling === null) {
        if (first.data !== text) first.data = text;
    } else if (node.textContent !== text) {
        node.textContent = text;
    }
}
