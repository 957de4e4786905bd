// Hostile: the host's check of every message from the chat webview (core/chat/webviewMessageCheck). Each message the
// webview really sends passes; each message of test/fixtures/hostileMessages is rejected with a reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkWebviewMessage } from "../../../src/core/chat/webviewMessageCheck";
import type { WebviewToHost } from "../../../src/shared/webviewProtocol";
import { hostileMessages } from "../../fixtures/hostileMessages";

const valid: WebviewToHost[] = [
    { type: "ready" }, { type: "send", text: "why is cart.ts wrong?" }, { type: "stop" }, { type: "regenerate", id: "turn-1" },
    { type: "newChat" }, { type: "openChat", id: "c1" }, { type: "showHistory" }, { type: "attach" }, { type: "removeContext", id: "ctx-1" },
    { type: "queryFiles", requestId: 3, query: "cart" }, { type: "addFile", path: "src/cart.ts" }, { type: "selectModel" },
    { type: "codeAction", id: "t", action: "apply", blockIndex: 0, lang: "ts", code: "const x = 1;" },
    { type: "codeAction", id: "t", action: "copy", blockIndex: 2, lang: "", code: "" },
    { type: "openLink", url: "https://ok.test/" }
];

test("Hostile: every message type the webview sends passes the check unchanged", () => {
    for (const message of valid) {
        const checked = checkWebviewMessage(structuredClone(message));
        assert.ok(checked.ok, JSON.stringify(message));
        assert.deepEqual(checked.message, message);
    }
    // A long prompt (a pasted file) is a valid message; the chat trims what it sends to the model.
    assert.ok(checkWebviewMessage({ type: "send", text: "x".repeat(5_000_000) }).ok);
});

test("Hostile: every malformed message is rejected with a reason that names the problem", () => {
    assert.ok(hostileMessages.length >= 25, `${hostileMessages.length} messages`);
    for (const { what, message } of hostileMessages) {
        const checked = checkWebviewMessage(message);
        assert.equal(checked.ok, false, what);
        if (!checked.ok) assert.ok(checked.reason.length > 5 && checked.reason.length < 200, `${what}: ${checked.reason}`);
    }
    const reason = (m: unknown): string => {
        const c = checkWebviewMessage(m);
        return c.ok ? "accepted" : c.reason;
    };
    assert.equal(reason({ type: "runCommand" }), 'unknown message type "runCommand"');
    assert.equal(reason({ type: "send" }), '"send" lacks its field "text"');
    assert.equal(reason({ type: "send", text: "a", turns: [] }), '"send" has an unexpected field "turns"');
    assert.equal(reason({ type: "addFile", path: 5 }), '"addFile": path is number, not a string');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "nothing was polluted");
});
