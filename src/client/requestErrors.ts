// Turns a failed model request into a message the user can act on (a button that fixes it), and a log line.
import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import { noticeText } from "../core/answer/untrustedText";
import { ErrorCodes } from "../shared/lspProtocol";
import type { Log } from "./log";
import { ModelProcessGoneError } from "./modelProcess";

export function errorMessage(error: unknown): string {
    if (error instanceof Error) return error.message;
    return String(error);
}

/** Shows the error in VS Code (not awaited: the caller goes on) and returns its text for inline display. */
export function reportRequestError(error: unknown, log: Log): string {
    const message = errorMessage(error);
    log.error(`Request failed: ${message}`);
    const code = error instanceof ResponseError ? error.code : undefined;
    const actions: string[] = [];
    if (code === ErrorCodes.noModel || code === ErrorCodes.modelFileMissing || code === ErrorCodes.notGguf || code === ErrorCodes.loadFailed) actions.push(vscode.l10n.t("Select Model"));
    if (error instanceof ModelProcessGoneError) actions.push(vscode.l10n.t("Restart Model Process"));
    actions.push(vscode.l10n.t("Show Logs"));
    // The message may quote llama.cpp, a remote server or a model file: no link in it may become a command link.
    void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0}", noticeText(message)), ...actions).then((choice) => {
        if (choice === vscode.l10n.t("Select Model")) void vscode.commands.executeCommand("r1.selectModel");
        else if (choice === vscode.l10n.t("Restart Model Process")) void vscode.commands.executeCommand("r1.restartModelProcess");
        else if (choice === vscode.l10n.t("Show Logs")) log.show();
    });
    return message;
}
