// Checks a GGUF file before llama.cpp sees it. A malformed GGUF can abort the whole process inside llama.cpp
// (GGML_ASSERT), so everything that can be checked from the header is checked here first, with a message that
// names the file and the fix.
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { ErrorCodes, type ModelInfo } from "../shared/lspProtocol";
import { loadNodeLlamaCpp } from "./llamaRuntime";
import { ModelError } from "./modelErrors";

const pickAnother = `Choose another with "R1: Select Model".`;

/** Hyperparameters llama.cpp asserts on for decoder-only transformer architectures. */
const requiredArchitectureKeys = ["context_length", "embedding_length", "block_count", "feed_forward_length"] as const;

export interface CheckedModelFile {
    info: ModelInfo;
    /** Total bytes of tensor data the header promises (to detect truncated downloads). */
    expectedBytes?: number;
}

export async function checkModelFile(path: string): Promise<CheckedModelFile> {
    const name = basename(path);
    let size: number;
    try {
        const s = await stat(path);
        if (!s.isFile()) throw new ModelError(ErrorCodes.modelFileMissing, `${path} is not a file. ${pickAnother}`);
        size = s.size;
    } catch (error) {
        if (error instanceof ModelError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new ModelError(ErrorCodes.modelFileMissing, `Model file not found: ${path}. It may have been moved or deleted. ${pickAnother}`);
        throw new ModelError(ErrorCodes.modelFileMissing, `Cannot read model file ${path}: ${(error as Error).message}. ${pickAnother}`);
    }

    const head = Buffer.alloc(8);
    try {
        const fh = await open(path, "r");
        try {
            await fh.read(head, 0, 8, 0);
        } finally {
            await fh.close();
        }
    } catch (error) {
        throw new ModelError(ErrorCodes.modelFileMissing, `Cannot read model file ${path}: ${(error as Error).message}. Check its permissions.`);
    }
    if (size < 24 || head.toString("latin1", 0, 4) !== "GGUF") {
        throw new ModelError(
            ErrorCodes.notGguf,
            `${name} is not a GGUF model file${size === 0 ? " (it is empty)" : ""}. R1 Reasoner runs GGUF files such as DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf. ${pickAnother}`
        );
    }

    const lib = await loadNodeLlamaCpp();
    let fileInfo: Awaited<ReturnType<typeof lib.readGgufFileInfo>>;
    try {
        fileInfo = await lib.readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
    } catch (error) {
        throw new ModelError(ErrorCodes.notGguf, `${name} is a damaged GGUF file (${(error as Error).message}). Download it again. ${pickAnother}`);
    }

    const metadata = fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
    const general = (metadata.general ?? {}) as Record<string, unknown>;
    const architecture = String(general.architecture ?? "");
    if (!architecture) throw new ModelError(ErrorCodes.notGguf, `${name} has no general.architecture in its GGUF header: it is not a language model llama.cpp can run. ${pickAnother}`);
    const arch = (fileInfo.architectureMetadata ?? {}) as Record<string, unknown>;
    const attention = (arch.attention ?? {}) as Record<string, unknown>;
    const missing = requiredArchitectureKeys.filter((k) => arch[k] === undefined).map((k) => `${architecture}.${k}`);
    if (attention.head_count === undefined) missing.push(`${architecture}.attention.head_count`);
    if (missing.length > 0 && isTransformer(architecture)) {
        throw new ModelError(ErrorCodes.loadFailed, `${name} is missing required GGUF metadata (${missing.join(", ")}); llama.cpp cannot load it. The file is damaged or was converted wrongly: download it again. ${pickAnother}`);
    }

    let expectedBytes: number | undefined;
    if (fileInfo.tensorInfo && fileInfo.infoEndOffset !== undefined && fileInfo.splicedParts === 1) {
        let end = 0;
        for (const t of fileInfo.tensorInfo) {
            const bytes = tensorBytes(t.ggmlType, t.dimensions.map(Number));
            if (bytes === undefined) {
                end = -1;
                break;
            }
            end = Math.max(end, Number(t.offset) + bytes);
        }
        if (end > 0) {
            expectedBytes = fileInfo.infoEndOffset + end;
            if (size < expectedBytes) {
                const pct = ((size / expectedBytes) * 100).toFixed(1);
                throw new ModelError(ErrorCodes.loadFailed, `${name} is incomplete: ${size} of ${expectedBytes} bytes (${pct}%). The download was interrupted; download it again. ${pickAnother}`);
            }
        }
    }

    const template = (metadata.tokenizer as Record<string, unknown> | undefined)?.chat_template;
    const trainContext = Number(arch.context_length ?? 0);
    return {
        info: {
            path,
            name: displayName(path, String(general.name ?? "")),
            architecture,
            sizeBytes: size,
            reasoningTemplate: typeof template === "string" && template.includes("<｜Assistant｜>") && template.includes("<think>"),
            trainContextSize: trainContext
        },
        expectedBytes
    };
}

function isTransformer(architecture: string): boolean {
    return !/^(mamba|rwkv|bert|nomic-bert|t5|clip)/.test(architecture);
}

function displayName(path: string, generalName: string): string {
    const file = basename(path).replace(/\.gguf$/i, "").replace(/-0*1-of-\d+$/, "");
    return file.length > 0 ? file : generalName;
}

/** Bytes of a tensor of the given ggml type (block-quantized types pack 32 or 256 values per block). */
function tensorBytes(type: number, dims: number[]): number | undefined {
    const n = dims.reduce((a, b) => a * b, 1);
    const info = ggmlTypeSizes[type];
    if (!info) return undefined;
    return Math.ceil(n / info.block) * info.bytes;
}

// ggml type id → [values per block, bytes per block] (ggml.h / ggml.c type traits).
const ggmlTypeSizes: Record<number, { block: number; bytes: number }> = {
    0: { block: 1, bytes: 4 }, // F32
    1: { block: 1, bytes: 2 }, // F16
    2: { block: 32, bytes: 18 }, // Q4_0
    3: { block: 32, bytes: 20 }, // Q4_1
    6: { block: 32, bytes: 22 }, // Q5_0
    7: { block: 32, bytes: 24 }, // Q5_1
    8: { block: 32, bytes: 34 }, // Q8_0
    9: { block: 32, bytes: 36 }, // Q8_1
    10: { block: 256, bytes: 84 }, // Q2_K
    11: { block: 256, bytes: 110 }, // Q3_K
    12: { block: 256, bytes: 144 }, // Q4_K
    13: { block: 256, bytes: 176 }, // Q5_K
    14: { block: 256, bytes: 210 }, // Q6_K
    15: { block: 256, bytes: 292 }, // Q8_K
    24: { block: 1, bytes: 1 }, // I8
    25: { block: 1, bytes: 2 }, // I16
    26: { block: 1, bytes: 4 }, // I32
    27: { block: 1, bytes: 8 }, // I64
    28: { block: 1, bytes: 8 }, // F64
    30: { block: 1, bytes: 2 } // BF16
};
