// One reasoning request on the loaded model: renders the conversation with the model's chat wrapper (no
// system prompt, as DeepSeek recommends), makes the reply start inside `<think>\n` while keeping node-llama-cpp's
// thought segmentation (forcedThinkWrapper), streams thought and answer deltas through a ProgressBatcher, and guards the reply
// (thinking budget, hard token cap, repetition watchdog, language-switch notice, cancellation).
import type { ChatHistoryItem, Token } from "node-llama-cpp" with { "resolution-mode": "import" };
import { trimHistory } from "../core/reply/historyTrim";
import { LanguageMixDetector } from "../core/reply/languageMix";
import { ReplyAssembler, type ReplyDelta } from "../core/reply/replyAssembler";
import { RepetitionGuard } from "../core/reply/repetitionGuard";
import { samplingWarnings } from "../core/reply/samplingAdvice";
import {
    ErrorCodes,
    type ChatTurn,
    type ReasonNotice,
    type ReasonParams,
    type ReasonProgress,
    type ReasonResult,
    type StopReason
} from "../shared/lspProtocol";
import { loadNodeLlamaCpp } from "./llamaRuntime";
import { ModelError } from "./modelErrors";
import type { LoadedModel } from "./modelHost";
import { startReplyProgress } from "./progressBatcher";

function toHistory(turns: readonly ChatTurn[]): ChatHistoryItem[] {
    const history: ChatHistoryItem[] = turns.map((t): ChatHistoryItem => (t.role === "user" ? { type: "user", text: t.text } : { type: "model", response: [t.text] }));
    // The reply to generate. For R1 models the forced-think wrapper opens it with `<think>\n`.
    history.push({ type: "model", response: [] });
    return history;
}

/**
 * For UI tests only: R1_TEST_TOKEN_DELAY_MS paces generation (that many ms per token), so that a test can watch a
 * scripted model think and press Stop while it does, whatever the machine's load. Unset: no delay.
 */
const testTokenDelayMs = Number(process.env.R1_TEST_TOKEN_DELAY_MS ?? 0);
const pacing = new Int32Array(new SharedArrayBuffer(4));

export interface RunOptions {
    signal: AbortSignal;
    send: (progress: ReasonProgress) => void;
    /** Notices already sent before generation started (model loading): kept in the result. */
    initialNotices?: ReasonNotice[];
    /** Notices about the load this request waited for: streamed and kept. */
    loadNotices?: ReasonNotice[];
    flushIntervalMs?: number;
}

