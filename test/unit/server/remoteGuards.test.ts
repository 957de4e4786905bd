// Stop, budgets and guards on a remote stream, through the real model process: Stop closes the HTTP connection
// at once (the replay server sees its socket closed while it still had more to send), the thinking budget and
// the loop watchdog stop the stream the same way, the language-mix notice works on remote thoughts, and a proxy
// (CONNECT tunnel) carries the request when one is set.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ReplayServer, selfSignedCertPath } from "../../fixtures/remote/replayServer";
import { addFunctionReply, readTranscript } from "../../fixtures/remote/transcripts";
import { RemoteModelProcess, remoteParams } from "../support/remoteModelProcess";
import { startProxy } from "../support/testServers";

let proc: RemoteModelProcess;
let server: ReplayServer;

before(async () => {
    proc = await RemoteModelProcess.start();
    server = await ReplayServer.start();
});

after(async () => {
    await proc?.stop();
    await server?.close();
});

/** Bytes of a transcript minus its last `tail` bytes: the server then holds the stream open, unfinished. */
const allBut = (name: "long-thought" | "loop-thought" | "vllm-0.8-reasoning-content", tail: number): number => readTranscript(name).length - tail;

describe("Stop", () => {
    test("Stop in the middle of the thought closes the connection at once and keeps the partial thought", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ transcript: "vllm-0.8-reasoning-content", stopAfter: { bytes: 6000, how: "hang" } }]);
        const running = proc.start(remoteParams(server.baseUrl));
        const thinking = await running.progressWhere((p) => p.thoughtState === "thinking" && p.stats.thoughtTokens > 0);
        assert.ok(thinking.stats.ttftMs !== undefined, "live stats while thinking");
        running.handle.cancel();
        // The server never finishes this response: only the client closing the socket ends it.
        await server.chatRequests[index]!.closedEarly;
        const r = await running.done;
        assert.equal(r.result.stopReason, "abort");
        assert.equal(r.result.thoughtState, "unclosed");
        assert.ok(r.result.reasoning.length > 10 && addFunctionReply.reasoning.startsWith(r.result.reasoning), r.result.reasoning);
        assert.equal(r.result.answer, "");
        assert.ok(!r.result.notices.some((n) => n.kind === "streamInterrupted"), "a stop is not an interruption");
    });

    test("Stop before the first byte closes the connection too", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ silent: true }]);
        const running = proc.start(remoteParams(server.baseUrl));
        await server.waitForChatRequests(index + 1);
        running.handle.cancel();
        await server.chatRequests[index]!.closedEarly;
        const r = await running.done;
        assert.equal(r.result.stopReason, "abort");
        assert.equal(r.result.reasoning + r.result.answer, "");
    });
});

