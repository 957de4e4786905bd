// Bytes per tensor for the ggml types a GGUF can hold, so the model-file check can tell from the header how
// long the file must be (a download cut short is reported with the percentage present).

/** Bytes of a tensor of the given ggml type and dimensions; undefined for a type not listed here. */
export function tensorBytes(type: number, dims: number[]): number | undefined {
    const n = dims.reduce((a, b) => a * b, 1);
    const info = ggmlTypeSizes[type];
    if (!info) return undefined;
    return Math.ceil(n / info.block) * info.bytes;
}

// ggml type id → values per block, bytes per block (ggml.h / ggml.c type traits; block-quantized types pack 32
// or 256 values per block).
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
