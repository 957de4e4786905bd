// Reliability under load: the automatic thread count leaves out the cores other work keeps busy (2 threads on 2
// busy cores decoded many times slower than 1: npm run bench:threads), and says why; a set value is kept (capped).
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { test } from "node:test";
import { chooseThreads } from "../../../src/core/models/threadChoice";
import { busyCores } from "../../../src/server/cpuLoad";

test("automatic: idle cores get a thread each; busy ones none; at least one", () => {
    assert.deepEqual(chooseThreads({ requested: 0, cores: 2, mathCores: 2, busyCores: 0.1 }).threads, 2);
    const busy = chooseThreads({ requested: 0, cores: 2, mathCores: 2, busyCores: 1.7 });
    assert.equal(busy.threads, 1);
    assert.match(busy.reason, /^automatic: 1\.7 of 2 cores busy with other work when the model loaded, so 1 thread \(more threads than idle cores decode many times slower\)$/);
    assert.equal(chooseThreads({ requested: 0, cores: 2, mathCores: 2, busyCores: 2 }).threads, 1, "never 0");
    assert.equal(chooseThreads({ requested: 0, cores: 8, mathCores: 4, busyCores: 1 }).threads, 4, "no more than the math cores");
    assert.equal(chooseThreads({ requested: 0, cores: 8, mathCores: 8, busyCores: 3.4 }).threads, 5);
    assert.match(chooseThreads({ requested: 0, cores: 4, mathCores: 0 }).reason, /^automatic: 4 cores for math$/, "not measured: every core");
});

test("a value set in r1.threads is used, capped to the cores, and the reason says so", () => {
    assert.deepEqual(chooseThreads({ requested: 1, cores: 2, mathCores: 2, busyCores: 0 }), { threads: 1, reason: "set in r1.threads" });
    assert.deepEqual(chooseThreads({ requested: 16, cores: 2, mathCores: 2 }), { threads: 2, reason: "r1.threads asks for 16; capped to the 2 cores" });
});

test("busy cores are measured from the machine: a number of cores between 0 and the core count", async () => {
    const measured = await busyCores(200);
    assert.ok(measured !== undefined && Number.isFinite(measured) && measured >= 0 && measured <= availableParallelism(), String(measured));
});
