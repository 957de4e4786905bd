// Assembles a reply that arrives as OpenAI-compatible chat deltas into reasoning and answer, whatever form the
// engine gives the reasoning in:
//   - a reasoning field (`reasoning_content`: DeepSeek API, SGLang, llama-server, older vLLM; `reasoning`: newer
//     vLLM, Ollama): that text is the thought, closed by the first content after it;
//   - inline tags in `content` (no reasoning parser): `<think>…</think>`, only `</think>` (the template put
//     `<think>\n` in the prompt), no tags at all, or a `<think>` never closed: the shared splitter's rules
//     (reasoningSplit.ts), through ReplyAssembler.
// The first delta with text decides the form; whitespace-only content before it is held until then.
import type { ThoughtState } from "../../shared/lspProtocol";
import { ReplyAssembler, type ReplyDelta } from "./replyAssembler";

export interface ApiDelta {
    /** `reasoning_content` or `reasoning` of the delta (one of them: servers that send both repeat the text). */
    reasoning?: string;
    content?: string;
}

export type ReplyForm = "undecided" | "field" | "inline";

const empty = (): ReplyDelta => ({ thought: "", answer: "" });

function merge(a: ReplyDelta, b: ReplyDelta): ReplyDelta {
    if (b.answerRetracted) return { answerRetracted: true, thought: a.thought + b.thought, answer: b.answer };
    return { ...(a.answerRetracted ? { answerRetracted: true as const } : {}), thought: a.thought + b.thought, answer: a.answer + b.answer };
}

export class ApiReplyAssembler {
    private reply: ReplyAssembler | undefined;
    private heldWhitespace = "";
    private thoughtOpen = false;
    private budgetSpent = false;
    private formSeen: ReplyForm = "undecided";

    get form(): ReplyForm {
        return this.formSeen;
    }

    get thoughtState(): ThoughtState {
        if (this.budgetSpent) return "budget";
        return this.reply?.thoughtState ?? "none";
    }

    /** True while the text arriving is thought (a reasoning field, or inside inline tags). */
    get inThought(): boolean {
        return this.thoughtState === "thinking";
    }

    push(delta: ApiDelta): ReplyDelta {
        let out = empty();
        if (delta.reasoning) out = merge(out, this.reasoningText(delta.reasoning));
        if (delta.content) out = merge(out, this.contentText(delta.content));
        return out;
    }

    /** The thinking budget is spent: the thought is over (no answer will follow on this stream). */
    closeByBudget(): void {
        if (this.formSeen === "undecided") this.start("field");
        this.reply!.endThought(true);
        this.thoughtOpen = false;
        this.budgetSpent = true;
    }

    finish(): ReplyDelta {
        if (!this.reply) {
            if (!this.heldWhitespace) return empty();
            this.start("inline");
        }
        return this.reply!.finish();
    }

    result(): { reasoning: string; answer: string; thoughtState: ThoughtState } {
        const result = this.reply?.result() ?? { reasoning: "", answer: "", thoughtState: "none" as ThoughtState };
        return { ...result, thoughtState: this.thoughtState };
    }

    private start(form: "field" | "inline"): ReplyDelta {
        this.formSeen = form;
        this.reply = new ReplyAssembler(form === "field");
        const held = this.heldWhitespace;
        this.heldWhitespace = "";
        // Blank content before a reasoning field is nothing; before inline text it is part of the raw output.
        return form === "inline" && held ? this.reply.answerText(held) : empty();
    }

    private reasoningText(text: string): ReplyDelta {
        let out = this.formSeen === "undecided" ? this.start("field") : empty();
        this.thoughtOpen = true;
        out = merge(out, this.reply!.thought(text));
        return out;
    }

    private contentText(text: string): ReplyDelta {
        if (this.formSeen === "undecided") {
            if (!/\S/.test(text)) {
                this.heldWhitespace += text;
                return empty();
            }
            const out = this.start("inline");
            return merge(out, this.reply!.answerText(text));
        }
        if (this.thoughtOpen) {
            // The first content after a reasoning field closes the thought (the server's parser saw `</think>`).
            this.thoughtOpen = false;
            this.reply!.endThought(false);
        }
        return this.reply!.answerText(text);
    }
}
