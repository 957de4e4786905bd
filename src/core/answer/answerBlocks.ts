// Extracts the fenced code blocks of a final answer, in order, with their code exactly as an edit would use
// it, and says which of them are code to apply (as opposed to commands to run, program output, diagrams,
// prose, or text that leaked from the reasoning).
//
// Fences follow CommonMark closely where model output needs it: ``` or ~~~ runs of 3 or more, an info string
// (backtick fences: without backticks), a closing run of the same character at least as long, the opening
// fence's indentation removed from each content line (fences inside list items, even after the list marker
// on the same line), fences inside blockquotes (`> ```ts`: the quote markers removed from each content line, and
// the block ends where the quote does). Lenient where models are: any indentation before a fence, and an
// unterminated last fence (truncated output) still yields its block (`terminated: false`).

import { DIAGRAM_LANGUAGES, normalizeLanguage, OUTPUT_LANGUAGES, SHELL_LANGUAGES, TEXT_LANGUAGES } from "./languageIds";
import { indentWidth, stripIndent } from "../edit/indentation";
import { describeLeak, isProseLine, ReasoningLeakDetector } from "../reply/reasoningLeak";

/** What a block holds. Only "code" and "diff" are applicable. */
export type BlockKind =
    | "code"
    | "diff"
    | "shell"
    | "output"
    | "diagram"
    | "plaintext"
    | "prose"
    | "reasoning"
    | "empty";

export interface AnswerBlock {
    /** Position among all fenced blocks of the answer, from 0. */
    index: number;
    /** First word of the info string as written ("python", "ts", ""); see langId for the language. */
    lang: string;
    /** VS Code language id of `lang` ("typescript" for "ts"); "" when the fence had no info string. */
    langId: string;
    /** The whole info string ("typescript title=\"a.ts\""). */
    info: string;
    /** Content, fence indentation removed, without the final line break. */
    code: string;
    /** A file path the answer gives for this block: heading/bold line just before it, or a title= attribute. */
    fileHint?: string;
    /** 0-based line of the answer holding the opening fence. */
    startLine: number;
    /** 0-based line of the closing fence (the last line of the answer when unterminated). */
    endLine: number;
    /** False when the answer ended inside this block (truncated output). */
    terminated: boolean;
    kind: BlockKind;
    applicable: boolean;
    /** Why the block is not applicable (set whenever applicable is false). */
    reason?: string;
}

export interface ExtractOptions {
    /** The reasoning of the same output: blocks containing its prose lines are marked not applicable. */
    reasoning?: string;
}

interface Line {
    text: string;
}

const OPEN_RE = /^([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)(`{3,}|~{3,})(.*)$/;
const CLOSE_RE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** Splits up to `max` blockquote markers (`>`, `> > `) off a line: how many there were, and the rest. */
function unquote(text: string, max = Infinity): { depth: number; rest: string } {
    let depth = 0;
    let rest = text;
    for (let m = /^ {0,3}> ?/.exec(rest); m && depth < max; m = /^ {0,3}> ?/.exec(rest)) {
        depth++;
        rest = rest.slice(m[0].length);
    }
    return { depth, rest };
}

function splitAnswerLines(answer: string): Line[] {
    const parts = answer.split("\n");
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    return parts.map((p) => ({ text: p.endsWith("\r") ? p.slice(0, -1) : p }));
}

/** Extracts every fenced block of `answer`, in order. */
export function extractAnswerBlocks(answer: string, options: ExtractOptions = {}): AnswerBlock[] {
    const lines = splitAnswerLines(answer);
    const leaks = new ReasoningLeakDetector(options.reasoning ?? "");
    const blocks: AnswerBlock[] = [];
    let i = 0;
    while (i < lines.length) {
        const opening = unquote(lines[i]!.text);
        const m = OPEN_RE.exec(opening.rest);
        if (!m) {
            i++;
            continue;
        }
        const fence = m[3]!;
        const info = m[4]!.trim();
        if (fence[0] === "`" && info.includes("`")) {
            i++; // inline code spanning a line (```x```), not a fence
            continue;
        }
        const contentIndent = indentWidth(m[1]! + m[2]!.replace(/[^\t]/g, " "));
        const startLine = i;
        const content: string[] = [];
        let j = i + 1;
        let terminated = false;
        let quoteEnded = false;
        for (; j < lines.length; j++) {
            // The fence's own quote markers come off; deeper ones are content.
            const { depth, rest: text } = unquote(lines[j]!.text, opening.depth);
            if (depth < opening.depth) {
                // The quote ends, and the block with it (CommonMark: a fence cannot outlive its container).
                quoteEnded = true;
                break;
            }
            const c = CLOSE_RE.exec(text);
            if (c && c[1]![0] === fence[0] && c[1]!.length >= fence.length) {
                terminated = true;
                break;
            }
            content.push(stripIndent(text, contentIndent));
        }
        if (!terminated && content.length > 0) {
            // Output cut inside the closing fence ("``"): not code.
            const last = content[content.length - 1]!.trim();
            if (last.length > 0 && last.length < fence.length && /^(`+|~+)$/.test(last) && last[0] === fence[0]) content.pop();
        }
        const endLine = terminated ? j : quoteEnded ? j - 1 : lines.length - 1;
        terminated ||= quoteEnded;
        const { lang, titleHint } = parseInfo(info);
        const block: AnswerBlock = {
            index: blocks.length,
            lang,
            langId: normalizeLanguage(lang),
            info,
            code: content.join("\n"),
            startLine,
            endLine,
            terminated,
            kind: "code",
            applicable: true
        };
        const hint = titleHint ?? fileHintBefore(lines, startLine) ?? fileHintInCode(content);
        if (hint) block.fileHint = hint;
        classify(block, leaks);
        blocks.push(block);
        i = endLine + 1;
    }
    return blocks;
}

