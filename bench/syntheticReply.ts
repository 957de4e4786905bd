// A synthetic DeepSeek-R1 reply of a given size, deterministic: a long chain of thought (English
// reasoning in paragraphs, with the odd numbered step or formula on its own line) and a markdown answer
// made of repeating ~500-token sections (heading, paragraphs, a list, a code block, a table), so every
// 1,000-token window of the answer holds the same mix of work.
import { pseudoTokens, seededRandom } from "../test/webview/tokenize";

const thoughtSentences = [
    "Okay, let me think about what the user actually needs here.",
    "Wait, that does not account for the case where the input is empty.",
    "Hmm, maybe I should check the boundary conditions first.",
    "So the loop runs n times and each iteration does constant work, which gives O(n) overall.",
    "Let me verify this with a small example: for [3, 1, 2] the answer should be 2.",
    "But if the array is already sorted, the early exit kicks in and we return immediately.",
    "Alternatively, a hash map would trade memory for speed here.",
    "I think the cleaner approach is to normalise the keys before comparing them.",
    "Let me double-check the off-by-one: the range is half-open, so the last index is excluded.",
    "That means the previous answer was wrong, and the fix is to start from zero instead.",
    "Now, what about concurrency? Two callers could interleave between the read and the write.",
    "A lock would work, but an atomic compare-and-swap is simpler in this case.",
    "The user mentioned TypeScript, so the types should make the invalid state unrepresentable.",
    "Putting it together: validate, transform, then write the result once."
];

export function syntheticThought(tokens: number, seed = 1): string[] {
    const random = seededRandom(seed);
    const out: string[] = [];
    let step = 1;
    while (out.length < tokens) {
        let paragraph = "";
        const sentences = 3 + Math.floor(random() * 6);
        for (let i = 0; i < sentences; i++) paragraph += (i ? " " : "") + thoughtSentences[Math.floor(random() * thoughtSentences.length)];
        if (random() < 0.15) paragraph += `\n${step++}. Compute f(x) = x^2 + ${Math.floor(random() * 9)}x and compare.`;
        out.push(...pseudoTokens(`${paragraph}\n\n`));
    }
    return out.slice(0, tokens);
}

const codeSample = (n: number) => `\`\`\`ts
export async function processBatch${n}(items: readonly Item[], options: BatchOptions = {}): Promise<Result[]> {
    const limit = options.concurrency ?? 4;
    const results: Result[] = [];
    for (let i = 0; i < items.length; i += limit) {
        // Run one slice at a time so memory stays bounded.
        const slice = items.slice(i, i + limit);
        const settled = await Promise.allSettled(slice.map((item) => transform(item, options)));
        for (const [j, outcome] of settled.entries()) {
            if (outcome.status === "fulfilled") results.push(outcome.value);
            else console.warn(\`item \${i + j} failed: \${String(outcome.reason)}\`);
        }
    }
    return results;
}
\`\`\``;

function answerSection(n: number): string {
    return `## Step ${n}: process the batch

The function below processes the items in slices of \`limit\`, so at most **${n % 5 + 2} requests** run at once and a
failure in one item does not reject the whole batch. Each slice waits for all of its promises with
\`Promise.allSettled\`, then records the successful results in order.

${codeSample(n)}

Why this shape:

- Bounded concurrency keeps memory flat even for very large inputs.
- \`allSettled\` turns rejections into values, so one bad item is logged instead of thrown.
- Results keep the input order, which makes the output easy to diff.

| Option | Default | Effect |
| --- | :---: | --- |
| \`concurrency\` | 4 | items in flight at once |
| \`retries\` | 0 | attempts per failing item |

`;
}

export function syntheticAnswer(tokens: number): string[] {
    const out: string[] = [];
    let n = 1;
    while (out.length < tokens) out.push(...pseudoTokens(answerSection(n++)));
    return out.slice(0, tokens);
}
