// Local servers for the downloader tests, bound to 127.0.0.1 only: a file server with Range/If-Range,
// ETags, redirects, error statuses and connections dropped after N bytes; a forward + CONNECT proxy;
// an HTTPS file server with a throw-away self-signed certificate (made with the openssl CLI).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Route {
    body?: Buffer;
    etag?: string;
    /** Answer Range requests with 206 (default true). */
    ranges?: boolean;
    /** Send this many body bytes, then destroy the connection… */
    dropAfterBytes?: number;
    /** …on this many requests (default 1)… */
    dropTimes?: number;
    /**
     * …once this resolves (default: 20 ms after the bytes were handed to the socket). A test that needs the
     * client to have kept them waits here for that state (for example the size of the client's file).
     */
    dropWhen?: () => Promise<unknown>;
    status?: number;
    headers?: Record<string, string>;
    redirectTo?: string;
    /** Chunked body, paced: bytes per write and ms between writes (for cancel tests). */
    paceBytes?: number;
    paceMs?: number;
    /** Answer 401 unless the request carries exactly this Authorization header (a gated repository). */
    requireAuthorization?: string;
}

export interface RequestLog {
    path: string;
    range?: string;
    ifRange?: string;
    authorization?: string;
    bodyBytesSent: number;
}

export interface TestServer {
    origin: string;
    url(path: string): string;
    routes: Map<string, Route>;
    log: RequestLog[];
    close(): Promise<void>;
}

export function sha256(b: Buffer): string {
    return createHash("sha256").update(b).digest("hex");
}

function handler(routes: Map<string, Route>, log: RequestLog[]) {
    return (req: http.IncomingMessage, res: http.ServerResponse) => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        const entry: RequestLog = {
            path,
            range: req.headers.range,
            ifRange: req.headers["if-range"] as string | undefined,
            authorization: req.headers.authorization,
            bodyBytesSent: 0
        };
        log.push(entry);
        const route = routes.get(path);
        if (!route) {
            res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
            return;
        }
        if (route.requireAuthorization !== undefined && req.headers.authorization !== route.requireAuthorization) {
            res.writeHead(401, { "Content-Type": "text/plain" }).end("unauthorized");
            return;
        }
        if (route.redirectTo) {
            res.writeHead(route.status ?? 302, { Location: route.redirectTo, ...route.headers }).end();
            return;
        }
        if (route.status && route.status !== 200) {
            res.writeHead(route.status, { "Content-Type": "text/plain", ...route.headers }).end(`status ${route.status}`);
            return;
        }
        const body = route.body ?? Buffer.alloc(0);
        let start = 0;
        let status = 200;
        const headers: Record<string, string> = { "Content-Type": "application/octet-stream", "Accept-Ranges": route.ranges === false ? "none" : "bytes", ...route.headers };
        if (route.etag) headers.ETag = route.etag;
        const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
        const ifRangeOk = !req.headers["if-range"] || req.headers["if-range"] === route.etag;
        if (m && route.ranges !== false && ifRangeOk) {
            start = Number(m[1]);
            if (start >= body.length) {
                res.writeHead(416, { "Content-Range": `bytes */${body.length}` }).end();
                return;
            }
            status = 206;
            headers["Content-Range"] = `bytes ${start}-${body.length - 1}/${body.length}`;
        }
        const slice = body.subarray(start);
        headers["Content-Length"] = String(slice.length);
        res.writeHead(status, headers);
        const drop = route.dropAfterBytes !== undefined && (route.dropTimes ?? 1) > 0;
        if (drop) {
            route.dropTimes = (route.dropTimes ?? 1) - 1;
            const n = Math.min(route.dropAfterBytes ?? 0, slice.length);
            entry.bodyBytesSent = n;
            const dropWhen = route.dropWhen ?? (() => new Promise((r) => setTimeout(r, 20)));
            res.write(slice.subarray(0, n), () => void dropWhen().finally(() => res.socket?.destroy()));
            return;
        }
        if (route.paceBytes) {
            let off = 0;
            const step = () => {
                if (res.destroyed) return;
                if (off >= slice.length) {
                    res.end();
                    return;
                }
                const chunk = slice.subarray(off, off + (route.paceBytes ?? 1));
                off += chunk.length;
                entry.bodyBytesSent += chunk.length;
                res.write(chunk, () => setTimeout(step, route.paceMs ?? 10));
            };
            step();
            return;
        }
        entry.bodyBytesSent = slice.length;
        res.end(slice);
    };
}

