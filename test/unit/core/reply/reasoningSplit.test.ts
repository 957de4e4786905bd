import { test } from "node:test";
import assert from "node:assert/strict";
import { ReasoningSplitter, splitApiMessage, splitReasoning, type SplitDelta, type SplitMode, type SplitResult } from "../../../../src/core/reply/reasoningSplit";
import { loadTranscripts, transcriptsMissing } from "../../support/transcriptFixtures";
import { seededRandom } from "../../../webview/tokenize";

interface Shown {
    thought: string;
    answer: string;
    states: string[];
    deltas: SplitDelta[];
    retractions: number;
}

/** Feeds `raw` in chunks and rebuilds what a UI would show from the deltas alone. */
function stream(raw: string, mode: SplitMode, nextSize: () => number): Shown & { result: SplitResult } {
    const s = new ReasoningSplitter({ mode });
    const shown: Shown = { thought: "", answer: "", states: [], deltas: [], retractions: 0 };
    const apply = (d: SplitDelta): void => {
        shown.deltas.push(d);
        if (d.answerRetracted) {
            shown.answer = "";
            shown.retractions++;
        }
        shown.thought += d.thought;
        shown.answer += d.answer;
        if (shown.states[shown.states.length - 1] !== d.state) shown.states.push(d.state);
    };
    for (let i = 0; i < raw.length;) {
        const n = Math.max(1, nextSize());
        apply(s.push(raw.slice(i, i + n)));
        i += n;
    }
    apply(s.end());
    return { ...shown, result: s.result() };
}

function randomSizes(seed: number, max: number): () => number {
    const r = seededRandom(seed);
    return () => 1 + Math.floor(r() * max);
}

function assertStreamMatchesWhole(raw: string, mode: SplitMode, label: string): void {
    const whole = splitReasoning(raw, { mode });
    const sizes: [string, () => number][] = [
        ["1 char", () => 1],
        ["2 chars", () => 2],
        ["7 chars", () => 7],
        ["random 1-4", randomSizes(1, 4)],
        ["random 1-16", randomSizes(2, 16)],
        ["random 1-300", randomSizes(3, 300)],
        ["whole", () => raw.length + 1]
    ];
    for (const [name, size] of sizes) {
        const got = stream(raw, mode, size);
        assert.deepEqual(got.result, whole, `${label}: ${name} chunks, result`);
        assert.equal(got.thought, whole.reasoning, `${label}: ${name} chunks, thought shown`);
        assert.equal(got.answer, whole.answer, `${label}: ${name} chunks, answer shown`);
        // Equal results for every chunking already prove that no partial tag was emitted (it would have been
        // classified as text). Answer deltas never carry a closing tag.
        for (const d of got.deltas) {
            assert.ok(!d.answer.includes("</think>"), `${label}: ${name}: an answer delta holds </think>: ${JSON.stringify(d.answer)}`);
        }
    }
}

// ---- the real transcripts -------------------------------------------------------------------------

test("real R1 transcripts: the split matches the recorded reasoning and answer", { skip: transcriptsMissing }, () => {
    const transcripts = loadTranscripts();
    assert.ok(transcripts.length >= 5, "expected the transcript fixtures");
    for (const t of transcripts) {
        const got = t.raw === null
            ? splitApiMessage({ reasoning_content: t.reasoning, content: t.answer })
            : splitReasoning(t.raw);
        assert.equal(got.reasoning, t.reasoning, `${t.file}: reasoning`);
        assert.equal(got.answer, t.answer, `${t.file}: answer`);
        assert.equal(got.complete, true, `${t.file}: complete`);
        assert.equal(got.state, t.reasoning.trim() === "" ? "empty" : "ended", `${t.file}: state`);
        assert.ok(!got.answer.includes("<think>") && !got.answer.includes("</think>"), `${t.file}: tag in answer`);
    }
});

test("real R1 transcripts: the same split when the prompt forced <think> and the output has only </think>", { skip: transcriptsMissing }, () => {
    for (const t of loadTranscripts()) {
        if (t.raw === null) continue;
        const withoutOpener = t.raw.replace(/^\s*<think>/, "");
        assert.notEqual(withoutOpener, t.raw, `${t.file}: the recorded raw output starts with <think>`);
        for (const mode of ["startsInThought", "auto"] as const) {
            const got = splitReasoning(withoutOpener, { mode });
            assert.equal(got.reasoning, t.reasoning, `${t.file} (${mode}): reasoning`);
            assert.equal(got.answer, t.answer, `${t.file} (${mode}): answer`);
        }
    }
});

