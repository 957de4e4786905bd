// Finds function, method and class definitions in source text without a parser: a header line recognised
// by pattern, its extent by brace matching (C-like languages) or by indentation (Python, and any header
// whose body has no braces). Good enough to map "the model rewrote this whole function" onto the document,
// and to find the function around a line (Explain Code, the fix prompt).

import { indentWidth } from "./indentation";
import { normalizeLanguage } from "../answer/languageIds";
import { splitLines, type TextRange, wholeLinesRange } from "./textEdit";

export type DefinitionKind = "function" | "class";

export interface Definition {
    name: string;
    kind: DefinitionKind;
    /** Line of the header (`def f(`, `function f(`, `class C`). */
    headerLine: number;
    /** First line including decorators and comments directly above the header (no blank line between). */
    leadingLine: number;
    /** Last line of the definition (its closing brace, or its last indented line). */
    endLine: number;
    /** Indentation width of the header line. */
    indent: number;
}

const INDENT_LANGUAGES = new Set(["python", "coffeescript", "nim", "yaml"]);

const CONTROL_WORDS = new Set(["if", "for", "while", "switch", "catch", "return", "function", "else", "do", "try",
    "with", "new", "await", "typeof", "delete", "throw", "case", "sizeof", "elif", "except", "when", "match", "using", "lock",
    "foreach", "yield", "super", "this", "import", "export", "from", "require"]);

interface HeaderPattern {
    re: RegExp;
    kind: DefinitionKind;
}

