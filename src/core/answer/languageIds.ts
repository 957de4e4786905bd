// Fence info strings ("ts", "Python", "c++", "shell-session") → VS Code language ids, and which ids are
// close enough that code of one may be applied to a document of the other.

const ALIASES: Record<string, string> = {};

function alias(id: string, ...names: string[]): void {
    ALIASES[id] = id;
    for (const n of names) ALIASES[n] = id;
}

alias("typescript", "ts", "mts", "cts", "deno");
alias("typescriptreact", "tsx");
alias("javascript", "js", "mjs", "cjs", "node", "nodejs", "ecmascript", "es6");
alias("javascriptreact", "jsx");
alias("python", "py", "python3", "py3", "python2", "gyp", "pyi");
alias("shellscript", "sh", "bash", "zsh", "shell", "ksh", "fish", "csh", "tcsh");
alias("powershell", "ps", "ps1", "pwsh", "psm1");
alias("bat", "cmd", "batch", "dos");
alias("shellsession", "console", "shell-session", "terminal", "sh-session", "bash-session", "prompt");
alias("json", "json5");
alias("jsonc");
alias("yaml", "yml");
alias("toml");
alias("ini", "cfg", "conf", "properties", "dotenv", "env");
alias("c", "h");
alias("cpp", "c++", "cc", "cxx", "hpp", "hxx", "hh");
alias("csharp", "cs", "c#");
alias("fsharp", "fs", "f#");
alias("java");
alias("kotlin", "kt", "kts");
alias("scala", "sc");
alias("groovy", "gradle");
alias("go", "golang");
alias("rust", "rs");
alias("ruby", "rb");
alias("php", "php8");
alias("perl", "pl", "pm");
alias("lua");
alias("r");
alias("dart");
alias("swift");
alias("objective-c", "objc", "objectivec");
alias("haskell", "hs");
alias("elixir", "ex", "exs");
alias("erlang", "erl");
alias("clojure", "clj", "cljs", "edn");
alias("julia", "jl");
alias("zig");
alias("sql", "mysql", "postgresql", "postgres", "psql", "sqlite", "plsql", "tsql");
alias("html", "htm", "xhtml");
alias("xml", "svg", "xsd", "xsl", "plist");
alias("css");
alias("scss");
alias("less");
alias("sass");
alias("vue");
alias("svelte");
alias("markdown", "md", "mdx");
alias("latex", "tex");
alias("dockerfile", "docker", "containerfile");
alias("makefile", "make", "mk");
alias("cmake");
alias("graphql", "gql");
alias("proto", "protobuf");
alias("diff", "patch", "udiff", "git-diff");
alias("plaintext", "text", "txt", "plain", "none", "nohighlight", "ascii", "asciiart", "ascii-art", "raw", "pseudo",
    "pseudocode", "tree");
alias("output", "out", "log", "logs", "stdout", "stderr", "result", "results", "trace", "traceback", "stacktrace");
alias("mermaid");
alias("plantuml", "puml");
alias("dot", "graphviz");

/** Language ids of blocks that are never code to apply: commands to run, program output, diagrams, text. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(["shellscript", "powershell", "bat", "shellsession"]);
export const TEXT_LANGUAGES: ReadonlySet<string> = new Set(["plaintext"]);
export const OUTPUT_LANGUAGES: ReadonlySet<string> = new Set(["output"]);
export const DIAGRAM_LANGUAGES: ReadonlySet<string> = new Set(["mermaid", "plantuml"]);

/**
 * The language id a fence's first info word names: "ts" → "typescript", "Python" → "python", "" → "".
 * Unknown words come back lower-cased (VS Code uses most language names as their id).
 */
export function normalizeLanguage(lang: string): string {
    let l = lang.trim().toLowerCase();
    if (l.startsWith("{") && l.endsWith("}")) l = l.slice(1, -1).trim(); // pandoc: {.python}
    if (l.startsWith(".")) l = l.slice(1);
    if (l.startsWith("language-")) l = l.slice("language-".length);
    return ALIASES[l] ?? l;
}

const FAMILIES: readonly (readonly string[])[] = [
    ["typescript", "typescriptreact", "javascript", "javascriptreact", "vue", "svelte"],
    ["c", "cpp", "objective-c"],
    ["json", "jsonc"],
    ["css", "scss", "less", "sass"],
    ["html", "xml", "vue", "svelte"],
    ["java", "kotlin", "scala", "groovy"],
    ["shellscript", "shellsession"]
];

export type LanguageMatch = "same" | "related" | "unknown" | "unrelated";

/** How well code in `blockLanguageId` fits a document in `documentLanguageId` ("" = the block had no tag). */
export function matchLanguage(blockLanguageId: string, documentLanguageId: string): LanguageMatch {
    const b = normalizeLanguage(blockLanguageId);
    const d = normalizeLanguage(documentLanguageId);
    if (!b || !d) return "unknown";
    if (b === d) return "same";
    if (FAMILIES.some((f) => f.includes(b) && f.includes(d))) return "related";
    return "unrelated";
}
