// The SSE parser on the recorded engine streams and on the edge cases of the event-stream format: any line
// ending (a CR at the end of one network chunk, its LF in the next), comments, multi-line data, llama-server's
// `error:` lines, a last event without its blank line. Fed in any byte chunking (UTF-8 split mid-character),
// the events are those of the whole body.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SseLimitError, SseParser, type SseEvent } from "../../../src/server/engines/remote/sseParser";
import { readTranscript, transcripts, type TranscriptName } from "../../fixtures/remote/transcripts";

function parseBytes(body: Buffer, size: number): SseEvent[] {
    const parser = new SseParser();
    const decoder = new TextDecoder("utf-8");
    const events: SseEvent[] = [];
    for (let i = 0; i < body.length; i += size) events.push(...parser.push(decoder.decode(body.subarray(i, i + size), { stream: true })));
    events.push(...parser.push(decoder.decode()), ...parser.end());
    return events;
}

test("every recorded stream gives the same events in any chunking", () => {
    for (const name of Object.keys(transcripts) as TranscriptName[]) {
        const body = readTranscript(name);
        const whole = parseBytes(body, body.length);
        assert.ok(whole.length > 3, `${name}: events`);
        for (const size of [1, 2, 3, 5, 64, 1000]) assert.deepEqual(parseBytes(body, size), whole, `${name} in ${size}-byte chunks`);
        if (name !== "malformed-json" && name !== "vllm-error-mid-stream") {
            assert.equal(whole.at(-1)?.data, "[DONE]", `${name}: ends with [DONE]`);
            for (const e of whole.slice(0, -1)) assert.doesNotThrow(() => JSON.parse(e.data), `${name}: ${e.data}`);
        }
    }
});

test("CRLF, CR and LF line endings give the same events; a CR at a chunk's end waits for its LF", () => {
    const lf = "data: a\n\n: keep-alive\n\ndata: b\ndata: c\n\n";
    const expected = [{ event: "message", data: "a" }, { event: "message", data: "b\nc" }];
    for (const text of [lf, lf.replace(/\n/g, "\r\n"), lf.replace(/\n/g, "\r")]) {
        assert.deepEqual(parseBytes(Buffer.from(text), 1), expected, JSON.stringify(text));
    }
    const parser = new SseParser();
    assert.deepEqual(parser.push("data: x\r"), []);
    assert.deepEqual(parser.push("\n\r\n"), [{ event: "message", data: "x" }], "CR LF across chunks is one line end");
    assert.equal(new SseParser().comments, 0);
});

test("fields: event names, a space after the colon is optional, id and retry are ignored, other lines are counted as foreign", () => {
    const parser = new SseParser();
    const events = parser.push("id: 7\nretry: 100\nevent: ping\ndata:{}\n\n<html>\n\n");
    assert.deepEqual(events, [{ event: "ping", data: "{}" }]);
    assert.equal(parser.foreignLines, "<html>".length);
});

test("llama-server's error: line becomes an error event", () => {
    const events = new SseParser().push('data: {"a":1}\n\nerror: {"error":{"code":500,"message":"boom"}}\n\n');
    assert.deepEqual(events, [{ event: "message", data: '{"a":1}' }, { event: "error", data: '{"error":{"code":500,"message":"boom"}}' }]);
});

test("a last event without its blank line is still delivered at the end", () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push("data: [DONE]"), []);
    assert.deepEqual(parser.end(), [{ event: "message", data: "[DONE]" }]);
});

test("a line or an event beyond the limit is refused: memory stays bounded whatever the server sends", () => {
    assert.throws(() => new SseParser(100).push("data: " + "x".repeat(200)), SseLimitError);
    const parser = new SseParser(100);
    assert.throws(() => {
        for (let i = 0; i < 20; i++) parser.push("data: 0123456789\n");
    }, SseLimitError);
    assert.deepEqual(new SseParser(100).push(`data: ${"y".repeat(80)}\n\n`), [{ event: "message", data: "y".repeat(80) }]);
});
