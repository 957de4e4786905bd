// Which model × quantization to recommend for a machine: the memory each target offers (GPU, unified memory,
// RAM), whether each entry fits there with headroom, and the best that fits (docs/models.md for the rule).

import { formatBytes, GiB, MiB } from "./byteSize";
import { estimateMemory, type MemoryEstimate, type MemoryEstimateOptions } from "./memoryEstimate";
import { type CatalogEntry, type CatalogModel, formatParameters, MIN_RECOMMENDED_QUANT_RANK, QUANTS } from "./modelCatalog";

export interface GpuInfo {
    vramBytes: number;
    freeVramBytes: number;
    /** "cuda", "vulkan", "metal", … ("cpu" entries are ignored). */
    backend: string;
}

export interface MachineInfo {
    gpus: GpuInfo[];
    ramBytes: number;
    freeRamBytes: number;
    /** Apple silicon: the GPU shares system memory. */
    unifiedMemory: boolean;
}

export type Fit = "fits" | "tight" | "too-big";
export type Target = "gpu" | "unified" | "cpu";

export interface MemoryBudget {
    target: Target;
    /** What the model may use at most. */
    availableBytes: number;
    /** Kept free on top of the estimate for a "fits" verdict. */
    headroomBytes: number;
    description: string;
}

export interface EntryEvaluation {
    entry: CatalogEntry;
    estimate: MemoryEstimate;
    target: Target;
    fit: Fit;
    /** Why this entry is never recommended here, whatever its fit (needs a serving engine, too slow on CPU). */
    excluded?: string;
    /** One line for a quick pick: "fits: 6.0 GB of 23.4 GB free on the GPU". */
    detail: string;
}

export interface RecommendOptions {
    /** Context the model will be used with (default 8192, the r1.contextSize default). */
    contextSize?: number;
    /** On CPU every token reads all weights: files above this are too slow to reason with (default 6 GB). */
    cpuMaxWeightBytes?: number;
    estimate?: MemoryEstimateOptions;
}

export interface Recommendation {
    choice: EntryEvaluation | null;
    budget: MemoryBudget;
    /** Plain-language why, for the walkthrough and the quick pick. */
    reason: string;
    /** Every entry judged against the chosen budget (GPU, unified or CPU), in catalog order. */
    evaluations: EntryEvaluation[];
}

export const DEFAULT_CONTEXT_SIZE = 8192;
export const DEFAULT_CPU_MAX_WEIGHT_BYTES = 6e9;

/** The memory the model may use on each kind of target (see docs/models.md for the rule). */
export function memoryBudgets(machine: MachineInfo): { gpu?: MemoryBudget; unified?: MemoryBudget; cpu: MemoryBudget } {
    const gpus = machine.gpus.filter((g) => g.backend !== "cpu" && g.vramBytes > 0);
    const cpu: MemoryBudget = {
        target: "cpu",
        availableBytes: Math.max(0, machine.freeRamBytes),
        headroomBytes: Math.max(GiB, 0.1 * machine.ramBytes),
        description: `${formatBytes(machine.freeRamBytes)} free of ${formatBytes(machine.ramBytes)} RAM`
    };
    if (machine.unifiedMemory) {
        // The GPU may use about 2/3 of unified memory (3/4 above 36 GiB): macOS's working-set limit.
        const cap = machine.ramBytes * (machine.ramBytes > 36 * GiB ? 0.75 : 2 / 3);
        const reported = gpus.reduce((a, g) => a + g.freeVramBytes, 0);
        const availableBytes = gpus.length > 0 ? Math.min(cap, reported) : cap;
        return {
            cpu,
            unified: {
                target: "unified",
                availableBytes,
                headroomBytes: Math.max(GiB, 0.1 * machine.ramBytes),
                description: `${formatBytes(availableBytes)} of ${formatBytes(machine.ramBytes)} unified memory usable by the GPU`
            }
        };
    }
    if (gpus.length === 0) return { cpu };
    const free = gpus.reduce((a, g) => a + g.freeVramBytes, 0);
    const total = gpus.reduce((a, g) => a + g.vramBytes, 0);
    return {
        cpu,
        gpu: {
            target: "gpu",
            availableBytes: free,
            headroomBytes: gpus.reduce((a, g) => a + Math.max(512 * MiB, 0.05 * g.vramBytes), 0),
            description: `${formatBytes(free)} free of ${formatBytes(total)} VRAM` + (gpus.length > 1 ? ` on ${gpus.length} GPUs` : ` (${gpus[0].backend})`)
        }
    };
}

export function judgeFit(totalBytes: number, budget: MemoryBudget): Fit {
    if (totalBytes + budget.headroomBytes <= budget.availableBytes) return "fits";
    if (totalBytes <= budget.availableBytes) return "tight";
    return "too-big";
}

const TARGET_WORDS: Record<Target, string> = { gpu: "on the GPU", unified: "in unified memory", cpu: "in RAM" };

