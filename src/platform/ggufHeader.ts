// A small reader for the GGUF header (magic, version, counts and the metadata key/values), used to reject
// files that are not models, or models of an architecture we cannot run, with a clear message before
// the model process tries to load them (a malformed file can abort llama.cpp outright).
//
// Layout (little-endian): "GGUF", u32 version, u64 tensor count, u64 key/value count, then key/values:
// string key (u64 length + UTF-8), u32 value type, value. Arrays: u32 element type, u64 count, elements.
import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";

const enum ValueType {
    UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
    STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12
}
const FIXED_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

export type GgufScalar = number | bigint | boolean | string;
/** Arrays are not kept, only their element type and length. */
export interface GgufArrayInfo { arrayOf: number; length: number }
export type GgufValue = GgufScalar | GgufArrayInfo;

export interface GgufHeader {
    version: number;
    tensorCount: number;
    metadataCount: number;
    /** general.architecture, e.g. "qwen2", "llama" ("" when missing). */
    architecture: string;
    /** general.name when present. */
    name?: string;
    /** split.no / split.count for split files (0-based split.no as llama.cpp writes it). */
    split?: { index: number; count: number };
    metadata: Map<string, GgufValue>;
}

export type GgufProblem = "not-gguf" | "html" | "archive" | "empty" | "truncated" | "big-endian" | "unsupported-version" |
    "unsupported-architecture" | "not-first-split" | "corrupt";

export class GgufError extends Error {
    constructor(readonly problem: GgufProblem, readonly file: string, message: string) {
        super(message);
        this.name = "GgufError";
    }
}

/** Architectures the extension runs locally: the R1 distills (qwen2, llama) and R1 itself (deepseek2). */
export const SUPPORTED_ARCHITECTURES: readonly string[] = ["qwen2", "llama", "deepseek2"];

const MAX_STRING = 64 * 1024 * 1024;

class Reader {
    private buf = Buffer.alloc(0);
    private start = 0; // file offset of buf[0]
    private pos = 0; // offset in buf
    constructor(private readonly fh: FileHandle, private readonly file: string, readonly fileSize: number) {}

    get offset(): number {
        return this.start + this.pos;
    }

    private async ensure(n: number): Promise<void> {
        if (this.pos + n <= this.buf.length) return;
        if (this.offset + n > this.fileSize) {
            throw new GgufError("truncated", this.file, `${basename(this.file)} ends inside its GGUF header (${this.fileSize} bytes): the file is incomplete. Delete it and download it again.`);
        }
        const keep = this.buf.subarray(this.pos);
        const want = Math.max(n, 1024 * 1024);
        const next = Buffer.alloc(keep.length + want);
        keep.copy(next);
        const { bytesRead } = await this.fh.read(next, keep.length, want, this.offset + keep.length);
        this.start = this.offset;
        this.buf = next.subarray(0, keep.length + bytesRead);
        this.pos = 0;
        if (this.buf.length < n) {
            throw new GgufError("truncated", this.file, `${basename(this.file)} ends inside its GGUF header: the file is incomplete. Delete it and download it again.`);
        }
    }
    async bytes(n: number): Promise<Buffer> {
        await this.ensure(n);
        const b = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return b;
    }
    async u32(): Promise<number> {
        return (await this.bytes(4)).readUInt32LE(0);
    }
    async u64(): Promise<bigint> {
        return (await this.bytes(8)).readBigUInt64LE(0);
    }
    async count(what: string): Promise<number> {
        const v = await this.u64();
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError("corrupt", this.file, `${basename(this.file)}: impossible ${what} (${v}); the file is damaged.`);
        return Number(v);
    }
    async string(): Promise<string> {
        const len = await this.count("string length");
        if (len > MAX_STRING || this.offset + len > this.fileSize) {
            throw new GgufError("corrupt", this.file, `${basename(this.file)}: a metadata string claims ${len} bytes; the header is damaged.`);
        }
        return (await this.bytes(len)).toString("utf8");
    }
    async skip(n: number): Promise<void> {
        if (this.offset + n > this.fileSize) await this.ensure(n); // throws "truncated"
        if (this.pos + n <= this.buf.length) {
            this.pos += n;
            return;
        }
        const target = this.offset + n;
        this.buf = Buffer.alloc(0);
        this.start = target;
        this.pos = 0;
    }
}

async function readValue(r: Reader, type: number, file: string): Promise<GgufValue> {
    switch (type) {
        case ValueType.UINT8: return (await r.bytes(1)).readUInt8(0);
        case ValueType.INT8: return (await r.bytes(1)).readInt8(0);
        case ValueType.UINT16: return (await r.bytes(2)).readUInt16LE(0);
        case ValueType.INT16: return (await r.bytes(2)).readInt16LE(0);
        case ValueType.UINT32: return (await r.bytes(4)).readUInt32LE(0);
        case ValueType.INT32: return (await r.bytes(4)).readInt32LE(0);
        case ValueType.FLOAT32: return (await r.bytes(4)).readFloatLE(0);
        case ValueType.BOOL: return (await r.bytes(1)).readUInt8(0) !== 0;
        case ValueType.STRING: return r.string();
        case ValueType.UINT64: return (await r.bytes(8)).readBigUInt64LE(0);
        case ValueType.INT64: return (await r.bytes(8)).readBigInt64LE(0);
        case ValueType.FLOAT64: return (await r.bytes(8)).readDoubleLE(0);
        case ValueType.ARRAY: {
            const arrayOf = await r.u32();
            const length = await r.count("array length");
            if (arrayOf === ValueType.STRING) {
                for (let i = 0; i < length; i++) await r.skip(await r.count("string length"));
            } else if (FIXED_SIZE[arrayOf] !== undefined) {
                await r.skip(length * FIXED_SIZE[arrayOf]);
            } else {
                throw new GgufError("corrupt", file, `${basename(file)}: metadata array of unknown type ${arrayOf}; the header is damaged.`);
            }
            return { arrayOf, length };
        }
        default:
            throw new GgufError("corrupt", file, `${basename(file)}: metadata value of unknown type ${type}; the header is damaged or from a newer GGUF version.`);
    }
}

