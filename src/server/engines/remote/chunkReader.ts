// Reads one `chat.completion.chunk` (or a whole non-streamed `chat.completion`) as the OpenAI-compatible
// servers write it. Model output is untrusted: every field is type-checked, nothing else is read.
//   reasoning  delta.reasoning_content (DeepSeek API, SGLang, llama-server, vLLM ≤ 0.10) or delta.reasoning
//              (vLLM ≥ 0.10, Ollama, OpenRouter); a server that sends both repeats one text, so one is taken
//   content    delta.content (`null` and "" are nothing)
//   finish     choices[0].finish_reason ("stop", "length", "insufficient_system_resource", …)
//   usage      prompt/completion tokens, completion_tokens_details.reasoning_tokens, cached prompt tokens
//   error      `{"error": {...}}` or `{"object": "error", ...}` inside a stream (vLLM, Ollama, llama-server)
import type { RemoteUsage } from "../../../shared/lspProtocol";

export interface ChunkFields {
    reasoning?: string;
    content?: string;
    finishReason?: string;
    usage?: RemoteUsage & { cachedPromptTokens?: number };
    /** The server reported a failure: its message (for the user, after redaction). */
    error?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The message of an error object as servers write it: {error: {message}}, {error: "…"}, {message}, {detail}. */
export function errorMessageOf(body: unknown): string | undefined {
    if (!isObject(body)) return undefined;
    const error = body["error"];
    if (isObject(error)) return str(error["message"]) ?? str(error["type"]);
    if (typeof error === "string") return error;
    if (body["object"] === "error") return str(body["message"]) ?? "error";
    const detail = body["detail"];
    if (typeof detail === "string") return detail;
    return undefined;
}

function usageOf(u: unknown): ChunkFields["usage"] {
    if (!isObject(u)) return undefined;
    const promptTokens = count(u["prompt_tokens"]);
    const completionTokens = count(u["completion_tokens"]);
    if (promptTokens === undefined || completionTokens === undefined) return undefined;
    const usage: NonNullable<ChunkFields["usage"]> = { promptTokens, completionTokens };
    const details = u["completion_tokens_details"];
    const reasoningTokens = isObject(details) ? count(details["reasoning_tokens"]) : undefined;
    if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens;
    const promptDetails = u["prompt_tokens_details"];
    const cached = (isObject(promptDetails) ? count(promptDetails["cached_tokens"]) : undefined) ?? count(u["prompt_cache_hit_tokens"]);
    if (cached !== undefined) usage.cachedPromptTokens = cached;
    return usage;
}

/** Returns undefined when `chunk` is not an object at all (the caller reports malformed JSON). */
export function readChunk(chunk: unknown): ChunkFields | undefined {
    if (!isObject(chunk)) return undefined;
    const fields: ChunkFields = {};
    const error = errorMessageOf(chunk);
    if (error !== undefined) fields.error = error;
    const usage = usageOf(chunk["usage"]);
    if (usage) fields.usage = usage;
    const choices = chunk["choices"];
    const choice = Array.isArray(choices) ? choices.find((c) => isObject(c) && (c["index"] === 0 || c["index"] === undefined)) : undefined;
    if (!isObject(choice)) return fields;
    // A stream carries `delta`; a server that ignored "stream": true answers one `message`.
    const delta = isObject(choice["delta"]) ? choice["delta"] : isObject(choice["message"]) ? choice["message"] : undefined;
    if (delta) {
        const reasoning = str(delta["reasoning_content"]) || str(delta["reasoning"]);
        if (reasoning) fields.reasoning = reasoning;
        const content = str(delta["content"]);
        if (content) fields.content = content;
    }
    const finish = str(choice["finish_reason"]);
    if (finish) fields.finishReason = finish;
    return fields;
}
