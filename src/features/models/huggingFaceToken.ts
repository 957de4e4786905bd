// "R1: Set Hugging Face Token": an access token for gated repositories, kept in VS Code's secret storage
// and sent (as Authorization: Bearer) only to huggingface.co; the downloader drops it on redirects to
// another origin. An empty value removes it. Returns true when a token was saved.
import * as vscode from "vscode";
import type { Services } from "../services";

export function registerHuggingFaceToken({ models, log }: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.setHuggingFaceToken", async (value?: unknown) => {
        const token = typeof value === "string"
            ? value
            : await vscode.window.showInputBox({
                title: vscode.l10n.t("R1: Hugging Face access token"),
                prompt: vscode.l10n.t("Only needed for gated repositories or to raise the rate limit. Create a read token at huggingface.co/settings/tokens. Leave empty to remove the saved token."),
                placeHolder: (await models.hasToken()) ? "A token is saved: enter a new one, or leave empty to remove it" : "hf_…",
                password: true,
                ignoreFocusOut: true,
                validateInput: (v) => (/\s/.test(v.trim()) ? "A token has no spaces." : undefined)
            });
        if (token === undefined) return false;
        await models.setToken(token);
        log.info(token.trim() ? "Hugging Face token saved in the secret storage." : "Hugging Face token removed.");
        void vscode.window.setStatusBarMessage(token.trim() ? "R1: Hugging Face token saved" : "R1: Hugging Face token removed", 4000);
        return Boolean(token.trim());
    });
}
