// The reasoning forms of OpenAI-compatible servers, assembled into thought and answer: a reasoning field, inline
// tags, only a closing tag, no tags, an empty thought, blank content before the reasoning, the budget's stop.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiReplyAssembler, type ApiDelta } from "../../../../src/core/reply/apiReplyAssembler";

function assemble(deltas: ApiDelta[], budgetAfter?: number) {
    const reply = new ApiReplyAssembler();
    let thought = "";
    let answer = "";
    deltas.forEach((d, i) => {
        const out = reply.push(d);
        if (out.answerRetracted) answer = "";
        thought += out.thought;
        answer += out.answer;
        if (budgetAfter === i) reply.closeByBudget();
    });
    const end = reply.finish();
    thought += end.thought;
    answer += end.answer;
    return { ...reply.result(), form: reply.form, thought, answer };
}

test("a reasoning field, then content", () => {
    const r = assemble([{ content: "" }, { reasoning: "Okay," }, { reasoning: " sum." }, { content: "\n\n" }, { content: "4" }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState, r.form], ["Okay, sum.", "4", "ended", "field"]);
    assert.equal(r.thought, "Okay, sum.");
    assert.equal(r.answer, "4");
});

test("blank content before the reasoning field is not an answer", () => {
    const r = assemble([{ content: "\n" }, { reasoning: "Hm." }, { content: "Yes." }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState], ["Hm.", "Yes.", "ended"]);
});

test("an empty thought in a reasoning field", () => {
    const r = assemble([{ reasoning: "\n\n" }, { content: "Hi!" }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState], ["", "Hi!", "empty"]);
});

test("a reasoning field never followed by content: an unfinished thought", () => {
    const r = assemble([{ reasoning: "Let me" }, { reasoning: " think" }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState], ["Let me think", "", "unclosed"]);
});

test("inline tags in content", () => {
    const r = assemble([{ content: "<th" }, { content: "ink>\nPlan." }, { content: "</thi" }, { content: "nk>\n\nDone." }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState, r.form], ["Plan.", "Done.", "ended", "inline"]);
});

test("only </think>: the answer shown so far is taken back", () => {
    const r = assemble([{ content: "Plan" }, { content: " it.\n</think>" }, { content: "\n\nDone." }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState], ["Plan it.", "Done.", "ended"]);
    assert.equal(r.answer, "Done.");
});

test("no tags at all: everything is answer", () => {
    const r = assemble([{ content: "Just" }, { content: " an answer." }]);
    assert.deepEqual([r.reasoning, r.answer, r.thoughtState], ["", "Just an answer.", "noTemplate"]);
});

test("the budget stops a thought: state budget, no answer, in either form", () => {
    const field = assemble([{ reasoning: "one" }, { reasoning: " two" }, { reasoning: " three" }], 1);
    assert.deepEqual([field.reasoning, field.answer, field.thoughtState], ["one two three", "", "budget"]);
    const inline = assemble([{ content: "<think>\none" }, { content: " two" }], 1);
    assert.deepEqual([inline.reasoning, inline.answer, inline.thoughtState], ["one two", "", "budget"]);
});

test("a server that sends the reasoning again after content: the content was reasoning too (R1's rule)", () => {
    const r = assemble([{ reasoning: "A." }, { content: "B." }, { reasoning: " C." }, { content: "D." }]);
    assert.deepEqual([r.reasoning, r.answer], ["A.B. C.", "D."]);
});