// Name in group 1. Patterns are tried in order; the first that matches a line wins.
const PYTHON_HEADERS: HeaderPattern[] = [
    { re: /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*[([]/, kind: "function" },
    { re: /^\s*class\s+([A-Za-z_]\w*)\s*[(:[]/, kind: "class" }
];

const C_LIKE_HEADERS: HeaderPattern[] = [
    { re: /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/, kind: "function" },
    { re: /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)?\s*(?::[^=]+)?(?:=>|$)|[A-Za-z_$][\w$]*\s*=>|<[^>]*>\s*\()/, kind: "function" },
    { re: /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:(?:public|private|protected|internal|static|sealed|final|partial|data|open)\s+)*(?:class|interface|struct|enum|trait|object|record)\s+([A-Za-z_$][\w$]*)/, kind: "class" },
    { re: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+([A-Za-z_]\w*)/, kind: "function" },
    { re: /^\s*func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[<([]/, kind: "function" },
    { re: /^\s*(?:(?:public|private|protected|internal|open|override|suspend|inline|static|final|abstract|operator)\s+)*fun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)\s*\(/, kind: "function" },
    { re: /^\s*(?:(?:public|private|protected|static|final|abstract)\s+)*function\s+&?([A-Za-z_]\w*)\s*\(/, kind: "function" },
    { re: /^\s*(?:local\s+)?function\s+([A-Za-z_][\w.:]*)\s*\(/, kind: "function" },
    { re: /^\s*def\s+(?:self\.)?([A-Za-z_]\w*[?!]?)/, kind: "function" },
    // Methods: `async foo(a: T): R {`, `public static int Foo(int a) {`, `foo() {`; not calls (`foo(x);`).
    { re: /^\s*(?:@\w+\s+)*(?:(?:public|private|protected|internal|static|readonly|async|override|abstract|virtual|final|synchronized|extern|inline|constexpr|get|set|unsafe|new)\s+)*(?:[\w$<>[\],.?*&:]+\s+)*\*?([A-Za-z_$~][\w$]*)\s*(?:<[^>()]*>)?\s*\((?:[^;]*\)\s*(?::\s*[^;{=]+|->\s*[^;{]+|throws\s+[^;{]+|const|noexcept|override)*\s*\{?\s*$|[^)]*$)/, kind: "function" }
];

function headerAt(line: string, patterns: HeaderPattern[]): { name: string; kind: DefinitionKind } | undefined {
    const t = line.trim();
    if (!t || /^(?:\/\/|#|\*|\/\*|\}|--)/.test(t)) return undefined;
    const methodPattern = patterns === C_LIKE_HEADERS ? patterns[patterns.length - 1] : undefined;
    for (const p of patterns) {
        const m = p.re.exec(line);
        if (!m) continue;
        const name = m[1]!;
        if (CONTROL_WORDS.has(name)) continue;
        if (p === methodPattern) {
            // A method header, not a statement: before the name there are only modifiers and types.
            const before = t.slice(0, t.indexOf(name)).trim();
            if (/[=(;]|^(?:return|await|new|throw|else|yield|case)\b/.test(before)) continue;
        }
        return { name, kind: p.kind };
    }
    return undefined;
}

function isIndentLanguage(languageId: string): boolean {
    return INDENT_LANGUAGES.has(normalizeLanguage(languageId));
}

/** End of a brace-delimited body starting at `line` (skips strings and comments); undefined if none opens. */
function braceEnd(lines: readonly string[], line: number): number | undefined {
    let depth = 0;
    let opened = false;
    let inBlockComment = false;
    let quote = "";
    for (let l = line; l < lines.length; l++) {
        const s = lines[l]!;
        if (!opened && l > line + 6) return undefined;
        for (let i = 0; i < s.length; i++) {
            const c = s[i]!;
            if (inBlockComment) {
                if (c === "*" && s[i + 1] === "/") {
                    inBlockComment = false;
                    i++;
                }
                continue;
            }
            if (quote) {
                if (c === "\\") i++;
                else if (c === quote) quote = "";
                continue;
            }
            if (c === "/" && s[i + 1] === "/") break;
            if (c === "/" && s[i + 1] === "*") {
                inBlockComment = true;
                i++;
                continue;
            }
            if (c === '"' || c === "'" || c === "`") {
                quote = c;
                continue;
            }
            if (c === ";" && !opened && depth === 0) return undefined; // a declaration without a body
            if (c === "{") {
                depth++;
                opened = true;
            } else if (c === "}") {
                depth--;
                if (opened && depth === 0) return l;
            }
        }
        if (quote === '"' || quote === "'") quote = ""; // unterminated simple string: do not run on
    }
    return undefined;
}

/** End of an indentation-delimited body whose header starts at `line` with indentation `indent`. */
function indentEnd(lines: readonly string[], line: number, indent: number): number {
    // Let a multi-line signature finish: brackets opened on the header close first.
    let depth = 0;
    let l = line;
    for (; l < lines.length; l++) {
        for (const c of lines[l]!) {
            if (c === "(" || c === "[" || c === "{") depth++;
            else if (c === ")" || c === "]" || c === "}") depth--;
        }
        if (depth <= 0) break;
    }
    let end = l;
    for (let k = l + 1; k < lines.length; k++) {
        const s = lines[k]!;
        if (s.trim() === "") continue;
        if (indentWidth(s) <= indent) {
            // A closing line at the header's indentation belongs to it (`}`, `end`, `)`).
            if (/^\s*(?:[}\])]|end\b)/.test(s)) end = k;
            break;
        }
        end = k;
    }
    return end;
}

/** Decorators, attributes and comments directly above a header (no blank line between) belong to it. */
function leadingLine(lines: readonly string[], header: number): number {
    let first = header;
    for (let k = header - 1; k >= 0; k--) {
        const t = lines[k]!.trim();
        if (!/^(?:@|#\[|\/\/|\/\*|\*|#|--|\[\w)/.test(t)) break;
        if (/^#\s*(?:include|define|if|ifdef|ifndef|endif|else|elif|pragma|undef|region|endregion)\b/.test(t)) break;
        first = k;
    }
    return first;
}

/** All definitions in `text` (or its lines), in order of their headers. */
export function findDefinitions(source: string | readonly string[], languageId: string): Definition[] {
    const lines = typeof source === "string" ? source.split(/\r\n|\r|\n/) : source;
    const indentLang = isIndentLanguage(languageId);
    const patterns = normalizeLanguage(languageId) === "python" ? PYTHON_HEADERS : C_LIKE_HEADERS;
    const defs: Definition[] = [];
    for (let i = 0; i < lines.length; i++) {
        const h = headerAt(lines[i]!, patterns);
        if (!h) continue;
        const indent = indentWidth(lines[i]!);
        const end = indentLang ? indentEnd(lines, i, indent) : (braceEnd(lines, i) ?? -1);
        if (end < 0) {
            // No brace body: an arrow function with an expression body, or Ruby/Lua style; use indentation
            // only for languages whose functions may be written so.
            if (patterns !== C_LIKE_HEADERS || !/=>|^\s*(?:def|function|local function)\b/.test(lines[i]!)) continue;
            defs.push({ ...h, headerLine: i, leadingLine: leadingLine(lines, i), endLine: indentEnd(lines, i, indent), indent });
            continue;
        }
        defs.push({ ...h, headerLine: i, leadingLine: leadingLine(lines, i), endLine: end, indent });
    }
    return defs;
}

/** The innermost definition containing `line` (functions preferred over classes), or undefined. */
export function findEnclosingDefinition(
    source: string | readonly string[], line: number, languageId: string, kind?: DefinitionKind
): Definition | undefined {
    let best: Definition | undefined;
    for (const d of findDefinitions(source, languageId)) {
        if (kind && d.kind !== kind) continue;
        if (line < d.leadingLine || line > d.endLine) continue;
        if (!best || d.endLine - d.headerLine <= best.endLine - best.headerLine) best = d;
    }
    return best;
}

/** The definition a target line lies in (for callers that want to send the model the whole function). */
export function enclosingFunctionRange(documentText: string, line: number, languageId: string): TextRange | undefined {
    const lines = splitLines(documentText);
    const d = findEnclosingDefinition(lines, line, languageId, "function") ?? findEnclosingDefinition(lines, line, languageId);
    return d ? wholeLinesRange(lines, d.leadingLine, d.endLine) : undefined;
}
