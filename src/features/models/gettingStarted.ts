// "R1: Get Started": opens the walkthrough (choose a model that fits, download it, ask a question).
import * as vscode from "vscode";
import type { Services } from "../services";

export const walkthroughId = "r1.gettingStarted";

export function registerGettingStarted({ context }: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.getStarted", () =>
        vscode.commands.executeCommand("workbench.action.openWalkthrough", `${context.extension.id}#${walkthroughId}`, false));
}
