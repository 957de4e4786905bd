import assert from "node:assert/strict";
import { before, test } from "node:test";
import { type CatalogEntry, catalogEntries } from "../../../../src/core/models/modelCatalog";
import type { StoredModelInfo } from "../../../../src/core/models/modelPicker";
import { describeStoredModel } from "../../../../src/core/models/storedModelItems";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import { repoRoot } from "../../../fixtures/repoPaths";

let entries: CatalogEntry[];
before(async () => {
    entries = catalogEntries(await readCatalogFile(catalogPath(repoRoot())));
});

function model(extra: Partial<StoredModelInfo>): StoredModelInfo {
    return { path: "/m/bartowski/x.gguf", name: "x.gguf", sizeBytes: 4.66e9, partialBytes: 0, complete: true, missingParts: [], entry: null, ...extra };
}

test("a complete model can be used or deleted; the active one must be unloaded before deleting and is not offered for use", () => {
    const q7 = entries.find((e) => e.id === "deepseek-r1-distill-qwen-7b:Q4_K_M")!;
    const idle = describeStoredModel(model({ entry: q7 }), { active: false, downloading: false });
    assert.deepEqual(idle.actions, ["use", "delete"]);
    assert.equal(idle.deleteNeeds, undefined);
    assert.equal(idle.label, "$(check) Qwen-7B Q4_K_M");
    assert.equal(idle.description, "4.66 GB");
    const active = describeStoredModel(model({ entry: q7 }), { active: true, downloading: false });
    assert.deepEqual(active.actions, ["delete"]);
    assert.equal(active.deleteNeeds, "unload");
    assert.match(active.description, /^active · /);
});

test("a partial download shows how much is there, resumes when it is a catalog model, and cannot be deleted while downloading", () => {
    const q70 = entries.find((e) => e.id === "deepseek-r1-distill-llama-70b:Q8_0")!;
    const partial = model({ entry: q70, complete: false, sizeBytes: 37e9, partialBytes: 1e9, missingParts: [2] });
    const stopped = describeStoredModel(partial, { active: false, downloading: false });
    assert.deepEqual(stopped.actions, ["resume", "delete"]);
    assert.equal(stopped.diskBytes, 38e9);
    assert.equal(stopped.description, "partial download: 38.0 GB of 75.0 GB · part 2 of 2 missing");
    const running = describeStoredModel(partial, { active: false, downloading: true });
    assert.deepEqual(running.actions, ["cancel-download", "delete"]);
    assert.equal(running.deleteNeeds, "cancel-download");
    const unknown = describeStoredModel(model({ complete: false, sizeBytes: 0, partialBytes: 5e8, missingParts: [1] }), { active: false, downloading: false });
    assert.deepEqual(unknown.actions, ["delete"]);
    assert.match(unknown.description, /not in the catalog: cannot be resumed/);
});
