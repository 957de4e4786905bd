// What the extension-host suites share: the extension's id, its settings, waiting for a condition, and the
// diffs of proposed changes that are open.
import { isDeepStrictEqual } from "node:util";
import * as vscode from "vscode";

export const extensionId = "r1-reasoner.r1-reasoner";

/** The r1.* settings as they are now. */
export const r1 = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration("r1");

/** Polls `get` every 50 ms until it returns something truthy, and returns that; throws after `timeoutMs`. */
export async function waitFor<T>(get: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = get();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** The open diff tabs of R1's proposed changes (their right side has the scheme r1-proposal). */
export function proposalTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === "r1-proposal");
}

/**
 * Sets an r1.* user setting (undefined: removes it) and waits until the extension host reads it back (the
 * extension reads its settings there when a request starts).
 */
export async function setR1(key: string, value: unknown): Promise<void> {
    await r1().update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(() => isDeepStrictEqual(r1().inspect(key)?.globalValue, value), 30_000, `r1.${key} reads back as ${JSON.stringify(value)}`);
}

/** Selects the model file (r1.modelPath, user settings) and waits until the setting reads back. */
export async function selectModelFile(path: string): Promise<void> {
    await setR1("modelPath", path);
}

/** Closes every proposal diff (and waits until VS Code lists none) and puts `text` back into the document (one edit) if it changed. */
export async function restoreDocument(document: vscode.TextDocument, text: string): Promise<void> {
    // Fresh Tab objects each round: a tab the extension closed meanwhile makes close() throw for the whole call.
    for (let round = 0; round < 3 && proposalTabs().length > 0; round++) await vscode.window.tabGroups.close(proposalTabs()).then(undefined, () => undefined);
    await waitFor(() => proposalTabs().length === 0, 30_000, "every proposal diff is closed");
    if (document.getText() === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${document.uri.path} could not be restored`);
}
