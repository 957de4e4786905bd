// Syntax highlighting for code blocks: highlight.js core with a fixed set of common languages (the full
// bundle with ~190 languages would triple the webview bundle). No auto-detection: it runs every grammar
// over the code, which is slow and often wrong on short snippets. Unknown languages are shown plain.
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import kotlin from "highlight.js/lib/languages/kotlin";
import makefile from "highlight.js/lib/languages/makefile";
import markdown from "highlight.js/lib/languages/markdown";
import php from "highlight.js/lib/languages/php";
import plaintext from "highlight.js/lib/languages/plaintext";
import powershell from "highlight.js/lib/languages/powershell";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const languages = {
    bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, makefile, markdown,
    php, plaintext, powershell, python, ruby, rust, shell, sql, typescript, xml, yaml
};
for (const [name, fn] of Object.entries(languages)) hljs.registerLanguage(name, fn);
// Fence names models often use that the grammars do not alias themselves.
hljs.registerAliases(["jsonc", "json5"], { languageName: "json" });
hljs.registerAliases(["toml"], { languageName: "ini" });
hljs.registerAliases(["vue", "svelte"], { languageName: "xml" });
hljs.registerAliases(["text", "txt", "plain"], { languageName: "plaintext" });

/** The canonical grammar name for a fence's language word, or undefined when none is bundled. */
export function resolveLanguage(lang: string): string | undefined {
    const lower = lang.toLowerCase();
    if (resolved.has(lower)) return resolved.get(lower);
    // getLanguage also answers for aliases; report the registered name (used as a CSS class).
    const grammar = lower ? hljs.getLanguage(lower) : undefined;
    const name = grammar ? Object.keys(languages).find((n) => hljs.getLanguage(n) === grammar) : undefined;
    if (resolved.size > 500) resolved.clear(); // keyed by model text: keep it bounded
    resolved.set(lower, name);
    return name;
}
const resolved = new Map<string, string | undefined>();

/**
 * HTML for code highlighted as `language` (a name from resolveLanguage): text escaped by highlight.js and
 * wrapped in `<span class="hljs-…">` only. The caller still sanitizes it with the rest of the block.
 */
export function highlightCode(code: string, language: string): string {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
