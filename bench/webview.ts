// Benchmark of the webview's reply rendering: streams a synthetic 32,000-token chain of thought and a
// 4,000-token markdown answer with code into the real bundle (media/dist/webview.js) in headless Chromium,
// one batch of tokens per animation frame, as the host would deliver them.
//
// Measured, per window of 1,000 tokens:
//   CPU ms       main-thread CPU time of the page's renderer, from a Chrome trace (thread time of every
//                task: script, style, layout, paint, observers, GC; time lost to other processes on a
//                busy machine is not in it), between marks the page leaves every 1,000 tokens. It
//                includes the harness's own small per-frame driver work.
//   restyled, laid out   elements whose style was recomputed and layout objects laid out: the summed
//                `elementCount` of the trace's UpdateLayoutTree events and `beginData.dirtyObjects` of its
//                Layout events on the page's main thread. The amount of work, not its duration: the same
//                on an idle and on a busy machine. (CDP's Performance.getMetrics has no per-element counts:
//                RecalcStyleCount and LayoutCount count passes, LayoutObjects is the number of layout
//                objects alive, Nodes the DOM size.)
//   in-page ms   wall time of the webview's message handlers and animation-frame callbacks plus the
//                style and layout they cause (forced right after each callback).
//   frame gap    the longest gap between consecutive animation frames (wall clock).
//   ÷ probe      CPU ms/1k divided by the CPU time per frame, in the same interval, of a probe: a second
//                page streaming a thought that restarts every 2,000 tokens (its cost cannot grow). On a
//                machine whose load drifts (other processes, caches, clocks), this removes the drift.
// The stream is run --runs times (default 3) after a warm-up, and each window keeps its lowest value of
// the runs: work our code does recurs in every run at the same place, while another process stealing the
// CPU does not. A frame counts as long only if it was long in every run.
// restyle_growth and layout_growth = (restyled, laid out per 1k tokens over the last 4k tokens of the
// thought) ÷ (over its first 4k): they decide whether rendering stays flat (≤ 1.2 each: `flat`), since they
// do not move with the machine's load. growth = the same ratio of ÷ probe CPU time, and the raw CPU ratio and
// least-squares fits through all windows, are printed as well: they tell what the work costs, but a run's
// CPU ratio moves by ±0.2 with the weather. The answer compares its first and last 1,000 tokens.
//
// Usage: npm run bench:webview [-- --runs 3 --tokens-per-frame 32 --thought 32000 --answer 4000]
// Prints a table and, last, one JSON line.
import { Harness, harnessUnavailable, launchBrowser } from "../test/webview/harness";
import { syntheticAnswer, syntheticThought } from "./syntheticReply";

interface FrameRecord { tokens: number; phase: "thought" | "answer"; dispatchMs: number; renderMs: number; layoutMs: number; gapMs: number }
interface StreamResult { frames: FrameRecord[]; longTasks: number[]; longFrames: number[]; finishMs: number }

