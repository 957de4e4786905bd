// When the model process starts and what it starts with, in the real extension host: opening a code file (which
// activates the extension) and asking for its quick fixes starts no process; the first request does; and a
// process the client restarts after a crash gets the user's settings even when it is slow to answer.
//
// Order-independent: the suites share one workbench, so a test that needs "no process yet" stops it first.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { R1ExtensionApi } from "../../../src/extension";
import type { ModelProcess } from "../../../src/client/modelProcess";
import { extensionId, r1, waitFor } from "./helpers";

/** Read by src/server/server.ts: how long the process holds back its answer to `initialize`. */
const startDelayEnv = "R1_TEST_SERVER_START_DELAY_MS";

function typeError(uri: vscode.Uri): vscode.Diagnostic | undefined {
    return vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === "object" ? d.code.value : d.code) === "2322");
}

function crashed(mp: ModelProcess): Promise<{ restarted: boolean }> {
    return new Promise((resolve) => {
        const sub = mp.onCrash((e) => {
            sub.dispose();
            resolve(e);
        });
    });
}

describe("the model process starts on first use", function () {
    this.timeout(90_000);

    it("opening a TypeScript file and asking for its quick fixes starts no process; the first request does", async () => {
        const ext = vscode.extensions.getExtension<R1ExtensionApi>(extensionId);
        assert.ok(ext);
        // An earlier suite may have started it: stop it, which leaves the state a new window starts in.
        if (ext.isActive) await ext.exports.modelProcess.stop();
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        await waitFor(() => ext.isActive, 30_000, "the extension is active (a TypeScript file is open)");
        const mp = ext.exports.modelProcess;

        // The light bulb asks every code action provider; R1's offers "Fix with R1" without calling the model.
        const diagnostic = await waitFor(() => typeError(uri), 60_000, "TypeScript reports TS2322 in cart.ts");
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        assert.ok(actions.some((a) => a.title === "Fix with R1"), `"Fix with R1" is offered (got: ${actions.map((a) => a.title).join(", ")})`);
        assert.equal(mp.running, false, "no model process after activation and a code action request");
        assert.equal(mp.pid, undefined);
        assert.equal(mp.status, undefined, "the status bar says idle: the process starts on first use");

        const status = await mp.getStatus();
        assert.equal(mp.running, true, "the first request started the process");
        assert.ok(mp.pid && mp.pid !== process.pid);
        assert.equal(status.pid, mp.pid);
    });

    it("a process restarted after a crash that is slow to start still gets the user's settings", async () => {
        const ext = vscode.extensions.getExtension<R1ExtensionApi>(extensionId);
        assert.ok(ext);
        const mp = (await ext.activate()).modelProcess;
        const saved = { contextSize: r1().inspect<number>("contextSize")?.globalValue, threads: r1().inspect<number>("threads")?.globalValue };
        const wanted = { contextSize: 3072, threads: 1 };
        try {
            await r1().update("contextSize", wanted.contextSize, vscode.ConfigurationTarget.Global);
            await r1().update("threads", wanted.threads, vscode.ConfigurationTarget.Global);
            // A clean start (and a clean crash count, so the crash below is restarted).
            await mp.restart();
            const first = await mp.getStatus();
            assert.deepEqual(pick(first.settings), wanted, "the first start has the user's settings");

            // The restarted process answers `initialize` 1.5 s late: the client is still starting long after the crash.
            process.env[startDelayEnv] = "1500";
            const before = mp.pid;
            assert.ok(before);
            const crash = crashed(mp);
            process.kill(before, "SIGKILL");
            assert.equal((await crash).restarted, true, "the crash is restarted");
            // (The pid is undefined from the old process's exit until the client forks the new one.)
            await waitFor(() => mp.running && mp.pid !== undefined && mp.pid !== before, 30_000, "a new model process is running");
            const status = await mp.getStatus();
            assert.notEqual(status.pid, before);
            assert.deepEqual(pick(status.settings), wanted, "the restarted process reports the user's settings, not its defaults");
        } finally {
            delete process.env[startDelayEnv];
            await r1().update("contextSize", saved.contextSize, vscode.ConfigurationTarget.Global);
            await r1().update("threads", saved.threads, vscode.ConfigurationTarget.Global);
            // Leaves a fresh process and an empty crash window for the suites after this one.
            await mp.restart();
        }
    });
});

function pick(settings: { contextSize: number; threads: number } | undefined): { contextSize: number; threads: number } | undefined {
    return settings && { contextSize: settings.contextSize, threads: settings.threads };
}
