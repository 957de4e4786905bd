// Where a model download goes through: the proxy (r1.downloadProxy, else VS Code's http.proxy with http.noProxy,
// else HTTPS_PROXY / HTTP_PROXY / NO_PROXY) and the Hugging Face endpoint (HF_ENDPOINT, for a mirror).
// Pure: the caller passes the settings and the environment.

export type Env = Record<string, string | undefined>;

export interface ProxyChoice {
    /** For DownloadOptions.proxy: a URL, null for a direct connection, undefined to read `env`. */
    proxy: string | null | undefined;
    /** For DownloadOptions.env. */
    env: Env;
    /** Where the choice came from, for the log. */
    source: "r1.downloadProxy" | "http.proxy" | "environment" | "direct";
}

/** r1.downloadProxy values that force a direct connection. */
const DIRECT = new Set(["direct", "none", "off"]);

export function chooseDownloadProxy(downloadProxy: string, httpProxy: string, httpNoProxy: readonly string[], env: Env): ProxyChoice {
    const own = downloadProxy.trim();
    if (DIRECT.has(own.toLowerCase())) return { proxy: null, env, source: "direct" };
    if (own) return { proxy: own, env, source: "r1.downloadProxy" };
    const vscode = httpProxy.trim();
    if (vscode) {
        // Through the environment so that the downloader applies NO_PROXY to every host a redirect reaches.
        const noProxy = [...httpNoProxy, env.NO_PROXY ?? env.no_proxy ?? ""].map((s) => s.trim()).filter((s) => s).join(",");
        return { proxy: undefined, env: { ...env, HTTPS_PROXY: vscode, HTTP_PROXY: vscode, NO_PROXY: noProxy }, source: "http.proxy" };
    }
    return { proxy: undefined, env, source: "environment" };
}

/**
 * The URL to download from when HF_ENDPOINT names a Hugging Face mirror (as huggingface_hub honours it):
 * `https://huggingface.co/<repo>/resolve/…` becomes `<endpoint>/<repo>/resolve/…`. Other URLs are unchanged.
 */
export function withHubEndpoint(url: string, endpoint: string | undefined): string {
    const base = (endpoint ?? "").trim().replace(/\/+$/, "");
    if (!base || !/^https?:\/\//i.test(base)) return url;
    const hub = "https://huggingface.co/";
    return url.startsWith(hub) ? `${base}/${url.slice(hub.length)}` : url;
}
