// Input-lookup token prediction, for the answer phase only. node-llama-cpp binds a token predictor to the
// context sequence when the sequence is made; this one wraps its InputLookupTokenPredictor (draft tokens are
// what followed the last generated tokens in the user's message: a fix or an edit mostly copies that code) and
// drafts only while `active`. reasoningRun turns it on when the thought ends (from the start for a model without
// the R1 template): in the thought, drafts are rarely accepted and a refused draft costs a wider batch. The draft
// is checked by the model in the same batch (node-llama-cpp's `_speculativeEvaluate`): it needs no second
// model, no second sequence and no memory beyond those few batch slots.
import type { Token, TokenPredictor } from "node-llama-cpp" with { "resolution-mode": "import" };
import type { NodeLlamaCpp } from "./llamaRuntime";

/**
 * How many tokens one draft holds at most. node-llama-cpp 3.21.1 (3.22.1 too) validated only the first draft token
 * of a batch (`_speculativeEvaluate` compared each later one with `validatedTokens.at(-1)`, an array it never
 * filled); scripts/patchNodeLlamaCpp.mjs fixes that in node_modules (postinstall, build, and the VSIX is staged
 * from the patched copy). Eight: a copied run gives up to nine tokens per decoding step, and on this 2-core CPU a
 * batch of 9 costs about 2.6× a single token (docs/benchmarks.md), so a copying answer decodes ~2× faster.
 */
export const DRAFT_MAX_TOKENS = 8;
/** The longest pause in drafting after drafts refused at their first token, in decoding steps. */
export const DRAFT_MAX_BACKOFF_STEPS = 16;

export interface AnswerPhasePredictor extends TokenPredictor {
    /** Drafts only while true; the state it looks up in is kept up to date either way. */
    active: boolean;
}

type ResetParams = Parameters<TokenPredictor["reset"]>[0];

/**
 * When to draft. A refused draft is not free: the wider batch costs 1.6× a single token for 2 tokens and 2.6× for
 * 9 on this CPU (docs/benchmarks.md), and the input lookup drafts whenever the last token also occurs in the
 * prompt, which in prose or an explanation is often and mostly wrong (stories260K: 5% of drafts accepted). So a
 * draft refused at its first token pauses drafting for 1 step, the next such refusal for 2, then 4 … 16; a draft
 * whose first token is accepted ends the pause. Each draft's outcome is known when the next one is asked for: the
 * tokens pushed since are the model's own. The length stays at the maximum: shrinking it after a partial
 * refusal cost more in a copying answer (~8% of its speed, measured) than it saved.
 */
export class DraftPacing {
    private backoff = 0;
    private skip = 0;
    private pending?: { readonly first: Token; readonly pushed: Token[] };

    reset(): void {
        this.backoff = 0;
        this.skip = 0;
        this.pending = undefined;
    }

    pushed(tokens: readonly Token[]): void {
        this.pending?.pushed.push(...tokens);
    }

    /** Whether to draft at this step; settles the previous draft first. */
    shouldDraft(): boolean {
        const pending = this.pending;
        if (pending && pending.pushed.length > 0) {
            this.pending = undefined;
            if (pending.pushed[0] === pending.first) this.backoff = 0;
            else {
                this.backoff = Math.min(DRAFT_MAX_BACKOFF_STEPS, Math.max(1, this.backoff * 2));
                this.skip = this.backoff;
            }
        }
        if (this.skip > 0) {
            this.skip--;
            return false;
        }
        return true;
    }

    /** The draft to send (at most DRAFT_MAX_TOKENS), remembered to settle at the next step. */
    drafted(candidates: readonly Token[]): Token[] {
        const draft = candidates.slice(0, DRAFT_MAX_TOKENS);
        if (draft.length > 0) this.pending = { first: draft[0]!, pushed: [] };
        return draft;
    }
}

export function createAnswerPredictor(lib: NodeLlamaCpp): AnswerPhasePredictor {
    class AnswerPhaseInputLookup extends lib.TokenPredictor implements AnswerPhasePredictor {
        active = false;
        private readonly lookup = new lib.InputLookupTokenPredictor({ predictionLength: { max: DRAFT_MAX_TOKENS } });
        private readonly control = new DraftPacing();

        override reset(params: ResetParams): void | Promise<void> {
            this.control.reset();
            return this.lookup.reset(params);
        }

        override pushTokens(tokens: Token[]): void {
            this.control.pushed(tokens);
            this.lookup.pushTokens(tokens);
        }

        override predictTokens(): Token[] | Promise<Token[]> {
            if (!this.active || !this.control.shouldDraft()) return [];
            const candidates = this.lookup.predictTokens();
            return candidates instanceof Promise ? candidates.then((c) => this.control.drafted(c)) : this.control.drafted(candidates);
        }

        override stop(untilPredictionsExhausted?: boolean): void | Promise<void> {
            return this.lookup.stop(untilPredictionsExhausted);
        }

        override updateInputTokens(tokens: Token[]): void {
            this.control.reset();
            this.lookup.updateInputTokens(tokens);
        }

        override dispose(): void | Promise<void> {
            return this.lookup.dispose();
        }
    }
    return new AnswerPhaseInputLookup();
}
