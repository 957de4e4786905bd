// Runs inside the real extension host (code-server here, desktop VS Code through test:electron): the installed
// extension as VS Code sees it, through the real vscode API.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { extensionId } from "./helpers";

interface Manifest {
    readonly contributes: { readonly commands: readonly { readonly command: string }[] };
}

function extension(): vscode.Extension<unknown> {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not loaded in this extension host`);
    return ext;
}

describe("R1 Reasoner extension", () => {
    it("is loaded from this working tree", () => {
        const ext = extension();
        const here = join(__dirname, "..", "..", "..", "..");
        assert.equal(ext.extensionUri.fsPath, here);
        assert.equal((ext.packageJSON as { main: string }).main, "./dist/extension.js");
    });

    it("activates when R1: Show Logs runs", async () => {
        const ext = extension();
        await vscode.commands.executeCommand("r1.showLogs");
        assert.equal(ext.isActive, true);
    });

    it("registers every command its manifest contributes", async () => {
        await extension().activate();
        const manifest = JSON.parse(readFileSync(join(extension().extensionUri.fsPath, "package.json"), "utf8")) as Manifest;
        const contributed = manifest.contributes.commands.map((c) => c.command);
        assert.ok(contributed.length >= 3, "the manifest contributes commands");
        const registered = new Set(await vscode.commands.getCommands(true));
        const missing = contributed.filter((c) => !registered.has(c));
        assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(", ")}`);
    });

    it("provides the webview view r1.chatView", async () => {
        await extension().activate();
        // The extension host refuses a second provider for a view type that already has one.
        let second: vscode.Disposable | undefined;
        assert.throws(() => {
            second = vscode.window.registerWebviewViewProvider("r1.chatView", { resolveWebviewView: () => undefined });
        }, /already registered/);
        second?.dispose();
        await vscode.commands.executeCommand("workbench.view.extension.r1Reasoner");
    });
});
