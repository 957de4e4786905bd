// The mocha runner that VS Code loads inside the real extension host (extensionTestsPath): it runs every
// *.test.js next to this file (compiled from test/host/suite/*.test.ts), prints mocha's spec report to the
// extension host console and, when R1_SUITE_RESULTS is set, writes a SuiteReport JSON there.
// Both interfaces are available: BDD (describe/it/before/after) and TDD (suite/test/setup/teardown); use one per file.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";
import { suiteEnv, type SuiteReport, type SuiteTestResult } from "../suiteResult";

function titlePathOf(test: Mocha.Runnable): string[] {
    return test.titlePath();
}

export async function run(): Promise<void> {
    const mocha = new Mocha({
        ui: "bdd",
        color: false,
        reporter: "spec",
        timeout: Number(process.env[suiteEnv.timeout] ?? 20_000),
        ...(process.env[suiteEnv.grep] ? { grep: process.env[suiteEnv.grep] } : {})
    });
    mocha.ui("tdd");
    const files = readdirSync(__dirname).filter((f) => f.endsWith(".test.js")).sort();
    for (const f of files) mocha.addFile(join(__dirname, f));
    console.log(`[suite] ${files.length} test files: ${files.join(", ")}`);

    const tests: SuiteTestResult[] = [];
    const started = Date.now();
    const failures = await new Promise<number>((resolveRun, rejectRun) => {
        try {
            const runner = mocha.run((n) => resolveRun(n));
            runner.on("pass", (t) => tests.push({ titlePath: titlePathOf(t), state: "passed", durationMs: t.duration ?? 0 }));
            runner.on("pending", (t) => tests.push({ titlePath: titlePathOf(t), state: "pending", durationMs: 0 }));
            runner.on("fail", (t, err: Error) => tests.push({
                titlePath: titlePathOf(t),
                state: "failed",
                durationMs: t.duration ?? 0,
                error: { message: String(err?.message ?? err), ...(err?.stack ? { stack: err.stack } : {}) }
            }));
        } catch (err) {
            rejectRun(err);
        }
    });
    const report: SuiteReport = {
        tests,
        passed: tests.filter((t) => t.state === "passed").length,
        failed: tests.filter((t) => t.state === "failed").length,
        pending: tests.filter((t) => t.state === "pending").length,
        durationMs: Date.now() - started
    };
    const resultsFile = process.env[suiteEnv.results];
    if (resultsFile) writeFileSync(resultsFile, JSON.stringify(report, null, 2));
    console.log(`[suite] ${report.passed} passed, ${report.failed} failed, ${report.pending} pending in ${report.durationMs} ms`);
    if (failures > 0) throw new Error(`${failures} of ${tests.length} extension host tests failed`);
}
