import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ModelDownloadError } from "../../../src/platform/downloadErrors";
import { type DownloadOptions, type DownloadProgress, downloadFiles } from "../../../src/platform/modelDownloader";
import { partPath, sidecarPath } from "../../../src/platform/partialDownload";
import { fakeModel } from "../support/ggufBytes";
import { makeSelfSignedCert, sha256, startFileServer, startHttpsFileServer, startProxy, type TestServer } from "../support/testServers";

const SIZE = 3 * 1024 * 1024 + 123; // a few MB: several chunks, quick on 2 cores
let server: TestServer;
let dir: string;
let counter = 0;

before(async () => {
    server = await startFileServer();
    dir = mkdtempSync(join(tmpdir(), "r1-dl-"));
});
after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
});

/** A fresh route serving a new random model, and a destination path for it. */
function newModel(route: Partial<Parameters<TestServer["routes"]["set"]>[1]> = {}, size = SIZE) {
    const n = ++counter;
    const body = fakeModel("qwen2", size);
    const path = `/m${n}/model-${n}.gguf`;
    server.routes.set(path, { body, etag: `"v1-${n}"`, ...route });
    return { body, path, url: server.url(path), destination: join(dir, `model-${n}.gguf`), sha: sha256(body) };
}

const quick: DownloadOptions = { maxAttempts: 1, retryDelayMs: 10, progressIntervalMs: 0 };

