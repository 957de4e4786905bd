import assert from "node:assert/strict";
import { test } from "node:test";
import {
    addTurn, contextFor, conversationTitle, createConversation, failTurn, finishTurn, historyTurns, interruptRunningTurns,
    isRunning, regenerableTurn, removeTurn, requestTurns, type ConversationTurn
} from "../../../../src/core/chat/conversation";
import type { ReasonResult } from "../../../../src/shared/lspProtocol";

function result(answer: string, reasoning = "I thought about it."): ReasonResult {
    return {
        reasoning, answer, thoughtState: "ended", stopReason: "eos", notices: [], model: "m",
        stats: { thoughtTokens: 5, answerTokens: 3, promptTokens: 10, reusedPromptTokens: 0, tokensPerSecond: 10, elapsedMs: 100 }
    };
}

function turn(id: string, request: string, extra: Partial<ConversationTurn> = {}): ConversationTurn {
    return { id, kind: "chat", prompt: request, request, context: [], thoughtBudget: 4096, startedAt: 1, ...extra };
}

test("a follow-up sends the earlier requests and ANSWERS only, never the thoughts", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "File `a.ts`…\n\nWhat is wrong?"));
    finishTurn(c, "1", result("It returns a string.", "SECRET THOUGHT ONE"), 10);
    addTurn(c, turn("2", "Fix it."));
    finishTurn(c, "2", result("Use Number().", "SECRET THOUGHT TWO"), 20);
    const turns = requestTurns(c, "And the tests?");
    assert.deepEqual(turns, [
        { role: "user", text: "File `a.ts`…\n\nWhat is wrong?" },
        { role: "assistant", text: "It returns a string." },
        { role: "user", text: "Fix it." },
        { role: "assistant", text: "Use Number()." },
        { role: "user", text: "And the tests?" }
    ]);
    assert.ok(!JSON.stringify(turns).includes("SECRET"), "no thought text in the request");
});

test("exchanges without an answer (stopped while thinking, failed, running) are left out whole: roles alternate", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "A"));
    finishTurn(c, "1", { ...result("", "partial thought"), stopReason: "abort", thoughtState: "unclosed" }, 1);
    addTurn(c, turn("2", "B"));
    failTurn(c, "2", "The model process stopped.", 2);
    addTurn(c, turn("3", "C"));
    finishTurn(c, "3", result("answer C"), 3);
    addTurn(c, turn("4", "D")); // running
    const turns = requestTurns(c, "E");
    assert.deepEqual(turns.map((t) => `${t.role}:${t.text}`), ["user:C", "assistant:answer C", "user:E"]);
    for (let i = 1; i < turns.length; i++) assert.notEqual(turns[i]!.role, turns[i - 1]!.role);
});

test("a regenerated turn's own earlier answer is not history", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "A"));
    finishTurn(c, "1", result("a"), 1);
    addTurn(c, turn("2", "B"));
    finishTurn(c, "2", result("b"), 2);
    assert.deepEqual(historyTurns(c, "2").map((t) => t.text), ["A", "a"]);
    assert.deepEqual(requestTurns(c, "B", "2").map((t) => t.text), ["A", "a", "B"]);
});

test("regenerate applies to the last turn when it is a finished chat turn", () => {
    const c = createConversation("c", 0);
    assert.equal(regenerableTurn(c), undefined);
    addTurn(c, turn("1", "A"));
    assert.equal(regenerableTurn(c), undefined, "still running");
    finishTurn(c, "1", result("a"), 1);
    assert.equal(regenerableTurn(c)?.id, "1");
    addTurn(c, turn("2", "Fix TS2322", { kind: "fix" }));
    finishTurn(c, "2", result("fixed"), 2);
    assert.equal(regenerableTurn(c), undefined, "a quick fix shown in the chat is not regenerated from the chat");
    removeTurn(c, "2");
    failTurn(c, "1", "boom", 3);
    assert.equal(regenerableTurn(c)?.id, "1", "a failed chat turn can be tried again");
});

test("the first request names the conversation: first line, whitespace collapsed, at most 60 characters", () => {
    assert.equal(conversationTitle("\n\n  Why   does\tparsePrice fail?\nMore text"), "Why does parsePrice fail?");
    const long = conversationTitle("x".repeat(100));
    assert.equal(long.length, 60);
    assert.ok(long.endsWith("…"));
    assert.equal(conversationTitle("   "), "New chat");
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "First question"));
    addTurn(c, turn("2", "Second question"));
    assert.equal(c.title, "First question");
    assert.equal(c.updatedAt, 1);
});

test("turns running when the window closed end as interrupted", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "A"));
    finishTurn(c, "1", result("a"), 1);
    addTurn(c, turn("2", "B"));
    assert.equal(isRunning(c.turns[1]!), true);
    assert.equal(interruptRunningTurns(c, "Interrupted by a window reload."), 1);
    assert.equal(c.turns[1]!.error, "Interrupted by a window reload.");
    assert.equal(isRunning(c.turns[1]!), false);
    assert.equal(c.turns[0]!.error, undefined);
});

test("finishing or failing a turn that is gone changes nothing", () => {
    const c = createConversation("c", 0);
    assert.equal(finishTurn(c, "nope", result("x"), 5), false);
    assert.equal(failTurn(c, "nope", "x", 5), false);
    assert.equal(c.updatedAt, 0);
});

test("the code a turn is about: its selections, its files, then earlier turns' (newest first, no repeats)", () => {
    const c = createConversation("c", 0);
    const file = (uri: string) => ({ kind: "file" as const, uri, path: uri, languageId: "typescript" });
    const sel = { kind: "selection" as const, uri: "a.ts", path: "a.ts", languageId: "typescript", range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } } };
    addTurn(c, turn("1", "A", { context: [file("a.ts")] }));
    addTurn(c, turn("2", "B", { context: [file("b.ts"), sel] }));
    addTurn(c, turn("3", "C", { context: [file("a.ts")] }));
    assert.deepEqual(contextFor(c, "2").map((r) => `${r.kind}:${r.uri}`), ["selection:a.ts", "file:b.ts", "file:a.ts"]);
    assert.deepEqual(contextFor(c, "3").map((r) => `${r.kind}:${r.uri}`), ["file:a.ts", "selection:a.ts", "file:b.ts"]);
    assert.deepEqual(contextFor(c, "x"), []);
});