function describeNonGguf(head: Buffer, file: string): GgufError {
    const name = basename(file);
    const text = head.toString("latin1").trimStart().toLowerCase();
    if (text.startsWith("<!doctype") || text.startsWith("<html") || text.startsWith("<?xml") || text.startsWith("{")) {
        return new GgufError("html", file, `${name} is a web page or an error response, not a GGUF model: the download went wrong (a login page or an error from the server). Delete it and download the model again.`);
    }
    if (text.startsWith("version https://git-lfs")) {
        return new GgufError("not-gguf", file, `${name} is a Git LFS pointer, not the model: it was cloned without LFS. Download the file itself (the "resolve" URL), not the git repository.`);
    }
    if (head[0] === 0x50 && head[1] === 0x4b) {
        return new GgufError("archive", file, `${name} is a zip archive, not a GGUF model. Unpack it, or choose a .gguf file.`);
    }
    return new GgufError("not-gguf", file, `${name} is not a GGUF model (it does not start with "GGUF"). Choose a .gguf file, for example one from R1: Select Model.`);
}

/** Reads the GGUF header of a local file. Throws GgufError with a message a user can act on. */
export async function readGgufHeader(file: string): Promise<GgufHeader> {
    const fh = await open(file, "r");
    try {
        const size = (await fh.stat()).size;
        if (size === 0) throw new GgufError("empty", file, `${basename(file)} is empty (0 bytes). Delete it and download the model again.`);
        const head = Buffer.alloc(Math.min(size, 64));
        await fh.read(head, 0, head.length, 0);
        if (head.length < 4 || head.toString("latin1", 0, 4) !== "GGUF") {
            if (head.length >= 4 && head.toString("latin1", 0, 4) === "FUGG") {
                throw new GgufError("big-endian", file, `${basename(file)} is a big-endian GGUF; llama.cpp on this machine needs the little-endian file.`);
            }
            throw describeNonGguf(head, file);
        }
        const r = new Reader(fh, file, size);
        await r.skip(4);
        const version = await r.u32();
        if (version > 0xffff && (version >>> 24) > 0) {
            throw new GgufError("big-endian", file, `${basename(file)} is a big-endian GGUF; llama.cpp on this machine needs the little-endian file.`);
        }
        if (version < 2 || version > 3) {
            throw new GgufError("unsupported-version", file, `${basename(file)} is GGUF version ${version}; only versions 2 and 3 are supported. ${version < 2 ? "Download a newer conversion of the model." : "Update the extension."}`);
        }
        const tensorCount = await r.count("tensor count");
        const metadataCount = await r.count("metadata count");
        const metadata = new Map<string, GgufValue>();
        for (let i = 0; i < metadataCount; i++) {
            const key = await r.string();
            const type = await r.u32();
            metadata.set(key, await readValue(r, type, file));
        }
        const arch = metadata.get("general.architecture");
        const name = metadata.get("general.name");
        const splitNo = metadata.get("split.no");
        const splitCount = metadata.get("split.count");
        const header: GgufHeader = {
            version,
            tensorCount,
            metadataCount,
            architecture: typeof arch === "string" ? arch : "",
            metadata
        };
        if (typeof name === "string") header.name = name;
        if (typeof splitNo === "number" && typeof splitCount === "number") header.split = { index: splitNo, count: splitCount };
        return header;
    } finally {
        await fh.close();
    }
}

export interface GgufCheckOptions {
    /** Default SUPPORTED_ARCHITECTURES. */
    supportedArchitectures?: readonly string[];
}

/**
 * Checks that a local file is a GGUF model this extension can load: right magic and version, a known
 * architecture, and (for split models) the first part. Returns the header; throws GgufError otherwise.
 */
export async function checkGgufFile(file: string, options: GgufCheckOptions = {}): Promise<GgufHeader> {
    const header = await readGgufHeader(file);
    const supported = options.supportedArchitectures ?? SUPPORTED_ARCHITECTURES;
    if (header.split && header.split.index !== 0) {
        throw new GgufError("not-first-split", file,
            `${basename(file)} is part ${header.split.index + 1} of ${header.split.count} of a split model. Choose the first part (…-00001-of-${String(header.split.count).padStart(5, "0")}.gguf); the other parts must sit next to it.`);
    }
    if (header.architecture === "") {
        throw new GgufError("corrupt", file, `${basename(file)} has no general.architecture in its header, so llama.cpp cannot load it. Download the model again or choose another file.`);
    }
    if (!supported.includes(header.architecture)) {
        throw new GgufError("unsupported-architecture", file,
            `${basename(file)} is a "${header.architecture}" model; R1 Reasoner runs ${supported.join(", ")} models (the DeepSeek-R1 distills). Choose a DeepSeek-R1-Distill GGUF, for example with R1: Select Model.`);
    }
    return header;
}
