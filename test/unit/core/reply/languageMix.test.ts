import assert from "node:assert/strict";
import { test } from "node:test";
import { LanguageMixDetector } from "../../../../src/core/reply/languageMix";

const english = "Okay, so the user wants a function that adds two numbers. Let me think about the types first, then the edge cases like overflow and NaN. ";

test("an English thought that continues in Chinese is reported once", () => {
    const d = new LanguageMixDetector();
    assert.equal(d.push(english.repeat(2)), undefined);
    const hit = d.push("嗯，我需要检查这个函数的类型是否正确，然后考虑边界情况，比如溢出和非数字的输入。");
    assert.deepEqual(hit, { from: "Latin", to: "Han" });
    assert.equal(d.push("再看一下这个问题。".repeat(10)), undefined, "reported only once");
});

test("code identifiers and a few CJK characters inside English do not trigger it", () => {
    const d = new LanguageMixDetector();
    const text = english + "The string '你好' is a greeting; the test prints it. " + english.repeat(3);
    let hit;
    for (const ch of text) hit ??= d.push(ch);
    assert.equal(hit, undefined);
});

test("a thought that is Chinese from the start is not a switch", () => {
    const d = new LanguageMixDetector();
    assert.equal(d.push("首先，我需要理解用户的问题。这个函数应该返回两个数的和，还要考虑类型。".repeat(6)), undefined);
});
