// Extension-host code shows no notification text that bypasses vscode.l10n.t: a literal ("..." or `...`) as the
// first argument of show{Information,Warning,Error}Message is a string a translation can never reach.
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../fixtures/repoPaths";

// The extension host's code: everything under src except the language server process and the webview.
function extensionSources(): string[] {
    const src = join(repoRoot(), "src");
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
            const path = join(dir, name);
            if (statSync(path).isDirectory()) { if (path !== join(src, "server") && path !== join(src, "webview")) walk(path); }
            else if (name.endsWith(".ts")) out.push(path);
        }
    };
    walk(src);
    return out;
}

export function unwrappedMessages(text: string): string[] {
    return [...text.matchAll(/show(?:Information|Warning|Error)Message\(\s*(["'`])/g)].map((m) => text.slice(m.index, m.index + 80).split("\n")[0]);
}

test("the scan finds a bare literal and accepts a wrapped one", () => {
    assert.equal(unwrappedMessages(`vscode.window.showErrorMessage("R1: broken");`).length, 1);
    assert.equal(unwrappedMessages("vscode.window.showWarningMessage(\n    `R1: ${x}`, \"Ok\");").length, 1);
    assert.equal(unwrappedMessages(`vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", x), vscode.l10n.t("Ok"));`).length, 0);
});

test("every notification text in the extension host goes through vscode.l10n.t", () => {
    const files = extensionSources();
    assert.ok(files.some((f) => f.endsWith("extension.ts")), "the scan reads src/extension.ts");
    const found = files.flatMap((f) => unwrappedMessages(readFileSync(f, "utf8")).map((s) => `${relative(repoRoot(), f)}: ${s}`));
    assert.deepEqual(found, []);
});
