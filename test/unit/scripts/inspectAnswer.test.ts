import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractAnswerBlocks } from "../../../src/core/answer/answerBlocks";
import { splitReasoning } from "../../../src/core/reply/reasoningSplit";
import { loadTranscripts, repoRoot, transcriptsDir, transcriptsMissing } from "../support/transcriptFixtures";

const CLI = join(repoRoot, "out/scripts/inspectAnswer.js");

interface CliOutput {
    reasoning: string;
    answer: string;
    complete: boolean;
    state?: string;
    blocks: { lang: string; code: string; applicable: boolean; kind?: string; reason?: string; fileHint?: string }[];
}

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runJson(args: string[], input?: string): CliOutput {
    const r = run(args, input);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1, "one JSON object on one line");
    return JSON.parse(lines[0]!) as CliOutput;
}

const RAW = "Okay, the user wants to fix the off-by-one error in the loop.\n\nThe range should start at 0.\n</think>\n\n" +
    "Start the range at 0:\n\n```python\nfor i in range(0, len(xs)):\n    total += xs[i]\n```\n\nRun it with:\n\n```bash\npython sum.py\n```\n";

function tempDir(): { dir: string; done: () => void } {
    const dir = mkdtempSync(join(tmpdir(), "inspect-answer-"));
    return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test("CLI on a raw-output file: one JSON object from the product's own split and block extraction", () => {
    const { dir, done } = tempDir();
    try {
        const file = join(dir, "output.txt");
        writeFileSync(file, RAW);
        const out = runJson([file]);
        const split = splitReasoning(RAW);
        assert.deepEqual(Object.keys(out), ["reasoning", "answer", "complete", "blocks"]);
        assert.equal(out.reasoning, split.reasoning);
        assert.equal(out.answer, split.answer);
        assert.equal(out.complete, true);
        assert.deepEqual(out.blocks, [
            { lang: "python", code: "for i in range(0, len(xs)):\n    total += xs[i]", applicable: true },
            { lang: "bash", code: "python sum.py", applicable: false }
        ]);
        assert.deepEqual(out.blocks, extractAnswerBlocks(split.answer, { reasoning: split.reasoning }).map((b) => ({ lang: b.lang, code: b.code, applicable: b.applicable })));
        const verbose = runJson([file, "--verbose"]);
        assert.equal(verbose.state, "ended");
        assert.equal(verbose.blocks[1]!.kind, "shell");
        assert.ok(verbose.blocks[1]!.reason);
    } finally {
        done();
    }
});

test("CLI reads stdin with '-': raw text, API message JSON and truncated output", () => {
    const out = runJson(["-"], RAW);
    assert.equal(out.reasoning, splitReasoning(RAW).reasoning);
    const api = runJson(["-"], JSON.stringify({ role: "assistant", reasoning_content: "Think about it.", content: "```ts\nlet a = 1;\n```" }));
    assert.deepEqual(api, { reasoning: "Think about it.", answer: "```ts\nlet a = 1;\n```", complete: true, blocks: [{ lang: "ts", code: "let a = 1;", applicable: true }] });
    const response = runJson(["-"], JSON.stringify({ choices: [{ message: { reasoning_content: "R", content: "A" } }] }));
    assert.deepEqual([response.reasoning, response.answer], ["R", "A"]);
    const truncated = runJson(["-"], "<think>\nStill thinking about the");
    assert.deepEqual(truncated, { reasoning: "\nStill thinking about the", answer: "", complete: false, blocks: [] });
    const forced = runJson(["-", "--mode", "startsInThought"], "Still thinking about the");
    assert.equal(forced.complete, false);
    const plain = runJson(["-"], "Still thinking about the");
    assert.deepEqual([plain.answer, plain.complete], ["Still thinking about the", true]);
});

test("CLI: clear errors for a missing file, a directory, bad options", () => {
    const missing = run(["/nonexistent/dir/output.txt"]);
    assert.equal(missing.status, 1);
    assert.equal(missing.stdout, "");
    assert.match(missing.stderr, /cannot read \/nonexistent\/dir\/output\.txt: no such file/);
    const { dir, done } = tempDir();
    try {
        const isDir = run([dir]);
        assert.equal(isDir.status, 1);
        assert.match(isDir.stderr, /it is a directory/);
        const noRaw = join(dir, "x.json");
        writeFileSync(noRaw, JSON.stringify({ raw: 42 }));
        const bad = run([noRaw]);
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /"raw" field is not a string/);
    } finally {
        done();
    }
    assert.equal(run([]).status, 2);
    assert.equal(run(["a", "b"]).status, 2);
    assert.equal(run(["-", "--mode", "sometimes"], "x").status, 2);
    assert.equal(run(["-", "--nope"], "x").status, 2);
});

test("CLI on every real transcript fixture file matches the expected split and blocks", { skip: transcriptsMissing }, () => {
    for (const t of loadTranscripts()) {
        const out = runJson([join(transcriptsDir, t.file)]);
        assert.equal(out.reasoning, t.reasoning, `${t.file}: reasoning`);
        assert.equal(out.answer, t.answer, `${t.file}: answer`);
        assert.equal(out.complete, true, t.file);
        assert.deepEqual(out.blocks.map((b) => ({ lang: b.lang, code: b.code })), t.expected_code_blocks, `${t.file}: blocks`);
        for (const b of out.blocks) {
            assert.equal(b.applicable, b.lang !== "plaintext", `${t.file}: ${b.lang} applicable`);
            assert.ok(!/<\/?think>/.test(b.code));
        }
    }
});
