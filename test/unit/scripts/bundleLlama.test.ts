// scripts/packaging/bundleLlama.ts: node-llama-cpp and its dependencies as the VSIX ships them (two .js files). The
// bundle is laid out as in a staged VSIX (node_modules/node-llama-cpp beside this machine's @node-llama-cpp binaries)
// and run in a child process: it finds its binary, tries it in a forked testBindingBinary.js (node-llama-cpp warns
// "is not independent" and skips that check when the file was bundled into the main one), reads its own version,
// loads a generated model and answers with the chat template. The installed-VSIX UI test does the same in code-server.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { bundleLlama } from "../../../scripts/packaging/bundleLlama";
import { repoRoot } from "../../fixtures/repoPaths";

const CHILD = `
const m = await import(process.argv[2]);
const llama = await m.getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath: process.argv[3] });
const context = await model.createContext({ contextSize: 512 });
const session = new m.LlamaChatSession({ contextSequence: context.getSequence() });
const answer = await session.prompt("Write add", { maxTokens: 12 });
console.log(JSON.stringify({ build: llama.buildType, answer }));
await context.dispose(); await model.dispose(); await llama.dispose();
`;

test("the bundled node-llama-cpp: two .js files that load a model, with the binary tried in its own forked file", { timeout: 180_000 }, async (t) => {
    const root = repoRoot();
    const model = join(root, "test/fixtures/models/r1-shortLoop.gguf");
    if (!existsSync(model)) return t.skip("the generated models are missing: run node out/test/fixtures/generate.js");
    const dir = mkdtempSync(join(tmpdir(), "r1-bundle-"));
    try {
        const source = join(root, "node_modules/node-llama-cpp");
        const staged = join(dir, "node_modules/node-llama-cpp");
        mkdirSync(staged, { recursive: true });
        cpSync(join(source, "package.json"), join(staged, "package.json"));
        cpSync(join(source, "llama/binariesGithubRelease.json"), join(staged, "llama/binariesGithubRelease.json"));
        symlinkSync(join(root, "node_modules/@node-llama-cpp"), join(dir, "node_modules/@node-llama-cpp"), "dir");
        const result = await bundleLlama(source, staged);
        assert.deepEqual(result.files.filter((f) => f.endsWith(".js")).map((f) => f.slice(staged.length + 1)).sort(),
            ["dist/bindings/utils/testBindingBinary.js", "dist/index.js"]);
        // No dependency is left to resolve from node_modules (only Node's built-ins and the binaries are imported).
        const bundle = readFileSync(join(staged, "dist/index.js"), "utf8");
        const imports = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((x) => x[1]!);
        assert.deepEqual(imports.filter((s) => !s.startsWith("node:") && !builtinModules.includes(s) && s !== "./bindings/utils/testBindingBinary.js"), []);

        const script = join(dir, "child.mjs");
        writeFileSync(script, CHILD);
        const run = spawnSync(process.execPath, ["--trace-warnings", script, join(staged, "dist/index.js"), model], { encoding: "utf8", timeout: 150_000 });
        const output = `${run.stdout}${run.stderr}`;
        assert.equal(run.status, 0, output);
        assert.doesNotMatch(output, /is not independent/, "testBindingBinary.js was bundled into the main file");
        const { build, answer } = JSON.parse(run.stdout.trim().split("\n").pop()!) as { build: string; answer: string };
        assert.equal(build, "prebuilt");
        assert.ok(answer.length > 0, output);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
