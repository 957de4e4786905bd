// ProgressBatcher: the first text of a reply goes at once and alone (so a reply streams in two or more messages
// however fast the model is); what follows is batched until the interval passes or the run flushes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ProgressBatcher } from "../../../src/server/progressBatcher";
import type { ReasonProgress } from "../../../src/shared/lspProtocol";

function batcher(intervalMs: number): { b: ProgressBatcher; sent: ReasonProgress[] } {
    const sent: ReasonProgress[] = [];
    const stats = { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 };
    const b = new ProgressBatcher((p) => sent.push(p), () => ({ thoughtState: "thinking", stats }), intervalMs);
    return { b, sent };
}

test("the first text is sent at once, alone; the rest waits for the batch", () => {
    // An interval no test run reaches: only the first text and the explicit flush can send.
    const { b, sent } = batcher(3_600_000);
    b.add({ thought: "Okay,", answer: "" });
    assert.deepEqual(sent.map((p) => p.thought), ["Okay,"], "the first token did not wait for the interval");
    b.add({ thought: " the user", answer: "" });
    b.add({ thought: " asks.", answer: "" });
    b.add({ thought: "", answer: "Here." });
    assert.equal(sent.length, 1, "later tokens are batched");
    b.flush();
    b.dispose();
    assert.equal(sent.length, 2);
    assert.deepEqual([sent[1]!.thought, sent[1]!.answer], [" the user asks.", "Here."]);
});

test("a notice before any text does not count as the first text", () => {
    const { b, sent } = batcher(3_600_000);
    b.addNotice({ kind: "info", message: "loaded" });
    assert.equal(sent.length, 0, "a notice alone is batched");
    b.add({ thought: "Okay,", answer: "" });
    assert.equal(sent.length, 1, "the first text goes at once, with the waiting notice");
    assert.deepEqual([sent[0]!.thought, sent[0]!.notices?.map((n) => n.kind)], ["Okay,", ["info"]]);
    b.add({ thought: " more", answer: "" });
    assert.equal(sent.length, 1);
    b.dispose();
});
