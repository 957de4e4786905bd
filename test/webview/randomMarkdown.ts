// Random markdown documents built from the block kinds a model writes (paragraphs, headings, lists with
// nested code, fences, tables, quotes, rules, reference links), with and without blank lines between
// blocks, for the incremental-equals-full rendering tests. Deterministic for a given seed.

const words = ["the", "model", "returns", "a", "value", "**bold**", "`code`", "*em*", "[link](https://example.com)", "[ref]",
    "x < y", "a & b", "snake_case", "item", "2.", "#", "|", "->", "*", "_", "~~gone~~", "https://example.org/p?q=1"];

function pick<T>(random: () => number, list: readonly T[]): T {
    return list[Math.floor(random() * list.length)];
}

function sentence(random: () => number, n = 4 + Math.floor(random() * 10)): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pick(random, words));
    return out.join(" ");
}

function codeLines(random: () => number): string {
    const lines: string[] = [];
    const n = 1 + Math.floor(random() * 6);
    for (let i = 0; i < n; i++) lines.push(pick(random, ["const a = 1;", "", "if (x < 2 && y > 3) {", "    return `t`;", "}", "# comment", "- not a list", "```not closing"]));
    return lines.join("\n");
}

const blocks: ((random: () => number) => string)[] = [
    (r) => `${sentence(r)}\n${sentence(r)}`,
    (r) => `${"#".repeat(1 + Math.floor(r() * 3))} ${sentence(r, 3)}`,
    (r) => `${sentence(r, 3)}\n${pick(r, ["===", "---"])}`,
    (r) => {
        const ordered = r() < 0.5;
        const n = 1 + Math.floor(r() * 4);
        const items: string[] = [];
        for (let i = 0; i < n; i++) {
            const marker = ordered ? `${i + 1}.` : "-";
            let item = `${marker} ${sentence(r, 4)}`;
            if (r() < 0.3) item += `\n\n   \`\`\`${pick(r, ["js", "python", ""])}\n   ${codeLines(r).split("\n").join("\n   ")}\n   \`\`\``;
            if (r() < 0.3) item += `\n   - nested ${sentence(r, 2)}`;
            items.push(item);
        }
        return items.join(r() < 0.5 ? "\n" : "\n\n");
    },
    (r) => `\`\`\`${pick(r, ["ts", "python", "bash", "", "json"])}\n${codeLines(r)}\n\`\`\``,
    (r) => `~~~\n${codeLines(r)}\n~~~`,
    (r) => `| a | b |\n|---|${pick(r, ["---", ":-:", "--:"])}|\n| ${sentence(r, 2)} | ${sentence(r, 2)} |`,
    (r) => `> ${sentence(r)}\n${r() < 0.5 ? "> " : ""}${sentence(r, 3)}`,
    (r) => pick(r, ["---", "***", "- - -"]),
    () => "[ref]: https://example.net/ref",
    (r) => `    indented ${sentence(r, 2)}`,
    (r) => `<div>${sentence(r, 2)}</div>`
];

export function randomMarkdown(random: () => number, blockCount: number): string {
    const parts: string[] = [];
    for (let i = 0; i < blockCount; i++) {
        parts.push(pick(random, blocks)(random));
        parts.push(random() < 0.8 ? "\n\n" : "\n");
    }
    return parts.join("");
}