test("real R1 transcripts: streaming in random chunk sizes equals the whole-text split", { skip: transcriptsMissing }, () => {
    for (const t of loadTranscripts()) {
        if (t.raw === null) continue;
        assertStreamMatchesWhole(t.raw, "startsInThought", t.file);
        assertStreamMatchesWhole(t.raw, "auto", t.file);
        assertStreamMatchesWhole(t.raw.replace(/^<think>/, ""), "startsInThought", `${t.file} without opener`);
        // A normal output (one </think>) never takes back answer text it has shown.
        const shown = stream(t.raw, "startsInThought", randomSizes(9, 5));
        assert.equal(shown.retractions, 0, `${t.file}: retracted answer text`);
        assert.deepEqual(shown.states, t.reasoning.trim() === "" ? ["thinking", "empty"] : ["thinking", "ended"], `${t.file}: states`);
    }
});

test("DeepSeek API message (reasoning_content + content) from the real cassette", { skip: transcriptsMissing }, () => {
    const api = loadTranscripts().find((t) => t.raw === null);
    assert.ok(api, "a separate-fields transcript");
    const got = splitApiMessage({ reasoning_content: api.reasoning, content: api.answer });
    assert.deepEqual(got, { reasoning: api.reasoning, answer: api.answer, state: "ended", complete: true });
});

// ---- synthetic cases, one per edge seen in real output ------------------------------------------------

const FORCED_TEMPLATE = "Okay, so the user wants a function that checks whether a string is a palindrome. " +
    "Let me think.\n\nFirst, normalize the case. Then compare with the reversed string.\n</think>\n\n" +
    "Here is the function:\n\n```python\ndef is_palindrome(s: str) -> bool:\n    t = s.lower()\n    return t == t[::-1]\n```\n";

test("no opening <think> (the template put it in the prompt): text before </think> is reasoning", () => {
    const got = splitReasoning(FORCED_TEMPLATE, { mode: "startsInThought" });
    assert.equal(got.reasoning, FORCED_TEMPLATE.slice(0, FORCED_TEMPLATE.indexOf("</think>")));
    assert.ok(got.answer.startsWith("\n\nHere is the function:"));
    assert.equal(got.state, "ended");
    assert.equal(got.complete, true);
    // In auto mode the reasoning first streams as answer, then is taken back at </think>: same final split.
    assert.deepEqual(splitReasoning(FORCED_TEMPLATE, { mode: "auto" }), got);
    const shown = stream(FORCED_TEMPLATE, "auto", () => 10);
    assert.equal(shown.retractions, 1);
    assert.equal(shown.answer, got.answer);
    assert.equal(shown.thought, got.reasoning);
    // Told that the prompt forced the thought, it streams as thought from the first character.
    const forced = stream(FORCED_TEMPLATE, "startsInThought", () => 10);
    assert.equal(forced.retractions, 0);
    assert.equal(forced.deltas[0]!.thought, "Okay, so t");
    assert.equal(forced.deltas[0]!.answer, "");
});

test("a thought that never closes (max tokens): all reasoning, no answer, complete=false", () => {
    const raw = "<think>\nThe user wants to sort a list of tuples by the second item. I could use sorted() with a key.\n\nWait, they also";
    for (const mode of ["auto", "startsInThought"] as const) {
        const got = splitReasoning(raw, { mode });
        assert.equal(got.reasoning, raw.slice("<think>".length));
        assert.equal(got.answer, "");
        assert.equal(got.state, "unclosed");
        assert.equal(got.complete, false);
        assertStreamMatchesWhole(raw, mode, `unclosed ${mode}`);
    }
    const noTags = splitReasoning("The user wants to sort a list of tuples by", { mode: "startsInThought" });
    assert.deepEqual(noTags, { reasoning: "The user wants to sort a list of tuples by", answer: "", state: "unclosed", complete: false });
    const cutInTag = splitReasoning("<think>\nSo the answer is 4.\n</thi", { mode: "auto" });
    assert.equal(cutInTag.reasoning, "\nSo the answer is 4.\n</thi");
    assert.equal(cutInTag.complete, false);
});

test("empty thought <think>\\n\\n</think>: state empty, answer follows", () => {
    const raw = "<think>\n\n</think>\n\nHello! How can I help you today?";
    const got = splitReasoning(raw);
    assert.deepEqual(got, { reasoning: "\n\n", answer: "\n\nHello! How can I help you today?", state: "empty", complete: true });
    assertStreamMatchesWhole(raw, "auto", "empty thought");
    assert.equal(splitReasoning("</think>Hi", { mode: "startsInThought" }).state, "empty");
});

