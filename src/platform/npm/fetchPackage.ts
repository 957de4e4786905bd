// Fetches one exact version of an npm package without npm: its dist from the registry, the tarball with the
// model downloader (resume with Range, retries, proxy, disk-space check), the tarball's `dist.integrity` checked
// BEFORE anything is unpacked (a mismatch deletes it and unpacks nothing), then unpacked into a staging folder that
// is renamed into place only when complete. Used by `npm run package` (other platforms' llama.cpp binaries) and
// by the CUDA download (src/features/cuda).
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ModelDownloadError } from "../downloadErrors";
import { downloadFiles, type DownloadOptions } from "../modelDownloader";
import { extractTgz } from "./tarExtract";
import { fileDigest, parseIntegrity } from "./integrity";
import { fetchPackageDist, type PackageDist } from "./registryPackage";

export interface FetchPackageOptions extends DownloadOptions {
    registry: string;
    name: string;
    version: string;
    /** Folder for the downloaded tarball (kept: a later call that finds it verified skips the download). */
    cacheDir: string;
    /** Folder the package's files go to (its package.json at the top). Replaced if present. */
    dest: string;
}

export interface FetchedPackage {
    dist: PackageDist;
    tarball: string;
    dest: string;
    files: number;
    /** Bytes received over the network in this call (0: the tarball was cached). */
    transferredBytes: number;
    resumedFromBytes: number;
}

async function exists(p: string): Promise<boolean> {
    return stat(p).then(() => true, () => false);
}

/** Downloads, verifies and unpacks `name@version` into `options.dest`. Throws ModelDownloadError. */
export async function fetchVerifiedPackage(options: FetchPackageOptions): Promise<FetchedPackage> {
    const { name, version } = options;
    const dist = await fetchPackageDist(options.registry, name, version, options);
    const integrity = parseIntegrity(dist.integrity);
    if (!integrity) throw new ModelDownloadError("checksum-mismatch", name, `The registry's integrity for ${name}@${version} ("${dist.integrity}") is not a sha512/sha384/sha256 hash: the package is not downloaded.`);
    const tarball = join(options.cacheDir, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
    const download = await downloadFiles([{ url: dist.tarball, destination: tarball }], options);
    const digest = await fileDigest(tarball, integrity.algorithm, options.signal);
    if (digest !== integrity.digest) {
        await rm(tarball, { force: true });
        throw new ModelDownloadError("checksum-mismatch", basename(tarball),
            `${name}@${version} failed its integrity check (${integrity.algorithm} ${digest.slice(0, 16)}… is not the registry's ${integrity.digest.slice(0, 16)}…): ` +
            "it was deleted and nothing was unpacked. A proxy or mirror may have altered it; try again, or check the registry setting.", { url: dist.tarball });
    }
    const staging = join(dirname(options.dest), `.${basename(options.dest)}.unpacking-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    let files: number;
    try {
        files = await extractTgz(tarball, staging, options.signal);
    } catch (e) {
        await rm(staging, { recursive: true, force: true });
        if (e instanceof ModelDownloadError) throw e;
        throw new ModelDownloadError("file-system", name, `Cannot unpack ${name}@${version} into ${dirname(options.dest)}: ${(e as Error).message}`, { cause: e });
    }
    if (await exists(options.dest)) await rm(options.dest, { recursive: true, force: true });
    await rename(staging, options.dest);
    const r = download.files[0];
    return { dist, tarball, dest: options.dest, files, transferredBytes: r.transferredBytes, resumedFromBytes: r.resumedFromBytes };
}
