// Writes small GGUF headers for tests: magic, version, counts and key/values (u32, string, string
// array), followed by random bytes standing in for tensor data. Not a loadable model (no tensors): enough
// for the model-file check and the downloader (the fixtures helper writes real generated models).
import { randomBytes } from "node:crypto";

type Value = { u32: number } | { str: string } | { strArray: string[] } | { f32: number };

function u32(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
}
function u64(n: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
}
function str(s: string): Buffer {
    const bytes = Buffer.from(s, "utf8");
    return Buffer.concat([u64(bytes.length), bytes]);
}

export function ggufHeader(kv: Record<string, Value>, options: { version?: number; tensorCount?: number } = {}): Buffer {
    const parts: Buffer[] = [Buffer.from("GGUF", "latin1"), u32(options.version ?? 3), u64(options.tensorCount ?? 0), u64(Object.keys(kv).length)];
    for (const [key, value] of Object.entries(kv)) {
        parts.push(str(key));
        if ("u32" in value) parts.push(u32(4), u32(value.u32));
        else if ("f32" in value) {
            const b = Buffer.alloc(4);
            b.writeFloatLE(value.f32);
            parts.push(u32(6), b);
        } else if ("str" in value) parts.push(u32(8), str(value.str));
        else {
            parts.push(u32(9), u32(8), u64(value.strArray.length));
            for (const item of value.strArray) parts.push(str(item));
        }
    }
    return Buffer.concat(parts);
}

/**
 * A GGUF header for `architecture`, with the hyperparameters the model-file check requires, followed by
 * `dataBytes` random bytes. `extra` adds keys or replaces them.
 */
export function fakeModel(architecture: string, dataBytes: number, extra: Record<string, Value> = {}): Buffer {
    const header = ggufHeader({
        "general.architecture": { str: architecture },
        "general.name": { str: `test ${architecture}` },
        [`${architecture}.context_length`]: { u32: 131072 },
        [`${architecture}.block_count`]: { u32: 2 },
        [`${architecture}.embedding_length`]: { u32: 64 },
        [`${architecture}.feed_forward_length`]: { u32: 128 },
        [`${architecture}.attention.head_count`]: { u32: 4 },
        "tokenizer.ggml.tokens": { strArray: ["<｜begin▁of▁sentence｜>", "a", "b", "<think>", "</think>"] },
        ...extra
    });
    return Buffer.concat([header, randomBytes(dataBytes)]);
}
