// The tar reader on archives written here the way npm writes them (ustar, a pax path record for a long name),
// and on hostile ones: an entry leaving the folder, a symlink, a truncated archive.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { extractTgz, TarError } from "../../../src/platform/npm/tarExtract";

const dir = mkdtempSync(join(tmpdir(), "r1-tar-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function header(name: string, size: number, type: string, mode = 0o644): Buffer {
    const b = Buffer.alloc(512);
    b.write(name.slice(0, 100), 0, "utf8");
    b.write(`${mode.toString(8).padStart(7, "0")}\0`, 100, "ascii");
    b.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
    b.write("00000000000\0", 136, "ascii");
    b.write(type, 156, "ascii");
    b.write("ustar\0" + "00", 257, "ascii");
    b.fill(0x20, 148, 156);
    const sum = b.reduce((s, x) => s + x, 0);
    b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
    return b;
}
function entry(name: string, data: Buffer | string, type = "0", mode?: number): Buffer {
    const body = Buffer.from(data);
    return Buffer.concat([header(name, body.length, type, mode), body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
function tgz(file: string, ...entries: Buffer[]): string {
    const p = join(dir, file);
    writeFileSync(p, gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)])));
    return p;
}

test("npm's layout: package/ stripped, folders, modes, a pax long name", async () => {
    const long = `package/bins/${"d".repeat(120)}/llama-addon.node`;
    const pax = `${long.length + 7 + String(long.length + 7).length} path=${long}\n`;
    const archive = tgz("ok.tgz",
        entry("package/package.json", '{"name":"x"}'),
        entry("package/bins/", "", "5", 0o755),
        entry("package/bin/run", "#!/bin/sh\n", "0", 0o755),
        entry("PaxHeader", pax, "x"),
        entry("ignored-short-name", Buffer.alloc(1300, 7)));
    const dest = join(dir, "ok");
    assert.equal(await extractTgz(archive, dest), 3);
    assert.equal(readFileSync(join(dest, "package.json"), "utf8"), '{"name":"x"}');
    assert.equal(statSync(join(dest, "bin", "run")).mode & 0o111, 0o111);
    assert.equal(statSync(join(dest, "bins", "d".repeat(120), "llama-addon.node")).size, 1300);
});

test("an entry leaving the folder, a link, a truncated archive: refused", async () => {
    await assert.rejects(extractTgz(tgz("escape.tgz", entry("package/../../evil.txt", "x")), join(dir, "escape")), (e) => e instanceof TarError && /outside its folder/.test(e.message));
    assert.equal(existsSync(join(dir, "evil.txt")), false);
    await assert.rejects(extractTgz(tgz("link.tgz", entry("package/l", "", "2")), join(dir, "link")), (e) => e instanceof TarError && /not a file or folder/.test(e.message));
    const whole = gzipSync(Buffer.concat([entry("package/a.bin", Buffer.alloc(5000, 1))]).subarray(0, 2048));
    writeFileSync(join(dir, "cut.tgz"), whole);
    await assert.rejects(extractTgz(join(dir, "cut.tgz"), join(dir, "cut")), (e) => e instanceof TarError && /truncated/.test(e.message));
});