test("two </think> tags: the answer is after the last one, the text between is reasoning", () => {
    const raw = "<think>\nLet me compute 17 * 23. 17 * 20 = 340, 17 * 3 = 51, total 391.\n</think>\n\n" +
        "The answer is 391.\n\nWait, let me double-check: 391 / 17 = 23. Yes.\n</think>\n\n**Answer:** 17 × 23 = 391";
    const got = splitReasoning(raw);
    assert.equal(got.answer, "\n\n**Answer:** 17 × 23 = 391");
    assert.equal(got.reasoning, raw.slice("<think>".length, raw.lastIndexOf("</think>")));
    assert.ok(got.reasoning.includes("Wait, let me double-check"));
    assert.equal(got.state, "ended");
    assert.equal("<think>" + got.reasoning + "</think>" + got.answer, raw, "nothing lost or added");
    for (const mode of ["auto", "startsInThought"] as const) assertStreamMatchesWhole(raw, mode, `two closes ${mode}`);
    // Streaming shows the first answer, then takes it back when the second </think> arrives.
    const shown = stream(raw, "startsInThought", () => 5);
    assert.equal(shown.retractions, 1);
    const retraction = shown.deltas.find((d) => d.answerRetracted)!;
    assert.ok(retraction.thought.startsWith("</think>\n\nThe answer is 391.") || retraction.thought.includes("The answer is 391."));
    assert.deepEqual(shown.states, ["thinking", "ended"]);
});

test("whitespace around the tags is kept where it was generated", () => {
    const raw = " \n <think>  \nThink.\n  </think> \n\n  Answer.  \n";
    const got = splitReasoning(raw);
    assert.equal(got.reasoning, "  \nThink.\n  ");
    assert.equal(got.answer, " \n\n  Answer.  \n");
    assertStreamMatchesWhole(raw, "auto", "whitespace");
    assertStreamMatchesWhole(raw, "startsInThought", "whitespace");
});

test("Chinese reasoning (and characters outside the BMP) split and stream intact", () => {
    const raw = "<think>\n嗯，用户想要一个计算斐波那契数列的函数。我应该用迭代而不是递归，因为递归在 n 很大时会很慢。\n" +
        "让我想想边界情况：n 等于 0 时返回 0，n 等于 1 时返回 1。𠀋𩸽 这两个字不常见。\n</think>\n\n" +
        "下面是实现：\n\n```python\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n";
    const got = splitReasoning(raw);
    assert.ok(got.reasoning.includes("斐波那契"));
    assert.ok(got.answer.startsWith("\n\n下面是实现"));
    assertStreamMatchesWhole(raw, "auto", "chinese");
    // One UTF-16 unit at a time: no delta ends with half of a surrogate pair.
    const shown = stream(raw, "auto", () => 1);
    for (const d of shown.deltas) {
        for (const part of [d.thought, d.answer]) {
            if (!part) continue;
            const last = part.charCodeAt(part.length - 1);
            assert.ok(!(last >= 0xd800 && last <= 0xdbff), "a delta ends with a lone high surrogate");
        }
    }
});

test("a reply with no tags from a model that does not reason (auto): all answer, state noTemplate", () => {
    const raw = "Sure! Use `Array.prototype.flat()`:\n\n```js\nconst flat = nested.flat(Infinity);\n```\n";
    const got = splitReasoning(raw, { mode: "auto" });
    assert.deepEqual(got, { reasoning: "", answer: raw, state: "noTemplate", complete: true });
    const shown = stream(raw, "auto", () => 3);
    assert.equal(shown.retractions, 0);
    assert.deepEqual(shown.states, ["noTemplate"]);
    assert.equal(splitReasoning("", { mode: "auto" }).state, "none");
    assert.equal(splitReasoning("", { mode: "startsInThought" }).complete, false);
});

test("a partial tag is held back until the next chunk decides it", () => {
    const s = new ReasoningSplitter({ mode: "startsInThought" });
    const d1 = s.push("I think the answer is 42.</thi");
    assert.equal(d1.thought, "I think the answer is 42.");
    assert.equal(d1.state, "thinking");
    const d2 = s.push("nk>\n\n42");
    assert.equal(d2.thought, "");
    assert.equal(d2.answer, "\n\n42");
    assert.equal(d2.state, "ended");
    // A '<' that turns out not to be a tag is released.
    const t = new ReasoningSplitter({ mode: "startsInThought" });
    assert.equal(t.push("if a <").thought, "if a ");
    assert.equal(t.push(" b then").thought, "< b then");
    // The opening tag arriving in pieces.
    const o = new ReasoningSplitter({ mode: "auto" });
    assert.deepEqual([o.push("\n<th").thought, o.push("ink>").thought, o.push("\nHmm").thought], ["", "", "\nHmm"]);
    assert.equal(o.state, "thinking");
});

