// The loop watchdog on streamed text: a repeating sentence is caught whatever the chunking, ordinary text
// (also text with short repeats, like closing braces) is not.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TextRepetitionGuard } from "../../../../src/core/reply/textRepetitionGuard";

function feed(text: string, size: number): { repeated: string; at: number } | undefined {
    const guard = new TextRepetitionGuard();
    for (let i = 0; i < text.length; i += size) {
        const hit = guard.push(text.slice(i, i + size));
        if (hit) return { repeated: hit.repeated, at: i + size };
    }
    return undefined;
}

test("a repeated sentence is caught early, in any chunking", () => {
    const loop = "First, I read the question. " + "Wait, let me check the edge case again. ".repeat(60);
    for (const size of [1, 3, 8, 50, 400]) {
        const hit = feed(loop, size);
        assert.ok(hit, `${size}-char chunks`);
        assert.ok(`${hit.repeated}${hit.repeated}`.includes("Wait, let me check the edge case again."), hit.repeated);
        assert.ok(hit.at < loop.length / 2, `caught at ${hit.at} of ${loop.length}`);
    }
});

test("ordinary reasoning and code are not loops", () => {
    const prose = Array.from({ length: 80 }, (_, i) => `Step ${i}: the value ${i * 7} is checked against ${i + 3}. `).join("");
    const code = "}\n".repeat(30) + "function a() {\n  return 1;\n}\n".repeat(3);
    assert.equal(feed(prose, 5), undefined);
    assert.equal(feed(code, 4), undefined);
});