export async function runReasoning(loaded: LoadedModel, params: ReasonParams, options: RunOptions): Promise<ReasonResult> {
    const lib = await loadNodeLlamaCpp();
    const { model, sequence, chatWrapper, reasoning, predictor } = loaded;
    const started = performance.now();
    const sampling = params.sampling;
    const contextSize = sequence.contextSize;

    const reply = new ReplyAssembler(reasoning);
    const { stats, notices, batcher, notice } = startReplyProgress(options.send, () => reply.thoughtState, started, {
        flushIntervalMs: options.flushIntervalMs, initial: options.initialNotices
    });
    for (const n of options.loadNotices ?? []) notice(n);
    for (const message of samplingWarnings(sampling.temperature, sampling.topP)) notice({ kind: "samplingOutsideRecommendation", message });

    // Fit the conversation into the context, keeping room for the reply.
    const replyRoom = Math.min(sampling.maxTokens, Math.floor(contextSize / 2));
    const maxPromptTokens = contextSize - replyRoom;
    // trimHistory measures the turns it finally keeps last, so that tokenization is the prompt's.
    let promptTokens: Token[] = [];
    const countTokens = (turns: readonly ChatTurn[]): number => {
        promptTokens = chatWrapper.generateContextState({ chatHistory: toHistory(turns) }).contextText.tokenize(model.tokenizer);
        return promptTokens.length;
    };
    const trimmed = trimHistory(params.turns, countTokens, maxPromptTokens);
    if (trimmed.promptTokens > maxPromptTokens) {
        throw new ModelError(
            ErrorCodes.loadFailed,
            `The request is too long for the context window: ${trimmed.promptTokens} prompt tokens, but only ${maxPromptTokens} fit with ${replyRoom} kept for the reply (context ${contextSize}). Attach less code or raise r1.contextSize.`
        );
    }
    if (trimmed.droppedTurns > 0) notice({ kind: "historyTrimmed", droppedTurns: trimmed.droppedTurns });
    const history = toHistory(trimmed.turns);
    stats.promptTokens = promptTokens.length;
    stats.reusedPromptTokens = Math.min(sequence.compareContextTokens(promptTokens).firstDifferentIndex, sequence.nextTokenIndex, promptTokens.length);

    // Guards. The watchdog and the user's cancel both stop generation through one AbortController.
    const stopper = new AbortController();
    let stoppedBy: "user" | "loop" | undefined;
    const onUserAbort = (): void => {
        stoppedBy ??= "user";
        stopper.abort();
    };
    if (options.signal.aborted) onUserAbort();
    options.signal.addEventListener("abort", onUserAbort);
    const repetition = new RepetitionGuard();
    const languages = new LanguageMixDetector();
    let firstTokenAt: number | undefined;
    const budget = sampling.thoughtBudget > 0 ? sampling.thoughtBudget : undefined;

    const send = (delta: ReplyDelta): void => batcher.add(delta);
    const onTokens = (tokens: readonly Token[]): void => {
        if (tokens.length === 0) return;
        if (testTokenDelayMs > 0) Atomics.wait(pacing, 0, 0, testTokenDelayMs * tokens.length);
        firstTokenAt ??= performance.now();
        stats.ttftMs ??= Math.round(firstTokenAt - started);
        const generated = stats.thoughtTokens + stats.answerTokens;
        const seconds = (performance.now() - firstTokenAt) / 1000;
        stats.tokensPerSecond = seconds > 0 ? Math.round(((generated - 1) / seconds) * 10) / 10 : 0;
        const hit = stoppedBy ? undefined : repetition.push(tokens as readonly number[]);
        if (hit) {
            stoppedBy = "loop";
            const repeated = model.detokenize(hit.unit as Token[]).trim().slice(0, 200);
            notice({ kind: "loopStopped", repeated });
            stopper.abort();
        }
    };

    // Token prediction drafts in the answer only: from the start for a model without the R1 template (all of its
    // reply is answer), else once the thought ends (by the model or by the thinking budget).
    if (predictor) predictor.active = !reasoning;
    const predictionsBefore = sequence.tokenPredictions;
    const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
    let response: Awaited<ReturnType<typeof chat.generateResponse>>;
    try {
        response = await chat.generateResponse(history, {
            signal: stopper.signal,
            stopOnAbortSignal: true,
            maxTokens: sampling.maxTokens,
            temperature: sampling.temperature,
            topP: sampling.topP,
            seed: sampling.seed,
            budgets: budget !== undefined ? { thoughtTokens: budget } : undefined,
            onResponseChunk: (chunk) => {
                if (chunk.type === "segment" && chunk.segmentType === "thought") {
                    stats.thoughtTokens += chunk.tokens.length;
                    onTokens(chunk.tokens);
                    send(reply.thought(chunk.text));
                    if (chunk.text) {
                        const change = languages.push(chunk.text);
                        if (change) notice({ kind: "languageSwitch", from: change.from, to: change.to });
                    }
                    if (chunk.segmentEndTime && reply.thoughtState === "thinking") {
                        stats.thoughtMs = Math.round(performance.now() - started);
                        const byBudget = budget !== undefined && stats.thoughtTokens >= budget;
                        reply.endThought(byBudget);
                        if (predictor) predictor.active = true;
                        if (byBudget) notice({ kind: "budgetHit", budget });
                        batcher.touch();
                    }
                    return;
                }
                stats.answerTokens += chunk.tokens.length;
                onTokens(chunk.tokens);
                send(reply.answerText(chunk.text));
            }
        });
    } finally {
        options.signal.removeEventListener("abort", onUserAbort);
        chat.dispose({ disposeSequence: false });
        if (predictor) predictor.active = false;
    }
    if (predictor) {
        const after = sequence.tokenPredictions;
        stats.draftAcceptedTokens = after.validated - predictionsBefore.validated;
        stats.draftTokens = stats.draftAcceptedTokens + after.refuted - predictionsBefore.refuted;
    }

    let stopReason: StopReason;
    if (stoppedBy === "loop") stopReason = "loop";
    else if (stoppedBy === "user" || response.metadata.stopReason === "abort") stopReason = "abort";
    else if (response.metadata.stopReason === "maxTokens") stopReason = "maxTokens";
    else stopReason = "eos";
    send(reply.finish());

    stats.elapsedMs = Math.round(performance.now() - started);
    batcher.flush();
    batcher.dispose();
    const final = reply.result();
    return {
        reasoning: final.reasoning,
        answer: final.answer,
        thoughtState: final.thoughtState,
        stopReason,
        stats: { ...stats },
        notices,
        model: loaded.info.name
    };
}
