// Installs the real VS Code test host, idempotently: Node 24 into .host/node24 and code-server into
// .host/code-server, each with `npm ci` from the pinned manifests in test/host/runtime/{node24,codeServer}/.
// A runtime is left alone when its installed lockfile equals the pinned one and it passes a quick check;
// otherwise the manifests are copied and `npm ci` runs again. Checks that Chromium is there (apt package).
// Usage: node out/test/host/setupHost.js [--check]   (--check: report only, install nothing; exit 1 if not ready)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    chromiumPath, codeServerDir, codeServerEntry, codeServerPackage, node24Bin, node24Dir, node24Home, runtimeManifestsDir
} from "./hostPaths";

export interface SetupHostOptions {
    /** Only report what would be installed. */
    readonly checkOnly?: boolean;
    /** Where progress lines go (default console.log). */
    readonly log?: (line: string) => void;
}

export interface SetupHostResult {
    /** True when Node 24, code-server and Chromium are all ready. */
    readonly ready: boolean;
    readonly node24: RuntimeState;
    readonly codeServer: RuntimeState;
    readonly chromium: string | undefined;
    readonly ms: number;
}

export type RuntimeState = "up to date" | "installed" | "missing" | "failed";

interface Runtime {
    readonly name: string;
    readonly manifests: string;
    readonly dir: string;
    /** Returns undefined when the installed runtime works, else why not. */
    readonly verify: () => string | undefined;
    readonly env: () => NodeJS.ProcessEnv;
}

const node24Version = "v24.22.3";
const codeServerVersion = "4.139.1";

function verifyNode24(): string | undefined {
    if (!existsSync(node24Bin)) return `${node24Bin} is missing`;
    const r = spawnSync(node24Bin, ["--version"], { encoding: "utf8", timeout: 10_000 });
    return r.stdout?.trim() === node24Version ? undefined : `node --version said ${JSON.stringify(r.stdout ?? r.error?.message)}`;
}

function verifyCodeServer(): string | undefined {
    if (!existsSync(codeServerEntry)) return `${codeServerEntry} is missing`;
    // The last step of code-server's postinstall installs lib/vscode/extensions' dependencies.
    if (!existsSync(join(codeServerPackage, "lib", "vscode", "extensions", "node_modules", "typescript", "package.json"))) {
        return "code-server's postinstall did not finish (lib/vscode/extensions/node_modules is missing)";
    }
    // code-server writes a config file and logs under HOME even for --version: give it a throwaway HOME.
    const home = mkdtempSync(join(tmpdir(), "r1-setup-host-"));
    try {
        const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local", "share") };
        const r = spawnSync(node24Bin, [codeServerEntry, "--version"], { encoding: "utf8", timeout: 30_000, env });
        const versionLine = (r.stdout ?? "").split("\n").some((line) => line.startsWith(`${codeServerVersion} `));
        return versionLine ? undefined
            : `code-server --version said ${JSON.stringify(r.stdout ?? r.error?.message)}`;
    } finally {
        rmSync(home, { recursive: true, force: true });
    }
}

function withNode24(): NodeJS.ProcessEnv {
    // code-server's postinstall insists on Node 24 (it reads npm_config_user_agent) and builds native modules
    // against the Node headers in npm_config_nodedir. Under `npm test` the environment carries the outer npm's
    // npm_* variables (npm_config_user_agent says Node 20, and npm reads npm_config_* as its own config), so
    // none of them is passed on.
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
    return { ...env, PATH: `${join(node24Home, "bin")}:${process.env.PATH ?? ""}`, npm_config_nodedir: node24Home };
}

const runtimes: readonly Runtime[] = [
    { name: "node24", manifests: join(runtimeManifestsDir, "node24"), dir: node24Dir, verify: verifyNode24, env: () => process.env },
    { name: "codeServer", manifests: join(runtimeManifestsDir, "codeServer"), dir: codeServerDir, verify: verifyCodeServer, env: withNode24 }
];

