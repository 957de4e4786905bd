// The one place that loads node-llama-cpp, and the process's single `Llama` instance.
// node-llama-cpp is ESM-only and must not be bundled (it finds its native binaries by file layout), so it is
// loaded with a real dynamic import() that esbuild keeps as is.
import type { Llama, LlamaLogLevel } from "node-llama-cpp" with { "resolution-mode": "import" };
import type { GpuMode } from "../shared/lspProtocol";

export type NodeLlamaCpp = typeof import("node-llama-cpp", { with: { "resolution-mode": "import" } });

let modulePromise: Promise<NodeLlamaCpp> | undefined;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
    modulePromise ??= import("node-llama-cpp");
    return modulePromise;
}

export interface LlamaLogLine {
    level: string;
    message: string;
}

/** Keeps llama.cpp's recent log lines, so a failed load can say why ("Failed to load model" alone says nothing). */
export class LlamaLogBuffer {
    private readonly lines: LlamaLogLine[] = [];
    constructor(private readonly limit = 200) {}

    add(level: string, message: string): void {
        this.lines.push({ level, message: message.trimEnd() });
        if (this.lines.length > this.limit) this.lines.shift();
    }

    mark(): number {
        return this.lines.length;
    }

    /** The errors and warnings logged since `mark`, most useful first. */
    problemsSince(mark: number): string[] {
        return this.lines
            .slice(Math.min(mark, this.lines.length))
            .filter((l) => l.level === "error" || l.level === "fatal" || l.level === "warn")
            .map((l) => l.message)
            .filter((m) => m.length > 0);
    }
}

export class LlamaRuntimeError extends Error {
    constructor(message: string, readonly noBinary: boolean) {
        super(message);
    }
}

let llamaPromise: Promise<Llama> | undefined;
let llamaGpu: GpuMode | undefined;

/**
 * The process-wide Llama. `build: "never"` always: a missing binary is a clear error, never a 6-minute compile.
 * The GPU mode is fixed for the life of the process (the client restarts the process to change it).
 */
export async function getRuntime(gpu: GpuMode, logs: LlamaLogBuffer, onLog: (level: string, message: string) => void): Promise<Llama> {
    if (llamaPromise && llamaGpu === gpu) return llamaPromise;
    if (llamaPromise) throw new Error(`The model process already runs with gpu "${llamaGpu}"; restart it to use "${gpu}".`);
    llamaGpu = gpu;
    llamaPromise = (async () => {
        const lib = await loadNodeLlamaCpp();
        try {
            return await lib.getLlama({
                gpu: gpu === "cpu" ? false : gpu,
                build: "never",
                progressLogs: false,
                logLevel: lib.LlamaLogLevel.warn,
                logger: (level: LlamaLogLevel, message: string) => {
                    logs.add(level, message);
                    onLog(level, message);
                }
            });
        } catch (error) {
            const noBinary = error instanceof lib.NoBinaryFoundError;
            const what = gpu === "auto" ? "any backend" : gpu;
            throw new LlamaRuntimeError(
                noBinary
                    ? `No prebuilt llama.cpp binary for ${what} on ${process.platform}-${process.arch}. Reinstall the extension for this platform, or set "r1.gpu" to "auto" or "cpu".`
                    : `Could not start llama.cpp (${what}): ${error instanceof Error ? error.message : String(error)}`,
                noBinary
            );
        }
    })();
    try {
        return await llamaPromise;
    } catch (error) {
        llamaPromise = undefined;
        llamaGpu = undefined;
        throw error;
    }
}
