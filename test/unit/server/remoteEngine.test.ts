// A remote engine through the real model process: every recorded stream (vLLM, SGLang, llama-server, Ollama, the
// DeepSeek API, inline tags, no tags, a thought never closed) played by the replay server gives the right split,
// streamed as the local engine streams; what the server receives follows DeepSeek's rules; r1/listRemoteModels.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ListRemoteModelsResult } from "../../../src/shared/lspProtocol";
import { ReplayServer } from "../../fixtures/remote/replayServer";
import { expectedSplits, transcripts, type TranscriptName } from "../../fixtures/remote/transcripts";
import { RemoteModelProcess, remoteParams, TEST_API_KEY } from "../support/remoteModelProcess";

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

const splitCases = Object.keys(expectedSplits) as TranscriptName[];

describe("every recorded engine stream gives the right split", () => {
    for (const name of splitCases) {
        test(`${name} (${transcripts[name].engine})`, async () => {
            const expected = expectedSplits[name]!;
            server.setChat([{ transcript: name }]);
            const r = await proc.run(remoteParams(server.baseUrl));
            assert.equal(r.result.reasoning, expected.reasoning, "reasoning");
            assert.equal(r.result.answer, expected.answer, "answer");
            assert.equal(r.result.thoughtState, expected.thoughtState, "thought state");
            assert.equal(r.result.stopReason, expected.stopReason, "stop reason");
            assert.deepEqual(r.result.stats.usage, expected.usage, "usage as the server reported it");
            // What streamed is what the result says.
            assert.equal(r.thought.trim(), r.result.reasoning, "streamed thought");
            assert.equal(r.answer.trimEnd(), r.result.answer, "streamed answer");
            assert.equal(r.progress.at(-1)?.thoughtState, expected.thoughtState, "the last progress has the final state");
            assert.equal(r.result.model, "deepseek-ai/DeepSeek-R1");
            assert.ok(!r.result.answer.includes("</think>") && !r.result.answer.includes("<think>"), "no tag in the answer");
        });
    }

    test("a reasoning field streams as thought first, then the answer; the totals are the server's", async () => {
        server.setChat([{ transcript: "sglang-reasoning-content" }]);
        const r = await proc.run(remoteParams(server.baseUrl));
        // A progress message carries its thought before its answer: no thought may follow the first answer text.
        const firstAnswer = r.progress.findIndex((p) => p.answer);
        assert.ok(firstAnswer >= 0 && r.progress.slice(0, firstAnswer + 1).some((p) => p.thought), "thought before the answer");
        assert.ok(r.progress.slice(firstAnswer + 1).every((p) => !p.thought), "no thought after the answer started");
        assert.ok(r.progress.every((p) => !p.answerRetracted), "nothing taken back");
        assert.equal(r.result.stats.thoughtTokens + r.result.stats.answerTokens, 85, "the totals are the server's usage");
        assert.equal(r.result.stats.promptTokens, 19);
        assert.ok((r.result.stats.ttftMs ?? -1) >= 0 && r.result.stats.thoughtMs !== undefined);
    });

    test("the DeepSeek API's reasoning_tokens and cached prompt tokens become the stats", async () => {
        server.setChat([{ transcript: "deepseek-api" }]);
        const r = await proc.run(remoteParams(server.baseUrl));
        assert.equal(r.result.stats.thoughtTokens, 43);
        assert.equal(r.result.stats.answerTokens, 82 - 43);
        assert.equal(r.result.stats.reusedPromptTokens, 0);
        assert.deepEqual(r.progress.at(-1)?.stats.usage, { promptTokens: 14, completionTokens: 82, reasoningTokens: 43 }, "usage reaches the client");
    });

    test("only </think> in the content: the text shown as answer is taken back into the thought", async () => {
        server.setChat([{ transcript: "llama-server-reasoning-none" }]);
        const r = await proc.run(remoteParams(server.baseUrl));
        assert.ok(r.progress.some((p) => p.answerRetracted), "retracted at </think>");
        assert.equal(r.answer.trimEnd(), r.result.answer, "the client's view after the retraction matches");
    });

    for (const writeSize of [1, 7, 64]) {
        test(`JSON objects and CRLF line ends split across TCP writes of ${writeSize} bytes`, async () => {
            for (const name of ["gateway-crlf-inline-think", "deepseek-api", "sglang-reasoning-content"] as const) {
                server.setChat([{ transcript: name, writeSize }]);
                const r = await proc.run(remoteParams(server.baseUrl));
                assert.equal(r.result.reasoning, expectedSplits[name]!.reasoning, `${name}: reasoning`);
                assert.equal(r.result.answer, expectedSplits[name]!.answer, `${name}: answer`);
            }
        });
    }
});

