// `npm run ask -- --engine URL --model NAME --api-key-env VAR --json "prompt"` against the replay server: the
// same JSON fields as the local ask (reasoning, answer, stopReason, usage), the key from the environment only,
// and in none of the CLI's output, not even with --verbose; a failure is one clear line and exit code 1.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { repoRoot } from "../../fixtures/repoPaths";
import { ReplayServer } from "../../fixtures/remote/replayServer";
import { addFunctionReply } from "../../fixtures/remote/transcripts";

const run = promisify(execFile);
const ask = resolve(repoRoot(), "out/scripts/ask.js");
const key = "sk-askcli-5c0e8d2a7b9f41e3";
let server: ReplayServer;

before(async () => {
    server = await ReplayServer.start({ chat: [{ transcript: "deepseek-api" }] });
});

after(async () => {
    await server?.close();
});

test("--engine --json: reasoning, answer, stopReason and the server's usage; the key only in the request", async () => {
    const { stdout, stderr } = await run(process.execPath, [ask, "--engine", server.baseUrl, "--model", "deepseek-reasoner", "--api-key-env", "R1_TEST_KEY", "--json", "--verbose", "Write an add function."], {
        env: { ...process.env, R1_TEST_KEY: key }
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.reasoning, addFunctionReply.reasoning);
    assert.equal(out.answer, addFunctionReply.answer);
    assert.equal(out.stopReason, "eos");
    assert.deepEqual(out.usage, { promptTokens: 14, completionTokens: 82, reasoningTokens: 43 });
    assert.equal(out.model, "deepseek-reasoner");
    assert.equal(server.chatRequests.at(-1)?.headers.authorization, `Bearer ${key}`);
    assert.match(stderr, /remote: POST/, "--verbose shows the model process's log");
    assert.ok(!stdout.includes(key) && !stderr.includes(key), "the key is in no output");
});

test("a failure is one line on stderr and exit code 1; a missing key variable is a usage error", async () => {
    const gone = await ReplayServer.start();
    const url = gone.baseUrl;
    await gone.close();
    const refused = await run(process.execPath, [ask, "--engine", url, "--model", "m", "Hi"]).then(() => assert.fail("expected a failure"), (e: { code: number; stderr: string }) => e);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ask: Nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/);
    const noKey = await run(process.execPath, [ask, "--engine", server.baseUrl, "--model", "m", "--api-key-env", "R1_UNSET_TEST_KEY", "Hi"], { env: { ...process.env, R1_UNSET_TEST_KEY: "" } })
        .then(() => assert.fail("expected a failure"), (e: { code: number; stderr: string }) => e);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /R1_UNSET_TEST_KEY: that environment variable is not set/);
});
