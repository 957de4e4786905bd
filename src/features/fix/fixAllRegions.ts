// "Fix all in file with R1" on a file too large to send whole (more than 300 lines or 12,000 characters): the
// problems are grouped into regions (core/fix/fixRegions: each problem's function or lines, overlapping or
// touching ones merged), and each region is one ordinary fix, one after the other: a request with an excerpt
// around the region (never the whole file), its own diff to apply or discard, and its own verification against
// the language's diagnostics. Before each request the region is moved onto the document as it is now, so a fix
// that added or removed lines above it does not shift it; a region whose lines changed meanwhile is skipped with
// the reason. Stopping one request (or no model) stops the rest.
import * as vscode from "vscode";
import type { DiagnosticInfo } from "../../core/fix/diagnosticInfo";
import { fixRegions, moveRegion } from "../../core/fix/fixRegions";
import type { FixOutcome, FixWithR1 } from "./fixWithR1";

/** Runs "Fix all" region by region on `uri`; the outcome has each region's outcome in `regions`. */
export async function fixAllByRegion(fixes: FixWithR1, uri: vscode.Uri, problems: readonly DiagnosticInfo[]): Promise<FixOutcome> {
    const document = await vscode.workspace.openTextDocument(uri);
    const baseText = document.getText();
    const regions = fixRegions(baseText, document.languageId, problems);
    const name = uri.path.split("/").pop() ?? uri.path;
    const outcomes: FixOutcome[] = [];
    for (const region of regions) {
        const moved = moveRegion(baseText, document.getText(), region);
        if (!moved.ok) {
            outcomes.push({ status: "refused", message: moved.reason });
            continue;
        }
        const outcome = await fixes.run({ uri, diagnostics: moved.region.diagnostics, scope: "problem", region: moved.region.range });
        outcomes.push(outcome);
        if (outcome.status === "cancelled" || outcome.status === "noModel" || outcome.status === "failed") break;
    }
    const applied = outcomes.filter((o) => o.status === "applied");
    const fixed = applied.filter((o) => o.verification?.verdict === "fixed").length;
    const message = `Fix all in ${name}: ${regions.length} region${regions.length === 1 ? "" : "s"}, ${applied.length} applied` +
        `${applied.length ? ` (${fixed} verified fixed)` : ""}${outcomes.length < regions.length ? `; stopped after ${outcomes.length}` : ""}.`;
    if (regions.length > 1) void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", message));
    const status = applied.length > 0 ? "applied" : outcomes.find((o) => o.status !== "discarded")?.status ?? "discarded";
    return { status, message, title: vscode.l10n.t("Fix all in {0}", name), regions: outcomes };
}
