// Notices when the reasoning switches writing system (R1's known "language mixing", e.g. an English thought
// that continues in Chinese). Pure and incremental: it classifies letters by script and compares the
// dominant script of the opening of the text with the dominant script of a recent window.

export type Script = "Latin" | "Han" | "Kana" | "Hangul" | "Cyrillic" | "Arabic" | "Greek" | "Hebrew" | "Devanagari" | "Thai";

export interface LanguageSwitch {
    from: Script;
    to: Script;
}

function scriptOf(cp: number): Script | undefined {
    if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f)) return "Latin";
    if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff)) return "Han";
    if (cp >= 0x3040 && cp <= 0x30ff) return "Kana";
    if (cp >= 0xac00 && cp <= 0xd7af) return "Hangul";
    if (cp >= 0x400 && cp <= 0x4ff) return "Cyrillic";
    if (cp >= 0x600 && cp <= 0x6ff) return "Arabic";
    if (cp >= 0x370 && cp <= 0x3ff) return "Greek";
    if (cp >= 0x590 && cp <= 0x5ff) return "Hebrew";
    if (cp >= 0x900 && cp <= 0x97f) return "Devanagari";
    if (cp >= 0xe00 && cp <= 0xe7f) return "Thai";
    return undefined;
}

/** Han characters carry about as much text as a Latin word: weigh them so short Chinese runs count. */
const weight: Partial<Record<Script, number>> = { Han: 3, Kana: 2, Hangul: 2 };

export class LanguageMixDetector {
    private baseline: Script | undefined;
    private readonly baselineCounts = new Map<Script, number>();
    private baselineLetters = 0;
    private readonly window: Script[] = [];
    private readonly windowCounts = new Map<Script, number>();
    private reported = false;

    /**
     * @param baselineSize letters that fix the thought's starting script
     * @param windowSize    size of the recent window compared against it
     */
    constructor(private readonly baselineSize = 120, private readonly windowSize = 60) {}

    /** Feeds thought text; returns a switch the first time one is seen (once per reply). */
    push(text: string): LanguageSwitch | undefined {
        if (this.reported) return undefined;
        for (const ch of text) {
            const script = scriptOf(ch.codePointAt(0)!);
            if (script === undefined) continue;
            const w = weight[script] ?? 1;
            if (this.baseline === undefined) {
                this.baselineCounts.set(script, (this.baselineCounts.get(script) ?? 0) + w);
                this.baselineLetters += w;
                if (this.baselineLetters >= this.baselineSize) this.baseline = dominant(this.baselineCounts);
                continue;
            }
            for (let i = 0; i < w; i++) this.window.push(script);
            this.windowCounts.set(script, (this.windowCounts.get(script) ?? 0) + w);
            while (this.window.length > this.windowSize) {
                const old = this.window.shift()!;
                this.windowCounts.set(old, this.windowCounts.get(old)! - 1);
            }
            if (this.window.length >= this.windowSize) {
                const now = dominant(this.windowCounts);
                if (now !== this.baseline && (this.windowCounts.get(now) ?? 0) >= this.windowSize * 0.7) {
                    this.reported = true;
                    return { from: this.baseline, to: now };
                }
            }
        }
        return undefined;
    }
}

function dominant(counts: Map<Script, number>): Script {
    let best: Script = "Latin";
    let bestCount = -1;
    for (const [script, count] of counts) {
        if (count > bestCount) {
            best = script;
            bestCount = count;
        }
    }
    return best;
}
