import assert from "node:assert/strict";
import { test } from "node:test";
import {
    boundHistory, clipReasoning, deleteConversation, emptyHistory, parseHistory, putConversation, summaries, type ChatHistory
} from "../../../../src/core/chat/chatHistory";
import { addTurn, createConversation, finishTurn, type Conversation } from "../../../../src/core/chat/conversation";
import type { ReasonResult } from "../../../../src/shared/lspProtocol";

function result(answer: string, reasoning = "thought"): ReasonResult {
    return {
        reasoning, answer, thoughtState: "ended", stopReason: "eos", notices: [{ kind: "budgetHit", budget: 10 }], model: "m",
        stats: { thoughtTokens: 5, answerTokens: 3, promptTokens: 10, reusedPromptTokens: 0, tokensPerSecond: 10, elapsedMs: 100, thoughtMs: 50 }
    };
}

function chat(id: string, at: number, answer = "answer", reasoning = "thought", turns = 1): Conversation {
    const c = createConversation(id, at);
    for (let i = 0; i < turns; i++) {
        addTurn(c, { id: `${id}-${i}`, kind: "chat", prompt: `question ${id} ${i}`, request: `question ${id} ${i}`, context: [], thoughtBudget: 0, startedAt: at });
        finishTurn(c, `${id}-${i}`, result(answer, reasoning), at);
    }
    return c;
}

test("put keeps the newest first, replaces by id, and does not keep empty chats", () => {
    let h = emptyHistory();
    h = putConversation(h, chat("a", 1));
    h = putConversation(h, chat("b", 3));
    h = putConversation(h, chat("c", 2));
    assert.deepEqual(h.conversations.map((c) => c.id), ["b", "c", "a"]);
    h = putConversation(h, chat("a", 5));
    assert.deepEqual(h.conversations.map((c) => c.id), ["a", "b", "c"]);
    h = putConversation(h, createConversation("b", 9));
    assert.deepEqual(h.conversations.map((c) => c.id), ["a", "c"], "an emptied chat leaves the list");
    h = deleteConversation({ ...h, currentId: "c" }, "c");
    assert.deepEqual(h.conversations.map((c) => c.id), ["a"]);
    assert.equal(h.currentId, undefined);
    assert.deepEqual(summaries(h), [{ id: "a", title: "question a 0", updatedAt: 5, turns: 1 }]);
});

test("a stored thought keeps its beginning and its end, and says how much is left out", () => {
    const text = "B".repeat(1000) + "M".repeat(10_000) + "E".repeat(1000);
    const clipped = clipReasoning(text, 2000);
    assert.ok(clipped.length <= 2000 + 80, String(clipped.length));
    assert.ok(clipped.startsWith("B".repeat(900)));
    assert.ok(clipped.endsWith("E".repeat(900)));
    assert.match(clipped, /\[… \d+ characters of this thought are not kept in the chat history …\]/);
    assert.equal(clipReasoning("short", 2000), "short");
});

test("bounded: at most maxConversations, the oldest go first, the current chat stays", () => {
    let h: ChatHistory = emptyHistory();
    for (let i = 0; i < 10; i++) h = putConversation(h, chat(`c${i}`, i));
    h = { ...h, currentId: "c0" };
    const b = boundHistory(h, { maxConversations: 4, maxChars: 1e9, maxReasoningChars: 1e9 });
    assert.deepEqual(b.conversations.map((c) => c.id), ["c9", "c8", "c7", "c0"]);
    assert.equal(b.currentId, "c0");
    assert.equal(h.conversations.length, 10, "the input is not changed");
});

test("bounded in size: long thoughts are clipped, then old chats dropped until the JSON fits", () => {
    let h: ChatHistory = emptyHistory();
    for (let i = 0; i < 20; i++) h = putConversation(h, chat(`c${i}`, i, "a".repeat(2000), "t".repeat(50_000)));
    const limits = { maxConversations: 100, maxChars: 30_000, maxReasoningChars: 1000 };
    const b = boundHistory(h, limits);
    assert.ok(JSON.stringify(b).length <= limits.maxChars, String(JSON.stringify(b).length));
    assert.ok(b.conversations.length >= 5 && b.conversations.length < 20, String(b.conversations.length));
    assert.equal(b.conversations[0]!.id, "c19", "the newest stay");
    for (const c of b.conversations) assert.ok(c.turns[0]!.result!.reasoning.length < 1100);
    assert.equal(b.conversations[0]!.turns[0]!.result!.answer.length, 2000, "answers are kept whole");
});

test("a single chat over the size limit loses its oldest turns, never the last", () => {
    const big = chat("big", 1, "x".repeat(3000), "t", 10);
    const b = boundHistory({ version: 1, conversations: [big], currentId: "big" }, { maxConversations: 10, maxChars: 8000, maxReasoningChars: 100 });
    assert.equal(b.conversations.length, 1);
    const turns = b.conversations[0]!.turns;
    assert.ok(turns.length >= 1 && turns.length < 10);
    assert.equal(turns[turns.length - 1]!.id, "big-9");
    assert.ok(JSON.stringify(b).length <= 8000);
    assert.equal(big.turns.length, 10, "the input is not changed");
});

test("a stored history reads back as it was written (JSON round trip)", () => {
    let h: ChatHistory = emptyHistory();
    const c = chat("a", 7, "Use Number().", "Because it is a string.", 2);
    c.turns[0]!.context = [{ kind: "selection", uri: "file:///w/a.ts", path: "a.ts", languageId: "typescript", range: { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } } }];
    c.turns[1]!.model = "DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M";
    c.turns[1]!.error = "interrupted";
    h = putConversation(h, c);
    h.currentId = "a";
    assert.deepEqual(parseHistory(JSON.parse(JSON.stringify(h))), h);
});

test("damaged or foreign stored values never throw: what cannot be read is left out", () => {
    for (const bad of [undefined, null, 42, "x", [], {}, { version: 2, conversations: [] }, { version: 1, conversations: "no" }]) {
        assert.deepEqual(parseHistory(bad), emptyHistory(), JSON.stringify(bad));
    }
    const good = chat("ok", 2);
    const value = {
        version: 1,
        currentId: "missing",
        conversations: [
            null, 5, { id: "noTurns", turns: [] }, { id: 3, turns: [] },
            { id: "badTurns", turns: [{ id: 1 }, "x", null] },
            JSON.parse(JSON.stringify(good)),
            JSON.parse(JSON.stringify(good)), // duplicate id
            { id: "partial", title: 5, updatedAt: "x", turns: [{ id: "t", prompt: "p", request: "p", kind: "weird", result: { reasoning: "r", answer: "a", stats: null, notices: [null, { kind: "info", message: "m" }], stopReason: "nope" }, context: [{ kind: "file" }, { kind: "file", uri: "u", path: "p", languageId: "l" }] }] }
        ]
    };
    const h = parseHistory(value);
    assert.deepEqual(h.conversations.map((c) => c.id), ["ok", "partial"]);
    assert.equal(h.currentId, undefined);
    const t = h.conversations[1]!.turns[0]!;
    assert.equal(t.kind, "chat");
    assert.equal(t.result!.stopReason, "eos");
    assert.equal(t.result!.stats.thoughtTokens, 0);
    assert.deepEqual(t.result!.notices, [{ kind: "info", message: "m" }]);
    assert.deepEqual(t.context, [{ kind: "file", uri: "u", path: "p", languageId: "l" }]);
    assert.equal(h.conversations[1]!.title, "Chat");
});
