// One assistant reply: a header, the thinking block, notices, and the markdown answer with code block
// toolbars. The chat view drives it with the engine's stream (applyProgress, or appendThought /
// appendAnswer / setStats / setThoughtState / addNotice / retractAnswer one by one, then finish) or renders
// a finished turn at once (restore).
//
// Nothing here posts to the host directly: code block buttons and link clicks go to the callbacks given
// at construction, so the chat view decides how they reach the extension.
import type { ReasonProgress, ReasonStats, StopReason, ThoughtState } from "../../shared/lspProtocol";
import { codeActionFromEvent, flashDone, type CodeActionRequest } from "../markdown/codeBlocks";
import type { FrameScheduler } from "./frameScheduler";
import { MarkdownStream } from "../markdown/markdownStream";
import { isThoughtNotice, noticeKey, renderNotice, type ReplyNotice } from "./notices";
import { ThoughtView } from "./thoughtView";
import { el } from "../dom";

export interface ReplyCallbacks {
    /** A code block button was pressed; `code` is the block's exact text from the markdown. */
    onCodeAction(request: CodeActionRequest): void;
    /** A link was activated: always an absolute http(s) URL. The page never navigates by itself. */
    onOpenLink(url: string): void;
}

export interface ReplyViewOptions extends ReplyCallbacks {
    scheduler: FrameScheduler;
    /** Thought tokens allowed (0 or absent: no limit). */
    thoughtBudget?: number;
    /** Second line of the header, e.g. the model name. */
    model?: string;
    /** Runs after each DOM update (e.g. to keep the conversation scrolled to the bottom). */
    onRender?: () => void;
}

/** How a reply ended (a ReasonResult fits). */
export interface ReplyEnd {
    stopReason: StopReason;
    thoughtState?: ThoughtState;
    stats?: Partial<ReasonStats>;
    notices?: ReplyNotice[];
    /** Shown when stopReason is "error". */
    error?: string;
    /** The final thought and answer: when given and different from what streamed, they replace it. */
    reasoning?: string;
    answer?: string;
    /** Model name for the header, when the reply did not start with one. */
    model?: string;
}

/** A finished turn, rendered in one pass. */
export interface ReplySnapshot extends ReplyEnd {
    reasoning: string;
    answer: string;
}

export class ReplyView {
    readonly element: HTMLElement;
    readonly thought: ThoughtView;
    readonly answer: MarkdownStream;
    private readonly header: HTMLElement;
    /** Before the thought: the model loading. */
    private readonly startNotices: HTMLElement;
    private readonly thoughtNotices: HTMLElement;
    private readonly endNotices: HTMLElement;
    private usageRow: HTMLElement | undefined;
    private readonly shownNotices = new Set<string>();
    private thoughtState: ThoughtState = "none";
    private answerStarted = false;
    private finished = false;
    /** The model-loading notice while the model loads: its time counts up until the first token. */
    private loading: { text: HTMLElement; icon: HTMLElement; model: string; start: number; timer: ReturnType<typeof setInterval> } | undefined;

    constructor(private readonly options: ReplyViewOptions) {
        this.element = el("article", "r1-reply r1-streaming");
        this.element.setAttribute("aria-label", "R1 reply");

        const header = el("header", "r1-turn-header");
        this.header = header;
        const avatar = el("span", "r1-avatar r1-avatar-model");
        const glyph = el("span", "codicon codicon-sparkle");
        glyph.setAttribute("aria-hidden", "true");
        avatar.append(glyph);
        const name = el("span", "r1-turn-name");
        name.textContent = "R1 Reasoner";
        header.append(avatar, name);
        if (options.model) this.setModel(options.model);

        this.thought = new ThoughtView(options.scheduler, options.thoughtBudget ?? 0, options.onRender);
        this.thought.element.hidden = true;
        this.startNotices = el("div", "r1-notices r1-start-notices");
        this.thoughtNotices = el("div", "r1-notices");
        this.answer = new MarkdownStream(options.scheduler, options.onRender);
        this.endNotices = el("div", "r1-notices");
        this.element.append(header, this.startNotices, this.thought.element, this.thoughtNotices, this.answer.element, this.endNotices);

        this.element.addEventListener("click", (e) => this.onClick(e));
        this.element.addEventListener("auxclick", (e) => this.onLinkEvent(e));
        this.element.addEventListener("keydown", (e) => {
            if (e.key === "Enter") this.onLinkEvent(e);
        });
    }

    /** Applies one batch of the engine's stream, in the documented order: retraction, thought, answer. */
    applyProgress(progress: ReasonProgress & { notices?: ReplyNotice[] }): void {
        if (progress.answerRetracted) this.retractAnswer();
        if (progress.thought) this.appendThought(progress.thought);
        if (progress.answer) this.appendAnswer(progress.answer);
        this.setThoughtState(progress.thoughtState);
        this.setStats(progress.stats);
        for (const notice of progress.notices ?? []) this.addNotice(notice);
    }

