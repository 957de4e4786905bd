// README.md's pictures are the host tests' screenshots: each image it shows is a file committed under docs/images/
// whose name is one a UI test saves (saveScreenshot(page, "NAME") → test-results/NAME.png), so a renamed or
// dropped screenshot breaks here instead of in the marketplace page. Refreshing them: docs/packaging.md.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../fixtures/repoPaths";

const readme = readFileSync(join(repoRoot(), "README.md"), "utf8");
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);

test("README.md shows images, all relative paths under docs/images (vsce rewrites them with the repository URL)", () => {
    assert.ok(images.length >= 4, `only ${images.length} images`);
    for (const src of images) assert.match(src, /^docs\/images\/[a-z0-9-]+\.png$/, src);
});

test("every README image is committed and is a screenshot the UI tests take", () => {
    const tracked = execFileSync("git", ["ls-files", "docs/images"], { cwd: repoRoot(), encoding: "utf8" }).split("\n");
    const hostTests = readFileSync(join(repoRoot(), "test", "host", "host.test.ts"), "utf8");
    const taken = new Set([...hostTests.matchAll(/saveScreenshot\(\s*\w+\s*,\s*"([^"]+)"/g)].map((m) => m[1]));
    assert.ok(taken.size > 0, "no saveScreenshot(page, \"NAME\") found in test/host/host.test.ts");
    for (const src of images) {
        assert.ok(tracked.includes(src), `${src} is not in git`);
        const name = src.replace(/^docs\/images\//, "").replace(/\.png$/, "");
        assert.ok(taken.has(name), `${src}: no UI test saves "${name}"`);
    }
});
