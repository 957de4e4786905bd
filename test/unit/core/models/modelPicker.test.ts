import assert from "node:assert/strict";
import { before, test } from "node:test";
import { GiB } from "../../../../src/core/models/byteSize";
import { estimateMemory } from "../../../../src/core/models/memoryEstimate";
import { type CatalogEntry, catalogEntries, formatParameters, QUANTS } from "../../../../src/core/models/modelCatalog";
import { type MachineInfo, memoryBudgets, recommend } from "../../../../src/core/models/modelRecommendation";
import {
    benchmarkLine, buildModelPicker, judgeEntry, loadedModelVramBytes, machineFromOs, machineFromReport, machineSummary, type PickerInput, type PickerItem,
    type StoredModelInfo
} from "../../../../src/core/models/modelPicker";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import type { MachineReport } from "../../../../src/shared/lspProtocol";
import { repoRoot as findRepoRoot } from "../../../fixtures/repoPaths";

const repoRoot = findRepoRoot();
let entries: CatalogEntry[];

before(async () => {
    entries = catalogEntries(await readCatalogFile(catalogPath(repoRoot)));
});

function report(r: Partial<MachineReport>): MachineReport {
    return { backend: "cpu", gpuNames: [], vramBytes: 0, freeVramBytes: 0, unifiedMemory: false, ramBytes: 16 * GiB, freeRamBytes: 8 * GiB, cpuCores: 8, ...r };
}

/** The machines of the issue, as the model process reports them (r1/machineInfo). */
const machines: Array<{ name: string; report: MachineReport; expect: (e: CatalogEntry) => boolean; why: string }> = [
    {
        name: "8 GB laptop, no GPU",
        report: report({ ramBytes: 8 * GiB, freeRamBytes: 5 * GiB, cpuCores: 4 }),
        expect: (e) => e.model.id === "deepseek-r1-distill-qwen-1.5b", why: "only the 1.5B fits in 5 GiB free RAM with headroom"
    },
    {
        name: "16 GB Mac (Metal, unified memory)",
        report: report({ backend: "metal", gpuNames: ["Apple M2"], vramBytes: (16 * GiB * 2) / 3, freeVramBytes: (16 * GiB * 2) / 3, unifiedMemory: true, ramBytes: 16 * GiB, freeRamBytes: 9 * GiB }),
        expect: (e) => e.model.parameters >= 7e9 && e.model.parameters < 9e9, why: "a 7B/8B distill; 14B does not fit in the GPU's share"
    },
    {
        name: "24 GB GPU",
        report: report({ backend: "cuda", gpuNames: ["NVIDIA GeForce RTX 4090"], vramBytes: 24 * GiB, freeVramBytes: 23.5 * GiB, ramBytes: 32 * GiB, freeRamBytes: 24 * GiB }),
        expect: (e) => e.id === "deepseek-r1-distill-qwen-32b:Q4_K_M", why: "32B at Q4_K_M rather than 14B at Q8_0"
    },
    {
        name: "80 GB GPU",
        report: report({ backend: "cuda", gpuNames: ["NVIDIA A100 80GB"], vramBytes: 80 * GiB, freeVramBytes: 79 * GiB, ramBytes: 256 * GiB, freeRamBytes: 200 * GiB }),
        expect: (e) => e.model.id === "deepseek-r1-distill-llama-70b", why: "the 70B distill"
    },
    {
        name: "CPU only, 64 GB RAM",
        report: report({ ramBytes: 64 * GiB, freeRamBytes: 56 * GiB, cpuCores: 16 }),
        expect: (e) => e.quantization.sizeBytes <= 6e9 && e.model.parameters >= 7e9, why: "a 7B/8B although 70B would fit in RAM (too slow on a CPU)"
    }
];

function input(machine: MachineInfo, extra: Partial<PickerInput> = {}): PickerInput {
    return { entries, machine, machineSummary: "test machine", stored: [], activeModelPath: "", contextSize: 8192, ...extra };
}

function stored(entry: CatalogEntry, extra: Partial<StoredModelInfo> = {}): StoredModelInfo {
    const name = entry.quantization.files[0].path.split("/").pop()!;
    return { path: `/models/${entry.quantization.repo.split("/")[0]}/${name}`, name, sizeBytes: entry.quantization.sizeBytes, partialBytes: 0, complete: true, missingParts: [], entry, ...extra };
}

