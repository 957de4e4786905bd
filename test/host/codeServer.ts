// Starts code-server (the VS Code workbench + a Node extension host) as a real VS Code host for tests and `npm start`.
// Everything it writes goes to one per-run temp dir: user data, extensions, HOME, XDG_*, TMPDIR. It runs detached in
// its own process group under a small shell watchdog, so stop(), the exit of this process, or even this process
// being killed outright takes the whole group (server, extension host, language server, helpers) down with it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { codeServerEntry, hostUnavailableReason, node24Bin, node24Home } from "./hostPaths";

export interface CodeServerOptions {
    /**
     * Record every connect() of code-server and everything it starts (extension host, model process) into this file
     * with `strace -f -e trace=connect,clone,clone3,fork,vfork` (see straceBinary; the clone/fork records say which
     * process each thread id belongs to). Unset, or strace missing: not recorded.
     */
    readonly connectLog?: string;
    /** Folder the workbench opens by default (`/?folder=` picks another). */
    readonly folder?: string;
    /** Port on 127.0.0.1; 0 or absent: a free one. */
    readonly port?: number;
    /**
     * Extension folders to register in the extensions dir as if installed, loaded straight from where they are
     * (extensions.json points at the folder; nothing is copied or packaged). Used by `npm start` and the UI test.
     */
    readonly extensions?: readonly string[];
    /** .vsix files installed into the (otherwise empty) extensions dir with `code-server --install-extension`, as a user does. */
    readonly vsix?: readonly string[];
    /**
     * Written to User/settings.json in the user-data dir (on top of quiet defaults for a test host) and to
     * Machine/settings.json (where a remote window reads machine-scoped settings such as r1.modelPath).
     */
    readonly settings?: Readonly<Record<string, unknown>>;
    /** Extra environment for code-server, hence for the extension host and the processes it starts. */
    readonly env?: Readonly<Record<string, string>>;
    /**
     * Start with `--vscode-option enable-smoke-test-driver`: the workbench then accepts extensionDevelopmentPath and
     * extensionTestsPath in its `payload` URL parameter (see workbenchUrl). Side effect: notification toasts are
     * hidden (read them in the notification center).
     */
    readonly smokeTestDriver?: boolean;
    /** How long to wait for the server to listen (default 30 s). */
    readonly startTimeoutMs?: number;
    /** Where the per-run temp dir goes (default the OS temp dir). */
    readonly tempParent?: string;
    /** Keep the per-run temp dir after stop() (default: removed). */
    readonly keepTemp?: boolean;
    /** More directories (without spaces) to remove with the temp dir, also when this process dies without stop(). */
    readonly alsoRemove?: readonly string[];
    /** Each line code-server prints (default: collected only). */
    readonly onOutput?: (line: string) => void;
}

export interface WorkbenchUrlOptions {
    /** Folder to open (default: the server's folder). */
    readonly folder?: string;
    /** Extension under development, loaded from the working tree (needs smokeTestDriver). */
    readonly extensionDevelopmentPath?: string;
    /** Test runner module to run inside the extension host (needs smokeTestDriver). */
    readonly extensionTestsPath?: string;
}

export interface CodeServer {
    /** http://127.0.0.1:PORT/ */
    readonly url: string;
    readonly port: number;
    /** The per-run temp dir holding everything below. */
    readonly tempRoot: string;
    readonly userDataDir: string;
    readonly extensionsDir: string;
    /** HOME of code-server and everything it starts. */
    readonly homeDir: string;
    /** What code-server printed so far (stdout and stderr, line by line). */
    readonly output: readonly string[];
    /** The workbench URL for a folder, optionally with an extension under development and a test runner. */
    workbenchUrl(options?: WorkbenchUrlOptions): string;
    /** A path on this machine as the workbench's remote URI (vscode-remote://127.0.0.1:PORT/path). */
    remoteUri(path: string): string;
    /** Resolves when code-server has exited (by stop() or by itself), with its exit code or signal. */
    readonly exited: Promise<number | string>;
    /** Kills the whole process group (SIGTERM, then SIGKILL after 3 s) and removes the temp dir. Idempotent. */
    stop(): Promise<void>;
}

/** Settings that keep a test host quiet and predictable: no welcome page, no AI chat panel, no update checks. */
export const quietHostSettings: Readonly<Record<string, unknown>> = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "chat.disableAIFeatures": true,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "security.workspace.trust.enabled": false,
    "git.enabled": false,
    "typescript.tsserver.experimental.enableProjectDiagnostics": false
};

interface Manifest { readonly publisher: string; readonly name: string; readonly version: string }

