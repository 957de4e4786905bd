// What the mocha suite inside the extension host reports back to the test process (as JSON in a file).

export type SuiteTestState = "passed" | "failed" | "pending";

export interface SuiteTestResult {
    /** Titles from the outermost describe/suite to the test itself. */
    readonly titlePath: readonly string[];
    readonly state: SuiteTestState;
    readonly durationMs: number;
    /** For failures: the error message and stack (hooks that fail are reported as failed tests too). */
    readonly error?: { readonly message: string; readonly stack?: string };
}

export interface SuiteReport {
    readonly tests: readonly SuiteTestResult[];
    readonly passed: number;
    readonly failed: number;
    readonly pending: number;
    readonly durationMs: number;
}

/** Environment variables the suite runner reads (set on code-server, so the extension host inherits them). */
export const suiteEnv = {
    /** Where the suite writes its SuiteReport JSON. */
    results: "R1_SUITE_RESULTS",
    /** Only run tests whose full title matches this regular expression. */
    grep: "R1_SUITE_GREP",
    /** Per-test timeout in ms (default 20000). */
    timeout: "R1_SUITE_TIMEOUT",
    /** The file strace writes every connect() of code-server's processes to (unset: strace missing; privacy test skips). */
    connectLog: "R1_CONNECT_LOG"
} as const;