const items = (list: PickerItem[]) => list.filter((i) => i.kind === "item");
const byEntry = (list: PickerItem[], id: string) => list.filter((i) => i.action && "entryId" in i.action && i.action.entryId === id);

for (const { name, report: r, expect, why } of machines) {
    test(`picker — ${name}: the recommended entry is marked and preselected (${why}); every entry shows its fit`, () => {
        const machine = machineFromReport(r);
        const picker = buildModelPicker(input(machine));
        const rec = recommend(entries, machine, { contextSize: 8192 });
        assert.ok(rec.choice, rec.reason);
        assert.ok(expect(rec.choice.entry), `recommended ${rec.choice.entry.id}`);

        const recommended = picker.items.filter((i) => i.recommended);
        assert.equal(recommended.length, 1, "exactly one recommended item");
        assert.equal(picker.items[picker.recommendedIndex], recommended[0], "the recommended item is the preselected one");
        assert.deepEqual(recommended[0].action, { kind: "download", entryId: rec.choice.entry.id });
        assert.match(recommended[0].label, /^\$\(star-full\) /);
        assert.match(recommended[0].description ?? "", /^recommended · /);
        assert.equal(recommended[0].fit, "fits");
        assert.ok(picker.placeholder.includes(recommended[0].label.replace("$(star-full) ", "")), picker.placeholder);

        // Every catalog entry once, grouped under its model's separator, in catalog order.
        for (const e of entries) assert.equal(byEntry(picker.items, e.id).length, 1, e.id);
        const order = items(picker.items).flatMap((i) => (i.action && "entryId" in i.action && i.action.entryId ? [i.action.entryId] : []));
        assert.deepEqual(order, entries.map((e) => e.id));
        for (const m of new Set(entries.map((e) => e.model))) {
            const label = `${m.name.replace(/^DeepSeek-R1-Distill-/, "")} · ${formatParameters(m.parameters)} · `;
            const separators = picker.items.filter((i) => i.kind === "separator" && i.label.startsWith(label));
            assert.equal(separators.length, 1, m.name);
            if (m.requiresServingEngine) assert.match(separators[0].label, /serving engine only$/);
        }

        // Fit verdicts agree with the memory numbers: a "fits" entry leaves the headroom free, a "too big" one
        // does not fit even with RAM added.
        const budgets = memoryBudgets(machine);
        const accel = budgets.unified ?? budgets.gpu;
        for (const e of entries) {
            const item = byEntry(picker.items, e.id)[0];
            const need = estimateMemory(e, 8192).totalBytes;
            assert.ok(item.description?.includes(`needs ~`), e.id);
            const budget = accel ?? budgets.cpu;
            if (item.fit === "fits") assert.ok(need + budget.headroomBytes <= budget.availableBytes, e.id);
            if (item.fit === "tight") assert.ok(need <= budget.availableBytes && need + budget.headroomBytes > budget.availableBytes, e.id);
            if (item.fit === "too-big") assert.ok(need > budget.availableBytes, e.id);
            if (item.fit === "partial-offload") assert.ok(accel && need > accel.availableBytes, e.id);
            if (e.model.requiresServingEngine) {
                assert.equal(item.fit, "serving-engine");
                assert.deepEqual(item.action, { kind: "serving-engine", entryId: e.id, model: e.model.upstream.replace("https://huggingface.co/", "") });
                assert.match(item.description ?? "", /serving engine/);
            }
            // Benchmarks in the detail line.
            if (e.model.benchmarks.liveCodeBenchPass1 !== null) assert.ok(item.detail?.includes(`LiveCodeBench ${e.model.benchmarks.liveCodeBenchPass1}`), e.id);
            if (e.model.benchmarks.codeforcesRating !== null) assert.ok(item.detail?.includes(`Codeforces ${e.model.benchmarks.codeforcesRating}`), e.id);
        }

        // "Use a remote engine…" then "Use a GGUF file on disk…" close the list; no saved engines, no group for them.
        const [remote, last] = items(picker.items).slice(-2);
        assert.deepEqual(remote!.action, { kind: "add-remote" });
        assert.equal(remote!.label, "$(plug) Use a remote engine…");
        assert.deepEqual(last!.action, { kind: "browse" });
        assert.ok(!picker.items.some((i) => i.label === "Remote engines"));
    });
}

