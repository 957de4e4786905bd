// Splits raw DeepSeek-R1 output into reasoning (the thought) and the final answer.
//
// One code path for both uses: `ReasoningSplitter` is fed chunks of raw text as they are generated and emits
// deltas; `splitReasoning` (whole text) and `splitApiMessage` (DeepSeek API JSON) run the same class.
//
// The rule, as real R1 outputs need it:
//   - An opening `<think>` at the very start (after optional whitespace) is consumed. The distills' template
//     already ends the prompt with `<think>\n`, so output often has no opening tag at all and only `</think>`.
//   - The answer is the text after the LAST `</think>`. Everything before it (after the opener) is reasoning,
//     including any earlier `</think>` (kept verbatim, so `"<think>" + reasoning + "</think>" + answer` gives
//     the raw text back whenever the output had one opener).
//   - No `</think>` at all: in "startsInThought" mode (the prompt forced `<think>`) or after an opener, the
//     whole output is an unfinished thought (truncated: complete = false). In "auto" mode without an opener the
//     model did not reason and everything is answer ("noTemplate").
//   - In "auto" mode a `<think>` that comes later, before any `</think>` (after a preamble, or after a chat
//     template the server echoed), opens the thought where it stands: the text before it is not an answer
//     either, it moves into the thought with the tag (as text before a `</think>` always does). Never closed,
//     the reply is an unfinished thought with an empty answer. After a `</think>`, a `<think>` is answer text.
//   - Text is never trimmed: reasoning and answer keep the whitespace around the tags as generated.
//
// Streaming: a chunk that ends with a possible partial tag ("</thi") is held back until the next chunk decides
// it, so no delta ever contains part of a tag. The one thing that can only be known later is whether another
// `</think>` follows text already emitted as answer (a model that closes its thought twice, or output that has
// only `</think>` read in "auto" mode). Then the delta says `answerRetracted: true`: the answer shown so far was
// still reasoning, and it comes again at the start of that delta's `thought`. The result is always identical
// to the whole-text split, whatever the chunk sizes. Work is linear in the length of the output.

import type { ThoughtState } from "../../shared/lspProtocol";

export const THINK_OPEN = "<think>";
export const THINK_CLOSE = "</think>";

/**
 * "startsInThought": the prompt ended with `<think>\n` (the R1 template), so output starts inside the thought.
 * "auto": a thought exists only if the output opens one with `<think>` or closes one with `</think>`.
 */
export type SplitMode = "startsInThought" | "auto";

export interface SplitOptions {
    /** Default "auto". The engine passes "startsInThought" when its prompt ends with `<think>\n`. */
    mode?: SplitMode;
    /**
     * "auto" mode: whether a `<think>` after the start (a preamble, an echoed template) opens the thought.
     * Default true. False for answer text that follows a thought already closed outside the text.
     */
    lateOpener?: boolean;
}

/** What one `push` (or `end`, `closeThought`) adds. Apply in this order: retraction, thought, answer. */
export interface SplitDelta {
    /** New reasoning text to append to the thought shown so far. */
    thought: string;
    /** New answer text to append to the answer shown so far. */
    answer: string;
    state: ThoughtState;
    /**
     * True when a later `</think>` showed that answer text emitted by earlier deltas was still reasoning:
     * clear the answer shown so far; that text is repeated at the start of `thought` (after any thought text
     * that came before it in this delta).
     */
    answerRetracted?: true;
}

export interface SplitResult {
    reasoning: string;
    answer: string;
    state: ThoughtState;
    /** False when the thought never closed (generation stopped while thinking): the answer is missing. */
    complete: boolean;
}

type Phase = "start" | "thought" | "answer";

function isWhitespaceCode(c: number): boolean {
    return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000 || c === 0xfeff;
}

