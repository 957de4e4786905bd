// How many CPU threads the model decodes with, and why (the status bar's tooltip says it).
//
// Measured on a 2-core machine (docs/benchmarks.md, npm run bench:threads): with both cores busy with other work,
// 2 threads decoded many times slower than 1 (each decoding step waits for the slowest thread, and a thread that
// shares its core with another process stalls); on idle cores 2 threads were faster. So the automatic choice is
// the cores that were idle when the model loaded (at least 1), never more than the cores, nor more than llama.cpp's
// math cores. A value set in r1.threads is used as it is (capped to the cores).

export interface ThreadInputs {
    /** r1.threads: 0 = automatic. */
    requested: number;
    /** Cores available to this process. */
    cores: number;
    /** llama.cpp's idea of the cores useful for math (0 = unknown). */
    mathCores: number;
    /** Cores busy with other work when the model loaded (0 to cores; undefined = not measured). */
    busyCores?: number;
}

export interface ThreadChoice {
    threads: number;
    /** For the status tooltip: why this value. */
    reason: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function chooseThreads(inputs: ThreadInputs): ThreadChoice {
    const cores = Math.max(1, Math.floor(inputs.cores));
    const usable = Math.max(1, Math.min(cores, inputs.mathCores > 0 ? inputs.mathCores : cores));
    if (inputs.requested > 0) {
        const threads = Math.min(Math.floor(inputs.requested), cores);
        return { threads, reason: threads < inputs.requested ? `r1.threads asks for ${inputs.requested}; capped to the ${plural(cores, "core")}` : "set in r1.threads" };
    }
    if (inputs.busyCores === undefined) return { threads: usable, reason: `automatic: ${plural(usable, "core")} for math` };
    const busy = Math.min(cores, Math.max(0, inputs.busyCores));
    const idle = Math.max(1, Math.round(cores - busy));
    const threads = Math.min(usable, idle);
    const load = `${busy.toFixed(1)} of ${plural(cores, "core")} busy with other work when the model loaded`;
    return threads < usable
        ? { threads, reason: `automatic: ${load}, so ${plural(threads, "thread")} (more threads than idle cores decode many times slower)` }
        : { threads, reason: `automatic: ${load}, so ${plural(threads, "thread")}` };
}
