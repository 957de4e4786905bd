// One version of a package from an npm registry, over HTTP with the downloader's proxy rules: its packument
// (the registry's JSON document for the package: `versions[v].dist.{tarball, integrity}`), then the tarball.
import { httpError, isAbort, ModelDownloadError } from "../downloadErrors";
import { type DownloadRequestOptions, openFollowingRedirects } from "../downloadRequest";

export const DEFAULT_REGISTRY = "https://registry.npmjs.org/";

export interface PackageDist {
    name: string;
    version: string;
    tarball: string;
    /** SRI string, e.g. "sha512-…". */
    integrity: string;
    /** Unpacked size in bytes, when the registry says. */
    unpackedSize?: number;
}

/** The packument's URL: the registry base, then the name with its scope's slash encoded (`@scope%2fname`). */
export function packumentUrl(registry: string, name: string): string {
    const base = registry.endsWith("/") ? registry : `${registry}/`;
    return new URL(name.replace("/", "%2f"), base).href;
}

const MAX_PACKUMENT_BYTES = 64 * 1024 * 1024;

/** Reads `name@version`'s dist from the registry. Throws ModelDownloadError ("not-found" for a 404 or a missing version). */
export async function fetchPackageDist(registry: string, name: string, version: string, options: DownloadRequestOptions = {}): Promise<PackageDist> {
    const url = packumentUrl(registry, name);
    const { response } = await openFollowingRedirects(url, name, { Accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8" }, options);
    if (response.statusCode !== 200) {
        response.resume();
        throw httpError(name, url, response);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        for await (const chunk of response) {
            size += (chunk as Buffer).length;
            if (size > MAX_PACKUMENT_BYTES) throw new ModelDownloadError("http", name, `The registry's document for ${name} is too large (over 64 MB): ${url}`, { url });
            chunks.push(chunk as Buffer);
        }
    } catch (e) {
        if (isAbort(e, options.signal) || e instanceof ModelDownloadError) throw e;
        throw new ModelDownloadError("network", name, `Network error while reading ${url}: ${(e as Error).message}`, { url, cause: e });
    }
    let doc: { versions?: Record<string, { dist?: { tarball?: string; integrity?: string; unpackedSize?: number } }> };
    try {
        doc = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof doc;
    } catch {
        throw new ModelDownloadError("http", name, `The registry at ${new URL(url).host} did not answer with a package document for ${name} (not JSON).`, { url });
    }
    const dist = doc.versions?.[version]?.dist;
    if (!dist) throw new ModelDownloadError("not-found", name, `${name}@${version} is not on the registry ${registry} (it lists ${Object.keys(doc.versions ?? {}).length} other versions).`, { url, status: 404 });
    if (!dist.tarball || !dist.integrity) throw new ModelDownloadError("http", name, `The registry gives no tarball or no integrity for ${name}@${version}: it cannot be verified, so it is not downloaded.`, { url });
    return { name, version, tarball: new URL(dist.tarball, url).href, integrity: dist.integrity, ...(dist.unpackedSize ? { unpackedSize: dist.unpackedSize } : {}) };
}
