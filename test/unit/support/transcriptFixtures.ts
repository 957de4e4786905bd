// Loads the real R1 transcripts from ../shared/fixtures/r1-transcripts (relative to the repository root).
// A user's clone has no ../shared: the tests that need it skip with a message saying so. R1_SHARED_DIR
// points elsewhere (a git worktree whose ../shared is not the project's shared folder).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot as findRepoRoot } from "../../fixtures/repoPaths";

export interface ExpectedBlock {
    lang: string;
    code: string;
}

export interface Transcript {
    file: string;
    model: string;
    /** "inline-think" (raw holds <think>…</think>) or "separate-fields" (API reasoning_content/content). */
    format: string;
    raw: string | null;
    reasoning: string;
    answer: string;
    expected_code_blocks: ExpectedBlock[];
    notes: string;
}

/** Repository root: this file runs as out/test/unit/transcriptFixtures.js. */
export const repoRoot = findRepoRoot();

export const sharedDir = process.env["R1_SHARED_DIR"] ? resolve(process.env["R1_SHARED_DIR"]) : resolve(repoRoot, "../shared");
export const transcriptsDir = join(sharedDir, "fixtures/r1-transcripts");

/** Why the transcript tests skip, or undefined when the transcripts are there. */
export const transcriptsMissing: string | undefined = existsSync(transcriptsDir)
    ? undefined
    : `skipped: ${transcriptsDir} is absent (the project's shared fixtures are not next to this checkout; set R1_SHARED_DIR to use another copy)`;

export function loadTranscripts(): Transcript[] {
    if (transcriptsMissing) return [];
    return readdirSync(transcriptsDir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(transcriptsDir, f), "utf8")) as Omit<Transcript, "file">) }));
}
