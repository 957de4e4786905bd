// When the answer predictor drafts (src/server/answerPredictor.ts, DraftPacing). Driven as node-llama-cpp drives a
// token predictor: a draft is asked for, the tokens the model produced are pushed one step at a time, then the next
// draft is asked for.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Token } from "node-llama-cpp" with { "resolution-mode": "import" };
import { DRAFT_MAX_BACKOFF_STEPS, DRAFT_MAX_TOKENS, DraftPacing } from "../../../src/server/answerPredictor";

const tokens = (...n: number[]): Token[] => n as Token[];
const run = (from: number, length: number): Token[] => tokens(...Array.from({ length }, (_, i) => from + i));

test("a copying answer: every step drafts, each draft as long as the maximum", () => {
    const p = new DraftPacing();
    for (let step = 0, next = 0; step < 6; step++) {
        assert.equal(p.shouldDraft(), true, `step ${step}`);
        const draft = p.drafted(run(next, 64));
        assert.equal(draft.length, DRAFT_MAX_TOKENS);
        // Three accepted, then the model went elsewhere: partly accepted drafts never pause drafting.
        p.pushed(draft.slice(0, 3));
        p.pushed(tokens(1000 + step));
        next += 64;
    }
});

test("prose: drafts refused at their first token pause drafting for 1, 2, 4 … steps, at most the maximum", () => {
    const p = new DraftPacing();
    const pauses: number[] = [];
    for (let round = 0; round < 7; round++) {
        assert.equal(p.shouldDraft(), true);
        p.drafted(run(100, 8));
        p.pushed(tokens(7)); // refused at once: the model said 7
        let skipped = 0;
        while (!p.shouldDraft()) {
            p.pushed(tokens(7));
            skipped++;
        }
        pauses.push(skipped);
        p.drafted([]); // the pause is over; the lookup has nothing at this step (the next round drafts)
    }
    assert.deepEqual(pauses, [1, 2, 4, 8, 16, DRAFT_MAX_BACKOFF_STEPS, DRAFT_MAX_BACKOFF_STEPS]);
});

test("a draft whose first token is accepted ends the pause; reset starts over", () => {
    const p = new DraftPacing();
    for (let i = 0; i < 3; i++) {
        while (!p.shouldDraft()) p.pushed(tokens(50));
        p.drafted(run(0, 8));
        p.pushed(tokens(50)); // refused
    }
    while (!p.shouldDraft()) p.pushed(tokens(50));
    p.drafted(run(60, 8));
    p.pushed(tokens(60, 99)); // first token accepted
    assert.equal(p.shouldDraft(), true, "no pause after an accepted draft");
    p.drafted(run(0, 8));
    p.pushed(tokens(5)); // refused: the pause starts again at one step
    assert.equal(p.shouldDraft(), false);
    assert.equal(p.shouldDraft(), true);
    p.drafted(run(0, 8));
    p.pushed(tokens(5));
    p.reset();
    assert.equal(p.shouldDraft(), true, "a new generation drafts at once");
});
