// Reads models/catalog.json from disk and validates it (src/core/modelCatalog.ts does the checking).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Catalog, parseCatalog } from "../core/models/modelCatalog";

/** models/catalog.json inside an extension (or repository) root. */
export function catalogPath(extensionRoot: string): string {
    return join(extensionRoot, "models", "catalog.json");
}

/** Reads and validates a catalog file. Throws CatalogError (every problem listed) or a clear read/parse error. */
export async function readCatalogFile(filePath: string): Promise<Catalog> {
    let text: string;
    try {
        text = await readFile(filePath, "utf8");
    } catch (e) {
        throw new Error(`Cannot read the model catalog ${filePath}: ${(e as Error).message}. Reinstall the extension.`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new Error(`The model catalog ${filePath} is not valid JSON: ${(e as Error).message}`);
    }
    return parseCatalog(json);
}
