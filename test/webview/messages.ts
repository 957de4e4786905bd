// Host → webview messages (src/shared/webviewProtocol.ts) as the extension sends them, for the webview
// tests, the harness page and the benchmark. Pure: used on both sides of the harness.
import type { ReasonNotice, ReasonProgress, ReasonResult, ReasonStats, StopReason, ThoughtState } from "../../src/shared/lspProtocol";
import type { HostToWebview } from "../../src/shared/webviewProtocol";

export function stats(thoughtTokens = 0, answerTokens = 0, extra: Partial<ReasonStats> = {}): ReasonStats {
    return { thoughtTokens, answerTokens, promptTokens: 20, reusedPromptTokens: 0, tokensPerSecond: 31.5, elapsedMs: 1000, ...extra };
}

export const msg = {
    start(id: string, options: { prompt?: string; thoughtBudget?: number; model?: string } = {}): HostToWebview {
        return { type: "turnStarted", id, prompt: options.prompt ?? "", thoughtBudget: options.thoughtBudget ?? 0, model: options.model };
    },
    progress(id: string, p: Partial<ReasonProgress> = {}): HostToWebview {
        const thoughtState: ThoughtState = p.thoughtState ?? (p.answer ? "ended" : "thinking");
        return { type: "progress", id, progress: { ...p, thoughtState, stats: p.stats ?? stats() } };
    },
    /** The end of a turn; `reasoning` and `answer` must be the full texts (the webview redraws if they differ). */
    finish(id: string, r: { reasoning: string; answer: string; stopReason?: StopReason; thoughtState?: ThoughtState; stats?: ReasonStats; notices?: ReasonNotice[]; model?: string }): HostToWebview {
        const result: ReasonResult = {
            reasoning: r.reasoning, answer: r.answer, stopReason: r.stopReason ?? "eos",
            thoughtState: r.thoughtState ?? (r.reasoning ? "ended" : "none"), stats: r.stats ?? stats(), notices: r.notices ?? [], model: r.model ?? "test-model"
        };
        return { type: "turnFinished", id, result };
    },
    fail(id: string, message: string): HostToWebview {
        return { type: "turnFailed", id, message };
    },
    restore(id: string, r: { prompt?: string; reasoning?: string; answer: string; thoughtBudget?: number; stopReason?: StopReason; thoughtState?: ThoughtState; stats?: ReasonStats; notices?: ReasonNotice[]; model?: string }): HostToWebview {
        const result: ReasonResult = {
            reasoning: r.reasoning ?? "", answer: r.answer, stopReason: r.stopReason ?? "eos",
            thoughtState: r.thoughtState ?? (r.reasoning ? "ended" : "none"), stats: r.stats ?? stats(), notices: r.notices ?? [], model: r.model ?? "test-model"
        };
        return { type: "turnRestored", id, prompt: r.prompt ?? "", result, thoughtBudget: r.thoughtBudget ?? 0 };
    },
    clear(): HostToWebview {
        return { type: "clear" };
    }
};

/** A whole turn as messages: start, one progress per thought chunk then per answer chunk, finish. */
export function turnMessages(id: string, parts: { prompt?: string; thought?: string[]; answer?: string[]; thoughtBudget?: number; model?: string }, end = true): HostToWebview[] {
    const out: HostToWebview[] = [msg.start(id, { prompt: parts.prompt, thoughtBudget: parts.thoughtBudget ?? 4096, model: parts.model ?? "DeepSeek-R1-Distill-Qwen-7B Q4_K_M" })];
    let t = 0;
    let a = 0;
    for (const chunk of parts.thought ?? []) out.push(msg.progress(id, { thought: chunk, thoughtState: "thinking", stats: stats(++t, 0) }));
    for (const chunk of parts.answer ?? []) out.push(msg.progress(id, { answer: chunk, thoughtState: parts.thought?.length ? "ended" : "none", stats: stats(t, ++a) }));
    if (end) out.push(msg.finish(id, { reasoning: (parts.thought ?? []).join(""), answer: (parts.answer ?? []).join(""), stats: stats(t, a) }));
    return out;
}