/** Judges every entry against one budget. */
export function evaluateEntries(entries: CatalogEntry[], budget: MemoryBudget, options: RecommendOptions = {}): EntryEvaluation[] {
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const cpuMax = options.cpuMaxWeightBytes ?? DEFAULT_CPU_MAX_WEIGHT_BYTES;
    return entries.map((entry) => {
        const estimate = estimateMemory(entry, contextSize, options.estimate);
        const fit = judgeFit(estimate.totalBytes, budget);
        let excluded: string | undefined;
        if (entry.model.requiresServingEngine) {
            excluded = `${entry.model.name} (${formatParameters(entry.model.parameters)} parameters) needs a serving engine: ${(entry.model.servingEngines ?? ["vLLM", "SGLang", "llama.cpp server"]).join(", ")}`;
        } else if ((QUANTS[entry.quantization.quant]?.qualityRank ?? 0) < MIN_RECOMMENDED_QUANT_RANK) {
            excluded = `${entry.quantization.quant} loses too much quality; Q4_K_M is the lowest recommended`;
        } else if (budget.target === "cpu" && entry.quantization.sizeBytes > cpuMax) {
            excluded = `too slow on a CPU: each token reads all ${formatBytes(entry.quantization.sizeBytes)} of weights (limit ${formatBytes(cpuMax)})`;
        }
        const word = fit === "fits" ? "fits" : fit === "tight" ? "tight" : "too big";
        const detail = `${word}: needs about ${formatBytes(estimate.totalBytes)} ${TARGET_WORDS[budget.target]}, ${formatBytes(budget.availableBytes)} available`;
        return { entry, estimate, target: budget.target, fit, excluded, detail };
    });
}

/** Model preference: best LiveCodeBench score (this is a coding assistant), then more parameters. */
function modelScore(m: CatalogModel): number {
    return (m.benchmarks.liveCodeBenchPass1 ?? 0) * 1e3 + m.parameters / 1e9;
}

function pick(evaluations: EntryEvaluation[]): EntryEvaluation | null {
    const candidates = evaluations.filter((e) => e.fit === "fits" && e.excluded === undefined);
    candidates.sort((a, b) =>
        modelScore(b.entry.model) - modelScore(a.entry.model) ||
        (QUANTS[b.entry.quantization.quant]?.qualityRank ?? 0) - (QUANTS[a.entry.quantization.quant]?.qualityRank ?? 0));
    return candidates[0] ?? null;
}

/**
 * The best distill × quantization that fits with headroom: the GPU (or unified memory) first, else RAM,
 * where only files up to `cpuMaxWeightBytes` count. Among what fits: the model with the best LiveCodeBench
 * score (so a larger model at Q4_K_M beats a smaller one at Q8_0), then its highest quantization.
 */
export function recommend(entries: CatalogEntry[], machine: MachineInfo, options: RecommendOptions = {}): Recommendation {
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const budgets = memoryBudgets(machine);
    const accel = budgets.unified ?? budgets.gpu;
    const ctx = `context of ${contextSize.toLocaleString("en-US")} tokens`;
    if (accel) {
        const evaluations = evaluateEntries(entries, accel, options);
        const choice = pick(evaluations);
        if (choice) {
            const better = evaluations.filter((e) => e.excluded === undefined && modelScore(e.entry.model) > modelScore(choice.entry.model));
            const why = better.length > 0
                ? ` Larger models do not fit with headroom (${uniqueNames(better).join(", ")}).`
                : " It is the strongest distill in the catalog.";
            return {
                choice,
                budget: accel,
                evaluations,
                reason: `${describe(choice)} fits ${TARGET_WORDS[accel.target]}: about ${formatBytes(choice.estimate.totalBytes)} with a ${ctx}, ` +
                    `${accel.description}, keeping ${formatBytes(accel.headroomBytes)} free.${why}`
            };
        }
    }
    const evaluations = evaluateEntries(entries, budgets.cpu, options);
    const choice = pick(evaluations);
    const gpuNote = accel ? `Nothing fits ${TARGET_WORDS[accel.target]} (${accel.description}), so it runs on the CPU. ` : "No GPU was found, so it runs on the CPU. ";
    if (!choice) {
        return {
            choice: null,
            budget: budgets.cpu,
            evaluations,
            reason: `${gpuNote}Not even the smallest model fits in ${budgets.cpu.description} with a ${ctx} and ${formatBytes(budgets.cpu.headroomBytes)} to spare. ` +
                "Close other programs, lower r1.contextSize, or use a machine with more memory."
        };
    }
    return {
        choice,
        budget: budgets.cpu,
        evaluations,
        reason: `${gpuNote}${describe(choice)} needs about ${formatBytes(choice.estimate.totalBytes)} with a ${ctx} (${budgets.cpu.description}). ` +
            `On a CPU every token reads all the weights, so files above ${formatBytes(options.cpuMaxWeightBytes ?? DEFAULT_CPU_MAX_WEIGHT_BYTES)} are left out as too slow for long reasoning.`
    };
}

function describe(e: EntryEvaluation): string {
    return `${e.entry.model.name} ${e.entry.quantization.quant} (${formatBytes(e.entry.quantization.sizeBytes)} download)`;
}
function uniqueNames(evaluations: EntryEvaluation[]): string[] {
    return [...new Set(evaluations.map((e) => e.entry.model.name))];
}
