// Whether this machine can use node-llama-cpp's CUDA build, and which packages that takes. The 3.21.1 builds:
// `@node-llama-cpp/<platform>-cuda` (181 MB) is built with CUDA 13 (NVIDIA driver 580 or later, libcudart.so.13 /
// cudart64_13.dll); `<platform>-cuda-ext` (357 MB) holds only a fallback backend built with CUDA 12 (driver 525
// or later), which node-llama-cpp loads when the main one cannot load. So a driver ≥ 580 needs the first only,
// a driver from 525 to 579 needs both, an older one none.

export interface CudaMachine {
    platform: string;
    arch: string;
    /** The NVIDIA driver's version ("580.65.06"), "" when a driver is there but its version is unknown, null: none. */
    driver: string | null;
    /** The CUDA runtime majors found (12, 13), or null when it could not be looked up. */
    runtimes: number[] | null;
}

export type CudaPlan =
    | { kind: "fetch"; packages: string[]; approxBytes: number; runtime: number; note?: string }
    | { kind: "unavailable"; reason: string };

const PLATFORMS: Record<string, string> = { "linux-x64": "linux-x64", "win32-x64": "win-x64" };
export const CUDA13_DRIVER = 580;
export const CUDA12_DRIVER = 525;
const MAIN_BYTES = 181_000_000;
const EXT_BYTES = 357_000_000;

/** The node-llama-cpp platform name of the CUDA packages for this OS and CPU, or undefined (none exist). */
export function cudaPlatform(platform: string, arch: string): string | undefined {
    return PLATFORMS[`${platform}-${arch}`];
}

export function planCuda(m: CudaMachine): CudaPlan {
    const p = cudaPlatform(m.platform, m.arch);
    if (!p) return { kind: "unavailable", reason: `node-llama-cpp has no CUDA build for ${m.platform}-${m.arch}` };
    if (m.driver === null) return { kind: "unavailable", reason: "no NVIDIA driver was found" };
    const major = m.driver === "" ? null : Number(/^(\d+)/.exec(m.driver)?.[1] ?? NaN);
    if (major !== null && !Number.isNaN(major) && major < CUDA12_DRIVER) {
        return { kind: "unavailable", reason: `the NVIDIA driver ${m.driver} is too old for CUDA 12 or 13 (it needs ${CUDA12_DRIVER} or later; update the driver)` };
    }
    const driverFor13 = major === null || Number.isNaN(major) || major >= CUDA13_DRIVER;
    const has = (v: number) => m.runtimes === null || m.runtimes.includes(v);
    const runtimeLib = (v: number) => (m.platform === "win32" ? `cudart64_${v}.dll` : `libcudart.so.${v}`);
    if (driverFor13 && has(13)) return { kind: "fetch", packages: [`${p}-cuda`], approxBytes: MAIN_BYTES, runtime: 13 };
    if (has(12)) {
        const why = driverFor13 ? `the CUDA 13 runtime (${runtimeLib(13)}) is not installed, the CUDA 12 one is` : `the driver ${m.driver} runs CUDA 12, not 13 (which needs ${CUDA13_DRIVER} or later)`;
        return { kind: "fetch", packages: [`${p}-cuda`, `${p}-cuda-ext`], approxBytes: MAIN_BYTES + EXT_BYTES, runtime: 12, note: `${why}: the CUDA 12 build is needed too` };
    }
    return { kind: "unavailable", reason: `the CUDA runtime is not installed (${runtimeLib(driverFor13 ? 13 : 12)} was not found): install the CUDA Toolkit's runtime libraries (cudart, cuBLAS) ${driverFor13 ? 13 : 12}` };
}

/** Why a CUDA download failed, in words (from the download error's code and message). */
export function cudaFailureText(code: string | undefined, message: string, registry: string): string {
    let host = registry;
    try {
        host = new URL(registry).host;
    } catch {
        // not a URL: say it as it is
    }
    if (code === "not-found") return `the registry ${host} does not have it (HTTP 404): check the r1.cuda.registry setting`;
    if (code === "network") return `the registry ${host} cannot be reached (offline, or a proxy is needed): ${message}`;
    return message;
}
