// The prompts of the code actions ("Fix with R1", "Fix all in file with R1", the retry after a failed fix, and
// "Explain Code"), and what each fix targets in the document.
//
// DeepSeek-R1's rules: no system prompt, everything in the user turn. The stable part comes first (the file's
// path and language, then the whole file when it is small, else an excerpt around the code in question), then
// what changes from one request to the next (the problem, the instruction). Two requests on the same file then
// share a long prompt prefix, which the model process serves from its KV cache.
//
// A fix asks for the corrected code in ONE fenced block of the document's language: the whole enclosing function
// when the problem lies in one, the problem's lines otherwise, the whole file for "fix all". proposeEdit maps
// the answer back onto that target.

import { findEnclosingDefinition } from "../edit/codeStructure";
import { type DiagnosticInfo, describeDiagnostic, diagnosticLabel, isProblem, linesLabel } from "./diagnosticInfo";
import { type EditTarget, splitLines, type TextRange, wholeLinesRange } from "../edit/textEdit";

/** A file is sent whole up to this size; larger files are sent as an excerpt around the code in question. */
export const WHOLE_FILE_MAX_LINES = 300;
export const WHOLE_FILE_MAX_CHARS = 12_000;
/** Lines of context on each side of the code in question when the file is too large to send whole. */
export const EXCERPT_MARGIN_LINES = 30;
/** A fix targets the enclosing function only when it is at most this long; else the problem's lines. */
export const MAX_FUNCTION_TARGET_LINES = 150;
/** A fix of problems spread over more lines than this (outside one function) needs the whole file. */
export const MAX_LINES_TARGET = 20;

export interface CodeContext {
    /** The path shown to the model and the user: workspace-relative when possible ("src/cart.ts"). */
    filePath: string;
    /** VS Code language id of the document. */
    languageId: string;
    documentText: string;
}

export type FixScope = "problem" | "file";

export interface FixPlanRequest extends CodeContext {
    /** The problems to fix: one for "Fix with R1", every problem of the file for "Fix all in file". */
    diagnostics: DiagnosticInfo[];
    scope: FixScope;
    /**
     * A retry: the previous fix is applied in `documentText`, and these problems remained or appeared. They are
     * also the ones to fix now (the caller passes them in `diagnostics`).
     */
    previousAttempt?: { remaining: DiagnosticInfo[]; newProblems: DiagnosticInfo[] };
    /**
     * "Fix all" on a large file, one region at a time (core/fix/fixRegions): the whole lines to rewrite, holding
     * every problem in `diagnostics`. The target is this region (a function when it is exactly one), whatever its
     * length; the prompt shows an excerpt around it.
     */
    region?: TextRange;
}

export interface SentContext {
    /** "file": the whole document; "excerpt": `range` only. */
    kind: "file" | "excerpt";
    range: TextRange;
}

export interface FixPlan {
    ok: true;
    /** The user turn (the only turn). */
    prompt: string;
    /** What the answer replaces (for proposeEdit). */
    target: EditTarget;
    /** The function the target is, when it is one. */
    targetName?: string;
    /** Short title for the reasoning view and the progress notification: "Fix TS2322 in cart.ts:9". */
    title: string;
    context: SentContext;
}

export type FixPlanResult = FixPlan | { ok: false; reason: string };

export interface ExplainRequest extends CodeContext {
    /** The code to explain (a selection, or the function at the cursor). */
    range: TextRange;
    /** Its name, when it is a definition. */
    name?: string;
    /** The most characters of code the prompt may quote (what fits in the context); unset: no limit. */
    maxChars?: number;
}

export interface ExplainPlan {
    prompt: string;
    title: string;
    context: SentContext;
    /** Set when the code was too long for the context and only its first lines were sent: what to tell the user. */
    trimmed?: string;
}

/** How many of `lines`, from the first, fit in `max` characters (with line breaks); at least one. */
function linesWithin(lines: readonly string[], max: number): number {
    let used = 0;
    for (let i = 0; i < lines.length; i++) {
        used += lines[i]!.length + 1;
        if (used > max) return Math.max(1, i);
    }
    return lines.length;
}

const LANGUAGE_NAMES: Record<string, string> = {
    typescript: "TypeScript", typescriptreact: "TypeScript React", javascript: "JavaScript", javascriptreact: "JavaScript React",
    python: "Python", java: "Java", csharp: "C#", cpp: "C++", c: "C", go: "Go", rust: "Rust", ruby: "Ruby", php: "PHP",
    kotlin: "Kotlin", swift: "Swift", shellscript: "Shell script", powershell: "PowerShell", html: "HTML", css: "CSS",
    scss: "SCSS", json: "JSON", jsonc: "JSON with comments", yaml: "YAML", markdown: "Markdown", sql: "SQL", lua: "Lua",
    dart: "Dart", scala: "Scala", haskell: "Haskell", vue: "Vue", svelte: "Svelte", plaintext: "plain text"
};

