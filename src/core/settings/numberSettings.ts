// The numeric r1.* settings, their defaults and bounds (the same as package.json's schema, which a unit test
// checks), and reading one from whatever settings.json holds. VS Code only warns in the settings editor: a value
// of the wrong type ("big", "hot") or out of range (-5, 1e9, 9999) still reaches the extension. Such a value is
// replaced by the default, and the problem is said in words the user can act on.

export interface NumberRule {
    readonly default: number;
    readonly min: number;
    /** undefined: no upper bound. */
    readonly max?: number;
    readonly integer: boolean;
}

export const numberRules = {
    contextSize: { default: 8192, min: 512, max: 131072, integer: true },
    threads: { default: 0, min: 0, max: 256, integer: true },
    idleUnloadMinutes: { default: 30, min: 0, integer: true },
    temperature: { default: 0.6, min: 0, max: 2, integer: false },
    topP: { default: 0.95, min: 0, max: 1, integer: false },
    maxTokens: { default: 16384, min: 16, integer: true },
    thinkingBudget: { default: 4096, min: 0, integer: true },
    "fix.thinkingBudget": { default: 2048, min: 0, integer: true },
    "explain.thinkingBudget": { default: 1024, min: 0, integer: true },
    "fix.verificationTimeout": { default: 15, min: 1, max: 300, integer: true },
    "remote.firstByteTimeoutSeconds": { default: 60, min: 1, max: 3600, integer: true }
} as const satisfies Record<string, NumberRule>;

export type NumberSettingKey = keyof typeof numberRules;

export interface NumberReading {
    value: number;
    /** Why the stored value was not used ("r1.contextSize is "big", not a number: using 8192."). */
    problem?: string;
}

function shown(value: unknown): string {
    const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
    return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** The value to use for setting `key` when settings.json holds `value` (undefined: not set). */
export function readNumberSetting(key: NumberSettingKey, value: unknown): NumberReading {
    const rule: NumberRule = numberRules[key];
    if (value === undefined || value === null) return { value: rule.default };
    const fallback = (why: string): NumberReading => ({ value: rule.default, problem: `r1.${key} is ${shown(value)}, ${why}: using ${rule.default}.` });
    if (typeof value !== "number" || !Number.isFinite(value)) return fallback(rule.integer ? "not a whole number" : "not a number");
    if (rule.integer && !Number.isInteger(value)) return fallback("not a whole number");
    if (value < rule.min) return fallback(`below its minimum ${rule.min}`);
    if (rule.max !== undefined && value > rule.max) return fallback(`above its maximum ${rule.max}`);
    return { value };
}