test("a model that fits the 24 GB GPU fits; one that needs more than VRAM but less than VRAM + RAM runs partly on the CPU; 70B Q8_0 is too big", () => {
    const machine = machineFromReport(machines[2].report);
    const picker = buildModelPicker(input(machine));
    const fit = (id: string) => byEntry(picker.items, id)[0].fit;
    assert.equal(fit("deepseek-r1-distill-qwen-7b:Q4_K_M"), "fits");
    assert.equal(fit("deepseek-r1-distill-qwen-32b:Q8_0"), "partial-offload", "34.8 GB of weights: 23.5 GiB VRAM + 24 GiB RAM");
    assert.equal(fit("deepseek-r1-distill-llama-70b:Q8_0"), "too-big");
});

test("downloaded models come first (with the active one marked), and are not repeated in the catalog groups", () => {
    const machine = machineFromReport(machines[2].report);
    const q7 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-7b:Q4_K_M")!;
    const rec = recommend(entries, machine).choice!.entry;
    const own: StoredModelInfo = { path: "/models/mine/custom.gguf", name: "custom.gguf", sizeBytes: 123e6, partialBytes: 0, complete: true, missingParts: [], entry: null };
    const picker = buildModelPicker(input(machine, { stored: [stored(q7), stored(rec), own], activeModelPath: stored(q7).path }));
    assert.equal(picker.items[0].kind, "separator");
    assert.equal(picker.items[0].label, "Downloaded");
    const downloaded = picker.items.slice(1, 4);
    assert.ok(downloaded.every((i) => i.action?.kind === "use-file"));
    const active = downloaded.find((i) => i.active)!;
    assert.deepEqual(active.action, { kind: "use-file", path: stored(q7).path, entryId: q7.id });
    assert.match(active.description ?? "", /active/);
    // The recommended entry is on disk: its downloaded item carries the star and is preselected.
    assert.equal(picker.items[picker.recommendedIndex].action?.kind, "use-file");
    assert.equal(picker.items.filter((i) => i.recommended).length, 1);
    assert.equal(byEntry(picker.items, q7.id).length, 1, "not listed twice");
    assert.equal(byEntry(picker.items, rec.id).length, 1);
    // A file that is not in the catalog: its name, no fit (unknown architecture), still usable.
    const custom = downloaded.find((i) => i.label.includes("custom.gguf"))!;
    assert.equal(custom.fit, undefined);
    assert.deepEqual(custom.action, { kind: "use-file", path: "/models/mine/custom.gguf", entryId: null });
});

test("saved remote engines come after the downloaded models, the active one marked; a local file is not 'active' while a remote engine is", () => {
    const machine = machineFromReport(machines[2].report);
    const q7 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-7b:Q4_K_M")!;
    const endpoints = [
        { id: "a", baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner", label: "deepseek-reasoner @ api.deepseek.com" },
        { id: "b", baseUrl: "http://127.0.0.1:8000/v1", model: "deepseek-ai/DeepSeek-R1", label: "deepseek-ai/DeepSeek-R1 @ 127.0.0.1:8000" }
    ];
    const picker = buildModelPicker(input(machine, { stored: [stored(q7)], activeModelPath: stored(q7).path, endpoints, activeEngine: "a" }));
    const labels = picker.items.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 5), ["Downloaded", `$(pass) ${q7.model.name.replace("DeepSeek-R1-Distill-", "")} Q4_K_M`, "Remote engines",
        "$(cloud) deepseek-reasoner @ api.deepseek.com", "$(cloud) deepseek-ai/DeepSeek-R1 @ 127.0.0.1:8000"]);
    assert.ok(!picker.items[1].active && !(picker.items[1].description ?? "").includes("active"), "the local file is not the active engine");
    assert.deepEqual(picker.items[3].action, { kind: "use-remote", endpointId: "a" });
    assert.equal(picker.items[3].description, "active");
    assert.equal(picker.items[3].detail, "https://api.deepseek.com/v1");
    assert.equal(picker.items[4].description, undefined);
    // Back on the local engine, the file is active again and no endpoint is.
    const local = buildModelPicker(input(machine, { stored: [stored(q7)], activeModelPath: stored(q7).path, endpoints, activeEngine: "local" }));
    assert.ok(local.items[1].active);
    assert.ok(!local.items.some((i) => i.action?.kind === "use-remote" && i.active));
});

