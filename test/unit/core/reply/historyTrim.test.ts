import assert from "node:assert/strict";
import { test } from "node:test";
import { trimHistory } from "../../../../src/core/reply/historyTrim";
import type { ChatTurn } from "../../../../src/shared/lspProtocol";

const count = (turns: readonly ChatTurn[]): number => turns.reduce((n, t) => n + t.text.length, 0);
const conversation: ChatTurn[] = [
    { role: "user", text: "a".repeat(100) },
    { role: "assistant", text: "b".repeat(100) },
    { role: "user", text: "c".repeat(100) },
    { role: "assistant", text: "d".repeat(100) },
    { role: "user", text: "e".repeat(50) }
];

test("a conversation that fits is kept whole", () => {
    const r = trimHistory(conversation, count, 1000);
    assert.equal(r.droppedTurns, 0);
    assert.equal(r.turns.length, 5);
    assert.equal(r.promptTokens, 450);
});

test("the oldest exchanges go first, whole, and the count says how many", () => {
    const r = trimHistory(conversation, count, 260);
    assert.equal(r.droppedTurns, 2);
    assert.deepEqual(r.turns.map((t) => t.text[0]), ["c", "d", "e"]);
    assert.equal(r.turns[0]!.role, "user", "roles still alternate from a user turn");
});

test("the newest user turn is always kept, even when it alone is too long", () => {
    const r = trimHistory(conversation, count, 10);
    assert.equal(r.turns.length, 1);
    assert.equal(r.turns[0]!.text[0], "e");
    assert.equal(r.droppedTurns, 4);
    assert.ok(r.promptTokens > 10, "the caller sees it still does not fit");
});

test("the last measurement is of the turns returned (the engine keeps that tokenization as the prompt)", () => {
    for (const limit of [1000, 260, 10]) {
        let last: readonly ChatTurn[] = [];
        const r = trimHistory(conversation, (t) => ((last = t), count(t)), limit);
        assert.deepEqual(last, r.turns);
    }
});
