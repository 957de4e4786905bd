// Checks a message from the chat webview against the protocol (shared/webviewProtocol.ts) before the host acts on
// it. The webview draws model output, so the host treats what it posts as untrusted: a message of an unknown type,
// with a missing, extra or mistyped field, or with a string far longer than the view ever sends, is rejected with
// the reason (the host logs it and does nothing).
import type { WebviewToHost } from "../../shared/webviewProtocol";

export type WebviewMessageCheck = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

type FieldKind = "id" | "text" | "path" | "url" | "query" | "lang" | "index" | "action";

/** Longest string each kind of field may be (characters). The prompt and a code block may be long; ids never. */
const maxLength: Record<Exclude<FieldKind, "index" | "action">, number> = {
    id: 200,
    text: 20_000_000,
    path: 4096,
    url: 8192,
    query: 1000,
    lang: 100
};

/** The fields of every message type (besides `type`), from webviewProtocol.ts. */
const shapes: Record<WebviewToHost["type"], Record<string, FieldKind>> = {
    ready: {},
    send: { text: "text" },
    stop: {},
    regenerate: { id: "id" },
    newChat: {},
    openChat: { id: "id" },
    showHistory: {},
    attach: {},
    removeContext: { id: "id" },
    queryFiles: { requestId: "index", query: "query" },
    addFile: { path: "path" },
    selectModel: {},
    codeAction: { id: "id", action: "action", blockIndex: "index", lang: "lang", code: "text" },
    openLink: { url: "url" }
};

const codeActions = new Set(["copy", "insert", "apply"]);

function fieldProblem(name: string, kind: FieldKind, value: unknown): string | undefined {
    if (kind === "index") {
        return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? undefined : `${name} is not a non-negative integer`;
    }
    if (typeof value !== "string") return `${name} is ${value === null ? "null" : typeof value}, not a string`;
    if (kind === "action") return codeActions.has(value) ? undefined : `${name} "${value.slice(0, 40)}" is not copy, insert or apply`;
    if (value.length > maxLength[kind]) return `${name} has ${value.length} characters (at most ${maxLength[kind]})`;
    return undefined;
}

export function checkWebviewMessage(value: unknown): WebviewMessageCheck {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { ok: false, reason: `not an object (${Array.isArray(value) ? "array" : value === null ? "null" : typeof value})` };
    }
    const record = value as Record<string, unknown>;
    const type = record.type;
    if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(shapes, type)) {
        return { ok: false, reason: `unknown message type ${JSON.stringify(typeof type === "string" ? type.slice(0, 60) : type ?? null)}` };
    }
    const shape = shapes[type as WebviewToHost["type"]];
    for (const key of Object.keys(record)) {
        if (key !== "type" && !Object.prototype.hasOwnProperty.call(shape, key)) return { ok: false, reason: `"${type}" has an unexpected field "${key.slice(0, 60)}"` };
    }
    for (const [name, kind] of Object.entries(shape)) {
        if (!Object.prototype.hasOwnProperty.call(record, name)) return { ok: false, reason: `"${type}" lacks its field "${name}"` };
        const problem = fieldProblem(name, kind, record[name]);
        if (problem) return { ok: false, reason: `"${type}": ${problem}` };
    }
    return { ok: true, message: record as unknown as WebviewToHost };
}
