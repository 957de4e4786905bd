// Opening a model download: the GET with redirects followed (Hugging Face sends downloads to a CDN), the
// Authorization header dropped once a redirect leaves the origin, the proxy (options.proxy, else HTTPS_PROXY /
// HTTP_PROXY / NO_PROXY) on every hop, and Hugging Face's X-Linked-Etag / X-Linked-Size remembered on the way.
import type { IncomingMessage } from "node:http";
import { isAbort, ModelDownloadError, networkError } from "./downloadErrors";
import { httpGet, ProxyConfigError, ProxyConnectError, resolveProxy, type ProxyEnv } from "./httpRequest";

/** The download options about the request (part of DownloadOptions). */
export interface DownloadRequestOptions {
    signal?: AbortSignal;
    /** A proxy URL (http://[user:password@]host:port); "" or null: none; undefined: from the environment. */
    proxy?: string | null;
    /** Environment for the proxy variables (default process.env). */
    env?: ProxyEnv;
    /** Extra CA certificates (a corporate proxy that inspects TLS). */
    ca?: string | Buffer | Array<string | Buffer>;
    /** Default 10. */
    maxRedirects?: number;
    /** Socket inactivity limit. Default 60 s. */
    idleTimeoutMs?: number;
}

export interface OpenedDownload {
    response: IncomingMessage;
    finalUrl: URL;
    linkedEtag: string | null;
    linkedSize: number | null;
}

/** GET `url` with redirects (`name`: the file, for messages); returns the first non-redirect response. */
export async function openFollowingRedirects(
    fileUrl: string, name: string, headers: Record<string, string>, options: DownloadRequestOptions
): Promise<OpenedDownload> {
    let url = new URL(fileUrl);
    const origin = url.origin;
    let linkedEtag: string | null = null;
    let linkedSize: number | null = null;
    const maxRedirects = options.maxRedirects ?? 10;
    for (let hop = 0; ; hop++) {
        let proxy: URL | null;
        try {
            proxy = resolveProxy(url, options.proxy, options.env ?? process.env);
        } catch (e) {
            throw new ModelDownloadError("proxy", name, `${(e as Error).message} (downloading ${name})`, { url: url.href, cause: e });
        }
        const sent = { ...headers };
        if (url.origin !== origin) {
            for (const k of Object.keys(sent)) if (k.toLowerCase() === "authorization") delete sent[k];
        }
        let response: IncomingMessage;
        try {
            ({ response } = await httpGet(url, { headers: sent, proxy, ca: options.ca, signal: options.signal, timeoutMs: options.idleTimeoutMs ?? 60_000 }));
        } catch (e) {
            if (isAbort(e, options.signal)) throw e;
            if (e instanceof ProxyConnectError || e instanceof ProxyConfigError) {
                throw new ModelDownloadError("proxy", name, `Cannot download ${name}: ${e.message} Check the proxy setting or the HTTPS_PROXY variable.`,
                    { url: url.href, status: e instanceof ProxyConnectError ? e.statusCode : undefined, cause: e });
            }
            throw networkError(name, url.href, e, null, null);
        }
        const le = response.headers["x-linked-etag"];
        if (typeof le === "string") linkedEtag = le.replace(/^W\//, "").replace(/"/g, "");
        const ls = response.headers["x-linked-size"];
        if (typeof ls === "string" && /^\d+$/.test(ls)) linkedSize = Number(ls);
        const status = response.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
            response.resume();
            if (hop >= maxRedirects) {
                throw new ModelDownloadError("too-many-redirects", name, `Downloading ${name} was redirected more than ${maxRedirects} times (last ${url.href}). The server or a proxy is misconfigured; try again later.`, { url: url.href });
            }
            url = new URL(response.headers.location, url);
            continue;
        }
        return { response, finalUrl: url, linkedEtag, linkedSize };
    }
}