// ---- info string and file hints ---------------------------------------------------------------------

function parseInfo(info: string): { lang: string; titleHint?: string } {
    const attr = /\b(?:title|file|filename|name|path)\s*=\s*(?:"([^"]+)"|'([^']+)'|(\S+))/i.exec(info);
    const titleHint = attr ? (attr[1] ?? attr[2] ?? attr[3]) : undefined;
    let lang = info.split(/\s+/)[0] ?? "";
    if (/=/.test(lang)) lang = "";
    // ```python:src/app.py  or  ```ts {1,3}
    const colon = /^([\w+#.-]+):(\S+)$/.exec(lang);
    let pathHint: string | undefined;
    if (colon && looksLikePath(colon[2]!)) {
        lang = colon[1]!;
        pathHint = colon[2]!;
    }
    lang = lang.replace(/[{},]+$/, "");
    const hint = titleHint ?? pathHint;
    return hint ? { lang, titleHint: hint } : { lang };
}

const EXTENSIONS = new Set([
    "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "py", "pyi", "rb", "go", "rs", "java", "kt", "kts", "c", "h",
    "cc", "cpp", "cxx", "hpp", "hh", "cs", "fs", "swift", "m", "mm", "php", "pl", "lua", "r", "dart", "scala", "sql",
    "json", "jsonc", "yaml", "yml", "toml", "ini", "cfg", "conf", "env", "xml", "html", "htm", "css", "scss", "sass",
    "less", "vue", "svelte", "md", "mdx", "txt", "sh", "bash", "zsh", "ps1", "bat", "cmd", "gradle", "proto", "graphql",
    "tf", "ex", "exs", "erl", "hs", "clj", "jl", "zig", "lock", "csv", "ipynb", "astro", "prisma"
]);
const BARE_FILES = new Set(["dockerfile", "makefile", "gemfile", "rakefile", "procfile", "jenkinsfile", "vagrantfile", "cmakelists.txt"]);
const NOT_FILES = new Set(["node.js", "vue.js", "next.js", "nuxt.js", "express.js", "react.js", "three.js", "d3.js",
    "chart.js", "ember.js", "backbone.js", "angular.js", "socket.io", "asp.net", "ado.net", "solid.js", "alpine.js"]);

function looksLikePath(s: string): boolean {
    const t = s.replace(/^["'`(]+|["'`),:;]+$/g, "");
    if (!t || /\s/.test(t) || t.length > 200) return false;
    if (/^https?:/i.test(t)) return false;
    const base = t.split(/[\\/]/).pop() ?? "";
    if (BARE_FILES.has(base.toLowerCase())) return true;
    if (NOT_FILES.has(t.toLowerCase())) return false;
    const ext = /^[\w@.+-]*[\w-]\.([A-Za-z0-9]{1,10})$/.exec(base);
    if (!ext) return false;
    return EXTENSIONS.has(ext[1]!.toLowerCase());
}

function cleanPath(s: string): string {
    return s.replace(/^["'`(]+|["'`),:;.]+$/g, "");
}

/** A path in a line of prose: a backticked span first, then any word that looks like a file path. */
function pathIn(text: string): string | undefined {
    for (const m of text.matchAll(/`([^`]+)`/g)) {
        if (looksLikePath(m[1]!.trim())) return cleanPath(m[1]!.trim());
    }
    for (const word of text.replace(/[*`]/g, " ").split(/\s+/)) {
        const w = word.replace(/^_+|_+$/g, "");
        if (looksLikePath(w)) return cleanPath(w);
    }
    return undefined;
}

/** Heading or bold line (or a short "File: x.ts" line) right before the fence, blank lines allowed. */
function fileHintBefore(lines: Line[], fenceLine: number): string | undefined {
    let k = fenceLine - 1;
    while (k >= 0 && lines[k]!.text.trim() === "") k--;
    if (k < 0 || fenceLine - k > 3) return undefined;
    const t = lines[k]!.text.trim();
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(t);
    if (heading) return pathIn(heading[1]!);
    const bold = /^(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*(.*)$/.exec(t);
    if (bold && bold[2]!.length <= 40) return pathIn(bold[1]!) ?? pathIn(bold[2]!);
    if (t.length <= 100 && /:$/.test(t)) {
        const label = /^(?:[-*+]\s+)?(?:in\s+|update\s+|create\s+|file\s*:?\s*|filename\s*:?\s*|path\s*:?\s*)?(.+?):$/i.exec(t);
        if (label) {
            const inner = label[1]!.trim();
            if (/^`[^`]+`$/.test(inner) || /^[^\s]+$/.test(inner) || /^(?:file|filename|path)\b/i.test(t)) return pathIn(inner);
            const tick = /`([^`]+)`/.exec(inner);
            if (tick && looksLikePath(tick[1]!)) return cleanPath(tick[1]!);
        }
    }
    return undefined;
}

/** `// src/app.ts`, `# file: app.py` as the first line of the block. */
function fileHintInCode(content: string[]): string | undefined {
    const first = content.find((l) => l.trim() !== "");
    if (!first) return undefined;
    const m = /^\s*(?:\/\/|#|--|\/\*|<!--)\s*(?:(?:file(?:name)?|path)\s*:\s*)?(\S+?)\s*(?:\*\/|-->)?\s*$/i.exec(first);
    if (m && looksLikePath(m[1]!) && /[\\/.]/.test(m[1]!)) return cleanPath(m[1]!);
    return undefined;
}

// ---- classification -----------------------------------------------------------------------------

function nonEmptyLines(code: string): string[] {
    return code.split("\n").filter((l) => l.trim() !== "");
}

const SHELL_COMMAND_RE = new RegExp(
    "^(?:sudo\\s+)?(?:npm|npx|yarn|pnpm|bun|pip|pip3|pipx|poetry|conda|uv|python3?\\s+-m|python3?\\s+\\S+\\.py|node\\s+\\S+|" +
    "deno\\s+(?:run|task|test)|git|cd|ls|mkdir|rm|cp|mv|cat|chmod|chown|curl|wget|apt|apt-get|brew|docker|docker-compose|kubectl|" +
    "cargo|go\\s+(?:get|run|build|test|mod|install)|make|cmake|export|source|set\\s+\\w+=|touch|echo|tsc|eslint|" +
    "dotnet|mvn|gradle|./\\S+|java\\s+-|gcc|g\\+\\+|clang)(?:\\s|$)");

function isShellSession(lines: string[]): boolean {
    if (lines.length === 0) return false;
    const first = lines[0]!.trimStart();
    if (/^(?:\$|PS [A-Z]:\\[^>]*>|[A-Z]:\\[^>]*>)\s/.test(first)) return true;
    const prompts = lines.filter((l) => /^\s*\$\s+\S/.test(l)).length;
    return prompts > 0 && prompts >= lines.length / 2;
}

function isShellCommands(lines: string[]): boolean {
    if (lines.length === 0 || lines.length > 30) return false;
    const commands = lines.filter((l) => SHELL_COMMAND_RE.test(l.trim()) || /^\s*#/.test(l)).length;
    return commands === lines.length && lines.some((l) => SHELL_COMMAND_RE.test(l.trim()));
}

const LOG_LINE_RE = new RegExp(
    "^(?:\\s*(?:\\[?\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}|\\[?\\d{2}:\\d{2}:\\d{2}\\]?\\s)|" +
    "\\s*\\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL|NOTICE)\\]?[\\s:]|" +
    "Traceback \\(most recent call last\\)|\\s+File \".*\", line \\d+|\\s+at .+[:(]\\d+(?::\\d+)?\\)?$|" +
    "npm (?:ERR|WARN)!|[\\w.]*(?:Error|Exception)(?::|$)|Process finished|Exit code|>>> |\\.\\.\\. |Output:|" +
    "PASS |FAIL |ok\\s+\\d|not ok\\s+\\d|✓|✔|✗|×)");

function isOutputLog(lines: string[]): boolean {
    if (lines.length === 0) return false;
    if (/^Traceback \(most recent call last\)/.test(lines[0]!.trim())) return true;
    const logLike = lines.filter((l) => LOG_LINE_RE.test(l)).length;
    return logLike >= Math.max(2, Math.ceil(lines.length * 0.6));
}

const BOX_CHARS = /[─│┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬▲▼►◄→←↑↓]/;

function isDiagram(lines: string[]): boolean {
    if (lines.length < 2) return false;
    let drawing = 0;
    for (const l of lines) {
        const t = l.trim();
        if (BOX_CHARS.test(t) || /^[+|]?[-=]{3,}[+|]?$/.test(t) || /^\+[-=+]+\+$/.test(t) || /^[|+].*[|+]$/.test(t) ||
            /^[|v^<>\\/\s]+$/.test(t) || /-{2,}>|<-{2,}|={2,}>/.test(t)) drawing++;
    }
    return drawing >= Math.ceil(lines.length * 0.5);
}

function isProse(lines: string[], strict: boolean): boolean {
    if (lines.length === 0) return false;
    const prose = lines.filter((l) => isProseLine(l)).length;
    return strict ? prose === lines.length : prose >= Math.ceil(lines.length * 0.6);
}

function isUnifiedDiff(lines: string[]): boolean {
    const hasHeader = lines.some((l) => /^(?:@@ .* @@|--- \S|\+\+\+ \S|diff --git )/.test(l));
    const changes = lines.filter((l) => /^[+-](?![+-]{2} )/.test(l)).length;
    return hasHeader && changes > 0;
}

function notApplicable(block: AnswerBlock, kind: BlockKind, reason: string): void {
    block.kind = kind;
    block.applicable = false;
    block.reason = reason;
}

function classify(block: AnswerBlock, leaks: ReasoningLeakDetector): void {
    const lines = nonEmptyLines(block.code);
    const leak = leaks.find(block.code);
    if (leak) return notApplicable(block, "reasoning", `The block ${describeLeak(leak)}.`);
    if (lines.length === 0) return notApplicable(block, "empty", "The block is empty.");
    const id = block.langId;
    const untyped = id === "" || TEXT_LANGUAGES.has(id);
    if (SHELL_LANGUAGES.has(id)) return notApplicable(block, "shell", `A ${block.lang} block holds commands to run, not code to apply.`);
    if (OUTPUT_LANGUAGES.has(id)) return notApplicable(block, "output", "The block shows program output, not code to apply.");
    if (DIAGRAM_LANGUAGES.has(id)) return notApplicable(block, "diagram", "The block is a diagram, not code to apply.");
    if (id === "diff") {
        if (lines.some((l) => /^[+-]/.test(l))) {
            block.kind = "diff";
            return;
        }
        return notApplicable(block, "plaintext", "The diff block has no added or removed lines.");
    }
    if (isShellSession(lines)) return notApplicable(block, "shell", "The block is a terminal session ($ prompts), not code to apply.");
    if (/^(?:>>> |In \[\d+\]: )/.test(lines[0]!)) return notApplicable(block, "output", "The block is an interactive session (prompts and their output), not code to apply.");
    if (isOutputLog(lines)) return notApplicable(block, "output", "The block shows program output or a log, not code to apply.");
    if (untyped) {
        if (isDiagram(lines)) return notApplicable(block, "diagram", "The block is a text diagram, not code to apply.");
        if (isShellCommands(lines)) return notApplicable(block, "shell", "The block holds shell commands, not code to apply.");
        if (isProse(lines, false)) return notApplicable(block, "prose", "The block holds prose, not code.");
        if (id !== "" && TEXT_LANGUAGES.has(id)) return notApplicable(block, "plaintext", `A ${block.lang} block is text, not code to apply.`);
        if (isUnifiedDiff(lines)) {
            block.kind = "diff";
            return;
        }
        return;
    }
    if (id !== "markdown" && isProse(lines, true)) return notApplicable(block, "prose", "The block holds prose, not code.");
}
