// The extension host suite (test/host/suite) in desktop VS Code through @vscode/test-electron, for machines that
// can download VS Code or have one installed. Without either it prints one line and exits 0 (skipped).
// Usage: node out/test/electron/runTests.js [--vscode PATH | --via-code-server] [--version X] [--grep REGEX]
//   --vscode PATH (or R1_VSCODE_EXECUTABLE): use this VS Code executable, no download.
//   --version X (or R1_VSCODE_VERSION): the VS Code version to download (default: stable), cached in .vscode-test/.
//   --via-code-server: use code-server as the "executable" (test/host/vscodeShim.ts): checks this wiring offline.
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import { repoRoot, sampleWorkspaceDir } from "../host/hostPaths";
import { suiteEnv, type SuiteReport } from "../host/suiteResult";

const updateServer = "https://update.code.visualstudio.com/api/releases/stable";
const cachePath = join(repoRoot, ".vscode-test");

function option(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
}

/** Whether VS Code's update server answers within 3 s. */
async function updateServerReachable(): Promise<boolean> {
    try {
        const res = await fetch(updateServer, { signal: AbortSignal.timeout(3000) });
        return res.ok;
    } catch {
        return false;
    }
}

function hasCachedVscode(): boolean {
    return existsSync(cachePath) && readdirSync(cachePath).some((d) => d.startsWith("vscode-"));
}

function shimExecutable(dir: string): string {
    const path = join(dir, "code");
    writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "out", "test", "host", "vscodeShim.js")}" "$@"\n`);
    chmodSync(path, 0o755);
    return path;
}

async function main(): Promise<number> {
    const t0 = Date.now();
    const runDir = mkdtempSync(join(tmpdir(), "r1-test-electron-"));
    try {
        let vscodeExecutablePath = option("--vscode") ?? process.env.R1_VSCODE_EXECUTABLE;
        if (process.argv.includes("--via-code-server")) vscodeExecutablePath = shimExecutable(runDir);
        const version = option("--version") ?? process.env.R1_VSCODE_VERSION;
        if (vscodeExecutablePath && !existsSync(vscodeExecutablePath)) {
            console.error(`test:electron: no VS Code executable at ${vscodeExecutablePath}`);
            return 1;
        }
        if (!vscodeExecutablePath && !(await updateServerReachable()) && !hasCachedVscode()) {
            console.log("test:electron: skipped: update.code.visualstudio.com is unreachable and no VS Code is cached in .vscode-test/ (use --vscode PATH or R1_VSCODE_EXECUTABLE for an installed one)");
            return 0;
        }
        if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.argv.includes("--via-code-server")) {
            console.log("test:electron: note: no DISPLAY; desktop VS Code needs one (run under xvfb-run -a)");
        }
        const workspace = join(runDir, "workspace");
        cpSync(sampleWorkspaceDir, workspace, { recursive: true });
        const resultsFile = join(runDir, "suite-results.json");
        const grep = option("--grep");
        let exitCode: number;
        try {
            exitCode = await runTests({
                extensionDevelopmentPath: repoRoot,
                extensionTestsPath: join(repoRoot, "out", "test", "host", "suite", "index.js"),
                launchArgs: [workspace, "--disable-extensions"],
                extensionTestsEnv: { [suiteEnv.results]: resultsFile, ...(grep ? { [suiteEnv.grep]: grep } : {}) },
                cachePath,
                ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
                ...(version ? { version } : {})
            });
        } catch (err) {
            const code = (err as { code?: unknown }).code;
            exitCode = typeof code === "number" ? code : 1;
            console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (existsSync(resultsFile)) {
            const report = JSON.parse(readFileSync(resultsFile, "utf8")) as SuiteReport;
            for (const t of report.tests.filter((x) => x.state === "failed")) console.log(`FAILED: ${t.titlePath.join(" › ")}: ${t.error?.message ?? ""}`);
            console.log(`test:electron: ${report.passed} passed, ${report.failed} failed, ${report.pending} pending; exit ${exitCode} in ${Date.now() - t0} ms`);
        } else {
            console.log(`test:electron: the suite wrote no report; exit ${exitCode} in ${Date.now() - t0} ms`);
            if (exitCode === 0) exitCode = 1;
        }
        return exitCode;
    } finally {
        rmSync(runDir, { recursive: true, force: true });
    }
}

void main().then((code) => { process.exitCode = code; });