    /** Shows the model name in the header. */
    setModel(model: string): void {
        let detail = this.header.querySelector<HTMLElement>(".r1-turn-detail");
        if (!detail) {
            detail = el("span", "r1-turn-detail");
            this.header.append(detail);
        }
        detail.textContent = model;
    }

    /**
     * The answer shown so far was still reasoning (the model wrote `</think>` later): clear it; the engine
     * repeats its text at the start of the next thought delta. The thinking block goes live again.
     */
    retractAnswer(): void {
        this.answer.reset();
        this.answerStarted = false;
        this.thoughtState = "thinking";
        this.thought.element.hidden = false;
        this.thought.reopen();
        this.addNotice({ kind: "thinkTagOnly" });
    }

    appendThought(text: string): void {
        if (text.length === 0) return;
        this.endLoading(true);
        this.thought.element.hidden = false;
        this.thought.append(text);
    }

    appendAnswer(text: string): void {
        if (text.length === 0) return;
        this.endLoading(true);
        this.answer.append(text);
        if (!this.answerStarted && /\S/.test(text)) {
            this.answerStarted = true;
            this.endThought("ended");
            this.thought.autoCollapse();
        }
    }

    setStats(stats: Partial<ReasonStats>): void {
        this.thought.setStats({
            thoughtTokens: stats.thoughtTokens,
            tokensPerSecond: stats.tokensPerSecond,
            thoughtMs: stats.thoughtMs
        });
        if (stats.usage) this.showUsage(stats.usage);
    }

    /** The token counts a remote server reported (its `usage`), under the answer. */
    private showUsage(usage: NonNullable<ReasonStats["usage"]>): void {
        const n = (value: number): string => value.toLocaleString("en-US");
        if (!this.usageRow) {
            this.usageRow = el("div", "r1-usage");
            this.endNotices.after(this.usageRow);
        }
        this.usageRow.textContent = `Server usage: ${n(usage.promptTokens)} prompt · ${n(usage.completionTokens)} completion` +
            (usage.reasoningTokens !== undefined ? ` (${n(usage.reasoningTokens)} reasoning)` : "") + " tokens";
    }

    setThoughtState(state: ThoughtState): void {
        if (state === this.thoughtState) return;
        this.thoughtState = state;
        switch (state) {
            case "thinking":
                break;
            case "ended":
                this.endThought("ended");
                break;
            case "budget":
                this.endThought("budget");
                if (this.options.thoughtBudget) this.addNotice({ kind: "budgetHit", budget: this.options.thoughtBudget });
                break;
            case "unclosed":
                this.endThought("unclosed");
                break;
            case "empty":
                this.endThought("ended");
                if (!this.thought.hasText) this.thought.element.hidden = true;
                break;
            case "noTemplate":
                this.endThought("ended");
                if (!this.thought.hasText) this.thought.element.hidden = true;
                this.addNotice({ kind: "info", message: "This model has no DeepSeek-R1 chat template, so its reasoning cannot be shown apart from the answer." });
                break;
            case "none":
                break;
        }
    }

    addNotice(notice: ReplyNotice): void {
        const key = noticeKey(notice);
        if (this.shownNotices.has(key)) return;
        this.shownNotices.add(key);
        const row = renderNotice(notice);
        (notice.kind === "modelLoading" ? this.startNotices : isThoughtNotice(notice) ? this.thoughtNotices : this.endNotices).append(row);
        if (notice.kind === "modelLoading") this.startLoading(row, notice.model);
        this.options.onRender?.();
    }

    /** "Loading DeepSeek-R1-Distill-Qwen-7B-Q4_K_M… 3.2 s", counting until the model's first token. */
    private startLoading(row: HTMLElement, model: string): void {
        const text = row.querySelector<HTMLElement>(".r1-notice-text");
        const icon = row.querySelector<HTMLElement>(".codicon");
        if (!text || !icon) return;
        row.classList.add("r1-notice-loading");
        if (this.finished || this.answerStarted || this.thought.hasText) {
            // A finished turn (history): how long it took is not known.
            icon.className = "codicon codicon-check";
            text.textContent = `Loaded ${model}.`;
            return;
        }
        const start = performance.now();
        icon.className = "codicon codicon-loading codicon-modifier-spin";
        const tick = (): void => {
            text.textContent = `Loading ${model}… ${((performance.now() - start) / 1000).toFixed(1)} s`;
        };
        tick();
        this.loading = { text, icon, model, start, timer: setInterval(tick, 100) };
    }

