// The manifest as the running VS Code sees it: the extension's keybindings clash with no default keybinding of this
// VS Code (read from its own "Default Keyboard Shortcuts" document), and its strings are localized (no %key% left).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { extensionId } from "./helpers";

interface Keybinding {
    key: string;
    command: string;
    mac?: string;
    when?: string;
}

/** "ctrl+alt+shift+c" and "shift+ctrl+alt+c" are the same chord. */
function normalize(key: string): string {
    return key.toLowerCase().split(" ").map((chord) => chord.split("+").sort().join("+")).join(" ");
}

describe("R1 Reasoner manifest", () => {
    it("binds keys no default VS Code keybinding uses", async function () {
        this.timeout(30_000);
        const ext = vscode.extensions.getExtension(extensionId);
        assert.ok(ext);
        const ours = (ext.packageJSON as { contributes: { keybindings: Keybinding[] } }).contributes.keybindings;
        assert.deepEqual(ours.map((k) => k.command).sort(), ["r1.explainCode", "r1.fixDiagnostic", "r1.openChat"]);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse("vscode://defaultsettings/keybindings.json"));
        // JSON with comments (a header and a list of unbound commands at the end).
        const json = doc.getText().replace(/^\s*\/\/.*$/gm, "");
        const defaults = (JSON.parse(json) as Keybinding[]).filter((k) => !k.command.startsWith("r1.") && !k.command.startsWith("-"));
        assert.ok(defaults.length > 500, `read ${defaults.length} default keybindings`);
        const taken = new Map(defaults.map((k) => [normalize(k.key), k.command]));
        for (const k of ours) {
            const key = process.platform === "darwin" && k.mac ? k.mac : k.key;
            assert.equal(taken.get(normalize(key)), undefined, `${key} (${k.command}) is already ${taken.get(normalize(key))}`);
            // Nor the first chord of a default two-chord keybinding.
            const prefix = [...taken.keys()].find((t) => t.split(" ")[0] === normalize(key));
            assert.equal(prefix, undefined, `${key} starts the default chord ${prefix}`);
        }
    });

    it("shows localized strings: no %key% is left in what the user sees", () => {
        const ext = vscode.extensions.getExtension(extensionId);
        assert.ok(ext);
        const pj = ext.packageJSON as { displayName: string; description: string; contributes: { commands: Array<{ title: string; category: string }> } };
        assert.equal(pj.displayName, "R1 Reasoner");
        const unresolved = [pj.displayName, pj.description, ...pj.contributes.commands.flatMap((c) => [c.title, c.category])].filter((s) => /^%.*%$/.test(s));
        assert.deepEqual(unresolved, []);
    });
});
