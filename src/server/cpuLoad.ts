// How many cores other work keeps busy right now: the machine's CPU time over a short window (os.cpus()), minus this
// process's own (process.cpuUsage()). Used by the automatic thread count when a model loads (core/models/threadChoice).
import { availableParallelism, cpus } from "node:os";

function totals(): { idle: number; total: number } {
    let idle = 0;
    let total = 0;
    for (const c of cpus()) {
        idle += c.times.idle;
        total += c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    }
    return { idle, total };
}

/** Cores busy with other processes over `windowMs` (0 to the core count); undefined when it cannot be measured. */
export async function busyCores(windowMs = 300): Promise<number | undefined> {
    const cores = Math.max(1, availableParallelism());
    const a = totals();
    const ownA = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const b = totals();
    const own = process.cpuUsage(ownA);
    const elapsedMs = performance.now() - t0;
    const total = b.total - a.total;
    if (total <= 0 || elapsedMs <= 0) return undefined;
    // os.cpus() counts every core (cpus().length may exceed the cores this process may use: a container's quota).
    const busyAll = ((total - (b.idle - a.idle)) / total) * cpus().length;
    const ownCores = (own.user + own.system) / 1000 / elapsedMs;
    return Math.min(cores, Math.max(0, busyAll - ownCores));
}