function hasNonWhitespace(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (!isWhitespaceCode(s.charCodeAt(i))) return true;
    return false;
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag` (a tag that may still be arriving). */
function partialTagSuffix(s: string, tag: string): number {
    const max = Math.min(tag.length - 1, s.length);
    for (let k = max; k > 0; k--) {
        if (s.endsWith(tag.slice(0, k))) return k;
    }
    return 0;
}

function endsWithHighSurrogate(s: string): boolean {
    if (s.length === 0) return false;
    const c = s.charCodeAt(s.length - 1);
    return c >= 0xd800 && c <= 0xdbff;
}

/** Streaming splitter of raw R1 output. Feed it with `push`, finish with `end`. */
export class ReasoningSplitter {
    private readonly mode: SplitMode;
    private readonly lateOpener: boolean;
    private phase: Phase = "start";
    /** Text received but not yet classified: a possible partial tag (at most 7 characters). */
    private pending = "";
    /** Start phase: leading whitespace seen so far (only appended to until the start is decided). */
    private leadingWhitespace = "";
    private reasoningText = "";
    private answerText = "";
    private reasoningHasContent = false;
    /** The answer phase began at a `</think>` in the text (as opposed to the budget or a model without tags). */
    private closedByTag = false;
    /** "auto" mode read the start as answer (no opener): a later `<think>` may still open the thought. */
    private lateOpenerAllowed = false;
    private currentState: ThoughtState;
    private ended = false;

    constructor(options: SplitOptions = {}) {
        this.mode = options.mode ?? "auto";
        this.lateOpener = options.lateOpener ?? true;
        this.currentState = this.mode === "startsInThought" ? "thinking" : "none";
    }

    get state(): ThoughtState {
        return this.currentState;
    }

    /** Reasoning classified so far (held-back text excluded). */
    get reasoning(): string {
        return this.reasoningText;
    }

    /** Answer classified so far (held-back text excluded). */
    get answer(): string {
        return this.answerText;
    }

    get inThought(): boolean {
        return this.phase === "thought" || (this.phase === "start" && this.mode === "startsInThought");
    }

    push(chunk: string): SplitDelta {
        if (this.ended) throw new Error("ReasoningSplitter: push() after end()");
        const out: SplitDelta = { thought: "", answer: "", state: this.currentState };
        if (this.phase === "start") {
            const rest = this.decideStart(this.pending + chunk, false);
            if (rest === undefined) {
                out.state = this.currentState;
                return out;
            }
            this.consume(rest, out, false);
            out.state = this.currentState;
            return out;
        }
        const text = this.pending + chunk;
        this.pending = "";
        this.consume(text, out, false);
        out.state = this.currentState;
        return out;
    }

    /** The thinking budget closed the thought: what follows is answer (unless a later `</think>` says otherwise). */
    closeThought(): SplitDelta {
        if (this.ended) throw new Error("ReasoningSplitter: closeThought() after end()");
        const out: SplitDelta = { thought: "", answer: "", state: this.currentState };
        if (this.phase === "start") {
            const rest = this.decideStart(this.pending, true) ?? "";
            // decideStart has moved the phase on (TypeScript cannot see that through the call)
            if ((this.phase as Phase) === "thought") this.appendThought(rest, out);
            else this.appendAnswer(rest, out);
        } else if (this.pending) {
            const text = this.pending;
            this.pending = "";
            if (this.phase === "thought") this.appendThought(text, out);
            else this.appendAnswer(text, out);
        }
        if (this.phase === "thought") {
            this.phase = "answer";
            this.closedByTag = false;
            this.currentState = "budget";
        }
        this.lateOpenerAllowed = false;
        out.state = this.currentState;
        return out;
    }

    /** Generation finished: flushes held-back text and settles the final state. */
    end(): SplitDelta {
        if (this.ended) return { thought: "", answer: "", state: this.currentState };
        const out: SplitDelta = { thought: "", answer: "", state: this.currentState };
        let text: string;
        if (this.phase === "start") {
            text = this.decideStart(this.pending, true) ?? "";
        } else {
            text = this.pending;
            this.pending = "";
        }
        this.consume(text, out, true);
        this.ended = true;
        if (this.phase === "thought") this.currentState = "unclosed";
        else if (this.currentState === "none" && this.answerText.length > 0) this.currentState = "noTemplate";
        out.state = this.currentState;
        return out;
    }

    result(): SplitResult {
        let state = this.currentState;
        if (!this.ended && this.phase !== "answer") state = this.inThought ? "thinking" : state;
        return {
            reasoning: this.reasoningText,
            answer: this.answerText,
            state,
            complete: state !== "unclosed" && state !== "thinking"
        };
    }

    /**
     * Start phase: decides whether the output opens with `<think>`. `text` is the held-back partial opener plus
     * new text. Returns the text left to classify, or undefined while undecided (only whitespace so far, or a
     * partial opener, which stays in `pending`). Each call looks at the new text only: linear overall.
     */
    private decideStart(text: string, final: boolean): string | undefined {
        let i = 0;
        if (this.pending === "") {
            while (i < text.length && isWhitespaceCode(text.charCodeAt(i))) i++;
            if (i > 0) this.leadingWhitespace += text.slice(0, i);
        }
        const rest = i > 0 ? text.slice(i) : text;
        this.pending = "";
        if (!final && (rest.length === 0 || (rest.length < THINK_OPEN.length && THINK_OPEN.startsWith(rest)))) {
            this.pending = rest;
            return undefined;
        }
        const whitespace = this.leadingWhitespace;
        this.leadingWhitespace = "";
        if (rest.startsWith(THINK_OPEN)) {
            this.phase = "thought";
            this.currentState = "thinking";
            return rest.slice(THINK_OPEN.length);
        }
        const all = whitespace + rest;
        if (this.mode === "startsInThought") {
            this.phase = "thought";
            this.currentState = "thinking";
        } else {
            this.phase = "answer";
            this.currentState = all.length > 0 ? "noTemplate" : "none";
            this.lateOpenerAllowed = this.lateOpener;
        }
        return all;
    }

    private consume(text: string, out: SplitDelta, final: boolean): void {
        let from = 0;
        for (;;) {
            const idx = text.indexOf(THINK_CLOSE, from);
            const open = this.lateOpenerAllowed ? text.indexOf(THINK_OPEN, from) : -1;
            if (open >= 0 && (idx < 0 || open < idx)) {
                this.openLate(text.slice(from, open + THINK_OPEN.length), out);
                from = open + THINK_OPEN.length;
                continue;
            }
            if (idx < 0) break;
            const before = text.slice(from, idx);
            if (this.phase === "thought") {
                this.appendThought(before, out);
            } else {
                // A later </think>: everything shown as answer was still reasoning.
                const emittedEarlier = this.answerText.length - out.answer.length;
                const moved = (this.closedByTag ? THINK_CLOSE : "") + this.answerText + before;
                if (emittedEarlier > 0) out.answerRetracted = true;
                this.answerText = "";
                out.answer = "";
                this.appendThought(moved, out);
            }
            this.phase = "answer";
            this.closedByTag = true;
            this.lateOpenerAllowed = false;
            this.currentState = this.reasoningHasContent ? "ended" : "empty";
            from = idx + THINK_CLOSE.length;
        }
        let rest = from === 0 ? text : text.slice(from);
        if (!final) {
            let hold = partialTagSuffix(rest, THINK_CLOSE);
            if (this.lateOpenerAllowed) hold = Math.max(hold, partialTagSuffix(rest, THINK_OPEN));
            if (hold === 0 && endsWithHighSurrogate(rest)) hold = 1;
            if (hold > 0) {
                this.pending = rest.slice(rest.length - hold);
                rest = rest.slice(0, rest.length - hold);
            }
        }
        if (this.phase === "thought") this.appendThought(rest, out);
        else this.appendAnswer(rest, out);
    }

    /** A `<think>` after text read as answer: that text and the tag are the thought's beginning. */
    private openLate(upToTag: string, out: SplitDelta): void {
        const emittedEarlier = this.answerText.length - out.answer.length;
        const moved = this.answerText + upToTag;
        if (emittedEarlier > 0) out.answerRetracted = true;
        this.answerText = "";
        out.answer = "";
        this.appendThought(moved, out);
        this.phase = "thought";
        this.currentState = "thinking";
        this.lateOpenerAllowed = false;
    }

    private appendThought(s: string, out: SplitDelta): void {
        if (!s) return;
        this.reasoningText += s;
        out.thought += s;
        if (!this.reasoningHasContent && hasNonWhitespace(s)) this.reasoningHasContent = true;
    }

    private appendAnswer(s: string, out: SplitDelta): void {
        if (!s) return;
        this.answerText += s;
        out.answer += s;
    }
}

/** Whole-text split: the streaming splitter fed the whole output at once. */
export function splitReasoning(raw: string, options: SplitOptions = {}): SplitResult {
    const splitter = new ReasoningSplitter(options);
    splitter.push(raw);
    splitter.end();
    return splitter.result();
}

/** A message as the DeepSeek API returns it (`choices[0].message`), reasoning in its own field. */
export interface ApiMessage {
    reasoning_content?: string | null;
    content?: string | null;
}

/**
 * Splits a DeepSeek API message. With `reasoning_content` present, that is the (closed) thought and `content`
 * the answer, through the same splitter as inline output (a `content` that carries its own tags is split too).
 * Without it, `content` is split as inline output.
 */
export function splitApiMessage(message: ApiMessage, options: SplitOptions = {}): SplitResult {
    const content = message.content ?? "";
    const reasoning = message.reasoning_content;
    if (typeof reasoning !== "string") return splitReasoning(content, options);
    const splitter = new ReasoningSplitter({ mode: "startsInThought" });
    splitter.push(reasoning);
    // The thought is closed by the API's own structure, not by text: a tag split between the two fields or a
    // partial tag at the end of reasoning_content must not merge with content.
    splitter.push(THINK_CLOSE);
    splitter.push(content);
    splitter.end();
    return splitter.result();
}
