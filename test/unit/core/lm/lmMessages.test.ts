// A vscode.lm request's messages → R1's conversation: no system prompt (instructions go into the next user turn),
// roles joined and alternating, text only; tool calls, tool results and images are refused with a reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toChatTurns, TOOLS_UNSUPPORTED, type LmMessage } from "../../../../src/core/lm/lmMessages";

const text = (role: LmMessage["role"], ...values: string[]): LmMessage => ({ role, parts: values.map((value) => ({ kind: "text", value })) });

test("system instructions go at the start of the next user turn; parts of one message are joined", () => {
    const r = toChatTurns([text("system", "Answer in French."), text("user", "What is ", "a closure?")]);
    assert.ok(r.ok);
    assert.deepEqual(r.turns, [{ role: "user", text: "Instructions:\nAnswer in French.\n\nWhat is a closure?" }]);
});

test("a follow-up keeps the exchange; consecutive messages of one role are joined", () => {
    const r = toChatTurns([text("user", "Q1"), text("assistant", "A1"), text("assistant", "A1b"), text("user", "Q2"), text("user", "more")]);
    assert.ok(r.ok);
    assert.deepEqual(r.turns, [{ role: "user", text: "Q1" }, { role: "assistant", text: "A1\n\nA1b" }, { role: "user", text: "Q2\n\nmore" }]);
});

test("an assistant message before any user message becomes context of the first user turn", () => {
    const r = toChatTurns([text("assistant", "Hello, ask me."), text("user", "Why?")]);
    assert.ok(r.ok);
    assert.deepEqual(r.turns, [{ role: "user", text: "Earlier reply:\nHello, ask me.\n\nWhy?" }]);
});

test("tool calls, tool results and images are refused, saying why", () => {
    const call = toChatTurns([text("user", "x"), { role: "assistant", parts: [{ kind: "toolCall", name: "readFile" }] }, text("user", "y")]);
    assert.equal(call.ok, false);
    assert.match(call.ok ? "" : call.reason, new RegExp(`^${TOOLS_UNSUPPORTED}.*readFile`));
    const result = toChatTurns([{ role: "user", parts: [{ kind: "toolResult" }] }]);
    assert.match(result.ok ? "" : result.reason, /tool result/);
    const image = toChatTurns([{ role: "user", parts: [{ kind: "text", value: "see" }, { kind: "data", mimeType: "image/png" }] }]);
    assert.match(image.ok ? "" : image.reason, /image \(image\/png\)/);
});

test("other parts are left out with a note; a request must end with the user's text", () => {
    const r = toChatTurns([{ role: "user", parts: [{ kind: "data", mimeType: "cache_control" }, { kind: "other" }, { kind: "text", value: "Hi" }] }]);
    assert.ok(r.ok);
    assert.deepEqual(r.turns, [{ role: "user", text: "Hi" }]);
    assert.equal(r.notes.length, 2);
    assert.equal(toChatTurns([]).ok, false);
    assert.equal(toChatTurns([text("user", "   ")]).ok, false);
    const last = toChatTurns([text("user", "Q"), text("assistant", "A")]);
    assert.match(last.ok ? "" : last.reason, /last message must be the user's/);
});