describe("what the server receives", () => {
    test("DeepSeek's rules: no system message, earlier answers only, sampling and max_tokens from the settings, usage asked for", async () => {
        server.setChat([{ transcript: "vllm-0.8-reasoning-content" }]);
        const before = server.chatRequests.length;
        await proc.run(remoteParams(server.baseUrl, {
            sampling: { temperature: 0.6, topP: 0.95, maxTokens: 3000, seed: 7 },
            turns: [
                { role: "user", text: "What is 2 + 2?" },
                { role: "assistant", text: "Okay, simple sum.\n</think>\n\n4" },
                { role: "user", text: "And 3 + 3?" },
                { role: "user", text: "Answer briefly." }
            ]
        }));
        const request = server.chatRequests[before]!;
        assert.equal(request.method, "POST");
        assert.equal(request.path, "/v1/chat/completions");
        assert.equal(request.headers.authorization, `Bearer ${TEST_API_KEY}`, "the key travels in the header");
        assert.equal(request.headers.accept, "text/event-stream");
        const body = request.json as Record<string, unknown>;
        assert.deepEqual(body.messages, [
            { role: "user", content: "What is 2 + 2?" },
            { role: "assistant", content: "4" },
            { role: "user", content: "And 3 + 3?\n\nAnswer briefly." }
        ], "no system message, no earlier reasoning, roles alternate");
        assert.equal(body.model, "deepseek-ai/DeepSeek-R1");
        assert.equal(body.stream, true);
        assert.deepEqual(body.stream_options, { include_usage: true });
        assert.equal(body.max_tokens, 3000);
        assert.equal(body.temperature, 0.6);
        assert.equal(body.top_p, 0.95);
        assert.equal(body.seed, 7);
        assert.ok(!JSON.stringify(body).includes("reasoning_content"), "no reasoning field is ever sent");
    });

    test("without an API key there is no Authorization header", async () => {
        server.setChat([{ transcript: "ollama-reasoning" }]);
        const before = server.chatRequests.length;
        await proc.run(remoteParams(server.baseUrl, { engine: { apiKey: undefined } }));
        assert.equal(server.chatRequests[before]!.headers.authorization, undefined);
    });

    test("a remote request loads no local model and does not queue behind it", async () => {
        server.setChat([{ transcript: "vllm-0.8-reasoning-content" }]);
        await proc.run(remoteParams(server.baseUrl));
        const status = await proc.client.status();
        assert.equal(status.model, undefined, "no local model loaded");
        assert.equal(status.state, "idle");
    });
});

describe("r1/listRemoteModels", () => {
    const list = (baseUrl: string): Promise<ListRemoteModelsResult> => proc.client.listRemoteModels({ engine: { baseUrl, apiKey: TEST_API_KEY } });

    test("lists the server's model ids", async () => {
        const models = await ReplayServer.start({ models: ["deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-Zero"] });
        try {
            assert.deepEqual(await list(models.baseUrl), { models: ["deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-Zero"] });
            assert.equal(models.requests[0]?.path, "/v1/models");
            assert.equal(models.requests[0]?.headers.authorization, `Bearer ${TEST_API_KEY}`);
        } finally {
            await models.close();
        }
    });

    test("a server without the route: routeMissing, so the user types the name", async () => {
        const missing = await ReplayServer.start({ models: "missing" });
        try {
            assert.deepEqual(await list(missing.baseUrl), { models: [], routeMissing: true });
        } finally {
            await missing.close();
        }
    });
});
