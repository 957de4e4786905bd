// r1/listRemoteModels: the models a server offers (GET {baseUrl}/models, as vLLM, SGLang, llama-server, Ollama,
// LM Studio and the DeepSeek API answer it), so the user picks one instead of typing its name. A server without
// the route (404) is not an error: the user types the name (routeMissing).
import { ErrorCodes, type ListRemoteModelsParams, type ListRemoteModelsResult } from "../../../shared/lspProtocol";
import { RemoteError } from "./remoteErrors";
import { remoteFetch } from "./remoteHttp";

const TIMEOUT_MS = 15_000;

export async function listRemoteModels(params: ListRemoteModelsParams, signal: AbortSignal): Promise<ListRemoteModelsResult> {
    const timeout = AbortSignal.timeout(params.engine.firstByteTimeoutMs ?? TIMEOUT_MS);
    const both = AbortSignal.any([signal, timeout]);
    let body: unknown;
    try {
        const response = await remoteFetch({ spec: params.engine, path: "models", method: "GET", signal: both });
        body = await response.json().catch(() => undefined);
    } catch (error) {
        if (error instanceof RemoteError && error.code === ErrorCodes.remoteNotFound) return { models: [], routeMissing: true };
        if (timeout.aborted && !signal.aborted) {
            throw new RemoteError(ErrorCodes.remoteUnreachable, `${new URL(params.engine.baseUrl).host} did not list its models within ${Math.round((params.engine.firstByteTimeoutMs ?? TIMEOUT_MS) / 1000)} s.`);
        }
        throw error;
    }
    const data = typeof body === "object" && body !== null ? (body as { data?: unknown; models?: unknown }).data ?? (body as { models?: unknown }).models : undefined;
    if (!Array.isArray(data)) {
        throw new RemoteError(ErrorCodes.remoteProtocol, `${new URL(params.engine.baseUrl).host} answered /models with something that is not a model list. Check the base URL (it usually ends in /v1).`);
    }
    const ids = data.map((m: unknown) => (typeof m === "object" && m !== null ? ((m as { id?: unknown }).id ?? (m as { name?: unknown }).name) : undefined));
    return { models: [...new Set(ids.filter((id): id is string => typeof id === "string" && id.length > 0))] };
}
