// "R1: Show Logs" and "R1: Restart Model Process".
import * as vscode from "vscode";
import type { Services } from "./services";

export function registerModelProcessCommands({ log, modelProcess }: Services): vscode.Disposable {
    return vscode.Disposable.from(
        vscode.commands.registerCommand("r1.showLogs", () => log.show()),
        vscode.commands.registerCommand("r1.restartModelProcess", async () => {
            await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t("R1: restarting the model process") }, () => modelProcess.restart());
            log.info("Model process restarted by the user.");
            void vscode.window.setStatusBarMessage("R1: model process restarted", 3000);
        })
    );
}
