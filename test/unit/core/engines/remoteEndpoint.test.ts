// Saved remote engines: the base URL a user types becomes the one requests go to (scheme, /v1, a pasted endpoint
// path removed; credentials refused), the label the status bar and the chat show, and the saved list.
import assert from "node:assert/strict";
import { test } from "node:test";
import { activeAfterRemoval, endpointHost, endpointOrigin, engineLabel, normalizeBaseUrl, parseEndpoints, upsertEndpoint } from "../../../../src/core/engines/remoteEndpoint";

function url(input: string): string {
    const r = normalizeBaseUrl(input);
    assert.ok(r.ok, `${input}: ${r.ok ? "" : r.error}`);
    return r.url;
}

test("normalizeBaseUrl: /v1 added to a bare server, kept when given, other version paths kept; trailing slashes dropped", () => {
    assert.equal(url("https://api.deepseek.com"), "https://api.deepseek.com/v1");
    assert.equal(url("https://api.deepseek.com/"), "https://api.deepseek.com/v1");
    assert.equal(url("http://127.0.0.1:8000/v1"), "http://127.0.0.1:8000/v1");
    assert.equal(url("http://127.0.0.1:8000/v1///"), "http://127.0.0.1:8000/v1");
    assert.equal(url("https://openrouter.ai/api/v1"), "https://openrouter.ai/api/v1");
    assert.equal(url("  HTTP://LocalHost:11434  "), "http://localhost:11434/v1");
    const r = normalizeBaseUrl("https://api.deepseek.com");
    assert.ok(r.ok && r.notes.includes("/v1 added"));
});

test("normalizeBaseUrl: a missing scheme is http for this machine, LAN addresses and single names, https for public names", () => {
    assert.equal(url("127.0.0.1:8000"), "http://127.0.0.1:8000/v1");
    assert.equal(url("localhost:1234/v1"), "http://localhost:1234/v1");
    assert.equal(url("10.0.0.5:30000"), "http://10.0.0.5:30000/v1");
    assert.equal(url("gpu-box:8000"), "http://gpu-box:8000/v1");
    assert.equal(url("node1.local:8000"), "http://node1.local:8000/v1");
    assert.equal(url("api.deepseek.com"), "https://api.deepseek.com/v1");
});

test("normalizeBaseUrl: a pasted /chat/completions or /models is removed", () => {
    assert.equal(url("http://127.0.0.1:8000/v1/chat/completions"), "http://127.0.0.1:8000/v1");
    assert.equal(url("http://127.0.0.1:8000/v1/models/"), "http://127.0.0.1:8000/v1");
    assert.equal(url("http://127.0.0.1:8000/chat/completions"), "http://127.0.0.1:8000/v1");
});

test("normalizeBaseUrl: plain http to another machine is marked insecure; this machine and https are not", () => {
    const insecure = (s: string) => {
        const r = normalizeBaseUrl(s);
        assert.ok(r.ok);
        return r.insecure;
    };
    assert.equal(insecure("http://10.0.0.5:8000/v1"), true);
    assert.equal(insecure("http://127.0.0.1:8000/v1"), false);
    assert.equal(insecure("http://localhost:8000"), false);
    assert.equal(insecure("http://[::1]:8000"), false);
    assert.equal(insecure("https://api.deepseek.com"), false);
});

test("normalizeBaseUrl: empty input, other schemes, credentials in the URL, queries and garbage are refused with a reason", () => {
    const error = (s: string) => {
        const r = normalizeBaseUrl(s);
        assert.ok(!r.ok, s);
        return r.error;
    };
    assert.match(error(""), /base URL/);
    assert.match(error("ftp://example.com"), /ftp:/);
    const creds = error("https://user:sk-secret@api.deepseek.com");
    assert.match(creds, /API key is asked for in the next step/);
    assert.ok(!creds.includes("sk-secret"), "the refused key is not repeated");
    assert.match(error("https://api.deepseek.com/v1?key=1"), /query/);
    assert.match(error("http://exa mple.com"), /not a URL/);
});

test("labels: model @ host (with the port), the origin for the consent question", () => {
    assert.equal(engineLabel({ baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner" }), "deepseek-reasoner @ api.deepseek.com");
    assert.equal(engineLabel({ baseUrl: "http://127.0.0.1:8000/v1", model: "deepseek-ai/DeepSeek-R1" }), "deepseek-ai/DeepSeek-R1 @ 127.0.0.1:8000");
    assert.equal(endpointHost("http://127.0.0.1:8000/v1"), "127.0.0.1:8000");
    assert.equal(endpointOrigin("https://api.deepseek.com/v1"), "https://api.deepseek.com");
});

test("the saved list: the same URL and model keep their id; a new one goes first; malformed state is left out", () => {
    const { list: one, saved: a } = upsertEndpoint([], { baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner" }, "id-a");
    assert.deepEqual(a, { id: "id-a", baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner", label: "deepseek-reasoner @ api.deepseek.com" });
    const { list: two } = upsertEndpoint(one, { baseUrl: "http://127.0.0.1:8000/v1", model: "m" }, "id-b");
    assert.deepEqual(two.map((e) => e.id), ["id-b", "id-a"]);
    const { list: again, saved } = upsertEndpoint(two, { baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner" }, "id-c");
    assert.equal(saved.id, "id-a", "saved again: same id, so the same stored key");
    assert.deepEqual(again.map((e) => e.id), ["id-b", "id-a"]);

    assert.deepEqual(parseEndpoints(JSON.parse(JSON.stringify(two))), two);
    assert.deepEqual(parseEndpoints(undefined), []);
    assert.deepEqual(parseEndpoints([null, 3, { id: "x" }, { id: "y", baseUrl: "ftp://a", model: "m" }, { id: "z", baseUrl: "https://a.example", model: "m" }]),
        [{ id: "z", baseUrl: "https://a.example/v1", model: "m", label: "m @ a.example" }]);

    assert.equal(activeAfterRemoval("id-a", "id-a"), "local");
    assert.equal(activeAfterRemoval("id-b", "id-a"), "id-b");
    assert.equal(activeAfterRemoval("local", "id-a"), "local");
});
