// The one place every request path (the chat, Fix with R1, Explain Code) learns which engine answers: the local
// model, or the active remote engine with its `engine` field for ReasonParams (base URL, model, API key from
// SecretStorage, r1.remote.caFile, the proxy chosen like the downloader's, r1.remote.firstByteTimeoutSeconds).
// Before code first goes to an endpoint the user is asked once (modal), and in an untrusted workspace remote
// engines are refused. The returned spec holds the key: it goes into the request and nowhere else (no log line).
import * as vscode from "vscode";
import { chooseDownloadProxy } from "../../core/models/downloadProxy";
import { isLoopbackHost, type RemoteEndpoint } from "../../core/engines/remoteEndpoint";
import { consentDeclinedMessage, consentQuestion, remoteBlockedReason } from "../../core/engines/remoteEngineText";
import { resolveProxy } from "../../platform/httpRequest";
import type { ReasonParams, RemoteEngineSpec } from "../../shared/lspProtocol";
import type { Services } from "../services";

export type RequestEngine =
    /** The local model process answers (r1.modelPath; the caller picks the file). */
    | { kind: "local" }
    | { kind: "remote"; endpoint: RemoteEndpoint; engine: RemoteEngineSpec; name: string }
    /** No request may be made: `message` says why (untrusted workspace, consent declined). */
    | { kind: "refused"; message: string; endpoint: RemoteEndpoint };

/** Consent questions being asked now, per base URL: two requests at once ask once. */
const asking = new Map<string, Promise<boolean>>();

/** Which engine answers the next request; asks for consent the first time code goes to an endpoint. */
export async function requestEngine(services: Services): Promise<RequestEngine> {
    return engineFor(services, services.engines.active());
}

/** The engine for `endpoint` (a saved one, active or not; undefined: the local model), with the same consent and trust rules. */
export async function engineFor(services: Services, endpoint: RemoteEndpoint | undefined): Promise<RequestEngine> {
    if (!endpoint) return { kind: "local" };
    const blocked = remoteBlockedReason(vscode.workspace.isTrusted);
    if (blocked) return { kind: "refused", message: blocked, endpoint };
    if (!(await consent(services, endpoint))) return { kind: "refused", message: consentDeclinedMessage(endpoint), endpoint };
    return { kind: "remote", endpoint, engine: await remoteEngineSpec(services, endpoint), name: endpoint.label };
}

/** The ReasonParams fields that say where the request goes: `engine` for a remote engine, else the model file. */
export function engineParams(target: RequestEngine & { kind: "local" | "remote" }, modelPath: string): Pick<ReasonParams, "engine" | "modelPath"> {
    return target.kind === "remote" ? { engine: target.engine } : { modelPath };
}

/** Everything the model process needs to reach the endpoint; `model` left out for r1/listRemoteModels. */
export async function remoteEngineSpec(services: Services, endpoint: { id?: string; baseUrl: string; model: string }, apiKey?: string): Promise<RemoteEngineSpec> {
    const { config } = services;
    const key = apiKey ?? (endpoint.id ? await services.engines.apiKey(endpoint.id) : undefined);
    const proxy = remoteProxy(services, endpoint.baseUrl);
    const caFile = config.remoteCaFile;
    return {
        baseUrl: endpoint.baseUrl,
        model: endpoint.model,
        ...(key ? { apiKey: key } : {}),
        ...(caFile ? { caFile } : {}),
        ...(proxy ? { proxy } : {}),
        firstByteTimeoutMs: config.remoteFirstByteTimeoutMs
    };
}

/**
 * The proxy for a remote engine, chosen like the downloader's (r1.downloadProxy, else http.proxy with
 * http.noProxy, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY): a URL; "direct" for this machine or when r1.downloadProxy
 * says so; undefined when nothing is configured (the model process then reads the environment itself).
 */
function remoteProxy({ config, log }: Services, baseUrl: string): string | undefined {
    let url: URL;
    try {
        url = new URL(baseUrl);
    } catch {
        return undefined;
    }
    if (isLoopbackHost(url.hostname)) return "direct";
    const http = config.httpProxy;
    const choice = chooseDownloadProxy(config.downloadProxy, http.proxy, http.noProxy, process.env);
    if (choice.proxy === null) return "direct";
    if (choice.proxy) return choice.proxy;
    try {
        return resolveProxy(url, undefined, choice.env)?.href;
    } catch (error) {
        log.warn(`The proxy for remote engines is not usable (${error instanceof Error ? error.message : String(error)}); connecting directly.`);
        return undefined;
    }
}

async function consent({ engines, log }: Services, endpoint: RemoteEndpoint): Promise<boolean> {
    if (engines.hasConsent(endpoint.baseUrl)) return true;
    let pending = asking.get(endpoint.baseUrl);
    if (!pending) {
        pending = (async () => {
            const q = consentQuestion(endpoint);
            const choice = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.accept);
            if (choice !== q.accept) {
                log.info(`Sending code to ${endpoint.baseUrl} was not allowed: no request made.`);
                return false;
            }
            await engines.grantConsent(endpoint.baseUrl);
            log.info(`Sending code to ${endpoint.baseUrl} allowed (asked once for this endpoint).`);
            return true;
        })().finally(() => asking.delete(endpoint.baseUrl));
        asking.set(endpoint.baseUrl, pending);
    }
    return pending;
}