function arg(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(values: number[], p: number): number {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function stream(h: Harness, turnId: string, thought: string[], answer: string[], tokensPerFrame: number, extra: Record<string, unknown> = {}): Promise<StreamResult> {
    return h.page.evaluate(
        (spec) => (globalThis as unknown as { r1Harness: { runStream(s: unknown): Promise<StreamResult> } }).r1Harness.runStream(spec),
        { turnId, thought, answer, tokensPerFrame, thoughtBudget: thought.length, ...extra }
    );
}

interface TraceEvent {
    name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number;
    args?: { elementCount?: number; beginData?: { dirtyObjects?: number }; data?: { message?: string } };
}

interface WindowWork { cpuMs: number; restyled: number; laidOut: number; maxTaskMs: number; probeMsPerFrame: number }

/**
 * Renderer main-thread work between consecutive "r1:N" marks, keyed by N; plus the longest task (CPU ms).
 * probeMsPerFrame: in the same wall-clock interval, the probe page's main-thread CPU per frame (its marks
 * "p1:N" come once per frame).
 */
function workPerMark(trace: Buffer): { byMark: Map<number, WindowWork>; maxTaskCpuMs: number; maxTaskAt: number } {
    const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : parsed.traceEvents ?? [];
    const marks = events.filter((e) => e.name === "TimeStamp" && e.args?.data?.message?.startsWith("r1:")).sort((a, b) => a.ts - b.ts);
    const probeMarks = events.filter((e) => e.name === "TimeStamp" && e.args?.data?.message?.startsWith("p1:")).sort((a, b) => a.ts - b.ts);
    const byMark = new Map<number, WindowWork>();
    if (marks.length === 0) return { byMark, maxTaskCpuMs: 0, maxTaskAt: 0 };
    const { pid, tid } = marks[0];
    const probeThread = probeMarks[0];
    const probeTasks = probeThread ? events.filter((e) => e.pid === probeThread.pid && e.tid === probeThread.tid && e.ph === "X" && e.name === "RunTask") : [];
    for (let k = 0; k + 1 < marks.length; k++) {
        const key = Number(marks[k].args?.data?.message?.slice(3));
        if (key < 0) break;
        const [a, b] = [marks[k].ts, marks[k + 1].ts];
        const cpu = probeTasks.filter((e) => e.ts >= a && e.ts < b).reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
        const frames = probeMarks.filter((e) => e.ts >= a && e.ts < b).length;
        byMark.set(key, { cpuMs: 0, restyled: 0, laidOut: 0, maxTaskMs: 0, probeMsPerFrame: frames > 0 ? cpu / frames : NaN });
    }
    const relevant = new Set(["RunTask", "UpdateLayoutTree", "Layout"]);
    const work = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && relevant.has(e.name) && e.ts >= marks[0].ts).sort((a, b) => a.ts - b.ts);
    let maxTaskCpuMs = 0;
    let maxTaskAt = 0;
    let m = 0;
    for (const e of work) {
        while (m + 1 < marks.length && e.ts >= marks[m + 1].ts) m++;
        const key = Number(marks[m].args?.data?.message?.slice(3));
        if (key < 0) break; // after the stream: the harness collecting its results
        const w = byMark.get(key) ?? { cpuMs: 0, restyled: 0, laidOut: 0, maxTaskMs: 0, probeMsPerFrame: NaN };
        if (e.name === "RunTask") {
            w.cpuMs += (e.tdur ?? 0) / 1000;
            w.maxTaskMs = Math.max(w.maxTaskMs, (e.tdur ?? 0) / 1000);
            if ((e.tdur ?? 0) / 1000 > maxTaskCpuMs) {
                maxTaskCpuMs = (e.tdur ?? 0) / 1000;
                maxTaskAt = key;
            }
        } else if (e.name === "UpdateLayoutTree") {
            w.restyled += e.args?.elementCount ?? 0;
        } else {
            w.laidOut += e.args?.beginData?.dirtyObjects ?? 0;
        }
        byMark.set(key, w);
    }
    return { byMark, maxTaskCpuMs, maxTaskAt };
}

/** In-page cost per 1,000 tokens and longest frame gap for each window [start, start + size) of the stream. */
function windows(frames: FrameRecord[], size: number, total: number): { start: number; phase: string; msPer1k: number; maxGap: number }[] {
    const out = [];
    for (let start = 0; start < total; start += size) {
        const inWindow = frames.filter((f) => f.tokens > start && f.tokens <= start + size);
        if (inWindow.length === 0) continue;
        const ms = inWindow.reduce((s, f) => s + f.dispatchMs + f.renderMs, 0);
        out.push({ start, phase: inWindow[inWindow.length - 1].phase, msPer1k: (ms * 1000) / Math.min(size, total - start), maxGap: Math.max(...inWindow.map((f) => f.gapMs)) });
    }
    return out;
}

interface Row {
    start: number; phase: string; cpuPer1k: number; normPer1k: number; restyledPer1k: number; laidOutPer1k: number;
    inPagePer1k: number; maxGap: number; maxTaskMs: number;
}

/** Mean of the first and last `edge` rows and the ends of a least-squares line through all of them. */
function trend(values: number[], edge: number): { first: number; last: number; growth: number; fittedFirst: number; fittedLast: number; fittedGrowth: number } {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
    const first = mean(values.slice(0, edge));
    const last = mean(values.slice(-edge));
    const n = values.length;
    const xm = (n - 1) / 2;
    const ym = mean(values);
    const slope = values.reduce((s, v, k) => s + (k - xm) * (v - ym), 0) / Math.max(1e-9, values.reduce((s, _v, k) => s + (k - xm) ** 2, 0));
    const fittedFirst = ym - slope * xm;
    const fittedLast = ym + slope * xm;
    return { first, last, growth: last / first, fittedFirst, fittedLast, fittedGrowth: fittedLast / fittedFirst };
}

/** The work counters decide flatness: last 4k ÷ first 4k of the thought, for each of them. */
const flatLimit = 1.2;

/** One run's counter growth (restyled, laid out) over the thought, as the final figures are computed. */
function counterGrowth(rows: Row[], thoughtTokens: number): { restyle: number; layout: number } {
    const thoughtRows = rows.filter((r) => r.start + 1000 <= thoughtTokens);
    const edge = Math.max(1, Math.min(4, Math.floor(thoughtRows.length / 2)));
    return { restyle: trend(thoughtRows.map((r) => r.restyledPer1k), edge).growth, layout: trend(thoughtRows.map((r) => r.laidOutPer1k), edge).growth };
}

async function main(): Promise<void> {
    const unavailable = harnessUnavailable();
    if (unavailable) {
        console.error(`bench:webview cannot run: ${unavailable}`);
        process.exit(2);
    }
    const thoughtTokens = arg("thought", 32_000);
    const answerTokens = arg("answer", 4_000);
    const tokensPerFrame = arg("tokens-per-frame", 32);
    const runs = Math.max(1, arg("runs", 3));
    const total = thoughtTokens + answerTokens;
    const thought = syntheticThought(thoughtTokens);
    const answer = syntheticAnswer(answerTokens);
    // The probe: a second page streaming a thought that restarts every 2,000 tokens, so its cost per frame
    // cannot grow; it measures how fast the machine is at each moment of the main stream.
    const probeThought = syntheticThought(total + 64 * tokensPerFrame, 3);

    const browser = await launchBrowser();
    try {
        const h = await Harness.open(browser, { theme: "dark", width: 480, height: 820, reducedMotion: false });
        const probe = await Harness.open(browser, { theme: "dark", width: 480, height: 820, reducedMotion: false });
        await Promise.all([
            stream(h, "warmup", syntheticThought(1500, 7), syntheticAnswer(800), tokensPerFrame),
            stream(probe, "warmup", syntheticThought(1500, 7), [], tokensPerFrame)
        ]);

        let best: Row[] = [];
        const counterGrowthByRun: Array<{ restyle: number; layout: number }> = [];
        let maxTaskCpuMs = 0;
        let maxTaskAt = 0;
        let worstGapAnyRun = 0;
        let longTasks = 0;
        let frames = 0;
        const wall: number[] = [];
        for (let run = 0; run < runs; run++) {
            await Promise.all([h.post({ type: "clear" }), probe.post({ type: "clear" })]);
            await h.settle();
            await browser.startTracing(h.page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
            const t0 = Date.now();
            const [result] = await Promise.all([
                stream(h, `bench-${run}`, thought, answer, tokensPerFrame, { markEvery: 1000 }),
                stream(probe, `probe-${run}`, probeThought, [], tokensPerFrame, { markEvery: tokensPerFrame, markPrefix: "p1", restartEvery: 2000 })
            ]);
            wall.push((Date.now() - t0) / 1000);
            const work = workPerMark(await browser.stopTracing());
            console.log(`run ${run + 1}: ${wall[run].toFixed(1)} s; finishing the reply took ${result.finishMs.toFixed(1)} ms`);
            if (work.maxTaskCpuMs > maxTaskCpuMs) {
                maxTaskCpuMs = work.maxTaskCpuMs;
                maxTaskAt = work.maxTaskAt;
            }
            worstGapAnyRun = Math.max(worstGapAnyRun, ...result.frames.map((f) => f.gapMs));
            longTasks += result.longTasks.length;
            frames = result.frames.length;
            const rows: Row[] = windows(result.frames, 1000, total).map((r) => {
                const w = work.byMark.get(r.start) ?? { cpuMs: NaN, restyled: NaN, laidOut: NaN, maxTaskMs: NaN, probeMsPerFrame: NaN };
                const scale = 1000 / Math.min(1000, total - r.start);
                return {
                    start: r.start, phase: r.phase, cpuPer1k: w.cpuMs * scale, normPer1k: (w.cpuMs * scale) / w.probeMsPerFrame,
                    restyledPer1k: w.restyled * scale, laidOutPer1k: w.laidOut * scale, inPagePer1k: r.msPer1k, maxGap: r.maxGap, maxTaskMs: w.maxTaskMs
                };
            });
            counterGrowthByRun.push(counterGrowth(rows, thoughtTokens));
            const min = (a: number, b: number | undefined) => Math.min(a, b ?? Infinity);
            best = run === 0 ? rows : best.map((b, i) => ({
                ...b,
                cpuPer1k: min(b.cpuPer1k, rows[i]?.cpuPer1k),
                restyledPer1k: min(b.restyledPer1k, rows[i]?.restyledPer1k),
                laidOutPer1k: min(b.laidOutPer1k, rows[i]?.laidOutPer1k),
                normPer1k: min(b.normPer1k, rows[i]?.normPer1k),
                inPagePer1k: min(b.inPagePer1k, rows[i]?.inPagePer1k),
                maxGap: min(b.maxGap, rows[i]?.maxGap),
                maxTaskMs: min(b.maxTaskMs, rows[i]?.maxTaskMs)
            }));
        }

        console.log(`Webview rendering: ${thoughtTokens} thought + ${answerTokens} answer tokens, ${tokensPerFrame} tokens per frame (${frames} frames), ` +
            `${runs} run(s); lowest value of the runs per window`);
        console.log("");
        console.log("tokens          phase    CPU ms/1k  ÷ probe  restyled/1k  laid out/1k  in-page ms/1k  longest task ms  max frame gap ms");
        for (const r of best) {
            console.log(`${String(r.start).padStart(6)}-${String(Math.min(total, r.start + 1000)).padEnd(6)}   ${r.phase.padEnd(7)}  ${r.cpuPer1k.toFixed(1).padStart(9)}  ${r.normPer1k.toFixed(1).padStart(7)}  ` +
                `${r.restyledPer1k.toFixed(0).padStart(11)}  ${r.laidOutPer1k.toFixed(0).padStart(11)}  ${r.inPagePer1k.toFixed(1).padStart(13)}  ${r.maxTaskMs.toFixed(1).padStart(15)}  ${r.maxGap.toFixed(1).padStart(16)}`);
        }

        const thoughtRows = best.filter((r) => r.start + 1000 <= thoughtTokens);
        const answerRows = best.filter((r) => r.start >= thoughtTokens);
        const edge = Math.max(1, Math.min(4, Math.floor(thoughtRows.length / 2)));
        const restyled = trend(thoughtRows.map((r) => r.restyledPer1k), edge);
        const laidOut = trend(thoughtRows.map((r) => r.laidOutPer1k), edge);
        const flat = restyled.growth <= flatLimit && laidOut.growth <= flatLimit;
        const raw = trend(thoughtRows.map((r) => r.cpuPer1k), edge);
        const norm = trend(thoughtRows.map((r) => r.normPer1k), edge);
        const answerRaw = trend(answerRows.map((r) => r.cpuPer1k), 1);
        const answerNorm = trend(answerRows.map((r) => r.normPer1k), 1);
        const maxFrame = Math.max(0, ...best.map((r) => r.maxGap));
        const maxTask = Math.max(0, ...best.map((r) => r.maxTaskMs));
        const gaps = best.map((r) => r.maxGap);

        console.log("");
        const perRun = (k: "restyle" | "layout") => counterGrowthByRun.map((g) => g[k].toFixed(2)).join(", ");
        console.log(`work:    ${restyled.first.toFixed(0)} elements restyled per 1k tokens over the first ${edge}k of the thought, ${restyled.last.toFixed(0)} over ` +
            `the last ${edge}k: growth ${restyled.growth.toFixed(2)} (runs: ${perRun("restyle")}); layout objects laid out ${laidOut.first.toFixed(0)} → ` +
            `${laidOut.last.toFixed(0)}: growth ${laidOut.growth.toFixed(2)} (runs: ${perRun("layout")}); ${flat ? "flat" : "NOT flat"} (limit ${flatLimit})`);
        console.log(`thought: ${raw.first.toFixed(1)} CPU ms per 1k tokens over the first ${edge}k, ${raw.last.toFixed(1)} over the last ${edge}k: growth ${raw.growth.toFixed(2)} ` +
            `(fitted line: ${raw.fittedGrowth.toFixed(2)}); relative to the probe: growth ${norm.growth.toFixed(2)} (fitted line: ${norm.fittedGrowth.toFixed(2)})`);
        console.log(`answer:  ${answerRaw.first.toFixed(1)} CPU ms per 1k tokens over the first 1k, ${answerRaw.last.toFixed(1)} over the last 1k: growth ${answerRaw.growth.toFixed(2)}; ` +
            `relative to the probe: ${answerNorm.growth.toFixed(2)}`);
        console.log(`frames:  longest frame gap that recurred in every run ${maxFrame.toFixed(1)} ms (median window ${percentile(gaps, 50).toFixed(1)} ms); ` +
            `longest gap in any run ${worstGapAnyRun.toFixed(1)} ms; longest task that recurred in every run ${maxTask.toFixed(1)} ms CPU, ` +
            `in any run ${maxTaskCpuMs.toFixed(1)} ms (window from token ${maxTaskAt}); long tasks (> 50 ms wall) ${longTasks} in ${runs} run(s)`);
        console.log(JSON.stringify({
            tokens: total,
            flat,
            restyled_per_1k_first: round(restyled.first, 1),
            restyled_per_1k_last: round(restyled.last, 1),
            restyle_growth: round(restyled.growth),
            laid_out_per_1k_first: round(laidOut.first, 1),
            laid_out_per_1k_last: round(laidOut.last, 1),
            layout_growth: round(laidOut.growth),
            restyle_growth_runs: counterGrowthByRun.map((g) => round(g.restyle)),
            layout_growth_runs: counterGrowthByRun.map((g) => round(g.layout)),
            ms_per_1k_first: round(raw.first),
            ms_per_1k_last: round(raw.last),
            growth: round(norm.growth),
            growth_raw: round(raw.growth),
            growth_fitted: round(norm.fittedGrowth),
            answer_ms_per_1k_first: round(answerRaw.first),
            answer_ms_per_1k_last: round(answerRaw.last),
            answer_growth: round(answerNorm.growth),
            answer_growth_raw: round(answerRaw.growth),
            max_frame_ms: round(maxFrame, 1),
            max_frame_ms_any_run: round(worstGapAnyRun, 1),
            max_task_cpu_ms: round(maxTask, 1),
            max_task_cpu_ms_any_run: round(maxTaskCpuMs, 1),
            runs
        }));
        await probe.close();
        await h.close();
    } finally {
        await browser.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