test("the thinking budget closes the thought; a later </think> from the model still wins", () => {
    const s = new ReasoningSplitter({ mode: "startsInThought" });
    s.push("Let me consider every possible approach in detail");
    const closed = s.closeThought();
    assert.equal(closed.state, "budget");
    const a = s.push("\n\nUse a hash map.");
    assert.equal(a.answer, "\n\nUse a hash map.");
    s.end();
    assert.deepEqual(s.result(), {
        reasoning: "Let me consider every possible approach in detail",
        answer: "\n\nUse a hash map.",
        state: "budget",
        complete: true
    });
    const t = new ReasoningSplitter({ mode: "startsInThought" });
    t.push("Thinking about it");
    t.closeThought();
    t.push(" some more.\n");
    const late = t.push("</think>\n\nFinal.");
    assert.equal(late.answerRetracted, true);
    t.end();
    assert.equal(t.result().reasoning, "Thinking about it some more.\n");
    assert.equal(t.result().answer, "\n\nFinal.");
    assert.equal(t.result().state, "ended");
});

test("a <think> inside the answer is answer text (and makes its blocks inapplicable later)", () => {
    const raw = "<think>\nok\n</think>\n\nR1 wraps its reasoning in `<think>` tags.";
    const got = splitReasoning(raw);
    assert.equal(got.answer, "\n\nR1 wraps its reasoning in `<think>` tags.");
    assertStreamMatchesWhole(raw, "auto", "literal think");
});

test("API message: reasoning_content null or absent means inline content; empty reasoning is 'empty'", () => {
    assert.deepEqual(splitApiMessage({ reasoning_content: null, content: "Hi" }),
        { reasoning: "", answer: "Hi", state: "noTemplate", complete: true });
    assert.deepEqual(splitApiMessage({ content: "<think>\nx\n</think>\n\nHi" }),
        { reasoning: "\nx\n", answer: "\n\nHi", state: "ended", complete: true });
    assert.deepEqual(splitApiMessage({ reasoning_content: "", content: "Hi" }),
        { reasoning: "", answer: "Hi", state: "empty", complete: true });
    // A reasoning_content that ends like a partial tag does not merge with the content.
    assert.deepEqual(splitApiMessage({ reasoning_content: "a </thi", content: "nk> b" }),
        { reasoning: "a </thi", answer: "nk> b", state: "ended", complete: true });
});

// ---- degenerate output: large and linear ---------------------------------------------------------

function degenerate(bytes: number, withClose: boolean): string {
    const loop = "Wait, but what if the list is empty? Then the function should return 0. Let me check again. ";
    let body = "<think>\nOkay, the user wants the sum of a list.\n";
    while (body.length < bytes) body += loop;
    return withClose ? `${body}\n</think>\n\n\`\`\`python\nsum(xs)\n\`\`\`` : body;
}

test("degenerate output of 48 KB and more splits correctly, in time linear in its length", { timeout: 60_000 }, () => {
    const small = degenerate(48 * 1024, false);
    assert.ok(small.length >= 48 * 1024);
    const got = splitReasoning(small);
    assert.equal(got.state, "unclosed");
    assert.equal(got.reasoning.length, small.length - "<think>".length);
    const closed = splitReasoning(degenerate(48 * 1024, true));
    assert.equal(closed.state, "ended");
    assert.equal(closed.answer, "\n\n```python\nsum(xs)\n```");
    assertStreamMatchesWhole(degenerate(48 * 1024, true), "startsInThought", "degenerate");

    // Linear, not quadratic: fed one character at a time, 768 KB of degenerate output takes under a second when the
    // splitter is linear and many minutes when it rescans what it holds on every push; the test's timeout (60 s) is
    // the guard. No timing is asserted: a busy machine changes durations 10x, never the outcome.
    const feedOneByOne = (text: string): SplitResult => {
        const s = new ReasoningSplitter();
        for (let i = 0; i < text.length; i++) s.push(text[i]!);
        s.end();
        return s.result();
    };
    const big = degenerate(16 * 48 * 1024, true);
    assert.equal(feedOneByOne(big).state, "ended");
    // Whitespace-only and tag-heavy degenerations (the splitter's worst paths) too.
    const spaces = " \n".repeat(8 * 48 * 1024);
    const closes = "</think>\n".repeat(32 * 1024);
    assert.equal(feedOneByOne(spaces).state, "noTemplate");
    assert.equal(feedOneByOne(closes).answer, "\n");
    assert.equal(splitReasoning(closes).answer, "\n");
    assert.equal(splitReasoning(big).state, "ended", "a 768 KB reply splits whole");
});