const FENCE_TAGS: Record<string, string> = {
    typescriptreact: "tsx", javascriptreact: "jsx", shellscript: "bash", "objective-c": "objectivec", plaintext: "text", jsonc: "json"
};

/** The language's name for people: "TypeScript" for "typescript". */
export function languageName(languageId: string): string {
    return LANGUAGE_NAMES[languageId] ?? languageId;
}

/** The info string of a fence for a document in this language ("tsx" for "typescriptreact"). */
export function fenceTag(languageId: string): string {
    return FENCE_TAGS[languageId] ?? languageId;
}

/** A fence longer than any backtick run in the code, so the code cannot close it. */
function fenceFor(code: string): string {
    let longest = 0;
    for (const run of code.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
    return "`".repeat(Math.max(3, longest + 1));
}

/** `code` in a fenced block of the language (a fence longer than any backtick run inside). */
export function fenced(code: string, languageId: string): string {
    const fence = fenceFor(code);
    return `${fence}${fenceTag(languageId)}\n${code}${code.endsWith("\n") || code === "" ? "" : "\n"}${fence}`;
}

function baseName(path: string): string {
    return path.split(/[\\/]/).pop() || path;
}

/** Whether a document is sent whole (else as an excerpt, and "Fix all" works region by region). */
export function sentWhole(documentText: string): boolean {
    return fileIsSmall(splitLines(documentText), documentText);
}

function fileIsSmall(lines: readonly string[], text: string): boolean {
    // A final line break gives a last empty line: not counted.
    const count = lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
    return count <= WHOLE_FILE_MAX_LINES && text.length <= WHOLE_FILE_MAX_CHARS;
}

/** The lines around `first`..`last` the prompt shows of a large file. */
function excerptRange(lines: readonly string[], first: number, last: number): TextRange {
    const a = Math.max(0, first - EXCERPT_MARGIN_LINES);
    const b = Math.min(lines.length - 1, last + EXCERPT_MARGIN_LINES);
    return wholeLinesRange(lines, a, b);
}

/** The stable head of every prompt: the file (or an excerpt of it), with its path and language. */
function contextSection(ctx: CodeContext, lines: readonly string[], focusFirst: number, focusLast: number): { text: string; context: SentContext } {
    const lang = languageName(ctx.languageId);
    if (fileIsSmall(lines, ctx.documentText)) {
        return {
            text: `File \`${ctx.filePath}\` (${lang}):\n\n${fenced(ctx.documentText, ctx.languageId)}`,
            context: { kind: "file", range: wholeLinesRange(lines, 0, lines.length - 1) }
        };
    }
    const range = excerptRange(lines, focusFirst, focusLast);
    const code = lines.slice(range.start.line, range.end.line + 1).join("\n");
    return {
        text: `Lines ${range.start.line + 1}–${range.end.line + 1} of \`${ctx.filePath}\` (${lang}, ${lines.length} lines in all):\n\n${fenced(code, ctx.languageId)}`,
        context: { kind: "excerpt", range }
    };
}

function quoteLines(lines: readonly string[], first: number, last: number, languageId: string): string {
    return fenced(lines.slice(first, last + 1).join("\n"), languageId);
}

interface TargetChoice {
    target: EditTarget;
    name?: string;
    /** "function" or "class" for a definition target. */
    definitionKind?: string;
}

function chooseTarget(req: FixPlanRequest, lines: readonly string[], first: number, last: number): TargetChoice | { reason: string } {
    const small = fileIsSmall(lines, req.documentText);
    if (req.scope === "file") {
        if (!small) {
            return { reason: `${baseName(req.filePath)} is too large to fix as a whole (more than ${WHOLE_FILE_MAX_LINES} lines or ${WHOLE_FILE_MAX_CHARS} characters): use "Fix with R1" on each problem.` };
        }
        return { target: { kind: "file", range: wholeLinesRange(lines, 0, lines.length - 1) } };
    }
    if (req.region) return regionTarget(req, lines);
    const def = findEnclosingDefinition(lines, first, req.languageId, "function") ?? findEnclosingDefinition(lines, first, req.languageId);
    if (def && def.endLine >= last && def.endLine - def.leadingLine + 1 <= MAX_FUNCTION_TARGET_LINES) {
        return { target: { kind: "function", range: wholeLinesRange(lines, def.leadingLine, def.endLine) }, name: def.name, definitionKind: def.kind };
    }
    if (last - first + 1 <= MAX_LINES_TARGET) return { target: { kind: "lines", range: wholeLinesRange(lines, first, last) } };
    if (small) return { target: { kind: "file", range: wholeLinesRange(lines, 0, lines.length - 1) } };
    return { reason: `The problems are spread over ${linesLabel({ start: { line: first, character: 0 }, end: { line: last, character: 0 } })} of a large file: fix them one at a time.` };
}

/** The target of a region of "Fix all": its function when the region is exactly one, else its lines. */
function regionTarget(req: FixPlanRequest, lines: readonly string[]): TargetChoice | { reason: string } {
    const a = req.region!.start.line;
    const b = Math.min(req.region!.end.line, lines.length - 1);
    if (a < 0 || a > b) return { reason: "The region to fix is not inside the document any more." };
    const def = findEnclosingDefinition(lines, a, req.languageId, "function") ?? findEnclosingDefinition(lines, a, req.languageId);
    if (def && def.leadingLine === a && def.endLine === b) {
        return { target: { kind: "function", range: wholeLinesRange(lines, a, b) }, name: def.name, definitionKind: def.kind };
    }
    return { target: { kind: "lines", range: wholeLinesRange(lines, a, b) } };
}

function instruction(choice: TargetChoice, languageId: string): string {
    const tag = fenceTag(languageId);
    const { kind, range } = choice.target;
    const where = linesLabel(range);
    const minimal = "Change only what the fix needs: keep the other lines exactly as they are (no renaming, no reformatting), and do not leave anything out.";
    if (kind === "file") {
        return `Answer with the whole corrected file, every line of it, in one \`\`\`${tag} fenced code block. ${minimal}`;
    }
    if (kind === "function") {
        const name = choice.name ? ` \`${choice.name}\`` : "";
        return `Answer with the corrected ${choice.definitionKind ?? "definition"}${name} (${where}), complete from its first line to its last, in one \`\`\`${tag} fenced code block. ${minimal}`;
    }
    const count = range.end.line - range.start.line + 1;
    const what = count === 1 ? `line ${range.start.line + 1}` : where;
    return `Answer with the corrected ${what}, and only ${count === 1 ? "that line" : "those lines"}, with ${count === 1 ? "its" : "their"} indentation, in one \`\`\`${tag} fenced code block. ${minimal}`;
}

/** A short place for titles: "cart.ts:9" or "cart.ts:9–12". */
export function placeLabel(filePath: string, range: TextRange): string {
    const a = range.start.line + 1;
    const b = range.end.line + 1;
    return `${baseName(filePath)}:${a === b ? a : `${a}–${b}`}`;
}

/** The prompt and the edit target of a fix request, or why it cannot be made. */
export function planFix(req: FixPlanRequest): FixPlanResult {
    const lines = splitLines(req.documentText);
    const problems = req.diagnostics;
    if (problems.length === 0) return { ok: false, reason: "There is no problem to fix." };
    for (const d of problems) {
        if (d.range.start.line < 0 || d.range.start.line >= lines.length) {
            return { ok: false, reason: `The problem at ${linesLabel(d.range)} is not inside the document any more.` };
        }
    }
    const first = Math.min(...problems.map((d) => d.range.start.line));
    const last = Math.min(lines.length - 1, Math.max(...problems.map((d) => d.range.end.line)));
    const choice = chooseTarget(req, lines, first, last);
    if ("reason" in choice) return { ok: false, reason: choice.reason };

    const tr = choice.target.range;
    const head = contextSection(req, lines, Math.min(first, tr.start.line), Math.max(last, tr.end.line));
    const parts: string[] = [head.text];

    if (req.previousAttempt) {
        const { remaining, newProblems } = req.previousAttempt;
        const lines2: string[] = ["A fix was already applied to this code (it is included above), but it did not work:"];
        for (const d of remaining) lines2.push(`- still there: ${describeDiagnostic(d)}`);
        for (const d of newProblems) lines2.push(`- new problem: ${describeDiagnostic(d)}`);
        parts.push(lines2.join("\n"));
    }

    if (problems.length === 1) {
        const d = problems[0]!;
        const dl = Math.min(d.range.end.line, lines.length - 1);
        parts.push(`Fix this problem:\n${describeDiagnostic(d)}\n\nThe code at ${linesLabel({ start: d.range.start, end: { line: dl, character: 0 } })}:\n\n${quoteLines(lines, d.range.start.line, dl, req.languageId)}`);
    } else {
        parts.push(`Fix these ${problems.length} problems:\n${problems.map((d) => `- ${describeDiagnostic(d)}`).join("\n")}`);
    }
    parts.push(instruction(choice, req.languageId));

    const label = problems.length === 1 ? diagnosticLabel(problems[0]!) : `${problems.length} problems`;
    const at = problems.length === 1 ? placeLabel(req.filePath, problems[0]!.range).replace(/–\d+$/, "")
        : req.scope === "file" ? baseName(req.filePath)
            : placeLabel(req.filePath, { start: { line: first, character: 0 }, end: { line: Math.max(...problems.map((d) => d.range.start.line)), character: 0 } });
    const title = `${req.previousAttempt ? "Retry: fix" : "Fix"} ${label} in ${at}`;
    return {
        ok: true,
        prompt: parts.join("\n\n"),
        target: choice.target,
        ...(choice.name ? { targetName: choice.name } : {}),
        title,
        context: head.context
    };
}

/** The problems "Fix all in file" works on: errors and warnings, in document order. */
export function problemsToFix(diagnostics: readonly DiagnosticInfo[]): DiagnosticInfo[] {
    return diagnostics.filter(isProblem).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The prompt of "Explain Code". */
export function planExplain(req: ExplainRequest): ExplainPlan {
    const lines = splitLines(req.documentText);
    const first = Math.max(0, Math.min(req.range.start.line, lines.length - 1));
    let last = Math.max(first, Math.min(req.range.end.line, lines.length - 1));
    if (last > first && req.range.end.character === 0) last--; // a selection ending at the start of the next line
    if (req.maxChars !== undefined) {
        const trimmed = trimmedExplain(req, lines, first, last, req.maxChars);
        if (trimmed) return trimmed;
    }
    const head = contextSection(req, lines, first, last);
    const whole = head.context.kind === "file" && first === 0 && last >= lines.length - 2;
    const what = req.name ? `\`${req.name}\` (${linesLabel({ start: { line: first, character: 0 }, end: { line: last, character: 0 } })})` : linesLabel({ start: { line: first, character: 0 }, end: { line: last, character: 0 } });
    const parts = [head.text];
    if (whole) {
        parts.push(`Explain this file.`);
    } else {
        const selected = req.range.start.line === req.range.end.line && req.range.end.character > req.range.start.character
            ? lines[first]!.slice(req.range.start.character, req.range.end.character)
            : lines.slice(first, last + 1).join("\n");
        parts.push(`Explain ${what}:\n\n${fenced(selected, req.languageId)}`);
    }
    parts.push("Say what it does and how it works, step by step where that helps, and point out anything surprising, risky or wrong in it. Be concise: short paragraphs or a list. Quote code only where it helps.");
    const titleName = req.name ? `${req.name} (${placeLabel(req.filePath, { start: { line: first, character: 0 }, end: { line: last, character: 0 } })})` : placeLabel(req.filePath, { start: { line: first, character: 0 }, end: { line: last, character: 0 } });
    return { prompt: parts.join("\n\n"), title: `Explain ${titleName}`, context: head.context };
}

/**
 * Explain Code on more code than the context holds (a 5 MB selection): only its first lines are quoted, the file is
 * not quoted at all, and the plan says what was left out. undefined when the code fits.
 */
function trimmedExplain(req: ExplainRequest, lines: readonly string[], first: number, last: number, maxChars: number): ExplainPlan | undefined {
    const code = lines.slice(first, last + 1);
    const size = code.reduce((n, l) => n + l.length + 1, 0);
    if (size <= maxChars) return undefined;
    const kept = linesWithin(code, maxChars);
    const quoted = kept === 1 && code[0]!.length > maxChars ? code[0]!.slice(0, maxChars) : code.slice(0, kept).join("\n");
    const range = { start: { line: first, character: 0 }, end: { line: first + kept - 1, character: 0 } };
    const place = placeLabel(req.filePath, { start: { line: first, character: 0 }, end: { line: last, character: 0 } });
    const prompt = [
        `File \`${req.filePath}\` (${languageName(req.languageId)}, ${lines.length} lines in all).`,
        `Explain ${linesLabel({ start: { line: first, character: 0 }, end: { line: last, character: 0 } })}. They are too long to quote whole: here are the first ${kept} of ${code.length} lines.\n\n${fenced(quoted, req.languageId)}`,
        "Say what it does and how it works, step by step where that helps, and point out anything surprising, risky or wrong in it. Be concise: short paragraphs or a list. Quote code only where it helps."
    ].join("\n\n");
    return {
        prompt,
        title: `Explain ${place}`,
        context: { kind: "excerpt", range: wholeLinesRange(lines, range.start.line, range.end.line) },
        trimmed: `The code has ${code.length} lines (${size} characters): only its first ${kept} line${kept === 1 ? "" : "s"} (${quoted.length} characters) went to R1, as much as r1.contextSize leaves room for.`
    };
}