test("the configured model outside the models folder is listed first as active; a missing one says so", () => {
    const machine = machineFromReport(machines[0].report);
    const there = buildModelPicker(input(machine, { activeModelPath: "/elsewhere/my-r1.gguf", activeModelSizeBytes: 2.5e9 }));
    assert.equal(there.items[1].label, "$(file) my-r1.gguf");
    assert.equal(there.items[1].description, "active · 2.50 GB");
    const gone = buildModelPicker(input(machine, { activeModelPath: "/elsewhere/gone.gguf", activeModelSizeBytes: null }));
    assert.equal(gone.items[1].description, "active · file not found");
});

test("a partial download says how far it got and resumes; a running download is not started twice", () => {
    const machine = machineFromReport(machines[2].report);
    const q14 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-14b:Q4_K_M")!;
    const q8 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-14b:Q8_0")!;
    const picker = buildModelPicker(input(machine, {
        stored: [stored(q14, { complete: false, sizeBytes: 0, partialBytes: 3e9, missingParts: [1] })],
        downloading: [q8.id]
    }));
    const partial = byEntry(picker.items, q14.id)[0];
    assert.deepEqual(partial.action, { kind: "download", entryId: q14.id });
    assert.match(partial.description ?? "", /partly downloaded \(3\.00 GB of 8\.99 GB\), resumes/);
    assert.deepEqual(byEntry(picker.items, q8.id)[0].action, { kind: "downloading", entryId: q8.id });
    assert.ok(picker.items.some((i) => i.action?.kind === "manage"), "Manage downloaded models… when something is in the store");
});

test("memory needed follows r1.contextSize: a longer context needs more and can change the verdict", () => {
    const machine = machineFromReport(machines[2].report);
    const id = "deepseek-r1-distill-qwen-32b:Q4_K_M";
    const short = byEntry(buildModelPicker(input(machine, { contextSize: 4096 })).items, id)[0];
    const long = byEntry(buildModelPicker(input(machine, { contextSize: 65536 })).items, id)[0];
    const need = (i: PickerItem) => /needs ~([\d.]+) GB/.exec(i.description ?? "")?.[1];
    assert.ok(Number(need(long)) > Number(need(short)), `${need(short)} → ${need(long)}`);
    assert.equal(short.fit, "fits");
    assert.notEqual(long.fit, "fits");
});

test("nothing fits: no recommended item, and the placeholder says what to change", () => {
    const machine = machineFromReport(report({ ramBytes: 4 * GiB, freeRamBytes: 1 * GiB }));
    const picker = buildModelPicker(input(machine));
    assert.equal(picker.recommendedIndex, -1);
    assert.match(picker.placeholder, /r1\.contextSize/);
    assert.ok(items(picker.items).every((i) => i.fit !== "fits"));
});

test("machineFromReport: VRAM from llama.cpp, the loaded model's VRAM counted as free, several GPUs share the totals, CPU backend means no GPU", () => {
    const one = machineFromReport(report({ backend: "cuda", gpuNames: ["A"], vramBytes: 24 * GiB, freeVramBytes: 10 * GiB }), 6 * GiB);
    assert.deepEqual(one.gpus, [{ vramBytes: 24 * GiB, freeVramBytes: 16 * GiB, backend: "cuda" }]);
    const capped = machineFromReport(report({ backend: "cuda", gpuNames: ["A"], vramBytes: 24 * GiB, freeVramBytes: 20 * GiB }), 10 * GiB);
    assert.equal(capped.gpus[0].freeVramBytes, 24 * GiB, "never more free than the total");
    const two = machineFromReport(report({ backend: "vulkan", gpuNames: ["A", "B"], vramBytes: 48 * GiB, freeVramBytes: 40 * GiB }));
    assert.equal(two.gpus.length, 2);
    assert.equal(memoryBudgets(two).gpu?.availableBytes, 40 * GiB);
    assert.deepEqual(machineFromReport(report({ backend: "cpu", vramBytes: 0 })).gpus, []);
    const mac = machineFromReport(report({ backend: "metal", vramBytes: 10 * GiB, freeVramBytes: 10 * GiB, unifiedMemory: true }));
    assert.equal(mac.unifiedMemory, true);
    assert.ok(memoryBudgets(mac).unified);
});

