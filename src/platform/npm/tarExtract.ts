// Unpacks an npm package tarball (.tgz) with Node built-ins only (zlib and a small streaming tar reader): regular
// files and folders, ustar names with their prefix, pax `path` records and GNU long names. The leading folder
// every npm tarball has (`package/`) is stripped. Anything that would land outside the destination (an absolute
// name, `..`), links and devices are refused: a package of prebuilt binaries has none, so one is a damaged or
// hostile archive.
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { isAbsolute, join, normalize, sep } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

export class TarError extends Error {}

interface Header {
    name: string;
    size: number;
    type: string;
    mode: number;
}

function field(block: Buffer, start: number, length: number): string {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number): number {
    const text = field(block, start, length).trim();
    return text === "" ? 0 : parseInt(text, 8);
}

function parseHeader(block: Buffer): Header | null {
    if (block.every((b) => b === 0)) return null;
    const sum = block.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
    if (sum !== octal(block, 148, 8)) throw new TarError("not a tar archive (bad header checksum)");
    const prefix = field(block, 257, 6).startsWith("ustar") ? field(block, 345, 155) : "";
    const name = field(block, 0, 100);
    return { name: prefix ? `${prefix}/${name}` : name, size: octal(block, 124, 12), type: String.fromCharCode(block[156] || 48), mode: octal(block, 100, 8) };
}

function paxPath(data: Buffer): string | undefined {
    // Records are "<length> <key>=<value>\n".
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        const length = parseInt(data.subarray(at, space).toString("ascii"), 10);
        if (!(length > 0)) break;
        const record = data.subarray(space + 1, at + length - 1).toString("utf8");
        const eq = record.indexOf("=");
        if (record.slice(0, eq) === "path") return record.slice(eq + 1);
        at += length;
    }
    return undefined;
}

/** The entry's path inside `dest`, without npm's first folder; throws on one that would escape. */
function target(dest: string, name: string): string | null {
    const parts = name.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
    parts.shift(); // "package" (any name: some tarballs use another)
    if (parts.length === 0) return null;
    const rel = normalize(parts.join(sep));
    if (isAbsolute(name) || rel.split(sep).includes("..")) throw new TarError(`the archive has an entry outside its folder: ${name}`);
    return join(dest, rel);
}

/** A Writable that unpacks the tar stream it is given into `dest` (which it creates). */
class TarWriter extends Writable {
    private buffer: Buffer = Buffer.alloc(0);
    private header: Header | null = null;
    private remaining = 0;
    private padding = 0;
    private file: WriteStream | null = null;
    private longName: string | undefined;
    private meta: Buffer[] | null = null;
    private ended = false;
    files = 0;

    constructor(private readonly dest: string) {
        super();
    }

    override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
        this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
        this.drain().then(() => done(), done);
    }

    override _final(done: (e?: Error | null) => void): void {
        if (this.header || this.remaining > 0) done(new TarError("the archive ends in the middle of a file (truncated)"));
        else if (!this.ended) done(new TarError("the archive has no end marker (truncated)"));
        else done();
    }

    private async drain(): Promise<void> {
        for (;;) {
            if (this.header) {
                if (this.remaining > 0) {
                    if (this.buffer.length === 0) return;
                    const piece = this.buffer.subarray(0, Math.min(this.remaining, this.buffer.length));
                    this.buffer = this.buffer.subarray(piece.length);
                    this.remaining -= piece.length;
                    if (this.meta) this.meta.push(Buffer.from(piece));
                    else if (this.file && !this.file.write(piece)) await new Promise<void>((r) => this.file!.once("drain", () => r()));
                    if (this.remaining > 0) return;
                }
                if (this.buffer.length < this.padding) {
                    this.padding -= this.buffer.length;
                    this.buffer = Buffer.alloc(0);
                    return;
                }
                this.buffer = this.buffer.subarray(this.padding);
                await this.finishEntry();
                continue;
            }
            if (this.ended || this.buffer.length < 512) {
                if (this.ended) this.buffer = Buffer.alloc(0);
                return;
            }
            const block = this.buffer.subarray(0, 512);
            this.buffer = this.buffer.subarray(512);
            const header = parseHeader(block);
            if (!header) {
                this.ended = true;
                continue;
            }
            await this.startEntry(header);
        }
    }

    private async startEntry(h: Header): Promise<void> {
        this.header = h;
        this.remaining = h.size;
        this.padding = (512 - (h.size % 512)) % 512;
        if (h.type === "x" || h.type === "L" || h.type === "g") {
            this.meta = [];
            return;
        }
        const name = this.longName ?? h.name;
        this.longName = undefined;
        const path = target(this.dest, name);
        if (h.type === "5") {
            if (path) await mkdir(path, { recursive: true });
        } else if (h.type === "0" || h.type === "7") {
            if (!path) throw new TarError(`the archive has a file without a name: ${name}`);
            await mkdir(join(path, ".."), { recursive: true });
            this.file = createWriteStream(path, { mode: h.mode & 0o111 ? 0o755 : 0o644 });
            this.files++;
        } else {
            throw new TarError(`the archive has an entry that is not a file or folder (type ${h.type}): ${name}`);
        }
    }

    private async finishEntry(): Promise<void> {
        const h = this.header!;
        this.header = null;
        if (this.meta) {
            const data = Buffer.concat(this.meta);
            this.meta = null;
            if (h.type === "L") this.longName = field(data, 0, data.length);
            else if (h.type === "x") this.longName = paxPath(data);
            return;
        }
        const file = this.file;
        this.file = null;
        if (file) await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
}

/** Unpacks the gzipped tarball `tgz` into `dest`; returns the number of files written. */
export async function extractTgz(tgz: string, dest: string, signal?: AbortSignal): Promise<number> {
    await mkdir(dest, { recursive: true });
    const writer = new TarWriter(dest);
    await pipeline(createReadStream(tgz), createGunzip(), writer, { signal });
    return writer.files;
}
