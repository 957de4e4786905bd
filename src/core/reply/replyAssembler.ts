// Assembles a streamed reply into reasoning and answer, whatever the model does with its tags. The engine
// feeds it what node-llama-cpp gives: thought-segment text (DeepSeek chat wrapper), the end of that segment,
// and answer text. The answer text still goes through the ReasoningSplitter, because a model can write a
// `</think>` that node-llama-cpp leaves in the answer (a second close, or a model with no R1 template that
// reasons anyway). The rule is the R1 template's: the answer is what follows the LAST `</think>`.
// When that moves text already shown as answer back into the thought, the delta says `answerRetracted`.
import type { ThoughtState } from "../../shared/lspProtocol";
import { ReasoningSplitter, THINK_OPEN } from "./reasoningSplit";

export interface ReplyDelta {
    /** Clear the answer shown so far: it was reasoning (it is repeated at the start of `thought`). */
    answerRetracted?: true;
    thought: string;
    answer: string;
}

export class ReplyAssembler {
    private reasoning = "";
    private answer = "";
    private state: ThoughtState;
    private splitter: ReasoningSplitter;
    private thoughtStarted = false;
    private answerStarted = false;

    /**
     * @param segmented true when thoughts arrive as segments (the model has the R1 template and the reply was
     *                  forced to start inside `<think>\n`); false for a model without it (raw text with tags, if any).
     */
    constructor(private readonly segmented: boolean) {
        this.state = segmented ? "thinking" : "noTemplate";
        this.splitter = new ReasoningSplitter({ mode: "auto", lateOpener: !segmented });
    }

    get thoughtState(): ThoughtState {
        return this.state;
    }

    /** Text of the thought segment. */
    thought(text: string): ReplyDelta {
        const delta: ReplyDelta = { thought: "", answer: "" };
        if (!text) return delta;
        if (this.answer) {
            // A new thought after answer text: by the R1 rule, that answer was still reasoning.
            delta.answerRetracted = true;
            delta.thought = this.answer;
            this.reasoning += this.answer;
            this.answer = "";
            this.answerStarted = false;
            this.splitter = new ReasoningSplitter({ mode: "auto", lateOpener: !this.segmented });
            this.state = "thinking";
        }
        if (!this.thoughtStarted) {
            // The model wrote `<think>` again after the forced one: not part of the thought.
            text = text.replace(/^\s+/, "");
            if (text.startsWith(THINK_OPEN)) text = text.slice(THINK_OPEN.length).replace(/^\s+/, "");
            if (!text) return delta;
            this.thoughtStarted = true;
        }
        this.reasoning += text;
        delta.thought += text;
        return delta;
    }

    /** The thought segment ended: by the model's `</think>`, or by the thinking budget. */
    endThought(byBudget: boolean): void {
        if (this.state !== "thinking") return;
        this.state = byBudget ? "budget" : this.reasoning.trim().length === 0 ? "empty" : "ended";
    }

    /** Answer text (everything outside thought segments). */
    answerText(text: string): ReplyDelta {
        return this.fromSplit(this.splitter.push(text));
    }

    /** The reply is over: releases held-back text and settles the state. */
    finish(): ReplyDelta {
        const delta = this.fromSplit(this.splitter.end());
        if (this.state === "thinking") this.state = "unclosed";
        return delta;
    }

    result(): { reasoning: string; answer: string; thoughtState: ThoughtState } {
        return { reasoning: this.reasoning.trim(), answer: this.answer.trimEnd(), thoughtState: this.state };
    }

    private fromSplit(split: { thought: string; answer: string; state: ThoughtState; answerRetracted?: true }): ReplyDelta {
        const delta: ReplyDelta = { thought: "", answer: "" };
        if (split.answerRetracted) {
            delta.answerRetracted = true;
            this.answer = "";
            this.answerStarted = false;
        }
        if (split.thought) {
            // Text the splitter found to be reasoning (before a `</think>` in the answer stream, or after `<think>`
            // for a model without the template).
            const text = this.thoughtStarted ? split.thought : split.thought.replace(/^\s+/, "");
            if (text) this.thoughtStarted = true;
            this.reasoning += text;
            delta.thought = text;
        }
        if (!this.segmented) this.state = split.state;
        else if (split.state === "ended" || split.state === "empty") {
            // A `</think>` in the answer stream of a segmented reply: the thought is closed, whatever it was.
            if (this.state === "thinking" || this.state === "noTemplate") this.state = "ended";
        }
        let answer = split.answer;
        if (!this.answerStarted) {
            // The answer usually starts with blank lines after `</think>`: they are not shown.
            answer = answer.replace(/^\s+/, "");
            if (answer) this.answerStarted = true;
        }
        this.answer += answer;
        delta.answer = answer;
        return delta;
    }
}
