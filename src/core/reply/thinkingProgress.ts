// The one-line text of a code action's progress notification while the model reasons: how far the thinking is
// (tokens, of the budget) and the end of the thought, then the answer's progress.

import type { ReasonProgress } from "../../shared/lspProtocol";

/** The end of the thought on one line, cut at a word ("…so the return type must be a number."). */
export function thoughtTail(thought: string, max = 70): string {
    const flat = thought.replace(/\s+/g, " ").trim();
    if (flat.length <= max) return flat;
    const cut = flat.slice(flat.length - max);
    const space = cut.indexOf(" ");
    return `…${space > 0 && space < 20 ? cut.slice(space + 1) : cut}`;
}

/** "Thinking (230 of 2048 tokens): …the return type" / "Answering (40 tokens, 21.5 tok/s)…". */
export function thinkingProgressMessage(thought: string, p: ReasonProgress, budget: number): string {
    const s = p.stats;
    if (p.thoughtState === "thinking" || p.thoughtState === "none") {
        const of = budget > 0 ? ` of ${budget}` : "";
        const tail = thoughtTail(thought);
        return `Thinking (${s.thoughtTokens}${of} tokens)${tail ? `: ${tail}` : "…"}`;
    }
    return `Answering (${s.answerTokens} tokens, ${s.tokensPerSecond.toFixed(1)} tok/s)…`;
}
