// Where downloaded models live and what is there: a folder given by the caller (default: the
// extension's global storage + /models), one sub-folder per publisher (bartowski/, unsloth/), the
// GGUF files under their Hugging Face names, split models as all their parts side by side.
import type { Dirent } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { type Catalog, type CatalogEntry, findEntryByFile, splitPartOf } from "../core/models/modelCatalog";
import { type DownloadFile, type DownloadOptions, type DownloadResult, downloadFiles } from "./modelDownloader";
import { partPath, sidecarPath } from "./partialDownload";

/** <global storage>/models: pass ExtensionContext.globalStorageUri.fsPath. */
export function defaultModelsDir(globalStoragePath: string): string {
    return join(globalStoragePath, "models");
}

export interface StoredFile {
    path: string;
    sizeBytes: number;
}

export interface StoredModel {
    /** The path to load: the file, or the first part of a split model. */
    path: string;
    /** Base name shown to the user (for split models: the first part's). */
    name: string;
    /** Publisher folder (the Hugging Face owner) or null for files directly in the root. */
    publisher: string | null;
    /** Complete files on disk (every part present so far). */
    files: StoredFile[];
    /** Sum of the complete files. */
    sizeBytes: number;
    /** Bytes in unfinished downloads (.part files) of this model. */
    partialBytes: number;
    /** Every part is present and nothing is half-downloaded. */
    complete: boolean;
    /** 1-based numbers of split parts not on disk. */
    missingParts: number[];
    /** The catalog entry these files belong to, when known. */
    entry: CatalogEntry | null;
}

const SPLIT_SUFFIX = /-(\d{5})-of-(\d{5})\.gguf$/;

function groupKey(fileName: string): string {
    return fileName.replace(SPLIT_SUFFIX, "");
}

function partName(first: string, index: number, count: number): string {
    return first.replace(SPLIT_SUFFIX, `-${String(index).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`);
}

export class ModelStore {
    readonly root: string;

    constructor(root: string, private readonly catalog?: Catalog) {
        this.root = resolve(root);
    }

    /** Where the files of a catalog entry go: <root>/<publisher>/<file name>, in part order. */
    destinationsFor(entry: CatalogEntry): string[] {
        const publisher = entry.quantization.repo.split("/")[0];
        return entry.quantization.files.map((f) => join(this.root, publisher, basename(f.path)));
    }

    /** The path to load once downloaded (the first part for split models). */
    modelPathFor(entry: CatalogEntry): string {
        return this.destinationsFor(entry)[0];
    }

    /** What the downloader needs for an entry: exact sizes are checked, rounded/estimated ones only guide. */
    downloadFilesFor(entry: CatalogEntry): DownloadFile[] {
        const destinations = this.destinationsFor(entry);
        return entry.quantization.files.map((f, i) => ({
            url: f.url,
            destination: destinations[i],
            sizeBytes: f.sizePrecision === "exact" ? f.sizeBytes : undefined,
            approximateSizeBytes: f.sizeBytes,
            sha256: f.sha256
        }));
    }

    /** Downloads every file of an entry into the store (resumes what is half done). */
    download(entry: CatalogEntry, options: DownloadOptions = {}): Promise<DownloadResult> {
        return downloadFiles(this.downloadFilesFor(entry), options);
    }

    async isDownloaded(entry: CatalogEntry): Promise<boolean> {
        for (const d of this.destinationsFor(entry)) {
            try {
                if (!(await stat(d)).isFile()) return false;
            } catch {
                return false;
            }
        }
        return true;
    }

    /** Every model in the store (complete or not), sorted by publisher and name. */
    async list(): Promise<StoredModel[]> {
        const groups = new Map<string, { dir: string; publisher: string | null; finals: Map<string, number>; partials: Map<string, number> }>();
        const scan = async (dir: string, publisher: string | null) => {
            let entries: Dirent[];
            try {
                entries = await readdir(dir, { withFileTypes: true });
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
                throw e;
            }
            for (const d of entries) {
                const full = join(dir, d.name);
                if (d.isDirectory()) {
                    if (publisher === null) await scan(full, d.name);
                    continue;
                }
                if (!d.isFile()) continue;
                const isPart = d.name.endsWith(".gguf.part");
                if (!d.name.endsWith(".gguf") && !isPart) continue;
                const fileName = isPart ? d.name.slice(0, -".part".length) : d.name;
                const key = join(dir, groupKey(fileName));
                let g = groups.get(key);
                if (!g) {
                    g = { dir, publisher, finals: new Map(), partials: new Map() };
                    groups.set(key, g);
                }
                const size = (await stat(full)).size;
                (isPart ? g.partials : g.finals).set(fileName, size);
            }
        };
        await scan(this.root, null);
        const models: StoredModel[] = [];
        for (const g of groups.values()) {
            const names = [...new Set([...g.finals.keys(), ...g.partials.keys()])].sort();
            const split = names.map((n) => splitPartOf(n)).find((p) => p !== undefined);
            const count = split?.count ?? 1;
            const first = split ? partName(names[0], 1, count) : names[0];
            const files = [...g.finals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, sizeBytes]) => ({ path: join(g.dir, n), sizeBytes }));
            const missingParts: number[] = [];
            if (split) {
                for (let i = 1; i <= count; i++) if (!g.finals.has(partName(first, i, count))) missingParts.push(i);
            } else if (!g.finals.has(first)) {
                missingParts.push(1);
            }
            const partialBytes = [...g.partials.values()].reduce((a, b) => a + b, 0);
            const match = this.catalog ? findEntryByFile(this.catalog, first, g.publisher ?? undefined) ?? findEntryByFile(this.catalog, first) : undefined;
            models.push({
                path: join(g.dir, first),
                name: first,
                publisher: g.publisher,
                files,
                sizeBytes: files.reduce((a, f) => a + f.sizeBytes, 0),
                partialBytes,
                complete: missingParts.length === 0 && g.partials.size === 0,
                missingParts,
                entry: match?.entry ?? null
            });
        }
        return models.sort((a, b) => (a.publisher ?? "").localeCompare(b.publisher ?? "") || a.name.localeCompare(b.name));
    }

    /**
     * Deletes a model: every part, unfinished download and sidecar. Accepts a StoredModel, a catalog entry
     * or the path of any of its files. Refuses paths outside the store.
     */
    async delete(model: StoredModel | CatalogEntry | string): Promise<string[]> {
        let paths: string[];
        if (typeof model === "string") {
            const name = basename(model).replace(/\.part$/, "");
            const split = splitPartOf(name);
            paths = split ? Array.from({ length: split.count }, (_, i) => join(dirname(model), partName(name, i + 1, split.count))) : [join(dirname(model), name)];
        } else if ("quantization" in model) {
            paths = this.destinationsFor(model);
        } else {
            const split = splitPartOf(model.name);
            paths = split ? Array.from({ length: split.count }, (_, i) => join(dirname(model.path), partName(model.name, i + 1, split.count))) : [model.path];
        }
        const removed: string[] = [];
        for (const p of paths) {
            const full = resolve(p);
            const rel = relative(this.root, full);
            if (rel === "" || rel.startsWith("..") || rel.startsWith(sep) || resolve(this.root, rel) !== full) {
                throw new Error(`Refusing to delete ${full}: it is not inside the models folder ${this.root}.`);
            }
            for (const f of [full, partPath(full), sidecarPath(full)]) {
                try {
                    await rm(f);
                    removed.push(f);
                } catch (e) {
                    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
                }
            }
        }
        return removed;
    }
}
