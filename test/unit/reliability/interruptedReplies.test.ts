// Reliability: a reply cut off by a model process crash or a window reload keeps what had arrived, marked
// interrupted, in the conversation and in the stored history; it is never sent back to the model as history.
import assert from "node:assert/strict";
import { test } from "node:test";
import { boundHistory, parseHistory, putConversation, emptyHistory } from "../../../src/core/chat/chatHistory";
import { addTurn, createConversation, failTurn, finishTurn, interruptRunningTurns, isRunning, requestTurns, type ConversationTurn } from "../../../src/core/chat/conversation";
import { PartialSaves } from "../../../src/features/chat/partialSaves";
import type { ReasonResult } from "../../../src/shared/lspProtocol";

const stats = { thoughtTokens: 5, answerTokens: 3, promptTokens: 10, reusedPromptTokens: 0, tokensPerSecond: 10, elapsedMs: 100 };
const reply = (reasoning: string, answer: string, stopReason: ReasonResult["stopReason"] = "eos"): ReasonResult =>
    ({ reasoning, answer, thoughtState: answer ? "ended" : "thinking", stopReason, stats, notices: [], model: "m" });
const turn = (id: string, request: string): ConversationTurn => ({ id, kind: "chat", prompt: request, request, context: [], thoughtBudget: 0, startedAt: 1 });

test("a turn failed mid-reply keeps what had arrived as its reply, stopReason error, with the message", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "Q"));
    assert.ok(failTurn(c, "1", "Interrupted: the model process stopped (killed by SIGKILL).", 5, reply("Okay, let me", "The answer is", "abort")));
    const t = c.turns[0]!;
    assert.equal(isRunning(t), false);
    assert.equal(t.result?.reasoning, "Okay, let me");
    assert.equal(t.result?.answer, "The answer is");
    assert.equal(t.result?.stopReason, "error");
    assert.match(t.error!, /^Interrupted/);
    // An empty partial leaves no result: the turn shows the message only.
    addTurn(c, turn("2", "Q2"));
    failTurn(c, "2", "boom", 6, reply("", ""));
    assert.equal(c.turns[1]!.result, undefined);
});

test("an interrupted turn is never history: its partial answer is not sent back, roles alternate", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "A"));
    finishTurn(c, "1", reply("t", "a"), 1);
    addTurn(c, turn("2", "B"));
    failTurn(c, "2", "Interrupted", 2, reply("t", "half an answ"));
    assert.deepEqual(requestTurns(c, "C").map((x) => `${x.role}:${x.text}`), ["user:A", "assistant:a", "user:C"]);
});

test("the saved partial of a running turn survives the store and comes back interrupted after a reload", () => {
    const c = createConversation("c", 0);
    addTurn(c, turn("1", "A"));
    c.turns[0]!.partial = reply("Okay, the user wants", "", "error");
    const stored = JSON.parse(JSON.stringify(boundHistory({ ...putConversation(emptyHistory(), c), currentId: "c" }))) as unknown;
    const back = parseHistory(stored).conversations[0]!;
    assert.equal(isRunning(back.turns[0]!), true, "still running as stored");
    assert.equal(interruptRunningTurns(back, "Interrupted: the window was reloaded."), 1);
    assert.equal(back.turns[0]!.result?.reasoning, "Okay, the user wants");
    assert.equal(back.turns[0]!.result?.stopReason, "error");
    assert.equal(back.turns[0]!.error, "Interrupted: the window was reloaded.");
    assert.equal(back.turns[0]!.partial, undefined);
    // A finished turn drops its partial.
    addTurn(c, turn("2", "B"));
    c.turns[1]!.partial = reply("x", "");
    finishTurn(c, "2", reply("x", "y"), 3);
    assert.equal(c.turns[1]!.partial, undefined);
});

test("partial saves: the first text at once, then at most one more per interval while text arrives, none after the end", async () => {
    const saved: string[] = [];
    const saves = new PartialSaves((id) => saved.push(id));
    saves.arrived("t");
    assert.deepEqual(saved, ["t"], "saved at once");
    for (let i = 0; i < 100; i++) saves.arrived("t");
    assert.deepEqual(saved, ["t"], "not once per token");
    await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
            if (saved.length === 2) {
                clearInterval(poll);
                resolve();
            }
        }, 20);
    });
    saves.ended("t");
    assert.equal(saves.size, 0, "nothing pending after the end");
    saves.arrived("u");
    saves.dispose();
    assert.equal(saves.size, 0);
});