function sameFile(a: string, b: string): boolean {
    return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

function krb5HeadersPresent(): boolean {
    return existsSync("/usr/include/gssapi/gssapi.h") || existsSync("/usr/include/krb5.h");
}

function setupRuntime(rt: Runtime, checkOnly: boolean, log: (line: string) => void): RuntimeState {
    const lockfile = join(rt.manifests, "package-lock.json");
    const installedLock = join(rt.dir, "package-lock.json");
    const locksMatch = sameFile(lockfile, installedLock) && sameFile(join(rt.manifests, "package.json"), join(rt.dir, "package.json"));
    const problem = locksMatch ? rt.verify() : "its lockfile differs from the pinned one or is missing";
    if (problem === undefined) {
        log(`setupHost: ${rt.name}: up to date (${rt.dir})`);
        return "up to date";
    }
    if (checkOnly) {
        log(`setupHost: ${rt.name}: needs install: ${problem}`);
        return "missing";
    }
    if (rt.name === "codeServer" && !krb5HeadersPresent()) {
        log("setupHost: codeServer: the Kerberos headers are missing: `apt-get install -y libkrb5-dev` first (code-server's native `kerberos` module needs them)");
        return "failed";
    }
    log(`setupHost: ${rt.name}: installing (${problem}): npm ci in ${rt.dir}`);
    const t0 = Date.now();
    mkdirSync(rt.dir, { recursive: true });
    copyFileSync(join(rt.manifests, "package.json"), join(rt.dir, "package.json"));
    copyFileSync(lockfile, installedLock);
    const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: rt.dir, env: rt.env(), stdio: "inherit", timeout: 20 * 60_000 });
    const after = r.status === 0 ? rt.verify() : `npm ci exited with ${r.status ?? r.signal ?? r.error?.message}`;
    if (after !== undefined) {
        log(`setupHost: ${rt.name}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${after}`);
        return "failed";
    }
    log(`setupHost: ${rt.name}: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return "installed";
}

/** Makes sure Node 24 and code-server are installed from the pinned manifests, and reports Chromium. */
export function setupHost(options: SetupHostOptions = {}): SetupHostResult {
    const log = options.log ?? ((line: string) => console.log(line));
    const t0 = Date.now();
    if (process.platform !== "linux" || process.arch !== "x64") {
        log(`setupHost: skipped: the pinned host runtimes are for Linux x64, this is ${process.platform}-${process.arch}`);
        return { ready: false, node24: "missing", codeServer: "missing", chromium: undefined, ms: Date.now() - t0 };
    }
    const node24 = setupRuntime(runtimes[0], options.checkOnly ?? false, log);
    // code-server is installed with Node 24, so it waits for a working Node 24.
    let codeServer: RuntimeState = "missing";
    if (node24 === "up to date" || node24 === "installed") codeServer = setupRuntime(runtimes[1], options.checkOnly ?? false, log);
    else log("setupHost: codeServer: not checked (it needs Node 24 first)");
    const chromium = existsSync(chromiumPath) ? chromiumPath : undefined;
    log(chromium
        ? `setupHost: chromium: ${chromiumPath}`
        : `setupHost: chromium: MISSING at ${chromiumPath}: \`apt-get install -y chromium\` (or set R1_CHROMIUM)`);
    const ok = (s: RuntimeState) => s === "up to date" || s === "installed";
    const ready = ok(node24) && ok(codeServer) && chromium !== undefined;
    const ms = Date.now() - t0;
    log(`setupHost: ${ready ? "ready" : "NOT ready"} in ${(ms / 1000).toFixed(1)} s`);
    return { ready, node24, codeServer, chromium, ms };
}

if (require.main === module) {
    const result = setupHost({ checkOnly: process.argv.includes("--check") });
    process.exitCode = result.ready ? 0 : 1;
}
