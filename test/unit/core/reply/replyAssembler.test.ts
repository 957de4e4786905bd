import assert from "node:assert/strict";
import { test } from "node:test";
import { ReplyAssembler, type ReplyDelta } from "../../../../src/core/reply/replyAssembler";

/** What a client shows after applying the deltas in order. */
function view(deltas: ReplyDelta[]): { thought: string; answer: string } {
    let thought = "";
    let answer = "";
    for (const d of deltas) {
        if (d.answerRetracted) answer = "";
        thought += d.thought;
        answer += d.answer;
    }
    return { thought, answer };
}

test("segmented reply: thought, end, answer without its leading blank lines", () => {
    const r = new ReplyAssembler(true);
    const d = [r.thought("Let me"), r.thought(" think."), r.answerText("\n\n"), r.answerText("Done.")];
    r.endThought(false);
    d.push(r.finish());
    assert.deepEqual(view(d), { thought: "Let me think.", answer: "Done." });
    assert.deepEqual(r.result(), { reasoning: "Let me think.", answer: "Done.", thoughtState: "ended" });
});

test("a <think> the model writes again is not part of the thought", () => {
    const r = new ReplyAssembler(true);
    const d = [r.thought("<think>\n"), r.thought("Hmm."), r.answerText("Hi")];
    r.endThought(false);
    d.push(r.finish());
    assert.equal(view(d).thought, "Hmm.");
    assert.equal(r.result().reasoning, "Hmm.");
});

test("empty thought, budget and unclosed states", () => {
    const empty = new ReplyAssembler(true);
    empty.thought("\n\n");
    empty.endThought(false);
    empty.answerText("4");
    empty.finish();
    assert.equal(empty.result().thoughtState, "empty");

    const budget = new ReplyAssembler(true);
    budget.thought("long");
    budget.endThought(true);
    budget.finish();
    assert.equal(budget.result().thoughtState, "budget");

    const unclosed = new ReplyAssembler(true);
    unclosed.thought("still going");
    unclosed.finish();
    assert.equal(unclosed.result().thoughtState, "unclosed");
});

test("a second </think> in the answer moves the answer so far into the thought", () => {
    const r = new ReplyAssembler(true);
    const d = [r.thought("First."), r.answerText("Draft "), r.answerText("answer.</th"), r.answerText("ink>\n\nFinal.")];
    r.endThought(false);
    d.push(r.finish());
    assert.ok(d.some((x) => x.answerRetracted));
    assert.deepEqual(view(d), { thought: "First.Draft answer.", answer: "Final." });
    assert.equal(r.result().answer, "Final.");
});

test("a new thought segment after answer text: that answer was still reasoning", () => {
    const r = new ReplyAssembler(true);
    const d = [r.thought("A."), r.answerText("Early words.")];
    r.endThought(false);
    d.push(r.thought(" B."));
    r.endThought(false);
    d.push(r.answerText("\n\nReal answer."), r.finish());
    assert.deepEqual(view(d), { thought: "A.Early words. B.", answer: "Real answer." });
    assert.equal(r.result().thoughtState, "ended");
});

test("no R1 template: plain text is all answer; its own tags still split it", () => {
    const plain = new ReplyAssembler(false);
    const d1 = [plain.answerText("Once upon "), plain.answerText("a time."), plain.finish()];
    assert.deepEqual(view(d1), { thought: "", answer: "Once upon a time." });
    assert.equal(plain.result().thoughtState, "noTemplate");

    const tagged = new ReplyAssembler(false);
    const d2 = [tagged.answerText("<think>\nPlan.\n</think>\n\nAnswer.")];
    d2.push(tagged.finish());
    assert.deepEqual(view(d2), { thought: "Plan.\n", answer: "Answer." });
    assert.equal(tagged.result().thoughtState, "ended");

    const closeOnly = new ReplyAssembler(false);
    const d3 = [closeOnly.answerText("Plan first."), closeOnly.answerText("</think>Then answer."), closeOnly.finish()];
    assert.deepEqual(view(d3), { thought: "Plan first.", answer: "Then answer." });
});
