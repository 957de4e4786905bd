// npm run package [-- --target linux-x64|linux-arm64|darwin-arm64|darwin-x64|win32-x64|win32-arm64] [--all] [--out DIR]
// Platform-specific .vsix files (`vsce package --target`), each packed from a staged folder holding only what the
// installed extension needs: the production build, the manifest, and node-llama-cpp with the target's prebuilt
// llama.cpp binaries (fetched from the npm registry, integrity-verified, when they are not installed here; never
// the CUDA builds, which the extension fetches on demand). Each VSIX passes the contents check or the run fails.
// Prints a table: target, size, files, backends. Default target: this machine's. Cache: .package-cache/.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildVsix, type BuiltVsix, sizeTable } from "./packaging/buildVsix";
import { renderIcon } from "./packaging/renderIcon";
import { findTarget, TARGETS } from "./packaging/targets";

const root = join(__dirname, "..", "..");

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            target: { type: "string", default: `${process.platform}-${process.arch}` },
            all: { type: "boolean", default: false },
            out: { type: "string", default: root },
            registry: { type: "string" },
            "skip-build": { type: "boolean", default: false }
        }
    });
    const targets = values.all ? [...TARGETS] : [findTarget(values.target!)];
    if (!values["skip-build"]) {
        const b = spawnSync(process.execPath, [join(root, "scripts", "build.mjs"), "--production"], { cwd: root, stdio: "inherit" });
        if (b.status !== 0) throw new Error("the production build failed");
    }
    await renderIcon(root);
    const rows: BuiltVsix[] = [];
    for (const target of targets) {
        const t0 = Date.now();
        console.log(`\n▶ ${target.target}: @node-llama-cpp/${target.binaries.join(", @node-llama-cpp/")}`);
        const row = await buildVsix(target, { root, cacheDir: join(root, ".package-cache"), outDir: values.out!, ...(values.registry ? { registry: values.registry } : {}), log: (l) => console.log(`  ${l}`) });
        rows.push(row);
        console.log(`  ${row.file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        console.log(row.vsceWarnings.length ? `  vsce warned:\n    ${row.vsceWarnings.join("\n    ")}` : "  vsce printed no warning");
        for (const p of row.problems) console.error(`  ✖ ${p}`);
    }
    console.log(`\n${sizeTable(rows)}`);
    if (rows.some((r) => r.problems.length > 0)) {
        console.error("\nThe contents check failed: see the problems above.");
        process.exitCode = 1;
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
});