/** Registers extension folders in an extensions dir the way an install would, but pointing at the folders as they are. */
export function registerExtensions(extensionsDir: string, folders: readonly string[]): string[] {
    const entries = folders.map((folder) => {
        const abs = resolve(folder);
        const m = JSON.parse(readFileSync(join(abs, "package.json"), "utf8")) as Manifest;
        return {
            identifier: { id: `${m.publisher}.${m.name}`.toLowerCase() },
            version: m.version,
            location: { $mid: 1, scheme: "file", path: abs },
            metadata: { installedTimestamp: Date.now(), source: "vsix", pinned: true }
        };
    });
    mkdirSync(extensionsDir, { recursive: true });
    writeFileSync(join(extensionsDir, "extensions.json"), JSON.stringify(entries, null, 2));
    return entries.map((e) => e.identifier.id);
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        // already gone
    }
}

function groupAlive(child: ChildProcess): boolean {
    if (child.pid === undefined) return false;
    try {
        process.kill(-child.pid, 0);
        return true;
    } catch {
        return false;
    }
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const child of live) killGroup(child, "SIGKILL");
    });
}

// The watchdog: a shell that starts code-server in the background (same process group) and, as soon as the Node
// process that started it is gone (even SIGKILLed, running no exit hook), kills the whole group and removes the
// run's temp dirs. It ignores SIGTERM itself (set after the fork, so code-server keeps the default) to outlive the
// group's TERM long enough to clean up; stop() ends it by ending code-server.
const watchdogScript = [
    "\"$@\" &",
    "child=$!",
    "trap '' TERM",
    "while kill -0 \"$R1_WATCHDOG_PARENT\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 0.25; done",
    "if ! kill -0 \"$R1_WATCHDOG_PARENT\" 2>/dev/null; then",
    "  kill -TERM 0; sleep 2",
    "  for d in $R1_WATCHDOG_CLEANUP; do rm -rf \"$d\"; done",
    "  kill -KILL 0",
    "fi",
    "wait \"$child\""
].join("\n");

