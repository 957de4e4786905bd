// server/idleCollector.ts: one full collection once the model process is idle after requests, never during one,
// never twice for one burst; nothing without `gc`. Driven with a recording gc and node's mock timers.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { IdleCollector } from "../../../src/server/idleCollector";
import { MODEL_PROCESS_EXEC_ARGV, modelProcessEnv } from "../../../src/platform/modelProcessLaunch";
import { repoRoot } from "../../fixtures/repoPaths";

test("one collection a delay after the last request; a request in between puts it off; none twice for one burst", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    let runs = 0;
    const c = new IdleCollector(() => runs++, 1000);
    assert.deepEqual(c.state(), { available: true, collections: 0, collectedSinceLastRequest: true });
    c.busy();
    c.idle();
    t.mock.timers.tick(999);
    assert.equal(runs, 0);
    c.busy(); // a request starts before the delay is over: nothing runs while it works
    t.mock.timers.tick(5000);
    assert.equal(runs, 0);
    assert.equal(c.state().collectedSinceLastRequest, false);
    c.idle();
    t.mock.timers.tick(1000);
    assert.equal(runs, 1);
    assert.deepEqual(c.state(), { available: true, collections: 1, collectedSinceLastRequest: true });
    c.idle(); // idle again without a request in between: nothing to collect
    t.mock.timers.tick(5000);
    assert.equal(runs, 1);
    c.dispose();
});

test("without gc (a process started without --expose-gc) nothing is scheduled and the status says so", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const c = new IdleCollector(undefined, 1000);
    c.busy();
    c.idle();
    t.mock.timers.tick(5000);
    assert.deepEqual(c.state(), { available: false, collections: 0, collectedSinceLastRequest: false });
});

test("the model process's launch: gc exposed, young generation capped, glibc's mmap threshold fixed unless the user set one", () => {
    assert.ok(MODEL_PROCESS_EXEC_ARGV.includes("--expose-gc"));
    assert.ok(MODEL_PROCESS_EXEC_ARGV.includes("--max-semi-space-size=2"));
    assert.equal(modelProcessEnv({}).MALLOC_MMAP_THRESHOLD_, "131072");
    assert.equal(modelProcessEnv({ MALLOC_MMAP_THRESHOLD_: "65536" }).MALLOC_MMAP_THRESHOLD_, "65536");
    assert.equal(modelProcessEnv({}, { R1_X: "1" }).R1_X, "1");
    // Node accepts the flags as they are passed to fork (a typo would make every model process fail to start).
    const r = spawnSync(process.execPath, [...MODEL_PROCESS_EXEC_ARGV, "-e", "gc(); process.stdout.write('ok')"], { encoding: "utf8", cwd: join(repoRoot()) });
    assert.equal(r.stdout, "ok", r.stderr);
});
