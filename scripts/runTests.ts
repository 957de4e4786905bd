// The test run behind `npm test` (after build, type-check and lint): makes sure the generated test models and
// the real VS Code host (code-server + Chromium) are there, then runs every node:test file under out/test with
// node's test runner, which ends the output with its summary. The in-host mocha suite (test/host/suite) runs
// inside VS Code, driven by out/test/host/host.test.js.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..", "..");
const out = join(root, "out", "test");

/** Runs a setup step; a failed `required` step ends the run, another one only warns (its tests then skip). */
function step(title: string, args: string[], required = true): void {
    const t0 = Date.now();
    console.log(`\n▶ ${title}`);
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
        console.error(`✖ ${title} failed (exit ${r.status ?? r.signal})`);
        if (required) process.exit(r.status ?? 1);
        console.error("  Its tests will be skipped. On Debian/Ubuntu: apt-get install -y chromium libkrb5-dev, then npm test again.");
        return;
    }
    console.log(`✔ ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function testFiles(dir: string): string[] {
    const files: string[] = [];
    for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) {
            // The mocha suite runs inside VS Code (driven by host.test.js); the sample workspace is test data.
            if (name === "suite" || name === "sampleWorkspace") continue;
            files.push(...testFiles(p));
        } else if (name.endsWith(".test.js")) files.push(p);
    }
    return files.sort();
}

step("generated test models (npm run fixtures)", [join(out, "fixtures", "generate.js")]);
if (process.env.R1_SKIP_HOST === "1") console.log("\nR1_SKIP_HOST=1: the real VS Code host is not installed; its tests will skip.");
// In CI the host must be there (.ci/run installs its apt packages); on a developer's machine a missing
// Chromium or libkrb5-dev only skips the host tests, with the reason printed.
else step("real VS Code host: Node 24 + code-server (npm run setup:host)", [join(out, "host", "setupHost.js")], process.env.CI === "true");

const files = testFiles(out);
console.log(`\n▶ node --test: ${files.length} test files\n  ${files.map((f) => relative(root, f)).join("\n  ")}\n`);
if (files.length === 0 || !existsSync(join(out, "unit"))) {
    console.error("No test files found under out/test: run the build first.");
    process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=1", ...files], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
