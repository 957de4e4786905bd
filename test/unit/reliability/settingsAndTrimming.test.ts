// Bad input that is not the model's: settings of the wrong type or out of range fall back to their default with a
// sentence that says so (and the rules are package.json's), and Explain Code on more code than the context holds
// (a 5 MB selection) quotes only its first lines and says so.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { contextCharBudget } from "../../../src/core/chat/chatPrompt";
import { planExplain } from "../../../src/core/fix/codePrompts";
import { type NumberSettingKey, numberRules, readNumberSetting } from "../../../src/core/settings/numberSettings";
import { repoRoot } from "../../fixtures/repoPaths";

test("Hostile: the numeric settings' defaults and bounds are package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { contributes: { configuration: { properties: Record<string, { type: string; default: number; minimum?: number; maximum?: number }> } } };
    const props = pkg.contributes.configuration.properties;
    const numeric = Object.keys(props).filter((k) => props[k]!.type === "number" || props[k]!.type === "integer").map((k) => k.slice(3)).sort();
    assert.deepEqual(Object.keys(numberRules).sort(), numeric, "every numeric setting has a rule");
    for (const key of numeric as NumberSettingKey[]) {
        const p = props[`r1.${key}`]!;
        const rule = numberRules[key] as { default: number; min: number; max?: number; integer: boolean };
        assert.deepEqual([rule.default, rule.min, rule.max, rule.integer], [p.default, p.minimum, p.maximum, p.type === "integer"], key);
    }
});

test("Hostile: wrong types and out-of-range values fall back to the default with a clear sentence", () => {
    const cases: Array<[NumberSettingKey, unknown, number, string | undefined]> = [
        ["contextSize", "big", 8192, 'r1.contextSize is "big", not a whole number: using 8192.'],
        ["contextSize", -5, 8192, "r1.contextSize is -5, below its minimum 512: using 8192."],
        ["contextSize", 1e9, 8192, "r1.contextSize is 1000000000, above its maximum 131072: using 8192."],
        ["contextSize", 4096.5, 8192, "r1.contextSize is 4096.5, not a whole number: using 8192."],
        ["threads", 9999, 0, "r1.threads is 9999, above its maximum 256: using 0."],
        ["temperature", "hot", 0.6, 'r1.temperature is "hot", not a number: using 0.6.'],
        ["topP", { a: 1 }, 0.95, 'r1.topP is {"a":1}, not a number: using 0.95.'],
        ["maxTokens", [1], 16384, "r1.maxTokens is [1], not a whole number: using 16384."],
        ["thinkingBudget", true, 4096, "r1.thinkingBudget is true, not a whole number: using 4096."],
        ["contextSize", 16384, 16384, undefined],
        ["temperature", 0, 0, undefined],
        ["threads", undefined, 0, undefined],
        ["thinkingBudget", 0, 0, undefined]
    ];
    for (const [key, value, expected, problem] of cases) {
        const r = readNumberSetting(key, value);
        assert.equal(r.value, expected, `${key} = ${JSON.stringify(value)}`);
        assert.equal(r.problem, problem, `${key} = ${JSON.stringify(value)}`);
    }
});

test("Hostile: Explain Code on a 5 MB selection quotes only what fits and says what was left out", () => {
    const line = "    total = total + prices[i] * quantities[i]; // a line of a very long generated file";
    const lines = Array.from({ length: Math.ceil(5_000_000 / (line.length + 1)) }, (_, i) => `${line} ${i}`);
    const documentText = `${lines.join("\n")}\n`;
    assert.ok(documentText.length > 5_000_000);
    const maxChars = contextCharBudget(8192, 1024);
    const plan = planExplain({ filePath: "src/huge.ts", languageId: "typescript", documentText, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, maxChars });
    assert.ok(plan.prompt.length < maxChars + 1000, `the prompt has ${plan.prompt.length} characters (budget ${maxChars})`);
    assert.match(plan.trimmed ?? "", new RegExp(`^The code has ${lines.length} lines \\(\\d+ characters\\): only its first \\d+ lines \\(\\d+ characters\\) went to R1`));
    assert.match(plan.prompt, /too long to quote whole: here are the first \d+ of \d+ lines/);
    // One enormous line (minified code) is cut inside the line.
    const one = "x".repeat(5_000_000);
    const single = planExplain({ filePath: "a.min.js", languageId: "javascript", documentText: one, range: { start: { line: 0, character: 0 }, end: { line: 0, character: one.length } }, maxChars });
    assert.ok(single.prompt.length < maxChars + 1000, `${single.prompt.length}`);
    assert.ok(single.trimmed);
    // Code that fits is quoted whole, with no notice.
    const small = planExplain({ filePath: "a.ts", languageId: "typescript", documentText: "const a = 1;\n", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } }, maxChars });
    assert.equal(small.trimmed, undefined);
});
