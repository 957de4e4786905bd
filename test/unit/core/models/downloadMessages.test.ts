import assert from "node:assert/strict";
import { test } from "node:test";
import { type DownloadProgressInfo, downloadErrorActions, formatDownloadProgress, formatDuration, progressPercent } from "../../../../src/core/models/downloadMessages";
import { chooseDownloadProxy, withHubEndpoint } from "../../../../src/core/models/downloadProxy";

const base: DownloadProgressInfo = {
    phase: "downloading", fileIndex: 0, fileCount: 1, file: "m.gguf", fileBytes: 1.23e9, fileTotalBytes: 4.66e9,
    bytes: 1.23e9, totalBytes: 4.66e9, bytesPerSecond: 12.3e6, etaSeconds: 279
};

test("progress line: bytes of total, speed and time left; split models say which part", () => {
    assert.equal(formatDownloadProgress(base), "1.23 GB of 4.66 GB · 12.3 MB/s · 4 min 39 s left");
    assert.equal(formatDownloadProgress({ ...base, fileIndex: 1, fileCount: 2 }), "part 2 of 2: 1.23 GB of 4.66 GB · 12.3 MB/s · 4 min 39 s left");
    assert.equal(formatDownloadProgress({ ...base, totalBytes: null, etaSeconds: null }), "1.23 GB · 12.3 MB/s");
    assert.equal(formatDownloadProgress({ ...base, bytesPerSecond: 0, etaSeconds: null }), "1.23 GB of 4.66 GB");
    assert.equal(formatDownloadProgress({ ...base, phase: "hashing", fileBytes: 2e9 }), "checking the 2.00 GB downloaded before…");
    assert.equal(formatDownloadProgress({ ...base, phase: "verifying" }), "verifying m.gguf…");
    assert.equal(formatDownloadProgress({ ...base, phase: "connecting" }), "connecting…");
});

test("durations read naturally", () => {
    assert.equal(formatDuration(0), "0 s");
    assert.equal(formatDuration(45.4), "45 s");
    assert.equal(formatDuration(280), "4 min 40 s");
    assert.equal(formatDuration(1500), "25 min");
    assert.equal(formatDuration(7500), "2 h 5 min");
    assert.equal(formatDuration(7200), "2 h");
});

test("percent over all files, unknown while the total is unknown", () => {
    assert.equal(progressPercent({ ...base, bytes: 1e9, totalBytes: 4e9 }), 25);
    assert.equal(progressPercent({ ...base, totalBytes: null }), null);
    assert.equal(progressPercent({ ...base, bytes: 5e9, totalBytes: 4e9 }), 100);
});

test("error buttons: Retry where trying again can work, the fixing setting or command otherwise", () => {
    for (const code of ["network", "rate-limited", "http", "checksum-mismatch", "size-mismatch"]) assert.ok(downloadErrorActions(code).includes("Retry"), code);
    assert.deepEqual(downloadErrorActions("not-found"), ["Choose Another Model"], "a 404 does not go away by retrying");
    assert.deepEqual(downloadErrorActions("remote-changed"), ["Choose Another Model"]);
    assert.ok(downloadErrorActions("unauthorized").includes("Set Hugging Face Token"));
    assert.ok(downloadErrorActions("forbidden").includes("Set Hugging Face Token"));
    assert.ok(downloadErrorActions("proxy").includes("Proxy Settings"));
    assert.ok(downloadErrorActions("disk-full").includes("Manage Models"));
    assert.ok(downloadErrorActions("file-system").includes("Models Folder Setting"));
});

test("proxy: r1.downloadProxy, else VS Code's http.proxy (with http.noProxy, through the environment), else the environment; 'direct' for none", () => {
    const env = { HTTPS_PROXY: "http://env:1", NO_PROXY: "internal" };
    assert.deepEqual(chooseDownloadProxy("http://mine:8080", "http://vs:3128", [], env), { proxy: "http://mine:8080", env, source: "r1.downloadProxy" });
    assert.deepEqual(chooseDownloadProxy("direct", "http://vs:3128", [], env), { proxy: null, env, source: "direct" });
    const vs = chooseDownloadProxy("", "http://vs:3128", ["corp.example"], env);
    assert.equal(vs.source, "http.proxy");
    assert.equal(vs.proxy, undefined);
    assert.equal(vs.env.HTTPS_PROXY, "http://vs:3128");
    assert.equal(vs.env.HTTP_PROXY, "http://vs:3128");
    assert.equal(vs.env.NO_PROXY, "corp.example,internal");
    assert.deepEqual(chooseDownloadProxy("  ", "", [], env), { proxy: undefined, env, source: "environment" });
});

test("HF_ENDPOINT sends Hugging Face downloads to a mirror; other URLs and bad endpoints change nothing", () => {
    const url = "https://huggingface.co/bartowski/X-GGUF/resolve/main/X-Q4_K_M.gguf";
    assert.equal(withHubEndpoint(url, "https://hf-mirror.example/"), "https://hf-mirror.example/bartowski/X-GGUF/resolve/main/X-Q4_K_M.gguf");
    assert.equal(withHubEndpoint(url, "http://127.0.0.1:8080"), "http://127.0.0.1:8080/bartowski/X-GGUF/resolve/main/X-Q4_K_M.gguf");
    assert.equal(withHubEndpoint(url, undefined), url);
    assert.equal(withHubEndpoint(url, "  "), url);
    assert.equal(withHubEndpoint(url, "mirror.example"), url, "not a URL: ignored");
    assert.equal(withHubEndpoint("https://example.com/a.gguf", "https://m.example"), "https://example.com/a.gguf");
});