/** Starts code-server on 127.0.0.1 and resolves once it listens. Throws (after cleaning up) if it does not. */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
    const unavailable = hostUnavailableReason({ chromium: false });
    if (unavailable) throw new Error(`code-server cannot start: ${unavailable}`);
    const tempRoot = mkdtempSync(join(options.tempParent ?? tmpdir(), "r1-code-server-"));
    const homeDir = join(tempRoot, "home");
    const userDataDir = join(tempRoot, "user-data");
    const extensionsDir = join(tempRoot, "extensions");
    const tmp = join(tempRoot, "tmp");
    for (const d of [homeDir, join(userDataDir, "User"), extensionsDir, tmp]) mkdirSync(d, { recursive: true });
    writeFileSync(join(userDataDir, "User", "settings.json"), JSON.stringify({ ...quietHostSettings, ...options.settings }, null, 4));
    // The window is a remote one (code-server is the remote): settings of machine or machine-overridable scope,
    // such as r1.modelPath, are read from the remote's Machine settings, and the browser-side User values are dropped.
    mkdirSync(join(userDataDir, "Machine"), { recursive: true });
    writeFileSync(join(userDataDir, "Machine", "settings.json"), JSON.stringify({ ...options.settings }, null, 4));
    registerExtensions(extensionsDir, options.extensions ?? []);

    const folder = resolve(options.folder ?? homeDir);
    const args = [
        codeServerEntry,
        "--bind-addr", `127.0.0.1:${options.port ?? 0}`,
        "--auth", "none",
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--ignore-last-opened",
        "--user-data-dir", userDataDir,
        "--extensions-dir", extensionsDir,
        ...(options.smokeTestDriver ? ["--vscode-option", "enable-smoke-test-driver"] : []),
        folder
    ];
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        PATH: `${join(node24Home, "bin")}:${process.env.PATH ?? ""}`,
        HOME: homeDir,
        XDG_CONFIG_HOME: join(homeDir, ".config"),
        XDG_DATA_HOME: join(homeDir, ".local", "share"),
        XDG_CACHE_HOME: join(homeDir, ".cache"),
        XDG_STATE_HOME: join(homeDir, ".local", "state"),
        XDG_RUNTIME_DIR: join(tempRoot, "run"),
        TMPDIR: tmp,
        EXTENSIONS_GALLERY: "{}",
        R1_WATCHDOG_PARENT: String(process.pid),
        R1_WATCHDOG_CLEANUP: options.keepTemp ? "" : [tempRoot, ...(options.alsoRemove ?? [])].join(" ")
    };
    // Anything that tells a child it runs under a test runner or a debugger would leak into the extension host.
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    delete env.VSCODE_IPC_HOOK_CLI;
    delete env.ELECTRON_RUN_AS_NODE;
    mkdirSync(join(tempRoot, "run"), { recursive: true, mode: 0o700 });
    for (const vsix of options.vsix ?? []) {
        const r = spawnSync(node24Bin, [codeServerEntry, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir, "--install-extension", vsix], { env, cwd: tempRoot, encoding: "utf8", timeout: 120_000 });
        if (r.status !== 0) {
            rmSync(tempRoot, { recursive: true, force: true });
            throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
        }
        options.onOutput?.(`${r.stdout}${r.stderr}`.trim());
    }

    const tracer = options.connectLog && straceBinary() ? [straceBinary()!, "-f", "--seccomp-bpf", "-qq", "-e", straceCalls, "-o", options.connectLog] : [];
    const child = spawn("/bin/sh", ["-c", watchdogScript, "r1-code-server", ...tracer, node24Bin, ...args], {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env,
        cwd: tempRoot
    });
    live.add(child);
    installExitHook();

    const output: string[] = [];
    let listening: ((port: number) => void) | undefined;
    const portFound = new Promise<number>((res) => { listening = res; });
    const onText = (chunk: Buffer) => {
        for (const line of chunk.toString("utf8").split(/\r?\n/)) {
            if (line === "") continue;
            output.push(line);
            options.onOutput?.(line);
            const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
            if (m) listening?.(Number(m[1]));
        }
    };
    child.stdout?.on("data", onText);
    child.stderr?.on("data", onText);
    const exited = new Promise<number | string>((res) => {
        child.on("exit", (code, signal) => {
            live.delete(child);
            res(code ?? signal ?? "unknown");
        });
    });

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
        stopped ??= (async () => {
            // The group outlives its leader (the watchdog shell): wait for all of it, then SIGKILL what is left.
            killGroup(child, "SIGTERM");
            const deadline = Date.now() + 3000;
            while (groupAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
            killGroup(child, "SIGKILL");
            await exited;
            live.delete(child);
            if (!options.keepTemp) {
                for (const d of [tempRoot, ...(options.alsoRemove ?? [])]) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
            }
        })();
        return stopped;
    };

    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const port = await Promise.race([
        portFound,
        exited.then((how) => { throw new Error(`code-server exited (${how}) before listening:\n${output.slice(-20).join("\n")}`); }),
        new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`code-server did not listen within ${timeoutMs} ms:\n${output.slice(-20).join("\n")}`)), timeoutMs); })
    ]).catch(async (err: unknown) => {
        await stop();
        throw err;
    }).finally(() => clearTimeout(timer));
    const url = `http://127.0.0.1:${port}/`;
    await waitForHealth(url, timeoutMs).catch(async (err: unknown) => {
        await stop();
        throw err;
    });

    const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${encodeURI(resolve(path))}`;
    return {
        url, port, tempRoot, userDataDir, extensionsDir, homeDir, output, exited, stop, remoteUri,
        workbenchUrl(o: WorkbenchUrlOptions = {}) {
            // Slashes stay readable in the folder parameter (code-server's own links look like ?folder=/a/b).
            const query = [`folder=${encodeURIComponent(resolve(o.folder ?? folder)).replace(/%2F/g, "/")}`];
            const payload: [string, string][] = [];
            if (o.extensionDevelopmentPath) payload.push(["extensionDevelopmentPath", remoteUri(o.extensionDevelopmentPath)]);
            if (o.extensionTestsPath) payload.push(["extensionTestsPath", remoteUri(o.extensionTestsPath)]);
            if (payload.length > 0) {
                if (!options.smokeTestDriver) throw new Error("extensionDevelopmentPath/extensionTestsPath need startCodeServer({ smokeTestDriver: true })");
                // The workbench reads the parameters in order and `ew` (empty window) drops a folder named before
                // it: it goes first, so that the folder is opened.
                query.unshift("ew=true");
                query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
            }
            return `${url}?${query.join("&")}`;
        }
    };
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
        try {
            const res = await fetch(new URL("healthz", url), { signal: AbortSignal.timeout(2000) });
            if (res.ok) return;
            last = `HTTP ${res.status}`;
        } catch (err) {
            last = String(err);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`code-server at ${url} did not answer /healthz within ${timeoutMs} ms (${last})`);
}

let straceChecked: string | null | undefined;

/**
 * What strace records: every connect(), and every clone/fork, because `strace -f` names the thread that made a call,
 * not its process; a clone with CLONE_THREAD adds a thread to its caller's process (the privacy test maps thread ids
 * to processes with them).
 */
const straceCalls = "trace=connect,clone,clone3,fork,vfork";

/**
 * strace, where this machine has it and may use it (a container without ptrace refuses it): the privacy test
 * records connection attempts with it. undefined otherwise; checked once, by tracing `true`.
 */
export function straceBinary(): string | undefined {
    if (straceChecked !== undefined) return straceChecked ?? undefined;
    straceChecked = null;
    for (const dir of (process.env.PATH ?? "").split(":").concat("/usr/bin")) {
        const p = join(dir, "strace");
        if (!dir || !existsSync(p)) continue;
        const probe = spawnSync(p, ["-f", "--seccomp-bpf", "-qq", "-e", straceCalls, "-o", "/dev/null", "true"], { stdio: "ignore", timeout: 10_000 });
        if (probe.status === 0) straceChecked = p;
        break;
    }
    return straceChecked ?? undefined;
}
