// Every way a remote engine can fail, through the real model process: before any output the request fails with
// its own error code and a clear message; after output arrived the partial reply is kept, marked with a
// `streamInterrupted` notice. The API key appears in no log line and no message.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ErrorCodes } from "../../../src/shared/lspProtocol";
import { errorAnswers } from "../../fixtures/remote/errorAnswers";
import { ReplayServer, selfSignedCertPath, type ReplayResponse } from "../../fixtures/remote/replayServer";
import { addFunctionReply, readTranscript } from "../../fixtures/remote/transcripts";
import { RemoteModelProcess, remoteParams, TEST_API_KEY, type Streamed } from "../support/remoteModelProcess";
import type { RemoteEngineSpec } from "../../../src/shared/lspProtocol";

let proc: RemoteModelProcess;
let server: ReplayServer;
/** Every error message the tests saw, for the key check at the end. */
const messages: string[] = [];

before(async () => {
    proc = await RemoteModelProcess.start();
    server = await ReplayServer.start();
});

after(async () => {
    await proc?.stop();
    await server?.close();
});

async function failure(chat: ReplayResponse[] | undefined, engine: Partial<RemoteEngineSpec> = {}, baseUrl = server.baseUrl): Promise<{ code: number; message: string }> {
    if (chat) server.setChat(chat);
    try {
        const r = await proc.run(remoteParams(baseUrl, { engine }));
        assert.fail(`expected a failure, got ${r.result.stopReason}: ${JSON.stringify(r.result.notices)}`);
    } catch (e) {
        const { code, message } = e as { code: number; message: string };
        if (typeof code !== "number") throw e;
        messages.push(message);
        return { code, message };
    }
}

async function interrupted(chat: ReplayResponse[], engine: Partial<RemoteEngineSpec> = {}): Promise<Streamed & { notice: string }> {
    server.setChat(chat);
    const r = await proc.run(remoteParams(server.baseUrl, { engine }));
    assert.equal(r.result.stopReason, "error");
    const n = r.result.notices.find((x) => x.kind === "streamInterrupted");
    assert.ok(n && n.kind === "streamInterrupted", JSON.stringify(r.result.notices));
    assert.ok(r.progress.some((p) => p.notices?.some((x) => x.kind === "streamInterrupted")), "the notice streamed");
    messages.push(n.message);
    return { ...r, notice: n.message };
}

describe("no answer from the network", () => {
    test("connection refused", async () => {
        const gone = await ReplayServer.start();
        const url = gone.baseUrl;
        await gone.close();
        const f = await failure(undefined, {}, url);
        assert.equal(f.code, ErrorCodes.remoteUnreachable);
        assert.match(f.message, /connection refused/);
        assert.ok(f.message.includes(new URL(url).host), f.message);
    });

    test("DNS failure", async () => {
        const f = await failure(undefined, {}, "http://r1-replay.invalid:8000/v1");
        assert.equal(f.code, ErrorCodes.remoteUnreachable);
        assert.match(f.message, /Cannot find the host r1-replay\.invalid \(DNS lookup failed\)/);
    });

    test("a self-signed certificate: said so, with the setting that trusts it; with that CA file it works", async () => {
        const tls = await ReplayServer.start({ tls: true, chat: [{ transcript: "deepseek-api" }] });
        try {
            const f = await failure(undefined, {}, tls.baseUrl);
            assert.equal(f.code, ErrorCodes.remoteUnreachable);
            assert.match(f.message, /uses a self-signed certificate/);
            assert.match(f.message, /r1\.remote\.caFile/);
            const r = await proc.run(remoteParams(tls.baseUrl, { engine: { caFile: selfSignedCertPath() } }));
            assert.equal(r.result.answer, addFunctionReply.answer);
        } finally {
            await tls.close();
        }
    });

    test("a CA file that cannot be read", async () => {
        const f = await failure([{ transcript: "deepseek-api" }], { caFile: "/nonexistent/r1-ca.pem" });
        assert.equal(f.code, ErrorCodes.remoteUnreachable);
        assert.match(f.message, /r1\.remote\.caFile cannot be read \(\/nonexistent\/r1-ca\.pem: no such file\)/);
    });

    test("no first byte within the timeout: 'no response', and the request is closed", async () => {
        const before = server.chatRequests.length;
        const f = await failure([{ silent: true }], { firstByteTimeoutMs: 300 });
        assert.equal(f.code, ErrorCodes.remoteUnreachable);
        assert.match(f.message, /No response from 127\.0\.0\.1:\d+ within 0\.3 s\. .*r1\.remote\.firstByteTimeoutSeconds/);
        await server.chatRequests[before]!.closedEarly;
    });

    test("the connection breaks before any output", async () => {
        const f = await failure([{ transcript: "vllm-0.8-reasoning-content", stopAfter: { bytes: 40, how: "cut" } }]);
        assert.equal(f.code, ErrorCodes.remoteUnreachable);
        assert.match(f.message, /broke before any output arrived/);
    });
});

