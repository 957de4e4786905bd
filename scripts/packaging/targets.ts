// The platforms R1 Reasoner ships a VSIX for: VS Code's target name (`vsce package --target`), the
// node-llama-cpp prebuilt packages that go in it, and what a native file built for it looks like. The CUDA
// packages are never shipped (hundreds of MB): the extension fetches them on demand (docs/packaging.md).

export interface PackageTarget {
    /** VS Code's platform name, as `vsce package --target` takes it. */
    target: string;
    /** `@node-llama-cpp/<name>` packages of the exact pinned version shipped in this VSIX. */
    binaries: string[];
    /** Native files (.node, .so, .dylib, .dll) must be of this format and machine. */
    native: { format: "elf" | "mach-o" | "pe"; machine: "x64" | "arm64" };
}

export const TARGETS: readonly PackageTarget[] = [
    { target: "linux-x64", binaries: ["linux-x64", "linux-x64-vulkan"], native: { format: "elf", machine: "x64" } },
    { target: "linux-arm64", binaries: ["linux-arm64"], native: { format: "elf", machine: "arm64" } },
    { target: "darwin-arm64", binaries: ["mac-arm64-metal"], native: { format: "mach-o", machine: "arm64" } },
    { target: "darwin-x64", binaries: ["mac-x64"], native: { format: "mach-o", machine: "x64" } },
    { target: "win32-x64", binaries: ["win-x64", "win-x64-vulkan"], native: { format: "pe", machine: "x64" } },
    { target: "win32-arm64", binaries: ["win-arm64"], native: { format: "pe", machine: "arm64" } }
];

export function findTarget(name: string): PackageTarget {
    const t = TARGETS.find((x) => x.target === name);
    if (!t) throw new Error(`Unknown target "${name}". Targets: ${TARGETS.map((x) => x.target).join(", ")}.`);
    return t;
}

/** The format and machine of a native file from its first bytes, or null when it is not one we know. */
export function nativeKind(head: Buffer): PackageTarget["native"] | null {
    if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
        const machine = head.readUInt16LE(18);
        return { format: "elf", machine: machine === 62 ? "x64" : machine === 183 ? "arm64" : (`e_machine ${machine}` as "x64") };
    }
    if (head.length >= 8 && (head.readUInt32LE(0) === 0xfeedfacf || head.readUInt32BE(0) === 0xcafebabe)) {
        if (head.readUInt32BE(0) === 0xcafebabe) return { format: "mach-o", machine: "universal" as "x64" };
        const cpu = head.readUInt32LE(4);
        return { format: "mach-o", machine: cpu === 0x01000007 ? "x64" : cpu === 0x0100000c ? "arm64" : (`cputype ${cpu}` as "x64") };
    }
    if (head.length >= 64 && head.readUInt16LE(0) === 0x5a4d) {
        const pe = head.readUInt32LE(60);
        if (head.length < pe + 6 || head.readUInt32LE(pe) !== 0x00004550) return { format: "pe", machine: "unknown" as "x64" };
        const machine = head.readUInt16LE(pe + 4);
        return { format: "pe", machine: machine === 0x8664 ? "x64" : machine === 0xaa64 ? "arm64" : (`machine 0x${machine.toString(16)}` as "x64") };
    }
    return null;
}

/** The llama.cpp backends a set of shipped file paths holds (from the backend libraries and package names). */
export function backendsOf(paths: readonly string[]): string[] {
    const found = new Set<string>();
    for (const p of paths) {
        const base = p.slice(p.lastIndexOf("/") + 1).toLowerCase();
        if (/ggml-cpu|llama-addon\.node$/.test(base)) found.add("CPU");
        if (/ggml-vulkan/.test(base)) found.add("Vulkan");
        if (/ggml-metal|default\.metallib/.test(base) || /@node-llama-cpp\/mac-arm64-metal\//.test(p)) found.add("Metal");
        if (/ggml-cuda/.test(base)) found.add("CUDA");
        if (/ggml-blas/.test(base)) found.add("BLAS");
    }
    return ["Metal", "CUDA", "Vulkan", "BLAS", "CPU"].filter((b) => found.has(b));
}