function listen(server: http.Server | https.Server, scheme: string, routes: Map<string, Route>, log: RequestLog[]): Promise<TestServer> {
    const sockets = new Set<net.Socket>();
    server.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    return new Promise((resolve) => {
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            const origin = `${scheme}://127.0.0.1:${port}`;
            resolve({
                origin,
                url: (p) => `${origin}${p}`,
                routes,
                log,
                close: () => new Promise<void>((done) => {
                    for (const s of sockets) s.destroy();
                    server.close(() => done());
                })
            });
        });
    });
}

export function startFileServer(routes: Record<string, Route> = {}): Promise<TestServer> {
    const map = new Map(Object.entries(routes));
    const log: RequestLog[] = [];
    return listen(http.createServer(handler(map, log)), "http", map, log);
}

export interface TlsMaterial {
    key: Buffer;
    cert: Buffer;
}

/** A self-signed certificate for 127.0.0.1, or null when the openssl CLI is not installed. */
export function makeSelfSignedCert(): TlsMaterial | null {
    const dir = mkdtempSync(join(tmpdir(), "r1-cert-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
        return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
    } catch {
        return null;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

export function startHttpsFileServer(tlsMaterial: TlsMaterial, routes: Record<string, Route> = {}): Promise<TestServer> {
    const map = new Map(Object.entries(routes));
    const log: RequestLog[] = [];
    return listen(https.createServer({ key: tlsMaterial.key, cert: tlsMaterial.cert }, handler(map, log)), "https", map, log);
}

export interface TestProxy {
    url: string;
    /** Absolute URLs forwarded (plain http). */
    forwarded: string[];
    /** host:port of CONNECT tunnels opened. */
    connects: string[];
    close(): Promise<void>;
}

/** A forward proxy (absolute-URL GET) and CONNECT tunnel on 127.0.0.1; optional Basic credentials. */
export function startProxy(options: { credentials?: string } = {}): Promise<TestProxy> {
    const forwarded: string[] = [];
    const connects: string[] = [];
    const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString("base64")}` : undefined;
    const sockets = new Set<net.Socket>();
    const track = (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    };
    const server = http.createServer((req, res) => {
        if (expected && req.headers["proxy-authorization"] !== expected) {
            res.writeHead(407, { "Proxy-Authenticate": "Basic" }).end();
            return;
        }
        const target = new URL(req.url ?? "");
        forwarded.push(target.href);
        const headers = { ...req.headers };
        delete headers["proxy-authorization"];
        const upstream = http.request(target, { method: req.method, headers }, (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
        });
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
    });
    server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        if (expected && req.headers["proxy-authorization"] !== expected) {
            client.end("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
            return;
        }
        connects.push(req.url ?? "");
        const [host, port] = (req.url ?? "").split(":");
        const upstream = net.connect(Number(port), host, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (head.length) upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        track(upstream);
        upstream.on("error", () => client.destroy());
        upstream.on("close", () => client.destroy());
        client.on("error", () => upstream.destroy());
        client.on("close", () => upstream.destroy());
    });
    server.on("connection", track);
    return new Promise((resolve) => {
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            resolve({
                url: `http://127.0.0.1:${port}`,
                forwarded,
                connects,
                close: () => new Promise<void>((done) => {
                    for (const s of sockets) s.destroy();
                    server.close(() => done());
                })
            });
        });
    });
}
