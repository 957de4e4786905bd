// Runs the mocha suite (test/host/suite) inside the real extension host of code-server: code-server starts with the
// smoke-test driver, headless Chromium opens the workbench with extensionDevelopmentPath (this working tree) and
// extensionTestsPath in the URL payload, and the workbench reports the suite's exit code through
// window.codeAutomationExit and the extension host's console through window.codeAutomationLog.
// Usage: node out/test/host/runExtensionTests.js [--grep REGEX]   (exit code: the suite's)
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { startCodeServer, straceBinary, type CodeServer } from "./codeServer";
import { repoRoot, sampleWorkspaceDir } from "./hostPaths";
import { suiteEnv, type SuiteReport } from "./suiteResult";
import { launchBrowser, openWorkbench, saveScreenshot, type WorkbenchBrowser } from "./ui";

export interface ExtensionTestsOptions {
    /** The extension folder (default: this repository). */
    readonly extensionDevelopmentPath?: string;
    /** The compiled runner module (default: out/test/host/suite/index.js). */
    readonly extensionTestsPath?: string;
    /** Folder to open; copied to a temp dir first so tests may change it (default: test/host/sampleWorkspace). */
    readonly workspace?: string;
    /** Only tests whose full title matches. */
    readonly grep?: string;
    /** User settings for the run (e.g. { "r1.modelPath": "..." }). */
    readonly settings?: Readonly<Record<string, unknown>>;
    /** Extra environment for the extension host. */
    readonly env?: Readonly<Record<string, string>>;
    /** Whole-run limit (default 15 min): a hang guard only, far above a run on a busy machine (mocha times each test). */
    readonly timeoutMs?: number;
    /** Each line of extension host / workbench output as it comes. */
    readonly onOutput?: (line: string) => void;
}

export interface ExtensionTestsResult {
    /** The suite's exit code: 0 all passed; 1 failures; undefined when it never reported (see error). */
    readonly exitCode: number | undefined;
    /** Per-test results written by the runner (undefined if it never got that far). */
    readonly report: SuiteReport | undefined;
    /** The extension host's console output and the workbench's log lines, in order. */
    readonly output: readonly string[];
    /** What went wrong outside the tests (timeout, server or browser failure). */
    readonly error?: string;
    /** Screenshot taken when the run failed to report. */
    readonly screenshot?: string;
    readonly timings: {
        readonly codeServerStartMs: number;
        readonly workbenchMs: number;
        readonly suiteMs: number;
        readonly stopMs: number;
        readonly totalMs: number;
    };
}

function formatLogArgs(args: unknown): string {
    // The host forwards console calls with their format string first (mocha's spec reporter uses "%s").
    return Array.isArray(args) ? format(...(args as unknown[])) : format(args);
}

function readReport(file: string): SuiteReport | undefined {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as SuiteReport;
    } catch {
        return undefined;
    }
}

