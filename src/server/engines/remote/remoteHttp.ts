// One HTTP request to a remote engine with Node's own fetch: the URL under the base URL, the headers (the API
// key only in Authorization, nowhere else), the connection settings (remoteDispatcher), and every failure as a
// RemoteError with a message for the user. A request aborted by the caller rejects with the signal's reason.
import { ErrorCodes, type RemoteEngineSpec } from "../../../shared/lspProtocol";
import { dispatcherFor } from "./remoteDispatcher";
import { httpError, networkError, RemoteError } from "./remoteErrors";

/** {baseUrl}/{path}; a base URL that is not http(s) or carries credentials is refused with a clear message. */
export function endpointUrl(baseUrl: string, path: string): URL {
    let url: URL;
    try {
        url = new URL(`${baseUrl.trim().replace(/\/+$/, "")}/${path}`);
    } catch {
        throw new RemoteError(ErrorCodes.remoteUnreachable, `"${baseUrl}" is not a URL. Enter the server's base URL, e.g. http://127.0.0.1:8000/v1.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new RemoteError(ErrorCodes.remoteUnreachable, `The base URL must start with http:// or https:// (got ${url.protocol}//).`);
    }
    if (url.username || url.password) {
        throw new RemoteError(ErrorCodes.remoteUnreachable, "The base URL must not contain a user name or password: save the API key for the endpoint instead.");
    }
    return url;
}

export interface RemoteRequest {
    spec: Omit<RemoteEngineSpec, "model"> & { model?: string };
    path: string;
    method: "GET" | "POST";
    body?: unknown;
    signal: AbortSignal;
}

const MAX_ERROR_BODY = 64 * 1024;

async function errorBody(response: Response): Promise<string> {
    try {
        const text = await response.text();
        return text.length > MAX_ERROR_BODY ? text.slice(0, MAX_ERROR_BODY) : text;
    } catch {
        return "";
    }
}

/** Sends the request; resolves with a 2xx response whose body is still to be read. */
export async function remoteFetch(request: RemoteRequest): Promise<Response> {
    const { spec, signal } = request;
    const url = endpointUrl(spec.baseUrl, request.path);
    const headers: Record<string, string> = { "User-Agent": "r1-reasoner" };
    if (request.method === "POST") {
        headers["Content-Type"] = "application/json";
        headers["Accept"] = "text/event-stream";
    } else headers["Accept"] = "application/json";
    if (spec.apiKey) headers["Authorization"] = `Bearer ${spec.apiKey}`;
    const dispatcher = await dispatcherFor(url, spec);
    let response: Response;
    try {
        const init: RequestInit & { dispatcher?: unknown } = {
            method: request.method,
            headers,
            signal,
            body: request.body === undefined ? undefined : JSON.stringify(request.body)
        };
        if (dispatcher) init.dispatcher = dispatcher;
        response = await fetch(url, init as RequestInit);
    } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw networkError(error, url, spec.caFile);
    }
    if (!response.ok) {
        const body = await errorBody(response);
        throw httpError(response.status, response.statusText, body, response.headers, { url, model: spec.model });
    }
    return response;
}
