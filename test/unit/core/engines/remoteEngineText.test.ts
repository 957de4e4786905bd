// What the user reads about a remote engine: the status bar names engine and model, the tooltip says where code
// goes and whether a key is stored (never the key), the consent question names the origin, and an untrusted
// workspace turns remote engines off with a reason (the extension-host test runs with workspace trust disabled, so
// the gate is checked here).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RemoteEndpoint } from "../../../../src/core/engines/remoteEndpoint";
import {
    consentDeclinedMessage, consentQuestion, remoteBlockedReason, remoteChatStatus, remoteStatusText, remoteTooltipLines
} from "../../../../src/core/engines/remoteEngineText";

const deepseek: RemoteEndpoint = { id: "a", baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner", label: "deepseek-reasoner @ api.deepseek.com" };
const local: RemoteEndpoint = { id: "b", baseUrl: "http://127.0.0.1:8000/v1", model: "r1", label: "r1 @ 127.0.0.1:8000" };

test("status bar: R1 · model @ host; spinning while a request runs; marked off in an untrusted workspace", () => {
    assert.equal(remoteStatusText({ endpoint: deepseek, trusted: true, hasKey: true }), "$(cloud) R1 · deepseek-reasoner @ api.deepseek.com");
    assert.equal(remoteStatusText({ endpoint: deepseek, trusted: true, hasKey: true, busy: true }), "$(loading~spin) R1 · deepseek-reasoner @ api.deepseek.com");
    assert.match(remoteStatusText({ endpoint: deepseek, trusted: false, hasKey: true }), /untrusted workspace/);
});

test("tooltip: engine, base URL, model, whether a key is stored; where code goes unless it stays on this machine", () => {
    const lines = remoteTooltipLines({ endpoint: deepseek, trusted: true, hasKey: true });
    assert.deepEqual(lines, [
        "Engine: remote (OpenAI-compatible) at https://api.deepseek.com/v1",
        "Model: deepseek-reasoner",
        "API key: stored in VS Code's secret storage",
        "Your prompts and code go to https://api.deepseek.com."
    ]);
    const own = remoteTooltipLines({ endpoint: local, trusted: false, hasKey: false });
    assert.ok(own.includes("API key: none"));
    assert.ok(!own.some((l) => l.startsWith("Your prompts")), "127.0.0.1 keeps the code on this machine");
    assert.match(own.at(-1)!, /disabled in an untrusted workspace/);
});

test("consent: the modal names the origin and the model; declining says nothing was sent", () => {
    const q = consentQuestion(deepseek);
    assert.equal(q.message, "This sends your code to https://api.deepseek.com.");
    assert.match(q.detail, /deepseek-reasoner at https:\/\/api\.deepseek\.com\/v1/);
    assert.match(q.detail, /asked once/);
    assert.equal(q.accept, "Send");
    assert.match(consentDeclinedMessage(deepseek), /^Nothing was sent: .*https:\/\/api\.deepseek\.com/);
});

test("untrusted workspace: remote requests are refused with the reason and the chat header says so; a trusted one passes", () => {
    assert.equal(remoteBlockedReason(true), undefined);
    assert.match(remoteBlockedReason(false) ?? "", /Remote engines are disabled in an untrusted workspace/);
    assert.deepEqual(remoteChatStatus({ endpoint: deepseek, trusted: false }), { model: "deepseek-reasoner", text: "Off: untrusted workspace" });
    assert.deepEqual(remoteChatStatus({ endpoint: deepseek, trusted: true }), { model: "deepseek-reasoner", text: "api.deepseek.com" }, "the chat header: model, and where it runs");
});
