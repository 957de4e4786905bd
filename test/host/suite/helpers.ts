// What the extension-host suites share: the extension's id, its settings, waiting for a condition, and the
// diffs of proposed changes that are open.
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

/** Selects the model file (r1.modelPath, user settings) and waits until the setting reads back. */
export async function selectModelFile(path: string): Promise<void> {
    await r1().update("modelPath", path, vscode.ConfigurationTarget.Global);
    await waitFor(() => r1().get<string>("modelPath") === path, 5000, "r1.modelPath updated");
}

/** Closes every proposal diff and puts `text` back into the document (one edit) if it changed. */
export async function restoreDocument(document: vscode.TextDocument, text: string): Promise<void> {
    for (const tab of proposalTabs()) await vscode.window.tabGroups.close(tab);
    if (document.getText() === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${document.uri.path} could not be restored`);
}
