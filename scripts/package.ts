// npm run package [-- --target linux-x64|linux-arm64|darwin-arm64|win32-x64|… ] [--cuda]
// A platform-specific .vsix (as `vsce package --target`). The bundles need node-llama-cpp at run time (it is
// ESM-only and finds its native binaries by file layout), so its production dependencies are shipped, with
// only the target platform's prebuilt llama.cpp binaries (npm installs every build of the OS), and the CUDA
// builds (hundreds of MB) only with --cuda. Default target: this machine's.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";

const root = join(__dirname, "..", "..");
const { values } = parseArgs({ options: { target: { type: "string", default: `${process.platform}-${process.arch}` }, cuda: { type: "boolean", default: false } } });
const target = values.target!;

// node-llama-cpp's optional peer dependency (typescript) is not needed at run time.
const notShipped = new Set(["typescript"]);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const dirs = execFileSync(npm, ["ls", "--omit=dev", "--all", "--parseable"], { cwd: root, encoding: "utf8" })
    .split(/\r?\n/)
    .filter((d) => d && d !== root)
    .map((d) => relative(root, d).split(sep).join("/"));

const allow: string[] = [];
const binaries: string[] = [];
for (const dir of dirs) {
    const name = dir.replace(/^.*node_modules\//, "");
    if (notShipped.has(name)) continue;
    if (name.startsWith("@node-llama-cpp/")) {
        const platform = name.slice("@node-llama-cpp/".length);
        const wanted = (platform === target || platform.startsWith(`${target}-`)) && (values.cuda || !platform.includes("cuda"));
        if (!wanted) continue;
        binaries.push(platform);
    }
    if (name === "node-llama-cpp") {
        // Its compiled JS and the small metadata files it reads; not the llama.cpp sources it can build from.
        allow.push(`!${dir}/package.json`, `!${dir}/dist/**/*.js`, `!${dir}/dist/**/*.json`, `!${dir}/llama/*.json`, `!${dir}/llama/grammars/**`, `!${dir}/templates/**`);
        continue;
    }
    allow.push(`!${dir}/**`);
}
if (binaries.length === 0) console.warn(`warning: no prebuilt llama.cpp binary for ${target} is installed here`);
const ignoreFile = join(root, ".vscodeignore.package");
writeFileSync(ignoreFile, `${readFileSync(join(root, ".vscodeignore"), "utf8")}\n${allow.join("\n")}\nnode_modules/**/*.map\nnode_modules/**/*.d.ts\n`);
console.log(`packaging for ${target} with llama.cpp binaries: ${binaries.join(", ") || "none"}`);
try {
    const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
    const r = spawnSync(process.execPath, [vsce, "package", "--target", target, "--ignoreFile", ignoreFile, "--allow-missing-repository", "--skip-license"], { cwd: root, stdio: "inherit" });
    process.exitCode = r.status ?? 1;
} finally {
    rmSync(ignoreFile, { force: true });
}
