// The in-host suite through @vscode/test-electron (desktop VS Code), as part of `npm test` where it can run:
// VS Code must be downloadable (or installed: R1_VSCODE_EXECUTABLE) and, on Linux, a display must exist
// (xvfb-run -a npm test). Elsewhere it is reported as skipped with the reason, never failed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const runner = join(__dirname, "runTests.js");
const headlessLinux = process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

test("extension host suite in desktop VS Code (@vscode/test-electron)", { timeout: 15 * 60_000 }, (t) => {
    if (headlessLinux && !process.env.R1_VSCODE_EXECUTABLE) {
        t.skip("no display for desktop VS Code here (run under xvfb-run -a); the same suite runs in code-server above");
        return;
    }
    const r = spawnSync(process.execPath, [runner], { encoding: "utf8", timeout: 14 * 60_000 });
    const out = `${r.stdout}${r.stderr}`;
    const skipped = /test:electron: skipped: (.*)/.exec(out);
    if (skipped) {
        t.skip(skipped[1]);
        return;
    }
    assert.equal(r.status, 0, out.split("\n").slice(-30).join("\n"));
    assert.match(out, /test:electron: \d+ passed, 0 failed/);
});
