// A `<think>` that does not stand at the start (after a preamble, or after a chat template a server echoed) and
// is never closed: the reply is an unfinished thought, its answer is empty, and nothing in it is offered as an
// edit (issue 14). Streamed in any chunking, the split is the whole-text split.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ReasoningSplitter, splitReasoning, type SplitDelta } from "../../../../src/core/reply/reasoningSplit";
import { ReplyAssembler } from "../../../../src/core/reply/replyAssembler";
import { inspect } from "../../../../scripts/inspectAnswer";

const ECHOED = "<｜User｜>Fix the add function.<｜Assistant｜><think>\nOkay, the user wants the add function fixed. " +
    "It returns a string, so the return type is wrong.\n\n```typescript\nexport function add(a: number, b: number): number {\n    return a + b;\n}\n```\nLet me check";

/** What a client shows after applying every delta of `raw` fed in `size`-character chunks. */
function streamed(raw: string, size: number): { thought: string; answer: string; retracted: boolean } {
    const s = new ReasoningSplitter({ mode: "auto" });
    let thought = "";
    let answer = "";
    let retracted = false;
    const apply = (d: SplitDelta): void => {
        if (d.answerRetracted) {
            answer = "";
            retracted = true;
        }
        thought += d.thought;
        answer += d.answer;
    };
    for (let i = 0; i < raw.length; i += size) apply(s.push(raw.slice(i, i + size)));
    apply(s.end());
    return { thought, answer, retracted };
}

test("an echoed template before a <think> that never closes: all reasoning, no answer, not complete", () => {
    const got = splitReasoning(ECHOED, { mode: "auto" });
    assert.equal(got.answer, "");
    assert.equal(got.reasoning, ECHOED);
    assert.equal(got.state, "unclosed");
    assert.equal(got.complete, false);
});

test("inspect-answer on the echoed template: complete false, everything reasoning, no code block offered", () => {
    const out = inspect(ECHOED);
    assert.equal(out.complete, false);
    assert.equal(out.answer, "");
    assert.equal(out.reasoning, ECHOED);
    assert.deepEqual(out.blocks, [], "code in an unfinished thought is never an edit");
});

test("a preamble, then <think> never closed: the preamble is taken back from the answer while streaming", () => {
    const raw = "Sure, let me think about it.\n<think>\nThe list may be empty, so";
    const whole = splitReasoning(raw);
    assert.deepEqual(whole, { reasoning: raw, answer: "", state: "unclosed", complete: false });
    for (const size of [1, 2, 3, 7, 40, raw.length]) {
        const shown = streamed(raw, size);
        assert.equal(shown.thought, whole.reasoning, `${size}-char chunks: thought`);
        assert.equal(shown.answer, "", `${size}-char chunks: answer`);
    }
    assert.equal(streamed(raw, 1).retracted, true, "the preamble shown as answer was retracted");
});

test("a preamble, then <think>…</think>: the answer is what follows the close, as before", () => {
    const raw = "Sure.\n<think>\nTwo plus two.\n</think>\n\nIt is 4.";
    const got = splitReasoning(raw);
    assert.equal(got.reasoning, "Sure.\n<think>\nTwo plus two.\n");
    assert.equal(got.answer, "\n\nIt is 4.");
    assert.equal(got.state, "ended");
    for (const size of [1, 3, 8, raw.length]) {
        const shown = streamed(raw, size);
        assert.deepEqual([shown.thought, shown.answer], [got.reasoning, got.answer], `${size}-char chunks`);
    }
});

test("after a </think>, a <think> in the answer is answer text", () => {
    const raw = "<think>\nok\n</think>\n\nR1 opens its reasoning with `<think>` and never closes it here.";
    const got = splitReasoning(raw);
    assert.equal(got.answer, "\n\nR1 opens its reasoning with `<think>` and never closes it here.");
    assert.equal(got.complete, true);
    assert.equal(streamed(raw, 2).answer, got.answer);
});

test("a reply read after a thought segment (the local engine) keeps a literal <think> in its answer", () => {
    const reply = new ReplyAssembler(true);
    reply.thought("The user asks about tags.");
    reply.endThought(false);
    reply.answerText("R1 writes `<think>` first");
    reply.answerText(" and closes it later.");
    reply.finish();
    assert.deepEqual(reply.result(), { reasoning: "The user asks about tags.", answer: "R1 writes `<think>` first and closes it later.", thoughtState: "ended" });
});
