// What went wrong with a remote engine, in words for the user, with its ErrorCodes code: the network (refused,
// DNS, TLS, timeouts) and the server's HTTP answers (401/403, 404, context too long, 429, 5xx). The server's
// own words are quoted when they help (never for 401/403: some servers echo part of the key), cut short, and
// passed through the redactor; the key itself is never part of a message.
import { ErrorCodes } from "../../../shared/lspProtocol";
import { ModelError, type ModelErrorCode } from "../../modelErrors";
import { errorMessageOf } from "./chunkReader";

export class RemoteError extends ModelError {
    constructor(code: ModelErrorCode, message: string, readonly retryAfterMs?: number) {
        super(code, message);
        this.name = "RemoteError";
    }
}

const number = new Intl.NumberFormat("en-US");
const n = (v: string | number): string => number.format(Number(v));

/** Where the request went, for messages: "api.deepseek.com" or "127.0.0.1:8000". */
export function hostOf(url: URL): string {
    return url.host;
}

/** The server's message from a JSON error body, or an HTML page's title, or the start of the text. */
export function serverWords(body: string): string {
    let words: string | undefined;
    try {
        words = errorMessageOf(JSON.parse(body));
    } catch {
        const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(body)?.[1];
        words = title ?? (body.trimStart().startsWith("<") ? undefined : body);
    }
    const flat = (words ?? "").replace(/\s+/g, " ").trim();
    return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), undefined without one. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
    if (!header) return undefined;
    const seconds = Number(header.trim());
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long the prompt was, if the server said so (vLLM, SGLang, llama-server, the DeepSeek API). */
export function contextTooLong(body: string): string | undefined {
    const openai = /maximum context length is (\d+) tokens\. However, you requested (\d+) tokens(?: \((\d+) in the messages, (\d+) in the completion\))?/i.exec(body);
    if (openai) {
        const [, limit, asked, prompt, reply] = openai;
        const parts = prompt && reply ? ` (${n(prompt)} in the conversation, ${n(reply)} kept for the reply)` : "";
        return `the request needs ${n(asked!)} tokens${parts}, but the model's context holds ${n(limit!)}`;
    }
    const sglang = /input \((\d+) tokens\) is longer than the model's context length \((\d+) tokens\)/i.exec(body);
    if (sglang) return `the conversation has ${n(sglang[1]!)} tokens, but the model's context holds ${n(sglang[2]!)}`;
    try {
        const error = (JSON.parse(body) as { error?: { n_prompt_tokens?: unknown; n_ctx?: unknown } }).error;
        if (typeof error?.n_prompt_tokens === "number" && typeof error.n_ctx === "number") {
            return `the conversation has ${n(error.n_prompt_tokens)} tokens, but the server's context holds ${n(error.n_ctx)}`;
        }
    } catch {
        // not JSON
    }
    if (/context (length|size|window)|too long|exceeds? the (available )?context|maximum.*tokens/i.test(body)) return "";
    return undefined;
}

const contextAdvice = "Attach less code, start a new chat, or lower r1.maxTokens.";

/** The RemoteError for a non-2xx answer to a chat or models request. */
export function httpError(status: number, statusText: string, body: string, headers: Headers, where: { url: URL; model?: string }): RemoteError {
    const host = hostOf(where.url);
    const words = serverWords(body);
    const quoted = words ? `: ${words}` : "";
    const http = `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
    if (status === 401 || status === 403) {
        return new RemoteError(ErrorCodes.remoteAuth, status === 401
            ? `${host} refused the API key (${http}). Check the key saved for this endpoint, or set it again with R1: Select Model.`
            : `${host} refused access (${http}): the API key is missing, wrong, or not allowed to use this model. Check the key saved for this endpoint.`);
    }
    if (status === 404) {
        const aboutModel = where.model !== undefined && (body.includes(where.model) || /model/i.test(words));
        return new RemoteError(ErrorCodes.remoteNotFound, aboutModel
            ? `${host} does not serve a model named "${where.model}" (${http})${quoted}. Pick one of its models with R1: Select Model.`
            : `${where.url.href} does not exist on ${host} (${http}). Check the base URL: for most servers it ends in /v1.`);
    }
    if (status === 413 || status === 400) {
        const tooLong = status === 413 ? "" : contextTooLong(body);
        if (tooLong !== undefined) {
            const what = status === 413 ? `The request is larger than ${host} accepts (${http})` : `The conversation is too long for ${where.model ?? "the model"} on ${host}`;
            return new RemoteError(ErrorCodes.remoteContextTooLong, `${what}${tooLong ? `: ${tooLong}` : ""}. ${contextAdvice}`);
        }
        return new RemoteError(ErrorCodes.remoteServer, `${host} rejected the request (${http})${quoted}.`);
    }
    if (status === 429) {
        const wait = retryAfterMs(headers.get("retry-after"));
        const when = wait !== undefined ? ` It asks to wait ${Math.ceil(wait / 1000)} s.` : "";
        return new RemoteError(ErrorCodes.remoteRateLimited, `${host} is limiting requests (${http})${quoted}.${when} Try again later.`, wait);
    }
    if (status >= 500) {
        return new RemoteError(ErrorCodes.remoteServer, `The server at ${host} failed (${http})${quoted}. Try again; if it repeats, check the server's log.`);
    }
    return new RemoteError(ErrorCodes.remoteServer, `${host} answered ${http}${quoted}.`);
}

