// The contents check of a built VSIX (scripts/packaging/vsixContents.ts) on entries with real native headers: the
// first bytes of this machine's linux-x64 llama-addon.node, and of a PE and a Mach-O file as their formats define.
import * as assert from "node:assert/strict";
import { openSync, readSync, closeSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { findTarget, nativeKind } from "../../../scripts/packaging/targets";
import { MAX_VSIX_BYTES, type VsixEntry, vsixProblems } from "../../../scripts/packaging/vsixContents";
import { repoRoot } from "../../fixtures/repoPaths";

function head(file: string): Buffer {
    const b = Buffer.alloc(4096);
    const fd = openSync(file, "r");
    try {
        return b.subarray(0, readSync(fd, b, 0, 4096, 0));
    } finally {
        closeSync(fd);
    }
}
const elfX64 = head(join(repoRoot(), "node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64", "llama-addon.node"));
function pe(machine: number): Buffer {
    const b = Buffer.alloc(512);
    b.write("MZ", 0, "latin1");
    b.writeUInt32LE(128, 60);
    b.writeUInt32LE(0x00004550, 128);
    b.writeUInt16LE(machine, 132);
    return b;
}
const machO = (cpu: number) => Buffer.from([0xcf, 0xfa, 0xed, 0xfe, cpu & 0xff, 0, 0, 1]);

const good: VsixEntry[] = ([
    "extension/package.json", "extension/package.nls.json", "extension/dist/extension.js", "extension/dist/server.js", "extension/media/icon.png",
    "extension/node_modules/node-llama-cpp/package.json", "extension/node_modules/node-llama-cpp/dist/index.js",
    "extension/node_modules/node-llama-cpp/dist/bindings/utils/testBindingBinary.js", "extension/node_modules/node-llama-cpp/llama/grammars/json.gbnf"
].map((path) => ({ path, size: 10 })) as VsixEntry[]).concat([{ path: "extension/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node", size: 700_000, head: elfX64 }]);

test("native headers: ELF, PE and Mach-O machines are told apart", () => {
    assert.deepEqual(nativeKind(elfX64), { format: "elf", machine: "x64" });
    assert.deepEqual(nativeKind(pe(0x8664)), { format: "pe", machine: "x64" });
    assert.deepEqual(nativeKind(pe(0xaa64)), { format: "pe", machine: "arm64" });
    assert.deepEqual(nativeKind(machO(0x0c)), { format: "mach-o", machine: "arm64" });
    assert.equal(nativeKind(Buffer.from("#!/bin/sh\n")), null);
});

test("a linux-x64 VSIX with only what it needs passes", () => {
    assert.deepEqual(vsixProblems(good, findTarget("linux-x64"), 40_000_000), []);
});

test("each forbidden file fails the check, with its reason", () => {
    const linux = findTarget("linux-x64");
    const bad = (path: string, extra: Partial<VsixEntry> = {}) => vsixProblems([...good, { path, size: 1, ...extra }], linux, 1000);
    assert.match(bad("extension/node_modules/@node-llama-cpp/win-x64/bins/win-x64/llama-addon.node", { head: pe(0x8664) }).join("\n"), /another platform or backend \(@node-llama-cpp\/win-x64\)[\s\S]*built for pe x64, not linux-x64/);
    assert.match(bad("extension/node_modules/@node-llama-cpp/linux-x64-cuda/package.json").join(), /linux-x64-cuda/);
    assert.match(bad("extension/node_modules/foo/prebuilds/x.node", { head: machO(0x0c) }).join(), /built for mach-o arm64, not linux-x64/);
    assert.match(bad("extension/node_modules/node-llama-cpp/llama/llama.cpp/src/llama.cpp").join(), /source bundle/);
    assert.match(bad("extension/node_modules/node-llama-cpp/llama/gitRelease.bundle").join(), /source bundle/);
    assert.match(bad("extension/node_modules/minimist/test/parse.js").join(), /a test/);
    assert.match(bad("extension/src/extension.ts").join(), /TypeScript source/);
    assert.match(bad("extension/dist/extension.js.map").join(), /source map/);
    assert.match(bad("extension/models/tiny.gguf").join(), /a model file/);
    assert.match(vsixProblems(good, linux, MAX_VSIX_BYTES + 1).join(), /over the 100 MB limit/);
    assert.match(vsixProblems(good.filter((e) => !e.path.endsWith("server.js")), linux, 1).join(), /missing extension\/dist\/server\.js/);
    assert.deepEqual(vsixProblems(good, findTarget("darwin-arm64"), 1).filter((p) => /llama-addon/.test(p)).length, 2, "a linux binary in a darwin VSIX: foreign package and foreign machine");
});
