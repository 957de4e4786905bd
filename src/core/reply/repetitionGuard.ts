// Detects a reply that loops: the same run of tokens repeating back to back (R1's known failure mode of
// endless repetition). Pure and O(maxPeriod) per token: for every period p it keeps the length of the current
// run of positions where token[i] === token[i - p]. A run of `minRepeatTokens` (and at least
// `minRepeats - 1` whole periods) means the last tokens are the same p-token unit repeated.

export interface RepetitionGuardOptions {
    /** Longest repeating unit looked for, in tokens. */
    maxPeriod: number;
    /** How many times the unit must appear back to back. */
    minRepeats: number;
    /** Fewest tokens the repetition must span beyond its first occurrence (ignores short legit repeats like `}\n}\n`). */
    minRepeatTokens: number;
}

export const defaultRepetitionGuardOptions: RepetitionGuardOptions = {
    maxPeriod: 256,
    minRepeats: 4,
    minRepeatTokens: 96
};

export interface RepetitionHit {
    /** Length of the repeating unit, in tokens. */
    period: number;
    /** The repeating unit's tokens (most recent occurrence). */
    unit: number[];
    /** Tokens covered by the repetition (all occurrences). */
    span: number;
}

export class RepetitionGuard {
    private readonly history: number[] = [];
    private readonly runs: Int32Array;
    private readonly options: RepetitionGuardOptions;

    constructor(options: Partial<RepetitionGuardOptions> = {}) {
        this.options = { ...defaultRepetitionGuardOptions, ...options };
        this.runs = new Int32Array(this.options.maxPeriod + 1);
    }

    /** Feeds generated tokens; returns the first repetition found, or undefined. */
    push(tokens: readonly number[]): RepetitionHit | undefined {
        const { maxPeriod, minRepeats, minRepeatTokens } = this.options;
        let hit: RepetitionHit | undefined;
        for (const token of tokens) {
            const h = this.history;
            h.push(token);
            const i = h.length - 1;
            for (let p = 1; p <= maxPeriod; p++) {
                if (i - p < 0) break;
                const run = h[i - p] === token ? this.runs[p] + 1 : 0;
                this.runs[p] = run;
                if (hit === undefined && run >= Math.max(minRepeatTokens, p * (minRepeats - 1))) {
                    hit = { period: p, unit: h.slice(i - p + 1), span: run + p };
                }
            }
            // Keep memory bounded: only the last 2 * maxPeriod tokens are ever compared.
            if (h.length > 8 * maxPeriod) h.splice(0, h.length - 2 * maxPeriod);
        }
        return hit;
    }
}