const tlsUntrusted = new Set(["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT", "CERT_UNTRUSTED"]);

/** The innermost error with a code (fetch wraps the socket's error; several addresses give an AggregateError). */
function rootCause(error: unknown): { code?: string; message: string } {
    let e: unknown = error;
    for (let depth = 0; depth < 5; depth++) {
        const err = e as { code?: unknown; cause?: unknown; errors?: unknown[]; message?: unknown };
        if (typeof err?.code === "string" && !err.code.startsWith("ERR_INVALID")) return { code: err.code, message: String(err.message ?? "") };
        if (Array.isArray(err?.errors) && err.errors.length > 0) e = err.errors[0];
        else if (err?.cause !== undefined) e = err.cause;
        else break;
    }
    const err = e as { message?: unknown };
    return { message: typeof err?.message === "string" ? err.message : String(e) };
}

/** The RemoteError for a request that got no HTTP answer at all. */
export function networkError(error: unknown, url: URL, caFile?: string): RemoteError {
    const host = hostOf(url);
    const { code, message } = rootCause(error);
    const unreachable = (text: string): RemoteError => new RemoteError(ErrorCodes.remoteUnreachable, text);
    switch (code) {
        case "ECONNREFUSED":
            return unreachable(`Nothing answers at ${host} (connection refused). Is the server running, and are the host and port right?`);
        case "ENOTFOUND":
        case "EAI_AGAIN":
        case "EAI_NONAME":
            return unreachable(`Cannot find the host ${url.hostname} (DNS lookup failed). Check the base URL and the network.`);
        case "ECONNRESET":
        case "UND_ERR_SOCKET":
            return unreachable(`${host} closed the connection before answering. Check that the base URL's scheme (http or https) and port are right.`);
        case "ETIMEDOUT":
        case "UND_ERR_CONNECT_TIMEOUT":
        case "ENETUNREACH":
        case "EHOSTUNREACH":
            return unreachable(`Cannot connect to ${host} (${code}). Check the address, a firewall or VPN, and the proxy settings.`);
        case "UND_ERR_HEADERS_TIMEOUT":
            return unreachable(`${host} accepted the request but did not answer. The server may be overloaded.`);
        case "CERT_HAS_EXPIRED":
            return unreachable(`The TLS certificate of ${host} has expired.`);
        case "ERR_TLS_CERT_ALTNAME_INVALID":
            return unreachable(`The TLS certificate of ${host} is for another host name.`);
        case "EPROTO":
        case "ERR_SSL_WRONG_VERSION_NUMBER":
            return unreachable(`The TLS handshake with ${host} failed: does the server speak https on this port? (Use http:// for a plain server.)`);
    }
    if (code && tlsUntrusted.has(code)) {
        const selfSigned = code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN";
        const what = selfSigned ? "a self-signed certificate" : "a certificate from an authority this machine does not trust";
        const fix = caFile ? `The CA file in r1.remote.caFile (${caFile}) does not vouch for it: point the setting at the right CA certificate (PEM).`
            : "To trust it, save its CA certificate (PEM) to a file and set r1.remote.caFile to that file.";
        return unreachable(`${host} uses ${what}. ${fix}`);
    }
    if (/bad port/i.test(message)) return unreachable(`Port ${url.port} of ${host} is one that fetch refuses to use; serve the engine on another port.`);
    return unreachable(`Cannot reach ${host}: ${code ? `${code} ` : ""}${message}`);
}
