// The one check of a model file, before llama.cpp sees it: r1/checkModelFile answers with it (the extension
// runs it when the user picks a file) and every load runs it first. A malformed GGUF can abort the whole
// process inside llama.cpp (GGML_ASSERT), so everything that can be told from the file's first bytes and its
// header is checked here, with a message that names the file and the fix: what a file that is not a GGUF is
// (a web page, a Git LFS pointer, a zip), the GGUF version and byte order, a header cut short, a later part
// of a split model or missing parts, the architecture, the hyperparameters llama.cpp asserts on, and tensor
// data cut short (with the percentage present). node-llama-cpp's readGgufFileInfo reads the header.
import { open, readdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { ErrorCodes, type CheckModelFileResult, type ModelFileProblemCode, type ModelInfo } from "../shared/lspProtocol";
import { tensorBytes } from "./ggmlTypeSizes";
import { loadNodeLlamaCpp } from "./llamaRuntime";
import { ModelError, type ModelErrorCode } from "./modelErrors";

const pickAnother = `Choose another with "R1: Select Model".`;

/** Architectures the extension runs: the R1 distills (qwen2, llama) and R1 itself (deepseek2). */
export const supportedArchitectures: readonly string[] = ["qwen2", "llama", "deepseek2"];

/** Hyperparameters llama.cpp asserts on for these (decoder-only transformer) architectures. */
const requiredArchitectureKeys = ["context_length", "embedding_length", "block_count", "feed_forward_length"] as const;

/** A file that cannot be used as a model: `problem` says why, `code` is the LSP error code of a failed load. */
export class ModelFileError extends ModelError {
    constructor(readonly problem: ModelFileProblemCode, message: string) {
        super(errorCodeOf(problem), message);
    }
}

function errorCodeOf(problem: ModelFileProblemCode): ModelErrorCode {
    switch (problem) {
        case "missing":
            return ErrorCodes.modelFileMissing;
        case "empty": case "webPage": case "lfsPointer": case "archive": case "notGguf": case "bigEndian":
        case "unsupportedVersion": case "damaged": case "noArchitecture":
            return ErrorCodes.notGguf;
        default:
            return ErrorCodes.loadFailed;
    }
}

export interface CheckedModelFile {
    info: ModelInfo;
    /** Total bytes of tensor data the header promises (to detect truncated downloads). */
    expectedBytes?: number;
}

/** The r1/checkModelFile answer: the model's info, or the problem (never an exception for a bad file). */
export async function checkModelFileResult(path: string): Promise<CheckModelFileResult> {
    try {
        return { ok: true, model: (await checkModelFile(path)).info };
    } catch (error) {
        if (error instanceof ModelFileError) return { ok: false, problem: { code: error.problem, message: error.message } };
        throw error;
    }
}

/** The fewest bytes one metadata key/value takes (key length, type, a 1-byte value; even an empty key). */
const minKeyBytes = 8 + 4 + 1;
/** The fewest bytes one tensor's info takes (name length, dimension count, type, offset; even an empty name). */
const minTensorInfoBytes = 8 + 4 + 4 + 8;

/** Checks `path` as a model llama.cpp can load. Throws ModelFileError with a message a user can act on. */
export async function checkModelFile(path: string): Promise<CheckedModelFile> {
    const name = basename(path);
    const size = await fileSize(path);
    const head = await readHead(path, size);
    if (size === 0) throw new ModelFileError("empty", `${name} is empty (0 bytes): the download did not finish. Download the model again. ${pickAnother}`);
    if (head.toString("latin1", 0, 4) !== "GGUF") throw notGguf(head, name);
    if (size < 24) throw truncatedHeader(name, size);
    const version = head.readUInt32LE(4);
    if (version > 0xffff && (version & 0xffff) === 0) throw bigEndian(name);
    if (version < 2 || version > 3) {
        throw new ModelFileError("unsupportedVersion",
            `${name} is GGUF version ${version}; only versions 2 and 3 are supported. ${version < 2 ? "Download a newer conversion of the model." : "Update the extension."}`);
    }

    // Counts no file of this size can hold (a damaged or hostile header): readGgufFileInfo would read past the end as
    // zeros, tensor after tensor, for as long as the count says (2^48 tensors: forever, with memory growing).
    const tensorCount = head.readBigUInt64LE(8);
    const keyCount = head.readBigUInt64LE(16);
    if (BigInt(24) + keyCount * BigInt(minKeyBytes) + tensorCount * BigInt(minTensorInfoBytes) > BigInt(size)) {
        throw new ModelFileError("damaged",
            `${name} is a damaged GGUF file: its header claims ${tensorCount} tensors and ${keyCount} metadata keys, more than its ${size} bytes can hold. Download it again. ${pickAnother}`);
    }

    const lib = await loadNodeLlamaCpp();
    let fileInfo: Awaited<ReturnType<typeof lib.readGgufFileInfo>>;
    try {
        // This file alone: a later part of a split model is refused below, and missing parts are named.
        fileInfo = await lib.readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem", spliceSplitFiles: false });
    } catch (error) {
        throw new ModelFileError("damaged", `${name} is a damaged GGUF file (${(error as Error).message}). Download it again. ${pickAnother}`);
    }
    // readGgufFileInfo reads past the end of a file as zeros: a header longer than the file was cut short.
    if (fileInfo.metadataSize + (fileInfo.tensorInfoSize ?? 0) > size) throw truncatedHeader(name, size);

    const metadata = fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
    const split = metadata.split ?? {};
    const splitCount = Number(split.count ?? 1);
    const splitIndex = Number(split.no ?? 0);
    if (splitCount > 1 && splitIndex !== 0) {
        throw new ModelFileError("laterSplitPart",
            `${name} is part ${splitIndex + 1} of ${splitCount} of a split model. Choose the first part (…-00001-of-${String(splitCount).padStart(5, "0")}.gguf); the other parts must sit next to it.`);
    }

    const general = metadata.general ?? {};
    const architecture = String(general.architecture ?? "");
    if (!architecture) throw new ModelFileError("noArchitecture", `${name} has no general.architecture in its GGUF header: it is not a language model llama.cpp can run. ${pickAnother}`);
    if (!supportedArchitectures.includes(architecture)) {
        throw new ModelFileError("unsupportedArchitecture",
            `${name} is a "${architecture}" model; R1 Reasoner runs ${supportedArchitectures.join(", ")} models (the DeepSeek-R1 distills). Choose a DeepSeek-R1-Distill GGUF, for example with R1: Select Model.`);
    }
    const arch = (fileInfo.architectureMetadata ?? {}) as Record<string, unknown>;
    const attention = (arch.attention ?? {}) as Record<string, unknown>;
    const missing = requiredArchitectureKeys.filter((k) => arch[k] === undefined).map((k) => `${architecture}.${k}`);
    if (attention.head_count === undefined) missing.push(`${architecture}.attention.head_count`);
    if (missing.length > 0) {
        throw new ModelFileError("missingMetadata",
            `${name} is missing required GGUF metadata (${missing.join(", ")}); llama.cpp cannot load it. The file is damaged or was converted wrongly: download it again. ${pickAnother}`);
    }
    if (splitCount > 1) await checkOtherParts(path, splitCount);

    const expectedBytes = tensorDataEnd(fileInfo);
    if (expectedBytes !== undefined && size < expectedBytes) {
        const pct = ((size / expectedBytes) * 100).toFixed(1);
        throw new ModelFileError("incomplete", `${name} is incomplete: ${size} of ${expectedBytes} bytes (${pct}%). The download was interrupted; download it again. ${pickAnother}`);
    }

    const template = metadata.tokenizer?.chat_template;
    return {
        info: {
            path,
            name: displayName(path, String(general.name ?? "")),
            architecture,
            sizeBytes: size,
            reasoningTemplate: typeof template === "string" && template.includes("<｜Assistant｜>") && template.includes("<think>"),
            trainContextSize: Number(arch.context_length ?? 0)
        },
        expectedBytes
    };
}

async function fileSize(path: string): Promise<number> {
    try {
        const s = await stat(path);
        if (s.isDirectory()) throw new ModelFileError("missing", `${path} is a folder, not a GGUF model file. ${pickAnother}`);
        if (!s.isFile()) throw new ModelFileError("missing", `${path} is not a file. ${pickAnother}`);
        return s.size;
    } catch (error) {
        if (error instanceof ModelFileError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new ModelFileError("missing", `Model file not found: ${path}. It may have been moved or deleted. ${pickAnother}`);
        throw new ModelFileError("missing", `Cannot read model file ${path}: ${(error as Error).message}. ${pickAnother}`);
    }
}

/** The first 64 bytes (fewer for a smaller file): enough to tell what a file that is not a GGUF is. */
async function readHead(path: string, size: number): Promise<Buffer> {
    const head = Buffer.alloc(Math.min(size, 64));
    try {
        const fh = await open(path, "r");
        try {
            await fh.read(head, 0, head.length, 0);
        } finally {
            await fh.close();
        }
    } catch (error) {
        throw new ModelFileError("missing", `Cannot read model file ${path}: ${(error as Error).message}. Check its permissions.`);
    }
    return head;
}

function notGguf(head: Buffer, name: string): ModelFileError {
    if (head.toString("latin1", 0, 4) === "FUGG") return bigEndian(name);
    const text = head.toString("latin1").trimStart().toLowerCase();
    if (text.startsWith("<!doctype") || text.startsWith("<html") || text.startsWith("<?xml") || text.startsWith("{")) {
        return new ModelFileError("webPage", `${name} is a web page or an error response, not a GGUF model: the download went wrong (a login page or an error from the server). Delete it and download the model again.`);
    }
    if (text.startsWith("version https://git-lfs")) {
        return new ModelFileError("lfsPointer", `${name} is a Git LFS pointer, not the model: it was cloned without LFS. Download the file itself (the "resolve" URL), not the git repository.`);
    }
    if (head[0] === 0x50 && head[1] === 0x4b) {
        return new ModelFileError("archive", `${name} is a zip archive, not a GGUF model. Unpack it, or choose a .gguf file.`);
    }
    return new ModelFileError("notGguf", `${name} is not a GGUF model file. R1 Reasoner runs GGUF files such as DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf. ${pickAnother}`);
}

function bigEndian(name: string): ModelFileError {
    return new ModelFileError("bigEndian", `${name} is a big-endian GGUF; llama.cpp on this machine needs the little-endian file. ${pickAnother}`);
}

function truncatedHeader(name: string, size: number): ModelFileError {
    return new ModelFileError("truncatedHeader", `${name} ends inside its GGUF header (${size} bytes): the file is incomplete. Delete it and download it again.`);
}

/** llama.cpp finds the other parts of a split model by name (…-00001-of-00003.gguf): they must be beside it. */
async function checkOtherParts(path: string, count: number): Promise<void> {
    const name = basename(path);
    const pattern = /-(\d{5})-of-(\d{5})\.gguf$/i;
    const match = pattern.exec(name);
    if (!match || Number(match[2]) !== count) {
        throw new ModelFileError("missingSplitParts",
            `${name} is part 1 of ${count} of a split model, but its name does not end in -00001-of-${String(count).padStart(5, "0")}.gguf, so llama.cpp cannot find the other parts. Keep the parts' original names.`);
    }
    const prefix = name.slice(0, match.index);
    const present = new Set(await readdir(dirname(path)).catch(() => [] as string[]));
    const absent: string[] = [];
    for (let i = 2; i <= count; i++) {
        const part = `${prefix}-${String(i).padStart(5, "0")}-of-${match[2]}.gguf`;
        if (!present.has(part)) absent.push(part);
    }
    if (absent.length > 0) {
        throw new ModelFileError("missingSplitParts",
            `${name} is part 1 of ${count} of a split model, and ${absent.length === 1 ? "part" : "parts"} ${absent.join(", ")} ${absent.length === 1 ? "is" : "are"} not beside it. Download the missing ${absent.length === 1 ? "part" : "parts"} into the same folder. ${pickAnother}`);
    }
}

/** Where the header says this file's tensor data ends, or undefined when a tensor's type is not known here. */
function tensorDataEnd(fileInfo: { tensorInfo?: ReadonlyArray<{ ggmlType: number; dimensions: ReadonlyArray<number | bigint>; offset: number | bigint }>; infoEndOffset?: number }): number | undefined {
    if (!fileInfo.tensorInfo || fileInfo.infoEndOffset === undefined) return undefined;
    let end = 0;
    for (const t of fileInfo.tensorInfo) {
        const bytes = tensorBytes(t.ggmlType, t.dimensions.map(Number));
        if (bytes === undefined) return undefined;
        end = Math.max(end, Number(t.offset) + bytes);
    }
    return end > 0 ? fileInfo.infoEndOffset + end : undefined;
}

function displayName(path: string, generalName: string): string {
    const file = basename(path).replace(/\.gguf$/i, "").replace(/-0*1-of-\d+$/, "");
    return file.length > 0 ? file : generalName;
}