describe("budgets and guards", () => {
    test("the thinking budget stops the stream: thought kept, state budget, no answer, the user is told", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ transcript: "long-thought", stopAfter: { bytes: allBut("long-thought", 2000), how: "hang" } }]);
        const r = await proc.run(remoteParams(server.baseUrl, { sampling: { thoughtBudget: 50 } }));
        await server.chatRequests[index]!.closedEarly;
        assert.equal(r.result.thoughtState, "budget");
        assert.equal(r.result.stopReason, "maxTokens");
        assert.equal(r.result.answer, "");
        assert.ok(r.result.stats.thoughtTokens >= 50 && r.result.stats.thoughtTokens <= 53, `${r.result.stats.thoughtTokens} thought tokens`);
        assert.match(r.result.reasoning, /^Step 1: I check the next case/);
        assert.ok(r.result.notices.some((n) => n.kind === "budgetHit" && n.budget === 50));
        assert.ok(r.result.notices.some((n) => n.kind === "info" && /thinking budget \(50 tokens\) was spent/.test(n.message)));
        assert.equal(r.progress.at(-1)?.thoughtState, "budget");
    });

    test("a server that streams its usage with every chunk: the budget counts the server's tokens", async () => {
        // vLLM with stream_options.continuous_usage_stats: each chunk carries the usage so far (3 tokens per chunk here).
        const chunk = (i: number, text: string): string => `data: ${JSON.stringify({
            id: "chatcmpl-u", object: "chat.completion.chunk", created: 1745913000, model: "deepseek-ai/DeepSeek-R1",
            choices: [{ index: 0, delta: { reasoning_content: text }, logprobs: null, finish_reason: null }],
            usage: { prompt_tokens: 21, total_tokens: 21 + 3 * (i + 1), completion_tokens: 3 * (i + 1) }
        })}\n\n`;
        const body = Array.from({ length: 40 }, (_, i) => chunk(i, ` word${i}`)).join("");
        server.setChat([{ headers: { "content-type": "text/event-stream; charset=utf-8" }, body }]);
        const r = await proc.run(remoteParams(server.baseUrl, { sampling: { thoughtBudget: 12 } }));
        assert.equal(r.result.thoughtState, "budget");
        assert.equal(r.result.reasoning, "word0 word1 word2 word3", "stopped at the 4th chunk: 12 of the server's tokens");
    });

    test("a budget the thought stays under changes nothing", async () => {
        server.setChat([{ transcript: "vllm-0.8-reasoning-content" }]);
        const r = await proc.run(remoteParams(server.baseUrl, { sampling: { thoughtBudget: 4096 } }));
        assert.equal(r.result.thoughtState, "ended");
        assert.equal(r.result.answer, addFunctionReply.answer);
    });

    test("the loop watchdog stops a looping thought and says what repeated", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ transcript: "loop-thought", stopAfter: { bytes: allBut("loop-thought", 2000), how: "hang" } }]);
        const r = await proc.run(remoteParams(server.baseUrl));
        await server.chatRequests[index]!.closedEarly;
        assert.equal(r.result.stopReason, "loop");
        const loop = r.result.notices.find((n) => n.kind === "loopStopped");
        // The repeating unit as the watchdog caught it: the sentence, possibly starting mid-way.
        assert.ok(loop && loop.kind === "loopStopped" && `${loop.repeated} ${loop.repeated}`.includes("Let me reconsider the problem from the start."), JSON.stringify(loop));
        assert.ok(r.result.stats.thoughtTokens < 200, `stopped early (${r.result.stats.thoughtTokens} tokens)`);
        assert.ok(r.progress.some((p) => p.notices?.some((n) => n.kind === "loopStopped")), "the notice streamed");
    });

    test("a server that ignores max_tokens is stopped well past it", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ transcript: "long-thought", stopAfter: { bytes: allBut("long-thought", 2000), how: "hang" } }]);
        const r = await proc.run(remoteParams(server.baseUrl, { sampling: { maxTokens: 30 } }));
        await server.chatRequests[index]!.closedEarly;
        assert.equal(r.result.stopReason, "maxTokens");
        assert.equal(r.result.thoughtState, "unclosed");
        assert.ok(r.result.notices.some((n) => n.kind === "info" && /past the reply's limit of 30 tokens/.test(n.message)), JSON.stringify(r.result.notices));
    });

    test("a thought that switches from English to Chinese raises the language notice", async () => {
        server.setChat([{ transcript: "language-mix-thought" }]);
        const r = await proc.run(remoteParams(server.baseUrl));
        assert.deepEqual(r.result.notices.find((n) => n.kind === "languageSwitch"), { kind: "languageSwitch", from: "Latin", to: "Han" });
        assert.equal(r.result.answer, "Done.");
    });

    test("sampling outside DeepSeek's recommendation is sent as set, with the same warning as locally", async () => {
        const index = server.chatRequests.length;
        server.setChat([{ transcript: "vllm-0.8-reasoning-content" }]);
        const r = await proc.run(remoteParams(server.baseUrl, { sampling: { temperature: 1.2 } }));
        assert.equal((server.chatRequests[index]!.json as { temperature: number }).temperature, 1.2);
        assert.ok(r.result.notices.some((n) => n.kind === "samplingOutsideRecommendation" && /0\.5–0\.7/.test(n.message)));
    });
});

describe("proxy", () => {
    test("an http engine through the proxy (CONNECT tunnel)", async () => {
        const proxy = await startProxy();
        try {
            server.setChat([{ transcript: "ollama-reasoning" }]);
            const r = await proc.run(remoteParams(server.baseUrl, { engine: { proxy: proxy.url } }));
            assert.equal(r.result.answer, addFunctionReply.answer);
            assert.deepEqual(proxy.connects, [`127.0.0.1:${server.port}`]);
        } finally {
            await proxy.close();
        }
    });

    test("an https engine with its CA file through a proxy with credentials", async () => {
        const proxy = await startProxy({ credentials: "user:pa ss" });
        const tls = await ReplayServer.start({ tls: true, chat: [{ transcript: "deepseek-api" }] });
        try {
            const url = new URL(proxy.url);
            url.username = "user";
            url.password = "pa ss";
            const r = await proc.run(remoteParams(tls.baseUrl, { engine: { proxy: url.href, caFile: selfSignedCertPath() } }));
            assert.equal(r.result.answer, addFunctionReply.answer);
            assert.deepEqual(proxy.connects, [`127.0.0.1:${tls.port}`]);
            assert.ok(!proc.log.some((line) => line.includes("pa%20ss") || line.includes("pa ss")), "the proxy password is not logged");
        } finally {
            await tls.close();
            await proxy.close();
        }
    });
});
