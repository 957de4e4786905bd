// Figures a reliability test records for `npm run test:reliability` (which prints them as one JSON line): merged into
// the JSON file named by R1_RELIABILITY_FIGURES; nothing happens without it (npm test).
import { readFileSync, writeFileSync } from "node:fs";

export function recordFigures(key: string, value: unknown, file = process.env.R1_RELIABILITY_FIGURES): void {
    if (!file) return;
    let all: Record<string, unknown> = {};
    try {
        all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
        // the first figures of the run
    }
    all[key] = value;
    writeFileSync(file, JSON.stringify(all));
}
