// The NVIDIA driver and CUDA runtime of this machine, without loading any of them: Linux's
// /proc/driver/nvidia/version, else `nvidia-smi`; on Windows nvidia-smi, else nvcuda.dll in System32. The runtime
// (libcudart / cudart64_NN.dll) from `ldconfig -p` and LD_LIBRARY_PATH, or PATH and CUDA_PATH on Windows.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { CudaMachine } from "../core/cuda/cudaPlan";

function run(cmd: string, args: string[]): Promise<string | null> {
    return new Promise((resolve) => {
        execFile(cmd, args, { timeout: 5000, windowsHide: true }, (err, stdout) => resolve(err ? null : stdout));
    });
}

export async function nvidiaDriverVersion(platform = process.platform): Promise<string | null> {
    if (platform === "linux") {
        const text = await readFile("/proc/driver/nvidia/version", "utf8").catch(() => null);
        const m = text ? /Kernel Module\s+(?:for\s+\S+\s+)?(\d+\.\d+(?:\.\d+)?)/.exec(text) : null;
        if (m) return m[1];
    }
    const smi = await run("nvidia-smi", ["--query-gpu=driver_version", "--format=csv,noheader"]);
    const v = smi?.split(/\r?\n/).map((l) => l.trim()).find((l) => /^\d+\.\d+/.test(l));
    if (v) return v;
    if (platform === "win32" && existsSync(join(process.env.SystemRoot ?? "C:\\Windows", "System32", "nvcuda.dll"))) return "";
    return null;
}

function majorsIn(names: string[], pattern: RegExp): number[] {
    const found = new Set<number>();
    for (const n of names) {
        const m = pattern.exec(n);
        if (m) found.add(Number(m[1]));
    }
    return [...found].sort();
}

export async function cudaRuntimes(platform = process.platform): Promise<number[] | null> {
    if (platform === "linux") {
        const out = await run("ldconfig", ["-p"]) ?? await run("/sbin/ldconfig", ["-p"]);
        const names: string[] = out ? out.split(/\r?\n/).map((l) => l.trim().split(/\s/)[0]) : [];
        for (const dir of (process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean)) {
            try {
                names.push(...readdirSync(dir));
            } catch {
                // not a folder
            }
        }
        if (!out && names.length === 0) return null;
        return majorsIn(names, /^libcudart\.so\.(\d+)$/);
    }
    if (platform === "win32") {
        const dirs = [...(process.env.PATH ?? "").split(delimiter), ...(process.env.CUDA_PATH ? [join(process.env.CUDA_PATH, "bin")] : [])];
        const names: string[] = [];
        for (const dir of dirs.filter(Boolean)) {
            try {
                names.push(...readdirSync(dir).filter((n) => /^cudart64_/i.test(n)));
            } catch {
                // not a folder
            }
        }
        // None found on PATH: unknown (the runtime may sit elsewhere, e.g. next to the binaries), not "missing".
        return names.length > 0 ? majorsIn(names, /^cudart64_(\d\d)/i) : null;
    }
    return null;
}

export async function cudaMachine(): Promise<CudaMachine> {
    const [driver, runtimes] = await Promise.all([nvidiaDriverVersion(), cudaRuntimes()]);
    return { platform: process.platform, arch: process.arch, driver, runtimes };
}
