// `npm start`: R1 Reasoner in a real VS Code with a sample workspace.
//   Desktop VS Code (`code` on PATH): opens it with --extensionDevelopmentPath (its own user-data dir in .vscode-test/).
//   Otherwise: installs the test host if needed (code-server, Node 24), starts code-server on 127.0.0.1 with the
//   extension loaded from this working tree, prints the URL and runs until Ctrl+C.
// Options (after `npm start --`):
//   --demo             generate the scripted test model and preselect it (r1.modelPath)
//   --port N           code-server port (default: a free one)
//   --code-server      use code-server even where desktop `code` exists
//   FOLDER             open this folder instead of the sample workspace
// Environment: R1_MODEL=/path/model.gguf preselects that model.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { startCodeServer } from "../test/host/codeServer";
import { repoRoot, sampleWorkspaceDir } from "../test/host/hostPaths";
import { setupHost } from "../test/host/setupHost";

export interface StartOptions {
    readonly demo: boolean;
    readonly port?: number;
    readonly forceCodeServer: boolean;
    readonly folder?: string;
    readonly help: boolean;
}

const usage = `Usage: npm start [-- [--demo] [--port N] [--code-server] [FOLDER]]
  --demo          generate test/fixtures/models/r1-scripted.gguf and preselect it (r1.modelPath)
  --port N        code-server port on 127.0.0.1 (default: a free one)
  --code-server   use code-server even where a desktop \`code\` is on PATH
  FOLDER          open this folder instead of a fresh copy of test/host/sampleWorkspace
  R1_MODEL=/path/file.gguf npm start    preselects that model`;

export function parseStartArgs(argv: readonly string[]): StartOptions {
    let demo = false;
    let forceCodeServer = false;
    let help = false;
    let port: number | undefined;
    let folder: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--demo") demo = true;
        else if (a === "--code-server") forceCodeServer = true;
        else if (a === "--help" || a === "-h") help = true;
        else if (a === "--port" || a.startsWith("--port=")) {
            const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
            port = Number(v);
            if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port needs a port number, got ${JSON.stringify(v)}`);
        } else if (a.startsWith("-")) throw new Error(`unknown option ${a}\n${usage}`);
        else folder = resolve(a);
    }
    return { demo, forceCodeServer, help, ...(port !== undefined ? { port } : {}), ...(folder !== undefined ? { folder } : {}) };
}

function findOnPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
        if (!dir) continue;
        const p = join(dir, name);
        try {
            accessSync(p, constants.X_OK);
            return p;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** The model to preselect: R1_MODEL, or with --demo the generated scripted model. Undefined: leave the setting alone. */
function modelToPreselect(demo: boolean): string | undefined {
    const fromEnv = process.env.R1_MODEL;
    if (fromEnv) {
        const p = resolve(fromEnv);
        if (!existsSync(p)) throw new Error(`R1_MODEL=${fromEnv}: no such file`);
        return p;
    }
    if (!demo) return undefined;
    const model = join(repoRoot, "test", "fixtures", "models", "r1-scripted.gguf");
    const generator = join(repoRoot, "out", "test", "fixtures", "generate.js");
    if (existsSync(generator)) {
        console.log("start: generating the demo model (test/fixtures/models/r1-scripted.gguf)");
        const r = spawnSync(process.execPath, [generator, "scripted"], { cwd: repoRoot, stdio: "inherit", timeout: 120_000 });
        if (r.status !== 0) throw new Error(`the fixture generator failed (${r.status ?? r.signal ?? r.error?.message})`);
    } else {
        console.log("start: out/test/fixtures/generate.js is not there (the fixture generator is not in this checkout)");
    }
    if (!existsSync(model)) throw new Error(`--demo: ${model} is missing and cannot be generated here`);
    return model;
}

/** A fresh copy of the sample workspace under .vscode-test/ (git-ignored), so edits never touch the repository. */
function sampleWorkspace(): string {
    const dest = join(repoRoot, ".vscode-test", "sample-workspace");
    rmSync(dest, { recursive: true, force: true });
    cpSync(sampleWorkspaceDir, dest, { recursive: true });
    return dest;
}

function writeUserSettings(userDataDir: string, settings: Readonly<Record<string, unknown>>): void {
    const file = join(userDataDir, "User", "settings.json");
    mkdirSync(join(userDataDir, "User"), { recursive: true });
    let current: Record<string, unknown> = {};
    try {
        current = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
        // none yet (or with comments: start over)
    }
    writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 4));
}

function banner(lines: readonly string[]): string {
    const width = Math.max(...lines.map((l) => l.length)) + 4;
    const rule = "=".repeat(width);
    return ["", rule, ...lines.map((l) => `  ${l}`), rule, ""].join("\n");
}

async function startDesktop(code: string, folder: string, settings: Readonly<Record<string, unknown>>): Promise<number> {
    const userDataDir = join(repoRoot, ".vscode-test", "start-user-data");
    writeUserSettings(userDataDir, settings);
    const args = ["--new-window", `--user-data-dir=${userDataDir}`, `--extensionDevelopmentPath=${repoRoot}`, folder];
    console.log(`start: ${code} ${args.join(" ")}`);
    const child = spawn(code, args, { stdio: "inherit" });
    const status = await new Promise<number>((res) => child.on("exit", (c) => res(c ?? 1)));
    if (status === 0) console.log(banner(["R1 Reasoner opened in desktop VS Code (Extension Development Host).", `Workspace: ${folder}`]));
    return status;
}

async function startInCodeServer(folder: string, port: number | undefined, settings: Readonly<Record<string, unknown>>): Promise<number> {
    const setup = setupHost();
    if (!setup.ready) {
        console.error("start: the code-server host is not ready (see above)");
        return 1;
    }
    const t0 = Date.now();
    const server = await startCodeServer({
        folder,
        extensions: [repoRoot],
        settings,
        ...(port !== undefined ? { port } : {}),
        startTimeoutMs: 60_000
    });
    const url = server.workbenchUrl();
    console.log(banner([
        `R1 Reasoner is running in code-server (started in ${Date.now() - t0} ms). Open:`,
        "",
        `    ${url}`,
        "",
        `Workspace: ${folder}`,
        ...(typeof settings["r1.modelPath"] === "string" ? [`Model:     ${settings["r1.modelPath"] as string}`] : []),
        "After a rebuild (npm run build, or npm run watch), run \"Developer: Reload Window\" in the page.",
        "Press Ctrl+C to stop."
    ]));
    return new Promise<number>((res) => {
        let stopping = false;
        const stop = (why: string, code: number) => {
            if (stopping) return;
            stopping = true;
            console.log(`\nstart: ${why}: stopping code-server`);
            void server.stop().then(() => res(code));
        };
        process.once("SIGINT", () => stop("Ctrl+C", 0));
        process.once("SIGTERM", () => stop("SIGTERM", 0));
        process.once("SIGHUP", () => stop("SIGHUP", 0));
        void server.exited.then((how) => stop(`code-server exited by itself (${how}); its last output:\n${server.output.slice(-15).join("\n")}`, 1));
    });
}

export async function main(argv: readonly string[]): Promise<number> {
    const options = parseStartArgs(argv);
    if (options.help) {
        console.log(usage);
        return 0;
    }
    const model = modelToPreselect(options.demo);
    const settings: Record<string, unknown> = model ? { "r1.modelPath": model } : {};
    const folder = options.folder ?? sampleWorkspace();
    const code = options.forceCodeServer ? undefined : findOnPath("code");
    return code ? startDesktop(code, folder, settings) : startInCodeServer(folder, options.port, settings);
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
        console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    });
}
