// npm run test:reliability: the reliability suite, with its long parts, and its figures as ONE JSON line at the end.
//   1. the unit-level reliability tests (out/test/unit/reliability: download faults on a real small filesystem, ...);
//   2. the in-host suite's reliability tests (--grep "Reliability|Hostile|Privacy") in the real VS Code host, with
//      R1_RELIABILITY_LONG=1: the cancel storm and the 300-request soak run too (npm test skips them);
// then prints {"unit":…,"inHost":…,"cancelStorm":…,"soak":…,…} (figures the tests wrote to R1_RELIABILITY_FIGURES).
// Exit code: 0 when everything passed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExtensionTests } from "../test/host/runExtensionTests";
import { hostUnavailableReason } from "../test/host/hostPaths";

const root = join(__dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "r1-reliability-"));
const figuresFile = join(tmp, "figures.json");

function unitTests(): { files: number; exitCode: number | null; passed: number; failed: number; skipped: number } {
    const dir = join(root, "out", "test", "unit", "reliability");
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".test.js")).map((f) => join(dir, f)) : [];
    if (files.length === 0) return { files: 0, exitCode: 0, passed: 0, failed: 0, skipped: 0 };
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=1", ...files], {
        cwd: root, encoding: "utf8", env: { ...process.env, R1_RELIABILITY_FIGURES: figuresFile }
    });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    const n = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)`, "m").exec(r.stdout)?.[1] ?? 0);
    return { files: files.length, exitCode: r.status, passed: n("pass"), failed: n("fail"), skipped: n("skipped") };
}

async function main(): Promise<void> {
    const t0 = Date.now();
    console.log("▶ unit-level reliability tests (out/test/unit/reliability)");
    const unit = unitTests();
    let inHost: Record<string, unknown> = { skipped: hostUnavailableReason() };
    if (!hostUnavailableReason()) {
        console.log("\n▶ in-host reliability tests (Reliability|Hostile|Privacy), with the cancel storm and the soak");
        const r = await runExtensionTests({
            grep: "Reliability|Hostile|Privacy",
            env: { R1_RELIABILITY_LONG: "1", R1_RELIABILITY_FIGURES: figuresFile },
            timeoutMs: 3_600_000,
            onOutput: (line) => { if (!line.startsWith("[code-server]")) console.log(line); }
        });
        const failedNames = r.report?.tests.filter((t) => t.state === "failed").map((t) => t.titlePath.join(" › ")) ?? [];
        inHost = {
            exitCode: r.exitCode ?? null, passed: r.report?.passed ?? 0, failed: r.report?.failed ?? 0, pending: r.report?.pending ?? 0,
            suiteSeconds: Math.round(r.timings.suiteMs / 100) / 10, ...(r.error ? { error: r.error } : {}), ...(failedNames.length ? { failedNames } : {})
        };
    }
    let figures: Record<string, unknown> = {};
    try {
        figures = JSON.parse(readFileSync(figuresFile, "utf8")) as Record<string, unknown>;
    } catch {
        // no test wrote figures
    }
    rmSync(tmp, { recursive: true, force: true });
    const ok = unit.exitCode === 0 && (inHost.skipped !== undefined || inHost.exitCode === 0);
    console.log(JSON.stringify({ ok, seconds: Math.round((Date.now() - t0) / 1000), unit, inHost, ...figures }));
    process.exitCode = ok ? 0 : 1;
}

void main();
