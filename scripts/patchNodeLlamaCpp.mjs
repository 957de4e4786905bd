// Patches node-llama-cpp's checking of predicted tokens (token prediction, src/server/answerPredictor.ts). Run by
// npm's `postinstall` and again by scripts/build.mjs; idempotent. The packaged VSIX copies
// node_modules/node-llama-cpp from this checkout, and scripts/packaging/stage.ts refuses an unpatched copy.
//
// node-llama-cpp 3.21.1 (3.22.1, the newest on npm on 2026-12-04, has the same code) checks a draft of predicted
// tokens in one batch, in LlamaContextSequence._speculativeEvaluate. Two defects, one fix each:
//  1. "validated draft": draft token i+1 is accepted when it equals the model's output at position i; for i > 0
//     that output is read from `validatedTokens.at(-1)`, an array the function declares but never fills, so
//     every draft token after the first is refused and a step yields at most two tokens. The fix records each
//     accepted draft token with the model's output at its position.
//  2. "lazy draft sampling": every position of the batch is sampled, also those after the first refused draft
//     token, whose result is thrown away. With temperature > 0 each sample draws from the sampler's random
//     stream, so a refused draft shifted that stream and the reply parted from the one decoded without
//     prediction at the same seed. The fix samples a position only while the draft up to it holds: the same
//     number of draws, in the same order, as decoding token by token.
//
// Usage: node scripts/patchNodeLlamaCpp.mjs [--check]   (--check: exit 1 if the file is not fully patched)
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
export const target = join(root, "node_modules/node-llama-cpp/dist/evaluator/LlamaContext/LlamaContext.js");

const SPECULATIVE = "async *_speculativeEvaluate(";
const once = (source, text, from = 0) => {
    const at = source.indexOf(text, from);
    return at >= 0 && source.indexOf(text, at + 1) < 0 ? at : -1;
};
const insertAfterLine = (source, at, line) => {
    const lineStart = source.lastIndexOf("\n", at) + 1;
    const lineEnd = source.indexOf("\n", at);
    const indent = /^\s*/.exec(source.slice(lineStart, lineEnd))[0];
    return `${source.slice(0, lineEnd)}\n${indent}${line}${source.slice(lineEnd)}`;
};

export const PATCHES = [
    {
        name: "validated draft",
        marker: "/* r1-reasoner: validated draft */",
        apply(source) {
            const anchor = "this._loadedTokenPredictions.push([evalTokens[i], [resultToken, probabilities, confidence]]);";
            const at = once(source, anchor);
            if (at < 0 || !source.includes("const validatedTokens = [];")) return undefined;
            return insertAfterLine(source, at, `validatedTokens.push([evalTokens[i], resultToken]); ${this.marker}`);
        }
    },
    {
        name: "lazy draft sampling",
        marker: "/* r1-reasoner: lazy draft sampling */",
        apply(source) {
            const start = once(source, SPECULATIVE);
            if (start < 0) return undefined;
            const mapper = "const decodeResult = await this._decodeTokens(evalTokens, logitsArray, evaluationPriority, this._tokenMeter, contextShiftOptions, (batchLogitIndex, tokenIndex) => {";
            const at = source.indexOf(mapper, start);
            const end = source.indexOf("\n    }\n", at); // the end of _speculativeEvaluate's body
            const sampleCalls = [
                "return this._context._ctx.sampleToken(batchLogitIndex, sampler._sampler, sampleProbabilities, sampleConfidence);",
                "return this._context._ctx.sampleToken(batchLogitIndex, sampler._sampler);"
            ];
            const callsAt = sampleCalls.map((c) => source.indexOf(c, at));
            if (at < 0 || end < 0 || callsAt.some((c) => c < 0 || c > end)) return undefined;
            let out = source;
            // From the last edit to the first, so that the earlier offsets stay right.
            for (const [i, c] of [...callsAt.entries()].reverse())
                out = `${out.slice(0, c)}return r1Sampled(await ${sampleCalls[i].slice("return ".length, -1)});${out.slice(c + sampleCalls[i].length)}`;
            const mapperEnd = at + mapper.length;
            const lineStart = out.lastIndexOf("\n", at) + 1;
            const indent = /^\s*/.exec(out.slice(lineStart, at))[0];
            out = `${out.slice(0, mapperEnd)}\n${indent}    if (tokenIndex > logitsStartIndex && (r1Refused || r1Last !== evalTokens[tokenIndex])) { r1Refused = true; return -2; } ${this.marker}${out.slice(mapperEnd)}`;
            out = `${out.slice(0, lineStart)}${indent}let r1Last, r1Refused = false; const r1Sampled = (r) => { r1Last = r instanceof Array ? r[0] : r; return r; }; ${this.marker}\n${out.slice(lineStart)}`;
            return out;
        }
    }
];

/** Applies every patch not yet applied. state: "patched" (changed now), "already patched", or "anchor not found: NAME". */
export function patchSource(source) {
    let out = source;
    let changed = false;
    for (const patch of PATCHES) {
        if (out.includes(patch.marker)) continue;
        const next = patch.apply(out);
        if (next === undefined) return { source, state: `anchor not found: ${patch.name}` };
        out = next;
        changed = true;
    }
    return { source: out, state: changed ? "patched" : "already patched" };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const check = process.argv.includes("--check");
    if (!existsSync(target)) {
        console.log(`patchNodeLlamaCpp: ${target} is absent (node-llama-cpp not installed); nothing patched.`);
        process.exit(check ? 1 : 0);
    }
    const { source, state } = patchSource(readFileSync(target, "utf8"));
    if (state.startsWith("anchor not found")) {
        console.error(`patchNodeLlamaCpp: ${state}. node-llama-cpp's draft check changed: see whether upstream fixed it `
            + "and update scripts/patchNodeLlamaCpp.mjs.");
        process.exit(1);
    }
    if (check) {
        console.log(`patchNodeLlamaCpp: ${state === "already patched" ? "patched" : "NOT patched"}`);
        process.exit(state === "already patched" ? 0 : 1);
    }
    if (state === "patched") writeFileSync(target, source);
    console.log(`patchNodeLlamaCpp: node-llama-cpp draft check ${state}.`);
}
