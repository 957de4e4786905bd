import assert from "node:assert/strict";
import { test } from "node:test";
import { RepetitionGuard } from "../../../../src/core/reply/repetitionGuard";

function feed(guard: RepetitionGuard, tokens: number[]): ReturnType<RepetitionGuard["push"]> {
    for (let i = 0; i < tokens.length; i++) {
        const hit = guard.push([tokens[i]!]);
        if (hit) return { ...hit, span: i + 1 };
    }
    return undefined;
}

test("a 5-token unit repeated back to back is caught, with its unit", () => {
    const unit = [11, 12, 13, 14, 15];
    const tokens = [1, 2, 3, ...Array.from({ length: 40 }, () => unit).flat()];
    const hit = feed(new RepetitionGuard(), tokens);
    assert.ok(hit, "loop detected");
    assert.equal(hit.period, 5);
    assert.deepEqual([...hit.unit].sort(), [...unit].sort());
    // Detected soon after the repetition covers minRepeatTokens (96) beyond the first unit, not at the end.
    assert.ok(hit.span <= 3 + 5 + 96 + 5, `detected at token ${hit.span}`);
});

test("a long 200-token paragraph repeated 4 times is caught; 3 times is not", () => {
    const para = Array.from({ length: 200 }, (_, i) => 1000 + i);
    assert.equal(feed(new RepetitionGuard(), [...para, ...para, ...para]), undefined);
    const hit = feed(new RepetitionGuard(), [...para, ...para, ...para, ...para]);
    assert.equal(hit?.period, 200);
});

test("ordinary varied text and short legit repeats are not flagged", () => {
    // Closing braces and repeated short lines, as in real code, then varied tokens.
    const code = [5, 9, 5, 9, 5, 9, 5, 9, 7, 7, 7, 7];
    let seed = 7;
    const varied = Array.from({ length: 5000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3000);
    assert.equal(feed(new RepetitionGuard(), [...code, ...varied, ...code]), undefined);
});

test("a cycle longer than maxPeriod is not a loop for the guard", () => {
    const cycle = Array.from({ length: 300 }, (_, i) => i);
    const tokens = Array.from({ length: 5 }, () => cycle).flat();
    assert.equal(feed(new RepetitionGuard({ maxPeriod: 256 }), tokens), undefined);
});

test("memory stays bounded over a long stream", () => {
    const guard = new RepetitionGuard();
    let seed = 1;
    for (let i = 0; i < 50_000; i++) guard.push([(seed = (seed * 48271) % 2147483647) % 50_000]);
    // 8 * maxPeriod is the most it keeps.
    assert.ok((guard as unknown as { history: number[] }).history.length <= 8 * 256);
});
