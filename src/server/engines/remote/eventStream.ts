// The body of a chat-completion response as a sequence of events: an SSE stream parsed as it arrives (UTF-8
// decoded across network chunks), or, from a server that ignored "stream": true, its one JSON completion as a
// single event. `onBytes` is told of every network chunk (keep-alive comments included), which is what the
// silence timer of remoteRun watches. Leaving the loop early releases the body (the connection closes).
import { ErrorCodes } from "../../../shared/lspProtocol";
import { RemoteError } from "./remoteErrors";
import { SseParser, type SseEvent } from "./sseParser";

export const DONE = "[DONE]";

export interface EventStreamInfo {
    /** Lines that were not SSE at all (a web page instead of a stream). */
    foreignLines: number;
}

export async function* responseEvents(response: Response, host: string, onBytes: () => void, info: EventStreamInfo): AsyncGenerator<SseEvent> {
    const type = (response.headers.get("content-type") ?? "").toLowerCase();
    if (type.includes("text/html")) {
        throw new RemoteError(ErrorCodes.remoteProtocol, `${host} answered with a web page instead of a chat stream. Check the base URL: for most servers it ends in /v1.`);
    }
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    try {
        if (type.includes("application/json")) {
            let text = "";
            for (let r = await reader.read(); !r.done; r = await reader.read()) {
                onBytes();
                text += decoder.decode(r.value, { stream: true });
            }
            text += decoder.decode();
            yield { event: "message", data: text };
            yield { event: "message", data: DONE };
            return;
        }
        const parser = new SseParser();
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
            onBytes();
            for (const event of parser.push(decoder.decode(r.value, { stream: true }))) yield event;
            info.foreignLines = parser.foreignLines;
        }
        for (const event of parser.push(decoder.decode())) yield event;
        for (const event of parser.end()) yield event;
        info.foreignLines = parser.foreignLines;
    } finally {
        reader.cancel().catch(() => undefined);
    }
}