async function rejectsWith(p: Promise<unknown>, code: string): Promise<ModelDownloadError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof ModelDownloadError, `expected ModelDownloadError, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        return e;
    }
    assert.fail(`expected a ${code} error`);
}

test("full download: progress with bytes, speed and ETA, verified sha256, final file only", async () => {
    const m = newModel();
    const seen: DownloadProgress[] = [];
    const r = await downloadFiles([{ url: m.url, destination: m.destination, sizeBytes: m.body.length, sha256: m.sha }], { ...quick, onProgress: (p) => seen.push(p) });
    assert.deepEqual(readFileSync(m.destination), m.body);
    assert.equal(r.files[0].sha256, m.sha);
    assert.equal(r.transferredBytes, m.body.length);
    assert.equal(existsSync(partPath(m.destination)), false, "no .part left");
    assert.equal(existsSync(sidecarPath(m.destination)), false, "no sidecar left");
    const downloading = seen.filter((p) => p.phase === "downloading");
    assert.ok(downloading.length >= 2, "several progress events while downloading");
    for (let i = 1; i < downloading.length; i++) assert.ok(downloading[i].bytes >= downloading[i - 1].bytes, "bytes never go back");
    assert.equal(seen.at(-1)?.phase, "done");
    assert.equal(seen.at(-1)?.bytes, m.body.length);
    assert.equal(seen.at(-1)?.totalBytes, m.body.length);
    assert.ok(downloading.some((p) => p.bytesPerSecond > 0 && p.etaSeconds !== null), "speed and ETA reported");
});

test("a download cut off mid-way resumes with Range and transfers less than the full size the second time", async () => {
    const m = newModel({ dropAfterBytes: 1024 * 1024 + 7 });
    const file = { url: m.url, destination: m.destination, sizeBytes: m.body.length, sha256: m.sha };
    const e = await rejectsWith(downloadFiles([file], quick), "network");
    assert.match(e.message, /model-\d+\.gguf/);
    assert.match(e.message, /connection was closed/);
    assert.match(e.message, /resumes/);
    assert.equal(existsSync(m.destination), false, "no final file after a cut");
    const kept = statSync(partPath(m.destination)).size;
    assert.ok(kept > 0 && kept < m.body.length, `a partial file is kept (${kept} bytes)`);

    const r = await downloadFiles([file], quick);
    assert.deepEqual(readFileSync(m.destination), m.body);
    assert.equal(r.files[0].resumedFromBytes, kept);
    assert.ok(r.transferredBytes < m.body.length, `second try transferred ${r.transferredBytes} < ${m.body.length}`);
    assert.equal(r.transferredBytes, m.body.length - kept);
    const second = server.log.filter((l) => l.path === m.path).at(-1);
    assert.equal(second?.range, `bytes=${kept}-`);
    assert.equal(second?.ifRange, `"v1-${counter}"`, "If-Range carries the ETag of the first try");
    assert.equal(r.files[0].sha256, m.sha, "sha256 over the whole file after a resume");
});

test("with retries a dropped connection resumes by itself", async () => {
    const m = newModel({ dropAfterBytes: 500_000 });
    const r = await downloadFiles([{ url: m.url, destination: m.destination, sha256: m.sha }], { ...quick, maxAttempts: 2 });
    assert.deepEqual(readFileSync(m.destination), m.body);
    const requests = server.log.filter((l) => l.path === m.path);
    assert.equal(requests.length, 2);
    // The server wrote 500,000 bytes before the drop; a reset may discard some of what was in flight.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1].range ?? "")?.[1] ?? NaN);
    assert.ok(resumedAt > 0 && resumedAt <= 500_000, `resumed from what arrived (${requests[1].range})`);
    assert.equal(r.transferredBytes, m.body.length, "no byte fetched twice");
});

test("checksum mismatch: rejected, named, and the damaged file removed", async () => {
    const m = newModel();
    const wrong = "0".repeat(64);
    const e = await rejectsWith(downloadFiles([{ url: m.url, destination: m.destination, sha256: wrong }], quick), "checksum-mismatch");
    assert.match(e.message, new RegExp(`model-${counter}\\.gguf is corrupt`));
    assert.match(e.message, /deleted/);
    assert.equal(existsSync(m.destination), false);
    assert.equal(existsSync(partPath(m.destination)), false);
    assert.equal(existsSync(sidecarPath(m.destination)), false);
});

test("HTTP errors are reported clearly: 404, 401, 403, 429 with Retry-After", async () => {
    const dest = join(dir, "missing.gguf");
    let e = await rejectsWith(downloadFiles([{ url: server.url("/nothing/here.gguf"), destination: dest }], quick), "not-found");
    assert.match(e.message, /missing\.gguf was not found \(HTTP 404/);
    assert.match(e.message, /choose another quantization/);

    server.routes.set("/gated.gguf", { status: 401 });
    e = await rejectsWith(downloadFiles([{ url: server.url("/gated.gguf"), destination: join(dir, "gated.gguf") }], quick), "unauthorized");
    assert.match(e.message, /gated\.gguf needs you to sign in \(HTTP 401\)/);
    assert.match(e.message, /access token/);

    server.routes.set("/forbidden.gguf", { status: 403 });
    e = await rejectsWith(downloadFiles([{ url: server.url("/forbidden.gguf"), destination: join(dir, "forbidden.gguf") }], quick), "forbidden");
    assert.match(e.message, /HTTP 403/);

    server.routes.set("/busy.gguf", { status: 429, headers: { "Retry-After": "120" } });
    e = await rejectsWith(downloadFiles([{ url: server.url("/busy.gguf"), destination: join(dir, "busy.gguf") }], quick), "rate-limited");
    assert.equal(e.details.retryAfterSeconds, 120);
    assert.match(e.message, /busy\.gguf/);
    assert.match(e.message, /in 120 s/);
    assert.equal(existsSync(join(dir, "busy.gguf")), false);
});

test("a refused connection is a clear network error", async () => {
    const closed = await startFileServer();
    const url = closed.url("/x.gguf");
    await closed.close();
    const e = await rejectsWith(downloadFiles([{ url, destination: join(dir, "refused.gguf") }], quick), "network");
    assert.match(e.message, /refused\.gguf/);
    assert.match(e.message, /connection refused/);
});

test("redirects are followed (like Hugging Face to its CDN); Authorization stays on the first origin", async () => {
    const cdn = await startFileServer();
    try {
        const m = newModel();
        cdn.routes.set("/blob/abc", { body: m.body });
        server.routes.set("/org/repo/resolve/main/r.gguf", { redirectTo: cdn.url("/blob/abc"), headers: { "X-Linked-Etag": `"${m.sha}"`, "X-Linked-Size": String(m.body.length) } });
        const r = await downloadFiles([{ url: server.url("/org/repo/resolve/main/r.gguf"), destination: join(dir, "redirected.gguf") }],
            { ...quick, headers: { Authorization: "Bearer secret" } });
        assert.deepEqual(readFileSync(join(dir, "redirected.gguf")), m.body);
        assert.equal(r.files[0].sha256, m.sha, "the server's X-Linked-Etag sha256 was checked");
        assert.equal(server.log.at(-1)?.authorization, "Bearer secret");
        assert.equal(cdn.log.at(-1)?.authorization, undefined, "the token is not sent to another origin");
    } finally {
        await cdn.close();
    }
});

test("the server's X-Linked-Etag catches a corrupted transfer, and a catalog sha256 the server contradicts stops before downloading", async () => {
    const m = newModel();
    const corrupted = Buffer.from(m.body);
    corrupted[corrupted.length - 1] ^= 0xff;
    server.routes.set("/linked/bad.gguf", { body: corrupted, headers: { "X-Linked-Etag": `"${m.sha}"` } });
    await rejectsWith(downloadFiles([{ url: server.url("/linked/bad.gguf"), destination: join(dir, "bad.gguf") }], quick), "checksum-mismatch");

    server.routes.set("/linked/new.gguf", { body: m.body, headers: { "X-Linked-Etag": `"${m.sha}"` } });
    const e = await rejectsWith(downloadFiles([{ url: server.url("/linked/new.gguf"), destination: join(dir, "new.gguf"), sha256: "a".repeat(64) }], quick), "remote-changed");
    assert.match(e.message, /Nothing was downloaded/);
    assert.equal(existsSync(partPath(join(dir, "new.gguf"))), false);
});

test("a proxy is used: explicit URL, HTTP_PROXY from the environment, NO_PROXY respected, credentials sent", async () => {
    const proxy = await startProxy({ credentials: "user:p@ss" });
    try {
        const auth = proxy.url.replace("http://", "http://user:p%40ss@");
        const m = newModel();
        await downloadFiles([{ url: m.url, destination: m.destination, sha256: m.sha }], { ...quick, proxy: auth });
        assert.deepEqual(readFileSync(m.destination), m.body);
        assert.deepEqual(proxy.forwarded, [m.url]);

        const m2 = newModel();
        await downloadFiles([{ url: m2.url, destination: m2.destination, sha256: m2.sha }], { ...quick, env: { HTTP_PROXY: auth } });
        assert.equal(proxy.forwarded.at(-1), m2.url);

        const m3 = newModel();
        await downloadFiles([{ url: m3.url, destination: m3.destination }], { ...quick, env: { HTTP_PROXY: auth, NO_PROXY: "localhost,127.0.0.1" } });
        assert.equal(proxy.forwarded.length, 2, "NO_PROXY bypasses the proxy");

        const m4 = newModel();
        const e = await rejectsWith(downloadFiles([{ url: m4.url, destination: m4.destination }], { ...quick, proxy: proxy.url }), "proxy");
        assert.match(e.message, /HTTP 407/);
        assert.match(e.message, /user:password@host:port/);
    } finally {
        await proxy.close();
    }
});

test("https through a CONNECT tunnel (self-signed test certificate passed as an extra CA)", async (t) => {
    const tlsMaterial = makeSelfSignedCert();
    if (!tlsMaterial) {
        t.skip("the openssl CLI is not installed: cannot make a test certificate");
        return;
    }
    const secure = await startHttpsFileServer(tlsMaterial);
    const proxy = await startProxy();
    try {
        const body = fakeModel("llama", 1_000_000);
        secure.routes.set("/secure.gguf", { body, etag: '"s1"' });
        const destination = join(dir, "secure.gguf");
        await downloadFiles([{ url: secure.url("/secure.gguf"), destination, sha256: sha256(body) }], { ...quick, env: { HTTPS_PROXY: proxy.url }, ca: tlsMaterial.cert });
        assert.deepEqual(readFileSync(destination), body);
        assert.deepEqual(proxy.connects, [new URL(secure.origin).host]);
        assert.equal(proxy.forwarded.length, 0, "https is tunnelled, never forwarded in clear");

        const untrusted = join(dir, "untrusted.gguf");
        await rejectsWith(downloadFiles([{ url: secure.url("/secure.gguf"), destination: untrusted }], { ...quick, env: { HTTPS_PROXY: proxy.url } }), "network");
        assert.equal(existsSync(untrusted), false, "an untrusted certificate is refused");
    } finally {
        await proxy.close();
        await secure.close();
    }
});

test("split GGUF: every part is downloaded in order and progress covers all of them", async () => {
    const parts = [1, 2, 3].map((i) => {
        const body = randomBytes(400_000 + i);
        const path = `/split/model-0000${i}-of-00003.gguf`;
        server.routes.set(path, { body });
        return { body, url: server.url(path), destination: join(dir, "split", `model-0000${i}-of-00003.gguf`), sha256: sha256(body), approximateSizeBytes: body.length };
    });
    const seen: DownloadProgress[] = [];
    const r = await downloadFiles(parts, { ...quick, onProgress: (p) => seen.push(p) });
    assert.equal(r.files.length, 3);
    parts.forEach((p) => assert.deepEqual(readFileSync(p.destination), p.body));
    assert.deepEqual([...new Set(seen.map((p) => p.fileIndex))], [0, 1, 2]);
    const total = parts.reduce((a, p) => a + p.body.length, 0);
    assert.equal(seen.at(-1)?.bytes, total);
    assert.equal(seen.at(-1)?.totalBytes, total);

    // A second run finds every part in place and transfers nothing.
    const again = await downloadFiles(parts, quick);
    assert.equal(again.transferredBytes, 0);
    assert.ok(again.files.every((f) => f.alreadyPresent));
});

test("cancel leaves a resumable .part and no final file; the next run resumes", async () => {
    const m = newModel({ paceBytes: 64 * 1024, paceMs: 5 });
    const controller = new AbortController();
    const file = { url: m.url, destination: m.destination, sizeBytes: m.body.length, sha256: m.sha };
    const p = downloadFiles([file], {
        ...quick,
        signal: controller.signal,
        onProgress: (pr) => {
            if (pr.phase === "downloading" && pr.fileBytes > 300_000) controller.abort();
        }
    });
    const e = await rejectsWith(p, "aborted");
    assert.match(e.message, /cancelled/);
    assert.equal(existsSync(m.destination), false);
    const kept = statSync(partPath(m.destination)).size;
    assert.ok(kept > 0 && kept < m.body.length);
    assert.ok(existsSync(sidecarPath(m.destination)));

    server.routes.get(m.path)!.paceBytes = undefined;
    const r = await downloadFiles([file], quick);
    assert.equal(r.files[0].resumedFromBytes, kept);
    assert.deepEqual(readFileSync(m.destination), m.body);
});

test("a server that answers 200 to a Range request restarts the file cleanly", async () => {
    const m = newModel({ ranges: false, dropAfterBytes: 700_000 });
    const file = { url: m.url, destination: m.destination, sha256: m.sha };
    await rejectsWith(downloadFiles([file], quick), "network");
    assert.ok(statSync(partPath(m.destination)).size > 0);
    const r = await downloadFiles([file], quick);
    assert.deepEqual(readFileSync(m.destination), m.body);
    assert.equal(r.transferredBytes, m.body.length, "restarted from zero");
});

test("a file changed on the server since the partial download (new ETag) restarts cleanly", async () => {
    const m = newModel({ dropAfterBytes: 600_000 });
    await rejectsWith(downloadFiles([{ url: m.url, destination: m.destination }], quick), "network");
    const replaced = fakeModel("qwen2", SIZE);
    server.routes.set(m.path, { body: replaced, etag: '"v2"' });
    const r = await downloadFiles([{ url: m.url, destination: m.destination }], quick);
    assert.deepEqual(readFileSync(m.destination), replaced, "the new version, not a splice of old and new");
    assert.equal(r.transferredBytes, replaced.length);
});

test("not enough disk space: refused before anything is written", async () => {
    const m = newModel();
    const e = await rejectsWith(downloadFiles([{ url: m.url, destination: m.destination, approximateSizeBytes: m.body.length }],
        { ...quick, statfs: async () => ({ bavail: 10, bsize: 4096 }) }), "disk-full");
    assert.match(e.message, new RegExp(`model-${counter}\\.gguf`));
    assert.match(e.message, /Free up space/);
    assert.equal(existsSync(partPath(m.destination)), false);
    assert.equal(server.log.filter((l) => l.path === m.path).length, 0, "no request sent");
});

test("a server size that contradicts the catalog's exact size is refused before downloading", async () => {
    const m = newModel();
    const e = await rejectsWith(downloadFiles([{ url: m.url, destination: m.destination, sizeBytes: m.body.length + 1 }], quick), "remote-changed");
    assert.match(e.message, /publisher replaced it/);
    assert.equal(existsSync(partPath(m.destination)), false);
});

test("a stale .part from another URL is discarded, not spliced", async () => {
    const m = newModel();
    writeFileSync(partPath(m.destination), Buffer.alloc(1000, 7));
    writeFileSync(sidecarPath(m.destination), JSON.stringify({ url: "https://example.invalid/other.gguf", etag: null, totalBytes: null, sha256: null }));
    const r = await downloadFiles([{ url: m.url, destination: m.destination, sha256: m.sha }], quick);
    assert.equal(r.files[0].resumedFromBytes, 0);
    assert.deepEqual(readFileSync(m.destination), m.body);
});

test("a part that already holds every byte (stopped before the rename) is verified and finished without re-downloading", async () => {
    const m = newModel();
    await downloadFiles([{ url: m.url, destination: m.destination }], quick);
    const { renameSync } = await import("node:fs");
    renameSync(m.destination, partPath(m.destination));
    writeFileSync(sidecarPath(m.destination), JSON.stringify({ url: m.url, etag: `"v1-${counter}"`, totalBytes: m.body.length, sha256: m.sha }));
    const r = await downloadFiles([{ url: m.url, destination: m.destination, sha256: m.sha }], quick);
    assert.equal(r.transferredBytes, 0);
    assert.equal(r.files[0].sha256, m.sha, "the complete part was hashed");
    assert.deepEqual(readFileSync(m.destination), m.body);
    assert.equal(existsSync(partPath(m.destination)), false);
});
