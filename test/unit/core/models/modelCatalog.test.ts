import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import {
    type Catalog, CatalogError, type CatalogEntry, catalogEntries, findEntry, findEntryByFile, parseCatalog, validateCatalog
} from "../../../../src/core/models/modelCatalog";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import { repoRoot as findRepoRoot } from "../../../fixtures/repoPaths";

const repoRoot = findRepoRoot();
const rawCatalog = () => JSON.parse(readFileSync(catalogPath(repoRoot), "utf8")) as Record<string, unknown> & { models: Array<Record<string, unknown>> };
const DISTILLS = ["Qwen-1.5B", "Qwen-7B", "Qwen-14B", "Qwen-32B", "Llama-8B", "Llama-70B"];

let catalog: Catalog;
let entries: CatalogEntry[];

before(async () => {
    catalog = await readCatalogFile(catalogPath(repoRoot));
    entries = catalogEntries(catalog);
});

test("models/catalog.json is valid: every entry complete, sizes sane for the quantization, URLs well-formed, ids unique", () => {
    assert.deepEqual(validateCatalog(rawCatalog()), []);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length);
    for (const e of entries) {
        for (const f of e.quantization.files) {
            const url = new URL(f.url);
            assert.equal(url.protocol, "https:");
            assert.equal(url.host, "huggingface.co");
            assert.equal(url.pathname, `/${e.quantization.repo}/resolve/main/${f.path}`);
        }
    }
});

test("the six distills at Q4_K_M, Q5_K_M, Q6_K and Q8_0, with their bases, 131072-token context and README benchmarks", () => {
    for (const d of DISTILLS) {
        const m = catalog.models.find((x) => x.name === `DeepSeek-R1-Distill-${d}`);
        assert.ok(m, d);
        assert.equal(m.kind, "distill");
        assert.equal(m.requiresServingEngine, false);
        assert.equal(m.contextLength, 131072);
        assert.deepEqual(m.quantizations.map((q) => q.quant), ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"]);
        assert.equal(m.architecture.ggufArchitecture, d.startsWith("Qwen") ? "qwen2" : "llama");
        assert.match(m.benchmarks.source, /github\.com\/deepseek-ai\/DeepSeek-R1\/blob\/[0-9a-f]{40}\/README\.md/);
        for (const key of ["aime2024Pass1", "aime2024Cons64", "math500Pass1", "gpqaDiamondPass1", "liveCodeBenchPass1", "codeforcesRating"] as const) {
            assert.equal(typeof m.benchmarks[key], "number", `${d} ${key}`);
        }
        // The publisher's file naming: <model>-<quant>.gguf (70B Q5_K_M and up are split in a folder).
        for (const q of m.quantizations) assert.ok(q.files[0].path.includes(`DeepSeek-R1-Distill-${d}-${q.quant}`));
    }
    // Two figures quoted in the issue, to pin the table to the right columns.
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-qwen-1.5b")?.benchmarks.liveCodeBenchPass1, 16.9);
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-qwen-32b")?.benchmarks.liveCodeBenchPass1, 57.2);
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-llama-70b")?.baseModel, "Llama-3.3-70B-Instruct");
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-llama-8b")?.baseModel, "Llama-3.1-8B");
});

test("R1 and R1-Zero need a serving engine and list every part of their split GGUFs", () => {
    for (const id of ["deepseek-r1", "deepseek-r1-zero"]) {
        const m = catalog.models.find((x) => x.id === id);
        assert.ok(m);
        assert.equal(m.requiresServingEngine, true);
        assert.equal(m.parameters, 671e9);
        assert.ok((m.servingEngines ?? []).includes("vLLM"));
        for (const q of m.quantizations) {
            assert.ok(q.files.length > 1, "split");
            q.files.forEach((f, i) => assert.ok(f.path.endsWith(`-${String(i + 1).padStart(5, "0")}-of-${String(q.files.length).padStart(5, "0")}.gguf`)));
            assert.ok(q.sizeBytes > 100e9);
        }
    }
});

test("sizes and checksums say how they are known", () => {
    let withSha = 0;
    for (const e of entries) {
        for (const f of e.quantization.files) {
            if (f.sha256) {
                withSha++;
                assert.ok(f.source, `${f.path}: a checksum has a source`);
            }
            if (f.sizePrecision !== "estimated") assert.ok(f.source?.startsWith("https://huggingface.co/"), `${f.path}: a measured size has a source`);
        }
        assert.equal(e.quantization.sizeEstimated, e.quantization.files.some((f) => f.sizePrecision === "estimated"));
    }
    assert.ok(withSha >= 15, `${withSha} files carry a sha256`);
});

test("validation reports every problem: duplicate ids, bad URLs, insane sizes, misnamed split parts, bad checksums", () => {
    const bad = rawCatalog();
    const models = bad.models as Array<Record<string, unknown> & { quantizations: Array<Record<string, unknown> & { files: Array<Record<string, unknown>> }> }>;
    models[1].id = models[0].id;
    models[0].quantizations[0].files[0].url = "http://huggingface.co/x/y/resolve/main/z.gguf";
    const q = models[2].quantizations[0];
    q.files[0].sizeBytes = (q.files[0].sizeBytes as number) * 2;
    q.sizeBytes = (q.sizeBytes as number) * 2;
    const split = models.find((m) => m.id === "deepseek-r1-distill-llama-70b")!.quantizations.find((x) => x.quant === "Q8_0")!;
    split.files.reverse();
    models[3].quantizations[1].files[0].sha256 = "XYZ";
    const problems = validateCatalog(bad);
    const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `expected a problem matching ${re}:\n${problems.join("\n")}`);
    has(/duplicate id/);
    has(/url must be https:\/\/huggingface\.co\//);
    has(/bits per weight/);
    has(/part 1 of 2 must be named/);
    has(/sha256 must be 64/);
    assert.throws(() => parseCatalog(bad), (e: unknown) => e instanceof CatalogError && e.problems.length === problems.length);
    assert.deepEqual(validateCatalog({ schemaVersion: 2, models: [] }), ["schemaVersion is 2, expected 1", "models must be a non-empty array"]);
});

test("entries are found by id and by downloaded file name", () => {
    const e = findEntry(catalog, "deepseek-r1-distill-qwen-7b:Q4_K_M");
    assert.ok(e);
    assert.equal(findEntryByFile(catalog, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "bartowski")?.entry.id, e.id);
    const part = findEntryByFile(catalog, "DeepSeek-R1-Distill-Llama-70B-Q8_0-00002-of-00002.gguf");
    assert.equal(part?.entry.id, "deepseek-r1-distill-llama-70b:Q8_0");
    assert.equal(part?.partIndex, 1);
    assert.equal(findEntryByFile(catalog, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "someone-else"), undefined);
});
