// A saved remote engine (an OpenAI-compatible server: vLLM, SGLang, llama-server, Ollama, LM Studio, the DeepSeek
// API): its base URL as typed by the user made canonical (scheme, /v1), the short label the status bar and the chat
// show ("deepseek-reasoner @ api.deepseek.com"), and the saved list (parsed from globalState, added to, removed from).
// Pure: the feature (src/features/engines/engineStore.ts) keeps the list; API keys are never part of it.

/** One saved endpoint (globalState `r1.remote.endpoints`). */
export interface RemoteEndpoint {
    /** Stable id; the API key is stored under `r1.remote.apiKey.<id>` in SecretStorage. */
    id: string;
    /** Canonical base URL with its version path, e.g. "https://api.deepseek.com/v1". */
    baseUrl: string;
    /** The server's model name, e.g. "deepseek-reasoner". */
    model: string;
    /** What the user sees: "deepseek-reasoner @ api.deepseek.com". */
    label: string;
}

/** The active engine (globalState `r1.activeEngine`): the local model, or a saved endpoint's id. */
export type ActiveEngine = "local" | string;

export type BaseUrlResult =
    | { ok: true; url: string; notes: string[]; insecure: boolean }
    | { ok: false; error: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const IP_OR_LOCAL = /^(localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]|[^.]+|.*\.local)$/i;
/** Paths a user may paste that are endpoints below the base URL. */
const ENDPOINT_SUFFIX = /\/(chat\/completions|completions|models)$/i;

/** True for 127.0.0.1, localhost and [::1]: traffic that never leaves this machine. */
export function isLoopbackHost(host: string): boolean {
    return LOOPBACK.test(host);
}

/**
 * The base URL the requests go to, from what the user typed: a missing scheme is `http://` for localhost, IP
 * addresses and single-label or `.local` names, else `https://`; a pasted `/chat/completions` or `/models` is
 * removed; an empty path becomes `/v1`. Credentials, queries and fragments are refused (the API key has its own
 * step). `insecure` is set for plain http to another machine (code and key would travel unencrypted).
 */
export function normalizeBaseUrl(input: string): BaseUrlResult {
    const raw = input.trim();
    if (!raw) return { ok: false, error: "Enter the server's base URL, for example http://127.0.0.1:8000/v1 or https://api.deepseek.com." };
    const notes: string[] = [];
    let text = raw;
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
        const host = text.split(/[/?#]/)[0]!.replace(/:\d+$/, "");
        const scheme = IP_OR_LOCAL.test(host) ? "http" : "https";
        text = `${scheme}://${text}`;
        notes.push(`${scheme}:// added`);
    }
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return { ok: false, error: `"${raw}" is not a URL. Use the form http://host:port/v1.` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, error: `${url.protocol}// is not supported: use http:// or https://.` };
    if (url.username || url.password) return { ok: false, error: "Leave the credentials out of the URL: the API key is asked for in the next step and kept in VS Code's secret storage." };
    if (url.search || url.hash) return { ok: false, error: "The base URL cannot have a query (?…) or fragment (#…)." };
    let path = url.pathname.replace(/\/+$/, "");
    if (ENDPOINT_SUFFIX.test(path)) {
        path = path.replace(ENDPOINT_SUFFIX, "");
        notes.push("the endpoint path was removed");
    }
    if (path === "") {
        path = "/v1";
        notes.push("/v1 added");
    }
    const canonical = `${url.protocol}//${url.host}${path}`;
    const insecure = url.protocol === "http:" && !isLoopbackHost(url.hostname);
    return { ok: true, url: canonical, notes, insecure };
}

/** "api.deepseek.com", "127.0.0.1:8000" (with the port when there is one). */
export function endpointHost(baseUrl: string): string {
    try {
        return new URL(baseUrl).host;
    } catch {
        return baseUrl;
    }
}

/** The origin the code goes to, for the consent question: "https://api.deepseek.com". */
export function endpointOrigin(baseUrl: string): string {
    try {
        return new URL(baseUrl).origin;
    } catch {
        return baseUrl;
    }
}

/** "deepseek-reasoner @ api.deepseek.com". */
export function engineLabel(endpoint: { baseUrl: string; model: string }): string {
    return `${endpoint.model} @ ${endpointHost(endpoint.baseUrl)}`;
}

/** The saved list from globalState: anything malformed is left out (the state is written by this extension only, but may be old). */
export function parseEndpoints(value: unknown): RemoteEndpoint[] {
    if (!Array.isArray(value)) return [];
    const out: RemoteEndpoint[] = [];
    for (const v of value as unknown[]) {
        if (typeof v !== "object" || v === null) continue;
        const { id, baseUrl, model, label } = v as Record<string, unknown>;
        if (typeof id !== "string" || !id || typeof baseUrl !== "string" || typeof model !== "string" || !model) continue;
        const url = normalizeBaseUrl(baseUrl);
        if (!url.ok || out.some((e) => e.id === id)) continue;
        out.push({ id, baseUrl: url.url, model, label: typeof label === "string" && label ? label : engineLabel({ baseUrl: url.url, model }) });
    }
    return out;
}

/**
 * The list with `endpoint` saved: an endpoint with the same base URL and model keeps its id (and so its key and
 * place); otherwise `newId` is used and the endpoint goes first.
 */
export function upsertEndpoint(list: readonly RemoteEndpoint[], endpoint: { baseUrl: string; model: string }, newId: string): { list: RemoteEndpoint[]; saved: RemoteEndpoint } {
    const label = engineLabel(endpoint);
    const existing = list.find((e) => e.baseUrl === endpoint.baseUrl && e.model === endpoint.model);
    if (existing) {
        const saved = { ...existing, label };
        return { list: list.map((e) => (e.id === existing.id ? saved : e)), saved };
    }
    const saved = { id: newId, baseUrl: endpoint.baseUrl, model: endpoint.model, label };
    return { list: [saved, ...list], saved };
}

/** The active engine after `id` was removed: local when it was the active one. */
export function activeAfterRemoval(active: ActiveEngine, removedId: string): ActiveEngine {
    return active === removedId ? "local" : active;
}