describe("HTTP errors", () => {
    test("401: the key was refused, and no part of it is quoted", async () => {
        const f = await failure([errorAnswers.unauthorized]);
        assert.equal(f.code, ErrorCodes.remoteAuth);
        assert.match(f.message, /refused the API key \(HTTP 401 Unauthorized\)/);
        assert.ok(!f.message.includes("cret"), "the server's masked echo of the key is not repeated");
    });

    test("403", async () => {
        const f = await failure([errorAnswers.forbidden]);
        assert.equal(f.code, ErrorCodes.remoteAuth);
        assert.match(f.message, /HTTP 403/);
    });

    test("404 for the model, and 404 for the route", async () => {
        const model = await failure([errorAnswers.modelNotFound], { model: "deepseek-r1" });
        assert.equal(model.code, ErrorCodes.remoteNotFound);
        assert.match(model.message, /does not serve a model named "deepseek-r1"/);
        const route = await failure([{ status: 404, headers: { "content-type": "text/plain" }, body: "404 page not found" }]);
        assert.equal(route.code, ErrorCodes.remoteNotFound);
        assert.match(route.message, /\/v1\/chat\/completions does not exist .*Check the base URL/);
    });

    test("context too long: how long, as vLLM and llama-server say it; 413 too", async () => {
        const vllm = await failure([errorAnswers.contextTooLongVllm]);
        assert.equal(vllm.code, ErrorCodes.remoteContextTooLong);
        assert.match(vllm.message, /needs 40,960 tokens \(24,576 in the conversation, 16,384 kept for the reply\), but the model's context holds 32,768/);
        const llama = await failure([errorAnswers.contextTooLongLlama]);
        assert.equal(llama.code, ErrorCodes.remoteContextTooLong);
        assert.match(llama.message, /9,123 tokens, but the server's context holds 8,192/);
        const big = await failure([errorAnswers.payloadTooLarge]);
        assert.equal(big.code, ErrorCodes.remoteContextTooLong);
        assert.match(big.message, /larger than 127\.0\.0\.1:\d+ accepts \(HTTP 413/);
    });

    test("429 with Retry-After: one automatic retry after the stated time, announced while waiting", async () => {
        const before = server.chatRequests.length;
        server.setChat([errorAnswers.rateLimited, { transcript: "vllm-0.8-reasoning-content" }]);
        const running = proc.start(remoteParams(server.baseUrl));
        const waiting = await running.progressWhere((p) => p.notices?.some((n) => n.kind === "info" && /trying again in 1 s/.test(n.message)) ?? false);
        assert.ok(waiting, "the wait is shown");
        const r = await running.done;
        assert.equal(server.chatRequests.length - before, 2, "asked exactly twice");
        assert.equal(r.result.answer, addFunctionReply.answer);
    });

    test("429 again after the retry, or without Retry-After: rate-limited error", async () => {
        const before = server.chatRequests.length;
        const twice = await failure([{ ...errorAnswers.rateLimited, headers: { ...errorAnswers.rateLimited.headers, "retry-after": "0" } }]);
        assert.equal(twice.code, ErrorCodes.remoteRateLimited);
        assert.equal(server.chatRequests.length - before, 2, "one retry only");
        const none = await failure([errorAnswers.rateLimitedNoRetryAfter]);
        assert.equal(none.code, ErrorCodes.remoteRateLimited);
        assert.equal(server.chatRequests.length - before, 3, "no retry without Retry-After");
        assert.match(none.message, /is limiting requests \(HTTP 429/);
    });

    test("5xx: the server's own words, from JSON or an HTML page", async () => {
        const e500 = await failure([errorAnswers.serverError]);
        assert.equal(e500.code, ErrorCodes.remoteServer);
        assert.match(e500.message, /failed \(HTTP 500 Internal Server Error\): Engine loop has died/);
        const e502 = await failure([errorAnswers.badGateway]);
        assert.equal(e502.code, ErrorCodes.remoteServer);
        assert.match(e502.message, /HTTP 502 Bad Gateway\): 502 Bad Gateway/);
    });

    test("a key the server echoes in an error body is redacted", async () => {
        const f = await failure([{ status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { message: `bad header Authorization: Bearer ${TEST_API_KEY}` } }) }]);
        assert.ok(!f.message.includes(TEST_API_KEY), f.message);
        assert.match(f.message, /‹redacted›/);
    });
});

describe("malformed answers", () => {
    test("a web page instead of a stream", async () => {
        const f = await failure([errorAnswers.htmlInsteadOfStream]);
        assert.equal(f.code, ErrorCodes.remoteProtocol);
        assert.match(f.message, /web page instead of a chat stream/);
    });

    test("invalid JSON before any output", async () => {
        const f = await failure([{ headers: { "content-type": "text/event-stream" }, body: 'data: {"id":"x","choices":[{"delta":{"content":"Hel\n\n' }]);
        assert.equal(f.code, ErrorCodes.remoteProtocol);
        assert.match(f.message, /not valid JSON/);
    });

    test("a stream that ends before any output", async () => {
        const f = await failure([{ headers: { "content-type": "text/event-stream" }, body: ": keep-alive\n\n" }]);
        assert.equal(f.code, ErrorCodes.remoteProtocol);
        assert.match(f.message, /ended the stream before any output arrived/);
    });
});

describe("failures after output arrived: the partial reply is kept and marked", () => {
    const partialOf = (r: Streamed): void => {
        assert.ok(r.result.reasoning.length > 10, "some reasoning arrived");
        assert.ok(addFunctionReply.reasoning.startsWith(r.result.reasoning), "and it is the beginning of the thought");
        assert.equal(r.thought.trim(), r.result.reasoning, "the client saw it too");
    };

    test("the connection breaks mid-stream", async () => {
        const r = await interrupted([{ transcript: "vllm-0.8-reasoning-content", stopAfter: { bytes: 5000, how: "cut" } }]);
        partialOf(r);
        assert.match(r.notice, /The connection to 127\.0\.0\.1:\d+ broke in the middle of the reply/);
    });

    test("the stream goes silent mid-way", async () => {
        const r = await interrupted([{ transcript: "vllm-0.8-reasoning-content", stopAfter: { bytes: 5000, how: "hang" } }], { firstByteTimeoutMs: 300 });
        partialOf(r);
        assert.match(r.notice, /sent nothing for 0\.3 s in the middle of the reply/);
    });

    test("the stream ends without finishing", async () => {
        const events = readTranscript("sglang-reasoning-content").toString("utf8").split("\n\n").slice(0, 20).join("\n\n") + "\n\n";
        const r = await interrupted([{ headers: { "content-type": "text/event-stream" }, body: events }]);
        partialOf(r);
        assert.match(r.notice, /ended the stream before the reply was finished/);
    });

    test("vLLM's error event inside the stream", async () => {
        const r = await interrupted([{ transcript: "vllm-error-mid-stream" }]);
        partialOf(r);
        assert.match(r.notice, /reported an error in the middle of the reply: Engine loop has died/);
    });

    test("llama-server's error: line inside the stream", async () => {
        const events = readTranscript("llama-server-reasoning-deepseek").toString("utf8").split("\n\n").slice(0, 12).join("\n\n");
        const body = `${events}\n\nerror: {"error":{"code":500,"message":"slot unavailable","type":"server_error"}}\n\n`;
        const r = await interrupted([{ headers: { "content-type": "text/event-stream" }, body }]);
        partialOf(r);
        assert.match(r.notice, /reported an error: slot unavailable/);
    });

    test("malformed JSON after output", async () => {
        const r = await interrupted([{ transcript: "malformed-json" }]);
        partialOf(r);
        assert.match(r.notice, /not valid JSON \("….*retur/);
    });

    test("the DeepSeek API running out of resources", async () => {
        const events = readTranscript("deepseek-api").toString("utf8").split("\n\n").slice(0, 15).join("\n\n");
        const last = { id: "x", object: "chat.completion.chunk", created: 1, model: "deepseek-reasoner", choices: [{ index: 0, delta: { content: "", reasoning_content: null }, logprobs: null, finish_reason: "insufficient_system_resource" }] };
        const r = await interrupted([{ headers: { "content-type": "text/event-stream" }, body: `${events}\n\ndata: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n` }]);
        partialOf(r);
        assert.match(r.notice, /ran out of resources/);
    });
});

test("the API key is in no log line of the model process and in no message", () => {
    assert.ok(proc.log.some((line) => line.startsWith("remote: POST")), "the model process did log the requests");
    assert.ok(messages.length > 20, `${messages.length} messages checked`);
    for (const text of [...proc.log, ...messages]) {
        assert.ok(!text.includes(TEST_API_KEY), `the key leaked: ${text}`);
        assert.ok(!text.includes(TEST_API_KEY.slice(3, 20)), `part of the key leaked: ${text}`);
    }
});
