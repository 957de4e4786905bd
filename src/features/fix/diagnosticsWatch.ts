// The problems VS Code shows for a document, as plain data for src/core, and a watch that waits until the
// language's diagnostics have updated after an edit.
//
// Language servers update in steps (TypeScript sends syntax errors, then semantic errors, each replacing its
// part of the file's list), so one change event is not the end: the watch waits until the list has been quiet
// for a while. It waits longer while the caller's `looksFinal` says the result would be a failure (a fixed
// error may just not have been re-checked yet): at least `doubtfulQuietMs`, and twice as long as the language
// has taken so far, since a busy machine slows its second step as much as its first. It gives up at the timeout.
import * as vscode from "vscode";
import type { DiagnosticInfo, DiagnosticSeverity } from "../../core/fix/diagnosticInfo";

const severities: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
    [vscode.DiagnosticSeverity.Error]: "error",
    [vscode.DiagnosticSeverity.Warning]: "warning",
    [vscode.DiagnosticSeverity.Information]: "information",
    [vscode.DiagnosticSeverity.Hint]: "hint"
};

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
    const c = d.code;
    if (c === undefined || c === null) return undefined;
    if (typeof c === "object") return String(c.value);
    return String(c);
}

export function toDiagnosticInfo(d: vscode.Diagnostic): DiagnosticInfo {
    const code = diagnosticCode(d);
    return {
        message: d.message,
        ...(code !== undefined ? { code } : {}),
        ...(d.source ? { source: d.source } : {}),
        severity: severities[d.severity] ?? "error",
        range: {
            start: { line: d.range.start.line, character: d.range.start.character },
            end: { line: d.range.end.line, character: d.range.end.character }
        }
    };
}

export function currentDiagnostics(uri: vscode.Uri): DiagnosticInfo[] {
    return vscode.languages.getDiagnostics(uri).map(toDiagnosticInfo);
}

export interface DiagnosticsUpdate {
    /** False when nothing changed before the timeout. */
    updated: boolean;
    diagnostics: DiagnosticInfo[];
    /** Time from the start of the watch to the settled result. */
    elapsedMs: number;
    /** Change events seen for the document. */
    events: number;
}

export interface SettleOptions {
    timeoutMs: number;
    /** Quiet time after the last change when the result looks final (default 1000 ms). */
    quietMs?: number;
    /** Quiet time when `looksFinal` says no (default 3000 ms, or twice the time to the last change if longer). */
    doubtfulQuietMs?: number;
    /** Whether a list of diagnostics is the expected outcome (for example: the fixed error is gone). */
    looksFinal?: (diagnostics: DiagnosticInfo[]) => boolean;
}

export interface DiagnosticsWatch extends vscode.Disposable {
    /** Resolves once the diagnostics changed and then stayed quiet, or at the timeout. */
    settled(options: SettleOptions): Promise<DiagnosticsUpdate>;
}

/** Starts listening now (before the edit), so that no update is missed. */
export function watchDiagnostics(uri: vscode.Uri): DiagnosticsWatch {
    const started = Date.now();
    const key = uri.toString();
    let events = 0;
    let lastChange = 0;
    let wake: (() => void) | undefined;
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (!e.uris.some((u) => u.toString() === key)) return;
        events++;
        lastChange = Date.now();
        wake?.();
    });
    return {
        async settled(options: SettleOptions): Promise<DiagnosticsUpdate> {
            const quiet = options.quietMs ?? 1000;
            const doubtful = options.doubtfulQuietMs ?? 3000;
            const deadline = started + options.timeoutMs;
            try {
                for (;;) {
                    const now = Date.now();
                    if (events > 0) {
                        const diagnostics = currentDiagnostics(uri);
                        const need = !options.looksFinal || options.looksFinal(diagnostics) ? quiet : Math.max(doubtful, 2 * (lastChange - started));
                        if (now - lastChange >= need || now >= deadline) {
                            return { updated: true, diagnostics, elapsedMs: now - started, events };
                        }
                    } else if (now >= deadline) {
                        return { updated: false, diagnostics: currentDiagnostics(uri), elapsedMs: now - started, events };
                    }
                    const until = events > 0 ? Math.min(deadline, lastChange + quiet) : deadline;
                    await new Promise<void>((resolve) => {
                        const timer = setTimeout(done, Math.max(20, Math.min(until - now, 250)));
                        function done(): void {
                            clearTimeout(timer);
                            wake = undefined;
                            resolve();
                        }
                        wake = done;
                    });
                }
            } finally {
                sub.dispose();
            }
        },
        dispose(): void {
            sub.dispose();
        }
    };
}
