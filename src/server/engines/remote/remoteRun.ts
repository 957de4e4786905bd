// One r1/reason request answered by an OpenAI-compatible server: POST /chat/completions (chatRequestBody: the
// DeepSeek rules), the streamed deltas turned into thought and answer (ApiReplyAssembler, whatever form the
// reasoning takes) and batched into progress like the local engine's, with the same guards: thinking budget
// (the stream is stopped: a remote thought cannot be closed from here), loop watchdog on the text, language
// switch notice, Stop. Every stop closes the HTTP request at once.
//
// Failures: before any output arrives the request fails with a RemoteError (its code says which); after output
// arrived the partial reply is returned with stopReason "error" and a `streamInterrupted` notice. A 429 with
// Retry-After (at most a minute) is retried once after that time. No byte for `firstByteTimeoutMs` (before the
// first one, or later in the stream) counts as a failure too.
//
// Token counts: servers send one token per chunk when they can (vLLM, SGLang, llama-server, Ollama, the DeepSeek
// API), so a chunk counts one token, a longer one (a server that batches) a token per 4 characters. The budget
// uses that count, or the server's own when it streams its usage with each chunk. When the usage arrives at the
// end, the totals are the server's (reasoning_tokens when reported, else the completion tokens shared out in
// the counted proportion).
import { ApiReplyAssembler } from "../../../core/reply/apiReplyAssembler";
import { LanguageMixDetector } from "../../../core/reply/languageMix";
import type { ReplyDelta } from "../../../core/reply/replyAssembler";
import { samplingWarnings } from "../../../core/reply/samplingAdvice";
import { TextRepetitionGuard } from "../../../core/reply/textRepetitionGuard";
import { ErrorCodes, type ReasonParams, type ReasonResult, type RemoteEngineSpec, type StopReason } from "../../../shared/lspProtocol";
import type { ModelErrorCode } from "../../modelErrors";
import { startReplyProgress } from "../../progressBatcher";
import type { EngineRequest } from "../engine";
import { chatRequestBody } from "./chatRequestBody";
import { readChunk, type ChunkFields } from "./chunkReader";
import { DONE, responseEvents, type EventStreamInfo } from "./eventStream";
import { SseLimitError } from "./sseParser";
import { RemoteError } from "./remoteErrors";
import { endpointUrl, remoteFetch } from "./remoteHttp";

export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
const MAX_RETRY_WAIT_MS = 60_000;

export interface RemoteRunOptions extends Omit<EngineRequest, "params"> {
    log: (level: "info" | "warn" | "error", message: string) => void;
    flushIntervalMs?: number;
}

type StopCause = "user" | "budget" | "loop" | "cap" | "silence" | "failed" | "finished";

/** Tokens one streamed text counts for (see the header). */
export function chunkTokens(text: string): number {
    return text.length === 0 ? 0 : text.length <= 8 ? 1 : Math.ceil(text.length / 4);
}

