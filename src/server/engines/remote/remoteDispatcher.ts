// The connection settings of a remote engine for Node's own fetch: extra trusted CA certificates
// (r1.remote.caFile, for self-signed servers) and the proxy (the spec's, else HTTPS_PROXY / HTTP_PROXY /
// NO_PROXY as the model downloader reads them: platform/httpRequest.resolveProxy). Without either, fetch's
// default connection is used as is.
//
// fetch takes such settings as an undici `dispatcher`. Node 20 bundles undici for fetch without exporting its
// classes, so the Agent class is the one of fetch's own global dispatcher (undici shares it across copies under
// Symbol.for("undici.globalDispatcher.1")); it is made with a `connect` option: TLS options for the CA file, or
// a connector that opens a CONNECT tunnel through the proxy (node:http) and TLS over it.
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { isIP, type Socket } from "node:net";
import * as tls from "node:tls";
import type { Agent, buildConnector, Dispatcher } from "undici-types";
import { ErrorCodes, type RemoteEngineSpec } from "../../../shared/lspProtocol";
import { resolveProxy } from "../../../platform/httpRequest";
import { RemoteError } from "./remoteErrors";

type AgentClass = new (options: Agent.Options) => Dispatcher;

const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** The Agent class behind fetch; a fetch that is aborted before it starts makes Node load undici. */
async function agentClass(): Promise<AgentClass> {
    const holder = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
    if (!holder[GLOBAL_DISPATCHER]) await fetch("http://127.0.0.1/", { signal: AbortSignal.abort() }).catch(() => undefined);
    const dispatcher = holder[GLOBAL_DISPATCHER];
    if (!dispatcher || typeof dispatcher.constructor !== "function") {
        throw new RemoteError(ErrorCodes.remoteUnreachable, "This Node.js runtime does not let fetch use a CA file or a proxy; clear r1.remote.caFile and the proxy setting.");
    }
    return dispatcher.constructor as AgentClass;
}

const DIRECT = new Set(["", "direct", "none", "off"]);

/** The proxy for `target`: the spec's own ("direct" = none), else the environment's. */
export function proxyFor(target: URL, spec: Pick<RemoteEngineSpec, "proxy">, env: NodeJS.ProcessEnv = process.env): URL | null {
    const own = spec.proxy?.trim();
    try {
        return resolveProxy(target, own === undefined ? undefined : DIRECT.has(own.toLowerCase()) ? null : own, env);
    } catch (e) {
        throw new RemoteError(ErrorCodes.remoteUnreachable, (e as Error).message);
    }
}

function readCa(caFile: string): string {
    try {
        return readFileSync(caFile, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new RemoteError(ErrorCodes.remoteUnreachable, `The CA file of r1.remote.caFile cannot be read (${caFile}: ${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)}).`);
    }
}

/** A CONNECT tunnel through `proxy` to the target the Agent asks for, with TLS on top for https. */
function tunnelConnector(proxy: URL, ca: string[] | undefined): buildConnector.connector {
    return (options, callback) => {
        const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
        const authority = `${options.hostname}:${port}`;
        const auth = proxy.username ? { "Proxy-Authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}` } : {};
        const request = (proxy.protocol === "https:" ? https : http).request({ host: proxy.hostname, port: Number(proxy.port) || (proxy.protocol === "https:" ? 443 : 80), method: "CONNECT", path: authority, headers: { Host: authority, ...auth }, agent: false });
        request.once("connect", (response, socket: Socket) => {
            if (response.statusCode !== 200) {
                socket.destroy();
                callback(new Error(`the proxy ${proxy.host} refused to connect to ${authority} (HTTP ${response.statusCode}${response.statusCode === 407 ? ": it needs credentials, http://user:password@host:port" : ""})`), null);
                return;
            }
            if (options.protocol !== "https:") {
                callback(null, socket);
                return;
            }
            // The certificate is checked against `host`; SNI carries names only (RFC 6066), never an IP address.
            const name = options.servername || options.hostname;
            const secure = tls.connect({ socket, host: options.hostname, servername: isIP(name) ? undefined : name, ca, ALPNProtocols: ["http/1.1"] });
            secure.once("secureConnect", () => callback(null, secure));
            secure.once("error", (e) => callback(e, null));
        });
        request.once("error", (e) => callback(Object.assign(new Error(`cannot reach the proxy ${proxy.host}: ${e.message}`), { code: (e as NodeJS.ErrnoException).code }), null));
        request.end();
    };
}

const cache = new Map<string, Dispatcher>();

/** The dispatcher for requests to `target`, or undefined for fetch's default. */
export async function dispatcherFor(target: URL, spec: Pick<RemoteEngineSpec, "caFile" | "proxy">): Promise<Dispatcher | undefined> {
    const proxy = proxyFor(target, spec);
    const caFile = spec.caFile?.trim() || undefined;
    if (!proxy && !caFile) return undefined;
    const pem = caFile ? readCa(caFile) : undefined;
    const key = JSON.stringify([proxy?.href, pem]);
    const cached = cache.get(key);
    if (cached) return cached;
    // The system's roots stay trusted: `ca` alone would replace them.
    const ca = pem ? [...tls.rootCertificates, pem] : undefined;
    const Agent = await agentClass();
    const dispatcher = new Agent({ connect: proxy ? tunnelConnector(proxy, ca) : { ca } });
    cache.set(key, dispatcher);
    return dispatcher;
}
