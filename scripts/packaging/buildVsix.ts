// Builds the VSIX of one platform: the staged folder (stage.ts), `vsce package --target` inside it, then the
// contents check (vsixContents.ts). vsce's own output is returned so that its warnings can be shown and tested.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stage, type StageOptions } from "./stage";
import type { PackageTarget } from "./targets";
import { backendsOf, } from "./targets";
import { checkVsix } from "./vsixContents";

export interface BuiltVsix {
    target: string;
    file: string;
    bytes: number;
    files: number;
    /** The .js files inside (vsce warns when there are more than 100). */
    jsFiles: number;
    backends: string[];
    problems: string[];
    /** vsce's WARNING lines (empty when it printed none). */
    vsceWarnings: string[];
    vsceOutput: string;
}

export interface BuildVsixOptions extends StageOptions {
    outDir: string;
}

export async function buildVsix(target: PackageTarget, options: BuildVsixOptions): Promise<BuiltVsix> {
    const stageDir = join(options.cacheDir, "stage", target.target);
    await stage(stageDir, target, options);
    const { version, name } = JSON.parse(readFileSync(join(options.root, "package.json"), "utf8")) as { version: string; name: string };
    mkdirSync(options.outDir, { recursive: true });
    const file = join(options.outDir, `${name}-${target.target}-${version}.vsix`);
    const vsce = join(options.root, "node_modules", "@vscode", "vsce", "vsce");
    const r = spawnSync(process.execPath, [vsce, "package", "--target", target.target, "--out", file], { cwd: stageDir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    const vsceOutput = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status !== 0) throw new Error(`vsce package --target ${target.target} failed (exit ${r.status ?? r.signal}):\n${vsceOutput}`);
    const vsceWarnings = vsceOutput.split(/\r?\n/).filter((l) => /\bWARNING\b/.test(l));
    const { entries, bytes, problems } = checkVsix(file, target);
    const backends = backendsOf(entries.map((e) => e.path).filter((p) => p.includes("node_modules/@node-llama-cpp/")));
    return { target: target.target, file, bytes, files: entries.length, jsFiles: entries.filter((e) => /\.js$/i.test(e.path)).length, backends, problems, vsceWarnings, vsceOutput };
}

export function sizeTable(rows: readonly BuiltVsix[]): string {
    const lines = [["target", "size", "files", ".js files", "llama.cpp backends", "contents check"]];
    for (const r of rows) lines.push([r.target, `${(r.bytes / 1048576).toFixed(1)} MB`, String(r.files), String(r.jsFiles), r.backends.join(", "), r.problems.length ? `${r.problems.length} problem(s)` : "ok"]);
    const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
    return lines.map((l, j) => l.map((c, i) => c.padEnd(widths[i])).join("  ") + (j === 0 ? `\n${widths.map((w) => "-".repeat(w)).join("  ")}` : "")).join("\n");
}
