// A stand-in for the VS Code executable, backed by code-server: it takes the arguments that @vscode/test-electron
// (or a person) gives `code` for an extension test run (FOLDER --extensionDevelopmentPath=P --extensionTestsPath=T,
// other flags ignored), runs them with runExtensionTests and exits with the suite's exit code. It lets
// `npm run test:electron -- --via-code-server` prove the test-electron wiring on a machine without desktop VS Code.
// Usage: node out/test/host/vscodeShim.js [FOLDER] --extensionDevelopmentPath=P --extensionTestsPath=T
import { writeFileSync } from "node:fs";
import { runExtensionTests } from "./runExtensionTests";
import { suiteEnv } from "./suiteResult";

interface ShimArgs {
    readonly folder?: string;
    readonly extensionDevelopmentPath?: string;
    readonly extensionTestsPath?: string;
}

/** Reads VS Code's own command line (both --flag=value and --flag value forms). */
export function parseVscodeArgs(argv: readonly string[]): ShimArgs {
    const out: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string } = {};
    const valued = new Set(["--extensionDevelopmentPath", "--extensionTestsPath", "--user-data-dir", "--extensions-dir", "--locale"]);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) {
            out.folder ??= arg;
            continue;
        }
        const eq = arg.indexOf("=");
        const name = eq >= 0 ? arg.slice(0, eq) : arg;
        let value = eq >= 0 ? arg.slice(eq + 1) : undefined;
        if (value === undefined && valued.has(name)) value = argv[++i];
        if (name === "--extensionDevelopmentPath") out.extensionDevelopmentPath = value;
        if (name === "--extensionTestsPath") out.extensionTestsPath = value;
    }
    return out;
}

if (require.main === module) {
    const args = parseVscodeArgs(process.argv.slice(2));
    if (!args.extensionTestsPath) {
        console.error("vscodeShim: only extension test runs are supported (--extensionTestsPath is missing)");
        process.exit(2);
    }
    void runExtensionTests({
        ...(args.extensionDevelopmentPath ? { extensionDevelopmentPath: args.extensionDevelopmentPath } : {}),
        extensionTestsPath: args.extensionTestsPath,
        ...(args.folder ? { workspace: args.folder } : {}),
        onOutput: (line) => { if (line.startsWith("[host")) console.log(line); }
    }).then((r) => {
        // The caller may have asked for the report in a file of its own (test:electron does).
        const wanted = process.env[suiteEnv.results];
        if (wanted && r.report) writeFileSync(wanted, JSON.stringify(r.report, null, 2));
        if (r.error) console.error(`vscodeShim: ${r.error}`);
        process.exitCode = r.exitCode ?? 1;
    });
}
