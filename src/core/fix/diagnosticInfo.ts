// A problem reported on a document (a VS Code Diagnostic, in plain data), and how the product names it to the
// user ("TS2322") and to the model ("error TS2322 from ts at line 9, columns 12–40: Type 'string' is ...").

import type { TextRange } from "../edit/textEdit";

export type DiagnosticSeverity = "error" | "warning" | "information" | "hint";

export interface DiagnosticInfo {
    message: string;
    /** The code as text ("2322", "no-unused-vars"); undefined when the diagnostic has none. */
    code?: string;
    /** Who reported it ("ts", "eslint", "Pylance"). */
    source?: string;
    severity: DiagnosticSeverity;
    range: TextRange;
}

/** Short name for messages: "TS2322" for TypeScript's numeric codes, else the code, else the first words. */
export function diagnosticLabel(d: DiagnosticInfo): string {
    const code = d.code?.trim();
    if (code) {
        if (/^\d+$/.test(code) && /^(?:ts|typescript|js|javascript)$/i.test(d.source ?? "")) return `TS${code}`;
        return code;
    }
    const words = d.message.replace(/\s+/g, " ").trim();
    if (words.length <= 40) return `"${words}"`;
    const cut = words.slice(0, 40);
    const space = cut.lastIndexOf(" ");
    return `"${space > 20 ? cut.slice(0, space) : cut}…"`;
}

/** "line 9" or "lines 9–11" (1-based). */
export function linesLabel(range: TextRange): string {
    const a = range.start.line + 1;
    const b = range.end.line + 1;
    return a === b ? `line ${a}` : `lines ${a}–${b}`;
}

/** "line 9, column 12" style position of a diagnostic (1-based). */
export function positionLabel(range: TextRange): string {
    return `line ${range.start.line + 1}, column ${range.start.character + 1}`;
}

/** One line a person (or the model) reads: "error TS2322 (ts) at line 9, column 5: Type 'string' is not …". */
export function describeDiagnostic(d: DiagnosticInfo): string {
    const code = d.code ? ` ${diagnosticLabel(d)}` : "";
    const source = d.source ? ` (${d.source})` : "";
    return `${d.severity}${code}${source} at ${positionLabel(d.range)}: ${d.message.replace(/\s*\n\s*/g, " ").trim()}`;
}

/** Identity of a diagnostic regardless of where it is: used to compare the problems before and after an edit. */
export function diagnosticKey(d: DiagnosticInfo): string {
    return `${d.source ?? ""}\u0000${d.code ?? ""}\u0000${d.message.replace(/\s+/g, " ").trim()}`;
}

/** Errors and warnings: the problems a fix is judged by (information and hints are not). */
export function isProblem(d: DiagnosticInfo): boolean {
    return d.severity === "error" || d.severity === "warning";
}
