import * as assert from "node:assert/strict";
import { test } from "node:test";
import { cudaFailureText, planCuda } from "../../../../src/core/cuda/cudaPlan";

const linux = { platform: "linux", arch: "x64" };

test("a recent driver with the CUDA 13 runtime: only the main CUDA package", () => {
    assert.deepEqual(planCuda({ ...linux, driver: "580.65.06", runtimes: [13] }), { kind: "fetch", packages: ["linux-x64-cuda"], approxBytes: 181_000_000, runtime: 13 });
    const win = planCuda({ platform: "win32", arch: "x64", driver: "581.15", runtimes: null });
    assert.equal(win.kind === "fetch" && win.packages.join(), "win-x64-cuda");
});

test("a CUDA 12 driver (525–579): the CUDA 12 fallback build (-cuda-ext) too, and why", () => {
    const plan = planCuda({ ...linux, driver: "535.104.05", runtimes: [12] });
    assert.equal(plan.kind, "fetch");
    if (plan.kind !== "fetch") return;
    assert.deepEqual(plan.packages, ["linux-x64-cuda", "linux-x64-cuda-ext"]);
    assert.match(plan.note ?? "", /driver 535\.104\.05 runs CUDA 12, not 13/);
});

test("no driver, too old a driver, no runtime, no CUDA build for the platform: unavailable with the reason", () => {
    assert.deepEqual(planCuda({ ...linux, driver: null, runtimes: [13] }), { kind: "unavailable", reason: "no NVIDIA driver was found" });
    const old = planCuda({ ...linux, driver: "470.223.02", runtimes: [12] });
    assert.ok(old.kind === "unavailable" && /driver 470\.223\.02 is too old/.test(old.reason) && /525 or later/.test(old.reason));
    const noRuntime = planCuda({ ...linux, driver: "580.1", runtimes: [] });
    assert.ok(noRuntime.kind === "unavailable" && /libcudart\.so\.13 was not found/.test(noRuntime.reason));
    const mac = planCuda({ platform: "darwin", arch: "arm64", driver: null, runtimes: null });
    assert.ok(mac.kind === "unavailable" && /no CUDA build for darwin-arm64/.test(mac.reason));
});

test("download failures in words: 404 names the setting, offline names the host", () => {
    assert.match(cudaFailureText("not-found", "x", "https://registry.example.com/"), /registry\.example\.com does not have it \(HTTP 404\): check the r1\.cuda\.registry setting/);
    assert.match(cudaFailureText("network", "connection refused", "https://registry.npmjs.org/"), /registry\.npmjs\.org cannot be reached \(offline, or a proxy is needed\): connection refused/);
    assert.equal(cudaFailureText("checksum-mismatch", "failed its integrity check", "https://r/"), "failed its integrity check");
});