    private endLoading(loaded: boolean): void {
        const l = this.loading;
        if (!l) return;
        this.loading = undefined;
        clearInterval(l.timer);
        const seconds = ((performance.now() - l.start) / 1000).toFixed(1);
        l.icon.className = `codicon codicon-${loaded ? "check" : "circle-slash"}`;
        l.text.textContent = loaded ? `Loaded ${l.model} in ${seconds} s.` : `Loading ${l.model} stopped after ${seconds} s.`;
    }

    /** The stream ended: render everything as final, close the thought, show how it ended. */
    finish(end: ReplyEnd): void {
        if (this.finished) return;
        this.finished = true;
        this.endLoading(/\S/.test(end.answer ?? "") || /\S/.test(end.reasoning ?? "") || this.thought.hasText || this.answerStarted);
        if (end.model && !this.header.querySelector(".r1-turn-detail")) this.setModel(end.model);
        // The final texts are authoritative: if what streamed differs (a lost or reordered batch), redraw.
        const same = (a: string, b: string) => a.replace(/\r\n?/g, "\n").trim() === b.replace(/\r\n?/g, "\n").trim();
        if (end.reasoning !== undefined && !same(end.reasoning, this.thought.text)) {
            this.thought.replaceText(end.reasoning);
            this.thought.element.hidden = end.reasoning.trim().length === 0;
        }
        if (end.answer !== undefined && !same(end.answer, this.answer.text)) {
            this.answer.renderComplete(end.answer);
            if (/\S/.test(end.answer) && !this.answerStarted) {
                this.answerStarted = true;
                this.endThought("ended");
                this.thought.autoCollapse();
            }
        }
        if (end.stats) {
            // A thought that never ended (stopped, cut off) has no thinking time from the engine: it is the whole reply's.
            const stopped = end.stats.thoughtMs === undefined && !this.answerStarted && this.thought.hasText && end.stats.elapsedMs !== undefined;
            this.setStats(stopped ? { ...end.stats, thoughtMs: end.stats.elapsedMs } : end.stats);
        }
        if (end.thoughtState) this.setThoughtState(end.thoughtState);
        for (const notice of end.notices ?? []) this.addNotice(notice);
        if (this.thoughtState === "thinking" || (!this.answerStarted && this.thought.hasText)) {
            this.endThought(this.answerStarted ? "ended" : "unclosed");
        }
        switch (end.stopReason) {
            case "abort":
                this.addNotice({ kind: "stoppedByUser" });
                break;
            case "maxTokens":
                this.addNotice({ kind: "maxTokens" });
                break;
            case "loop":
                if (![...this.shownNotices].some((k) => k.includes('"loopStopped"'))) this.addNotice({ kind: "loopStopped", repeated: "" });
                break;
            case "error":
                this.addNotice({ kind: "error", message: end.error ?? "The model process failed." });
                break;
            case "eos":
                break;
        }
        this.answer.finish();
        this.answer.flushNow();
        this.thought.flush();
        this.element.classList.remove("r1-streaming");
    }

    /** Marks the answer's blocks whose Apply creates a file ("Create file"). */
    markNewFiles(files: ReadonlyArray<{ code: string; path: string }>): void {
        this.answer.markNewFiles(files);
    }

    /** Shows a finished turn at once (history): the answer is rendered in a single pass. */
    restore(snapshot: ReplySnapshot): void {
        this.appendThought(snapshot.reasoning);
        if (snapshot.answer.length > 0) {
            this.answerStarted = true;
            this.answer.renderComplete(snapshot.answer);
            this.endThought("ended");
            this.thought.autoCollapse();
        }
        this.finish(snapshot);
    }

    dispose(): void {
        if (this.loading) clearInterval(this.loading.timer);
        this.loading = undefined;
        this.thought.dispose();
        this.element.remove();
    }

    private endThought(state: "ended" | "budget" | "unclosed"): void {
        if (!this.thought.hasText) return;
        this.thought.end(state);
    }

    private onClick(event: MouseEvent): void {
        const request = codeActionFromEvent(event, (i) => this.answer.codeBlock(i));
        if (request) {
            if (request.action === "copy") flashDone(event);
            this.options.onCodeAction(request);
            return;
        }
        this.onLinkEvent(event);
    }

    private onLinkEvent(event: Event): void {
        const target = event.target;
        if (!(target instanceof Element)) return;
        const link = target.closest<HTMLElement>("[data-r1-href]");
        if (!link || !this.answer.element.contains(link)) return;
        event.preventDefault();
        event.stopPropagation();
        const url = link.dataset.r1Href;
        if (url && (event.type === "click" || event.type === "keydown")) this.options.onOpenLink(url);
    }
}
