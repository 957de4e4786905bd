// Fits a multi-turn conversation into the context window: the oldest whole exchanges are dropped first, the
// newest user turn is always kept, and the caller is told how many turns went (never a silent truncation).
import type { ChatTurn } from "../../shared/lspProtocol";

export interface TrimResult {
    turns: ChatTurn[];
    droppedTurns: number;
    /** Tokens of the prompt that remains (as measured by countTokens). */
    promptTokens: number;
}

/**
 * @param turns        the conversation, ending with the new user turn
 * @param countTokens  tokens of the whole prompt rendered from these turns; its last call is always for the
 *                     turns returned, so a caller may keep that tokenization
 * @param maxPromptTokens what the prompt may use (context size minus the room kept for the reply)
 */
export function trimHistory(turns: readonly ChatTurn[], countTokens: (turns: readonly ChatTurn[]) => number, maxPromptTokens: number): TrimResult {
    let start = 0;
    let kept = turns.slice(start);
    let tokens = countTokens(kept);
    while (tokens > maxPromptTokens && start < turns.length - 1) {
        // Drop a user turn together with the assistant answer after it, so roles keep alternating.
        start += turns[start]?.role === "user" && turns[start + 1]?.role === "assistant" ? 2 : 1;
        start = Math.min(start, turns.length - 1);
        kept = turns.slice(start);
        tokens = countTokens(kept);
    }
    return { turns: kept, droppedTurns: start, promptTokens: tokens };
}
