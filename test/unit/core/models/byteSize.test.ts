import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes, GiB } from "../../../../src/core/models/byteSize";

test("sizes read as on Hugging Face: decimal units, three significant digits", () => {
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(4_683_073_184), "4.68 GB");
    assert.equal(formatBytes(46_800_000_000), "46.8 GB");
    assert.equal(formatBytes(468_000_000_000), "468 GB");
    assert.equal(formatBytes(12_345_678), "12.3 MB");
    assert.equal(formatBytes(1_500_000_000_000), "1.50 TB");
    assert.equal(formatBytes(8 * GiB), "8.59 GB", "binary amounts (RAM, VRAM) are shown in decimal units too");
});

test("a size just under a unit boundary reads in the next unit, never with four digits", () => {
    assert.equal(formatBytes(999_999_999), "1.00 GB");
    assert.equal(formatBytes(999_600), "1.00 MB");
    assert.equal(formatBytes(999), "999 B");
    assert.equal(formatBytes(999.6), "1.00 kB");
    assert.equal(formatBytes(9_999_000), "10.0 MB");
    assert.equal(formatBytes(99_960_000), "100 MB");
    assert.equal(formatBytes(999_400_000), "999 MB");
});
