// Server-sent events, parsed line by line as the HTML standard's event-stream rules say: lines end in CRLF, LF
// or CR (a CR at the end of one network chunk waits to see whether an LF follows); `:` lines are comments
// (keep-alives); `data:` lines of one event are joined with "\n"; a blank line dispatches the event. One
// addition for llama-server, which reports a failure inside a stream as an `error: {…}` line (a field the
// standard would ignore): that becomes an event named "error". Bytes are decoded as UTF-8 across chunk
// boundaries by the caller's TextDecoder (stream mode).

/** A line or event beyond the parser's limit: a server sending something that is not a token stream. */
export class SseLimitError extends Error {
    constructor(readonly limit: number) {
        super(`an event larger than ${Math.round(limit / (1024 * 1024))} MB`);
        this.name = "SseLimitError";
    }
}

export interface SseEvent {
    /** The `event:` field, "message" when absent, "error" for llama-server's `error:` lines. */
    event: string;
    data: string;
}

export class SseParser {
    private buffer = "";
    private data: string[] = [];
    private dataLength = 0;
    private eventName = "";
    /** Bytes of lines that are not SSE at all (an HTML page instead of a stream), for the error message. */
    private foreign = 0;
    /** Comments seen (keep-alives): the stream is alive even without events. */
    comments = 0;

    /** @param maxEventChars longest line or event accepted (model output is untrusted: memory stays bounded) */
    constructor(private readonly maxEventChars = 4 * 1024 * 1024) {}

    get foreignLines(): number {
        return this.foreign;
    }

    /** Feeds decoded text; returns the events it completed. */
    push(text: string): SseEvent[] {
        this.buffer += text;
        const events: SseEvent[] = [];
        let start = 0;
        for (let i = 0; i < this.buffer.length; i++) {
            const c = this.buffer.charCodeAt(i);
            if (c !== 10 && c !== 13) continue;
            if (c === 13 && i + 1 === this.buffer.length) break; // CR at the end: an LF may follow in the next chunk
            this.line(this.buffer.slice(start, i), events);
            if (c === 13 && this.buffer.charCodeAt(i + 1) === 10) i++;
            start = i + 1;
        }
        this.buffer = this.buffer.slice(start);
        if (this.buffer.length > this.maxEventChars) throw new SseLimitError(this.maxEventChars);
        return events;
    }

    /** The stream ended: a last event without its blank line is still delivered (servers that omit it). */
    end(): SseEvent[] {
        const events: SseEvent[] = [];
        if (this.buffer) this.line(this.buffer.replace(/\r$/, ""), events);
        this.buffer = "";
        this.dispatch(events);
        return events;
    }

    private line(line: string, events: SseEvent[]): void {
        if (line === "") {
            this.dispatch(events);
            return;
        }
        if (line.startsWith(":")) {
            this.comments++;
            return;
        }
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        switch (field) {
            case "data":
                this.data.push(value);
                this.dataLength += value.length + 1;
                if (this.dataLength > this.maxEventChars) throw new SseLimitError(this.maxEventChars);
                break;
            case "event":
                this.eventName = value;
                break;
            case "error":
                this.dispatch(events);
                events.push({ event: "error", data: value });
                break;
            case "id":
            case "retry":
                break;
            default:
                this.foreign += line.length;
        }
    }

    private dispatch(events: SseEvent[]): void {
        if (this.data.length > 0) events.push({ event: this.eventName || "message", data: this.data.join("\n") });
        this.data = [];
        this.dataLength = 0;
        this.eventName = "";
    }
}