test("loadedModelVramBytes: the weights' share on the GPU; nothing on the CPU", () => {
    assert.equal(loadedModelVramBytes({ sizeBytes: 8e9, gpuLayers: 14, totalLayers: 28, backend: "cuda" }), 4e9);
    assert.equal(loadedModelVramBytes({ sizeBytes: 8e9, gpuLayers: 29, totalLayers: 29, backend: "metal" }), 8e9);
    assert.equal(loadedModelVramBytes({ sizeBytes: 8e9, gpuLayers: 0, totalLayers: 28, backend: "cpu" }), 0);
    assert.equal(loadedModelVramBytes(undefined), 0);
});

test("fallback without the model process: the OS's RAM, no GPU, unified memory on Apple silicon, and the title says the GPU was not measured", () => {
    const linux = machineFromOs({ totalmem: 16 * GiB, freemem: 10 * GiB, platform: "linux", arch: "x64" });
    assert.deepEqual(linux, { gpus: [], ramBytes: 16 * GiB, freeRamBytes: 10 * GiB, unifiedMemory: false });
    assert.equal(machineFromOs({ totalmem: 16 * GiB, freemem: 10 * GiB, platform: "darwin", arch: "arm64" }).unifiedMemory, true);
    assert.equal(machineSummary(undefined, linux), "GPU not measured: 10.7 GB of 17.2 GB RAM free");
    assert.equal(machineSummary(report({ error: "No binary" }), linux), "GPU not measured: 10.7 GB of 17.2 GB RAM free");
    const r = report({ backend: "cuda", gpuNames: ["NVIDIA H200"], vramBytes: 150e9, freeVramBytes: 149e9 });
    assert.equal(machineSummary(r, machineFromReport(r)), "NVIDIA H200: 149 GB of 150 GB VRAM free");
    const cpu = report({ ramBytes: 16e9, freeRamBytes: 8e9 });
    assert.equal(machineSummary(cpu, machineFromReport(cpu)), "CPU only: 8.00 GB of 16.0 GB RAM free");
    const mac = report({ backend: "metal", gpuNames: ["Apple M2"], vramBytes: 11e9, freeVramBytes: 11e9, unifiedMemory: true, ramBytes: 16e9, freeRamBytes: 9e9 });
    assert.equal(machineSummary(mac, machineFromReport(mac)), "Apple M2: 11.0 GB for the GPU, 9.00 GB of 16.0 GB RAM free");
});

test("judgeEntry: on the CPU a model can fit RAM and still carry the recommendation's caveat (too slow)", () => {
    const machine = machineFromReport(machines[4].report);
    const big = entries.find((e) => e.id === "deepseek-r1-distill-llama-70b:Q4_K_M")!;
    const evaluation = recommend(entries, machine).evaluations.find((e) => e.entry.id === big.id);
    const fit = judgeEntry(big, machine, 8192, evaluation);
    assert.equal(fit.fit, "fits");
    assert.match(fit.caveat ?? "", /too slow on a CPU/);
    const item = byEntry(buildModelPicker(input(machine)).items, big.id)[0];
    assert.match(item.detail ?? "", / · too slow on a CPU$/, "the reason, short enough for the detail line");
});

test("benchmarkLine: LiveCodeBench, AIME 2024 and Codeforces; cons@64 stands in when pass@1 is unknown", () => {
    const q32 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-32b:Q4_K_M")!;
    assert.equal(benchmarkLine(q32), "LiveCodeBench 57.2 · AIME 2024 72.6 · Codeforces 1691");
    const zero = entries.find((e) => e.model.id === "deepseek-r1-zero")!;
    assert.match(benchmarkLine(zero), /AIME 2024 86\.7 \(cons@64\)/);
    assert.ok(QUANTS[q32.quantization.quant]);
});
