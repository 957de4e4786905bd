// Settings of the wrong type or out of range ("r1.contextSize": "big", -5, 1e9; "r1.threads": 9999;
// "r1.temperature": "hot"): Config uses the default instead (core/settings/numberSettings), and this says so once per
// problem, at activation and whenever the r1.* settings change, with a button to the settings.
import * as vscode from "vscode";
import type { Services } from "./services";

export function registerSettingsWarnings({ config, log }: Services): vscode.Disposable {
    const shown = new Set<string>();
    const check = (): void => {
        const problems = config.problems();
        for (const problem of problems) {
            if (shown.has(problem)) continue;
            shown.add(problem);
            log.warn(`Setting: ${problem}`);
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0}", problem), vscode.l10n.t("Open Settings")).then((choice) => {
                if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", problem.split(" ")[0]);
            });
        }
        // A problem that was fixed may come back later: say it again then.
        for (const old of [...shown]) if (!problems.includes(old)) shown.delete(old);
    };
    check();
    return vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("r1")) check();
    });
}