/** "60 s", "0.3 s". */
function seconds(ms: number): string {
    return `${ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = (): void => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
    });
}

export async function runRemote(spec: RemoteEngineSpec, params: ReasonParams, options: RemoteRunOptions): Promise<ReasonResult> {
    const started = performance.now();
    const url = endpointUrl(spec.baseUrl, "chat/completions");
    const host = url.host;
    const sampling = params.sampling;
    const reply = new ApiReplyAssembler();
    const { stats, notices, batcher, notice } = startReplyProgress(options.send, () => reply.thoughtState, started, { flushIntervalMs: options.flushIntervalMs });
    for (const message of samplingWarnings(sampling.temperature, sampling.topP)) notice({ kind: "samplingOutsideRecommendation", message });

    // One controller closes the HTTP request, whoever stops it; the cause says how the reply ends.
    const connection = new AbortController();
    let cause: StopCause | undefined;
    const stop = (why: StopCause, reason?: unknown): void => {
        cause ??= why;
        connection.abort(reason);
    };
    const onUserAbort = (): void => stop("user");
    if (options.signal.aborted) onUserAbort();
    options.signal.addEventListener("abort", onUserAbort);

    const silenceMs = spec.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS;
    let anyByte = false;
    let sawDone = false;
    let silence: NodeJS.Timeout | undefined;
    const armSilence = (): void => {
        clearTimeout(silence);
        silence = setTimeout(() => {
            // [DONE] came but the server keeps the response open: the reply is complete all the same.
            if (sawDone) return stop("finished");
            const message = anyByte
                ? `${host} sent nothing for ${seconds(silenceMs)} in the middle of the reply`
                : `No response from ${host} within ${seconds(silenceMs)}. The server may be overloaded or still loading the model; the wait is r1.remote.firstByteTimeoutSeconds.`;
            stop("silence", new RemoteError(ErrorCodes.remoteUnreachable, message));
        }, silenceMs);
    };

    let interruption: string | undefined;
    let finishReason: string | undefined;
    let usage: ChunkFields["usage"];
    let firstTokenAt: number | undefined;
    const repetition = new TextRepetitionGuard();
    const languages = new LanguageMixDetector();
    const budget = sampling.thoughtBudget > 0 ? sampling.thoughtBudget : undefined;
    /** max_tokens with room for the count's approximation. */
    const replyCap = sampling.maxTokens * 2 + 64;
    const hasOutput = (): boolean => firstTokenAt !== undefined;

    /** Ends the reply with `message`: a RemoteError before any output, an interrupted reply after. */
    const fail = (code: ModelErrorCode, message: string): void => {
        if (!hasOutput()) {
            stop("failed");
            throw new RemoteError(code, message);
        }
        interruption ??= message;
        stop("failed");
    };

    const count = (delta: ReplyDelta, tokens: number): void => {
        if (delta.answerRetracted) {
            stats.thoughtTokens += stats.answerTokens;
            stats.answerTokens = 0;
        }
        const total = delta.thought.length + delta.answer.length;
        const toThought = total === 0 ? (reply.inThought ? tokens : 0) : Math.round((tokens * delta.thought.length) / total);
        stats.thoughtTokens += toThought;
        stats.answerTokens += tokens - toThought;
    };

    const onFields = (fields: ChunkFields): void => {
        if (fields.usage) usage = fields.usage;
        if (fields.finishReason) finishReason = fields.finishReason;
        const text = (fields.reasoning ?? "") + (fields.content ?? "");
        if (text) {
            const wasThinking = reply.inThought;
            firstTokenAt ??= performance.now();
            stats.ttftMs ??= Math.round(firstTokenAt - started);
            const delta = reply.push({ reasoning: fields.reasoning, content: fields.content });
            count(delta, chunkTokens(fields.reasoning ?? "") + chunkTokens(fields.content ?? ""));
            // A server that streams its usage with every chunk (vLLM's continuous_usage_stats) has exact counts.
            const streamedThought = fields.usage ? (fields.usage.reasoningTokens ?? (reply.inThought ? fields.usage.completionTokens : undefined)) : undefined;
            if (streamedThought !== undefined) stats.thoughtTokens = streamedThought;
            batcher.add(delta);
            const generated = stats.thoughtTokens + stats.answerTokens;
            const elapsed = (performance.now() - firstTokenAt) / 1000;
            stats.tokensPerSecond = elapsed > 0 ? Math.round(((generated - 1) / elapsed) * 10) / 10 : 0;
            if (wasThinking && !reply.inThought) stats.thoughtMs ??= Math.round(performance.now() - started);
            if (delta.thought) {
                const change = languages.push(delta.thought);
                if (change) notice({ kind: "languageSwitch", from: change.from, to: change.to });
            }
            const loop = repetition.push(text);
            if (loop) {
                notice({ kind: "loopStopped", repeated: loop.repeated.trim().slice(0, 200) });
                stop("loop");
            } else if (stats.thoughtTokens + stats.answerTokens > replyCap) {
                // The server ignores max_tokens (or its chunks count far more than its tokens): stop it here.
                notice({ kind: "info", message: `${host} kept sending past the reply's limit of ${sampling.maxTokens} tokens, so the stream was stopped.` });
                stop("cap");
            } else if (budget !== undefined && reply.inThought && stats.thoughtTokens >= budget) {
                reply.closeByBudget();
                stats.thoughtMs ??= Math.round(performance.now() - started);
                notice({ kind: "budgetHit", budget });
                notice({ kind: "info", message: `The thinking budget (${budget} tokens) was spent, so the stream was stopped: a remote engine cannot be told to end its thought and answer. Raise the thinking budget (0 = no limit) for an answer.` });
                stop("budget");
            }
        }
        if (fields.error !== undefined) fail(ErrorCodes.remoteServer, `${host} reported an error in the middle of the reply: ${fields.error}`);
    };

    const body = chatRequestBody(spec.model, params);
    options.log("info", `remote: POST ${url.origin}${url.pathname} model "${spec.model}", ${body.messages.length} messages, max_tokens ${body.max_tokens} (API key ${spec.apiKey ? "sent" : "none"})`);
    const info: EventStreamInfo = { foreignLines: 0 };
    let streamEnded = false;
    try {
        armSilence();
        let response: Response | undefined;
        for (let attempt = 0; !response; attempt++) {
            try {
                response = await remoteFetch({ spec, path: "chat/completions", method: "POST", body, signal: connection.signal });
            } catch (error) {
                const wait = error instanceof RemoteError && error.code === ErrorCodes.remoteRateLimited ? error.retryAfterMs : undefined;
                if (attempt > 0 || wait === undefined || wait > MAX_RETRY_WAIT_MS) throw error;
                clearTimeout(silence);
                notice({ kind: "info", message: `${host} is limiting requests (HTTP 429): trying again in ${Math.ceil(wait / 1000)} s.` });
                batcher.flush();
                options.log("info", `remote: ${host} answered 429, retrying once in ${wait} ms`);
                await abortableDelay(wait, connection.signal);
                armSilence();
            }
        }
        options.log("info", `remote: ${host} answered ${response.status} (${response.headers.get("content-type") ?? "no content type"})`);
        const onBytes = (): void => {
            anyByte = true;
            armSilence();
        };
        for await (const event of responseEvents(response, host, onBytes, info)) {
            // After [DONE] the server ends the response: read to its end, so the connection ends cleanly.
            if (sawDone) continue;
            if (event.data.trim() === DONE) {
                sawDone = true;
                continue;
            }
            let json: unknown;
            try {
                json = JSON.parse(event.data);
            } catch {
                json = undefined;
            }
            const fields = readChunk(json);
            if (event.event === "error") fail(ErrorCodes.remoteServer, `${host} reported an error: ${fields?.error ?? event.data.slice(0, 300)}`);
            else if (!fields) fail(ErrorCodes.remoteProtocol, `${host} sent a stream event that is not valid JSON ("${event.data.length > 60 ? "…" : ""}${event.data.slice(-60)}")`);
            else onFields(fields);
            if (cause) break;
        }
        streamEnded = true;
    } catch (error) {
        if (cause === "user" || cause === "budget" || cause === "loop" || cause === "cap" || cause === "finished") {
            // stopped on purpose: the reply so far is the result
        } else if (error instanceof SseLimitError) {
            fail(ErrorCodes.remoteProtocol, `${host} sent ${error.message}: not a chat stream`);
        } else if (cause === "silence" && connection.signal.reason instanceof RemoteError) {
            fail(ErrorCodes.remoteUnreachable, connection.signal.reason.message);
        } else if (error instanceof RemoteError) {
            if (hasOutput()) interruption ??= error.message;
            else throw error;
        } else if (cause !== "failed") {
            const why = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
            fail(ErrorCodes.remoteUnreachable, `The connection to ${host} broke ${hasOutput() ? "in the middle of the reply" : "before any output arrived"} (${why})`);
        }
    } finally {
        clearTimeout(silence);
        options.signal.removeEventListener("abort", onUserAbort);
        // Whatever ended the reply early, the connection does not outlive it.
        if (!streamEnded && !connection.signal.aborted) connection.abort();
        // A failure leaves no progress timer behind (the result's final progress is sent below).
        batcher.dispose();
    }

    if (!cause && !sawDone && finishReason === undefined) {
        if (!hasOutput()) {
            throw new RemoteError(ErrorCodes.remoteProtocol, info.foreignLines > 0
                ? `${host} did not answer with an event stream. Check the base URL: for most servers it ends in /v1.`
                : `${host} ended the stream before any output arrived.`);
        }
        interruption ??= `${host} ended the stream before the reply was finished`;
    }
    if (!cause && finishReason === "insufficient_system_resource") interruption ??= `${host} stopped the reply: it ran out of resources (finish_reason insufficient_system_resource). Try again later`;
    if (finishReason === "content_filter") notice({ kind: "info", message: `${host}'s content filter stopped the reply.` });

    let stopReason: StopReason;
    if (cause === "loop") stopReason = "loop";
    else if (cause === "user") stopReason = "abort";
    else if (cause === "budget" || cause === "cap") stopReason = "maxTokens";
    else if (interruption !== undefined) stopReason = "error";
    else if (finishReason === "length") stopReason = "maxTokens";
    else stopReason = "eos";
    if (interruption !== undefined && cause !== "user") notice({ kind: "streamInterrupted", message: interruption.endsWith(".") ? interruption : `${interruption}.` });

    batcher.add(reply.finish());
    if (usage) {
        stats.usage = { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens };
        if (usage.reasoningTokens !== undefined) stats.usage.reasoningTokens = usage.reasoningTokens;
        stats.promptTokens = usage.promptTokens;
        stats.reusedPromptTokens = usage.cachedPromptTokens ?? 0;
        const counted = stats.thoughtTokens + stats.answerTokens;
        const thought = usage.reasoningTokens ?? (counted > 0 ? Math.round((usage.completionTokens * stats.thoughtTokens) / counted) : 0);
        stats.thoughtTokens = Math.min(thought, usage.completionTokens);
        stats.answerTokens = usage.completionTokens - stats.thoughtTokens;
    }
    stats.elapsedMs = Math.round(performance.now() - started);
    batcher.touch();
    batcher.flush();
    batcher.dispose();
    const final = reply.result();
    options.log(stopReason === "error" ? "warn" : "info", `remote: ${host} "${spec.model}": ${stopReason}, thought ${final.thoughtState}, ${stats.thoughtTokens} + ${stats.answerTokens} tokens in ${(stats.elapsedMs / 1000).toFixed(1)} s${interruption ? ` (${interruption})` : ""}`);
    return { reasoning: final.reasoning, answer: final.answer, thoughtState: final.thoughtState, stopReason, stats: { ...stats }, notices, model: spec.model };
}
