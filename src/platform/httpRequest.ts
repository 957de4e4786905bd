// One HTTP(S) GET, directly or through a proxy: plain forwarding for http:// targets and a CONNECT
// tunnel (node:http + node:tls, no extra packages) for https:// targets. Redirects are the caller's job.
import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import * as tls from "node:tls";

export type ProxyEnv = Record<string, string | undefined>;

/**
 * The proxy for `target`: `explicit` when it is a non-empty string, none when it is null or "", else the
 * environment (HTTPS_PROXY/https_proxy for https, HTTP_PROXY/http_proxy for http, NO_PROXY/no_proxy).
 */
export function resolveProxy(target: URL, explicit: string | null | undefined, env: ProxyEnv = process.env): URL | null {
    let raw: string | undefined;
    if (explicit !== undefined) {
        raw = explicit ?? "";
    } else {
        if (matchesNoProxy(target, env.NO_PROXY ?? env.no_proxy ?? "")) return null;
        raw = target.protocol === "https:"
            ? env.HTTPS_PROXY ?? env.https_proxy ?? env.ALL_PROXY ?? env.all_proxy
            : env.HTTP_PROXY ?? env.http_proxy ?? env.ALL_PROXY ?? env.all_proxy;
    }
    if (!raw) return null;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw new ProxyConfigError(`The proxy setting "${raw}" is not a URL. Use the form http://host:port (or http://user:password@host:port).`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new ProxyConfigError(`Proxy ${url.protocol}// is not supported ("${raw}"). Use an http:// proxy.`);
    }
    return url;
}

export class ProxyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProxyConfigError";
    }
}

/** A proxy refused or failed to open the tunnel; statusCode is the proxy's answer to CONNECT. */
export class ProxyConnectError extends Error {
    constructor(message: string, readonly statusCode?: number) {
        super(message);
        this.name = "ProxyConnectError";
    }
}

export function matchesNoProxy(target: URL, noProxy: string): boolean {
    const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, "");
    const port = target.port || (target.protocol === "https:" ? "443" : "80");
    for (const raw of noProxy.split(/[\s,]+/)) {
        const entry = raw.trim().toLowerCase();
        if (!entry) continue;
        if (entry === "*") return true;
        const [h, p] = entry.startsWith("[") ? [entry.slice(1, entry.indexOf("]")), entry.split("]:")[1]] : entry.split(":");
        if (p && p !== port) continue;
        const bare = h.replace(/^\*?\./, "");
        if (host === bare || host.endsWith(`.${bare}`)) return true;
    }
    return false;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
    if (!proxy.username) return {};
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    return { "Proxy-Authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}

/** The extra CA certificates on top of Node's bundled roots (passing `ca` alone would replace them). */
function withRootCas(ca: GetOptions["ca"]): Array<string | Buffer> | undefined {
    if (ca === undefined) return undefined;
    return [...tls.rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

function defaultPort(u: URL): number {
    return Number(u.port) || (u.protocol === "https:" ? 443 : 80);
}

export interface GetOptions {
    headers: Record<string, string>;
    proxy: URL | null;
    /** Extra CA certificates (a corporate proxy's or a test server's); the system's are kept. */
    ca?: string | Buffer | Array<string | Buffer>;
    signal?: AbortSignal;
    /** Socket inactivity limit. */
    timeoutMs: number;
}

function openTunnel(proxy: URL, target: URL, options: GetOptions): Promise<Socket> {
    const authority = `${target.hostname}:${defaultPort(target)}`;
    return new Promise<Socket>((resolve, reject) => {
        const request = (proxy.protocol === "https:" ? https : http).request({
            host: proxy.hostname,
            port: defaultPort(proxy),
            method: "CONNECT",
            path: authority,
            headers: { Host: authority, ...proxyAuthorization(proxy) },
            agent: false,
            ca: withRootCas(options.ca),
            signal: options.signal
        });
        request.setTimeout(options.timeoutMs, () => request.destroy(new ProxyConnectError(`The proxy ${proxy.host} did not answer within ${options.timeoutMs / 1000} s.`)));
        request.once("connect", (res, socket) => {
            if (res.statusCode === 200) {
                request.setTimeout(0);
                resolve(socket);
            } else {
                socket.destroy();
                reject(new ProxyConnectError(`The proxy ${proxy.host} refused to connect to ${authority} (HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ""})` +
                    (res.statusCode === 407 ? ": it needs credentials (http://user:password@host:port)." : "."), res.statusCode));
            }
        });
        request.once("error", (e) => reject(e instanceof ProxyConnectError || (e as Error).name === "AbortError" ? e : new ProxyConnectError(`Cannot reach the proxy ${proxy.host}: ${(e as Error).message}`)));
        request.end();
    });
}

/** Sends one GET and resolves with the response (any status). */
export async function httpGet(target: URL, options: GetOptions): Promise<{ response: http.IncomingMessage; request: http.ClientRequest }> {
    const { proxy } = options;
    let request: http.ClientRequest;
    if (proxy && target.protocol === "https:") {
        const socket = await openTunnel(proxy, target, options);
        request = https.request({
            host: target.hostname,
            port: defaultPort(target),
            path: target.pathname + target.search,
            method: "GET",
            headers: options.headers,
            // No agent: with `agent: false` Node would build its own connection and skip the tunnel.
            signal: options.signal,
            createConnection: () => tls.connect({ socket, servername: target.hostname, ca: withRootCas(options.ca) })
        });
    } else if (proxy) {
        request = (proxy.protocol === "https:" ? https : http).request({
            host: proxy.hostname,
            port: defaultPort(proxy),
            path: target.href,
            method: "GET",
            headers: { ...options.headers, Host: target.host, ...proxyAuthorization(proxy) },
            agent: false,
            ca: withRootCas(options.ca),
            signal: options.signal
        });
    } else {
        request = (target.protocol === "https:" ? https : http).request(target, {
            method: "GET",
            headers: options.headers,
            ca: withRootCas(options.ca),
            signal: options.signal
        });
    }
    request.setTimeout(options.timeoutMs, () => request.destroy(Object.assign(new Error(`no data for ${options.timeoutMs / 1000} s`), { code: "ETIMEDOUT" })));
    return new Promise((resolve, reject) => {
        request.once("response", (response) => resolve({ response, request }));
        request.once("error", reject);
        request.end();
    });
}