/** Runs the suite once in a fresh code-server + Chromium; never throws for test failures, always cleans up. */
export async function runExtensionTests(options: ExtensionTestsOptions = {}): Promise<ExtensionTestsResult> {
    const t0 = Date.now();
    const extensionDevelopmentPath = options.extensionDevelopmentPath ?? repoRoot;
    const extensionTestsPath = options.extensionTestsPath ?? join(repoRoot, "out", "test", "host", "suite", "index.js");
    const output: string[] = [];
    const emit = (line: string) => {
        output.push(line);
        options.onOutput?.(line);
    };
    const timings = { codeServerStartMs: 0, workbenchMs: 0, suiteMs: 0, stopMs: 0, totalMs: 0 };
    if (!existsSync(extensionTestsPath)) {
        return { exitCode: undefined, report: undefined, output, error: `${extensionTestsPath} is missing: build first (node scripts/build.mjs)`, timings };
    }

    // One temp dir per run: the workspace copy, the results file and code-server's own temp dir go inside.
    const runDir = mkdtempSync(join(tmpdir(), "r1-extension-tests-"));
    const resultsFile = join(runDir, "suite-results.json");
    const workspace = join(runDir, "workspace");
    let server: CodeServer | undefined;
    let browser: WorkbenchBrowser | undefined;
    let exitCode: number | undefined;
    let error: string | undefined;
    let screenshot: string | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    try {
        cpSync(options.workspace ?? sampleWorkspaceDir, workspace, { recursive: true });
        const tStart = Date.now();
        // The extension host is a child of code-server and inherits its environment: that is how the runner
        // learns where to write its report and what to grep.
        // Every connection attempt of code-server, the extension host and the model process is recorded where
        // strace exists (the Privacy test reads it); R1_NO_STRACE=1 turns it off.
        const connectLog = straceBinary() && process.env.R1_NO_STRACE !== "1" ? join(runDir, "connects.log") : undefined;
        server = await startCodeServer({
            smokeTestDriver: true,
            ...(connectLog ? { connectLog } : {}),
            folder: workspace,
            tempParent: runDir,
            alsoRemove: [runDir],
            ...(options.settings ? { settings: options.settings } : {}),
            env: { ...options.env, [suiteEnv.results]: resultsFile, ...(connectLog ? { [suiteEnv.connectLog]: connectLog } : {}), ...(options.grep ? { [suiteEnv.grep]: options.grep } : {}) },
            onOutput: (line) => emit(`[code-server] ${line}`)
        });
        timings.codeServerStartMs = Date.now() - tStart;

        let reportExit: ((code: number) => void) | undefined;
        const exited = new Promise<number>((res) => { reportExit = res; });
        browser = await launchBrowser({
            tempParent: runDir,
            expose: {
                codeAutomationExit: (code: number) => reportExit?.(code),
                codeAutomationLog: (type: string, args: unknown) => emit(`[host ${type}] ${formatLogArgs(args)}`)
            }
        });
        const timeoutMs = options.timeoutMs ?? 900_000;
        const timedOut = new Promise<"timeout">((res) => { watchdog = setTimeout(() => res("timeout"), Math.max(1000, timeoutMs - (Date.now() - t0))); });
        const tWorkbench = Date.now();
        await openWorkbench(browser.page, server.workbenchUrl({ folder: workspace, extensionDevelopmentPath, extensionTestsPath }));
        timings.workbenchMs = Date.now() - tWorkbench;
        const tSuite = Date.now();
        const outcome = await Promise.race([exited, timedOut, server.exited.then((how) => `code-server exited (${how})`)]);
        timings.suiteMs = Date.now() - tSuite;
        if (typeof outcome === "number") exitCode = outcome;
        else error = outcome === "timeout" ? `the suite did not finish within ${timeoutMs} ms` : outcome;
    } catch (err) {
        error = err instanceof Error ? err.message : String(err);
    } finally {
        clearTimeout(watchdog);
        if (error !== undefined && browser) screenshot = await saveScreenshot(browser.page, "extension-tests-failure").catch(() => undefined);
        await browser?.close();
    }
    const report = readReport(resultsFile);
    const tStop = Date.now();
    await server?.stop();
    timings.stopMs = Date.now() - tStop;
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    timings.totalMs = Date.now() - t0;
    return { exitCode, report, output, ...(error !== undefined ? { error } : {}), ...(screenshot ? { screenshot } : {}), timings };
}

if (require.main === module) {
    const grepAt = process.argv.indexOf("--grep");
    void runExtensionTests({
        ...(grepAt > 0 ? { grep: process.argv[grepAt + 1] } : {}),
        onOutput: (line) => { if (!line.startsWith("[code-server]")) console.log(line); }
    }).then((r) => {
        if (r.error) console.error(`extension tests: ${r.error}${r.screenshot ? ` (screenshot: ${r.screenshot})` : ""}`);
        const t = r.timings;
        console.log(`extension tests: exit ${r.exitCode ?? "none"}; code-server ${t.codeServerStartMs} ms, workbench ${t.workbenchMs} ms, suite ${t.suiteMs} ms, stop ${t.stopMs} ms, total ${t.totalMs} ms`);
        process.exitCode = r.exitCode ?? 1;
    });
}
