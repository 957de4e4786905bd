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
 * How many tokens one draft holds. One: node-llama-cpp 3.21.1 (3.22.1 too) validates only the first draft token
 * of a batch (`_speculativeEvaluate` compares each later one with `validatedTokens.at(-1)`, an array it never
 * fills), so a longer draft is always refused after its first token and only widens the batch. One draft token
 * gives up to two tokens per decoding step, the most this version can give. On CPU a batch of 2 costs ~1.7×
 * a single token (measured: docs/benchmarks.md), so the gain there is at most ~1.2×; on a GPU nearly 2×.
 */
export const DRAFT_MAX_TOKENS = 1;

export interface AnswerPhasePredictor extends TokenPredictor {
    /** Drafts only while true; the state it looks up in is kept up to date either way. */
    active: boolean;
}

type ResetParams = Parameters<TokenPredictor["reset"]>[0];

export function createAnswerPredictor(lib: NodeLlamaCpp): AnswerPhasePredictor {
    class AnswerPhaseInputLookup extends lib.TokenPredictor implements AnswerPhasePredictor {
        active = false;
        private readonly lookup = new lib.InputLookupTokenPredictor({ predictionLength: { max: DRAFT_MAX_TOKENS } });

        override reset(params: ResetParams): void | Promise<void> {
            return this.lookup.reset(params);
        }

        override pushTokens(tokens: Token[]): void {
            this.lookup.pushTokens(tokens);
        }

        override predictTokens(): Token[] | Promise<Token[]> {
            return this.active ? this.lookup.predictTokens() : [];
        }

        override stop(untilPredictionsExhausted?: boolean): void | Promise<void> {
            return this.lookup.stop(untilPredictionsExhausted);
        }

        override updateInputTokens(tokens: Token[]): void {
            this.lookup.updateInputTokens(tokens);
        }

        override dispose(): void | Promise<void> {
            return this.lookup.dispose();
        }
    }
    return new AnswerPhaseInputLookup();
}
