// The models side of the extension: the catalog (read once from models/catalog.json), the models folder
// (r1.modelsFolder or the extension's global storage), the proxy and token a download uses, and the
// downloads running now (so a model being downloaded is not downloaded twice or deleted under it).
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type * as vscode from "vscode";
import { chooseDownloadProxy, type ProxyChoice } from "../core/models/downloadProxy";
import { type Catalog, type CatalogEntry, catalogEntries } from "../core/models/modelCatalog";
import { catalogPath, readCatalogFile } from "../platform/catalogFile";
import { defaultModelsDir, ModelStore } from "../platform/modelStore";
import type { Config } from "./config";

const TOKEN_KEY = "r1.huggingFaceToken";

export interface RunningDownload {
    entry: CatalogEntry;
    /** Resolves with the model path, or undefined when it failed or was cancelled. */
    promise: Promise<string | undefined>;
    controller: AbortController;
}

export class ModelLibrary {
    private catalogPromise: Promise<Catalog> | undefined;
    private readonly running = new Map<string, RunningDownload>();

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly config: Config
    ) {}

    /** The validated catalog shipped with the extension (read once). */
    catalog(): Promise<Catalog> {
        this.catalogPromise ??= readCatalogFile(catalogPath(this.context.extensionPath)).catch((error: unknown) => {
            this.catalogPromise = undefined;
            throw error;
        });
        return this.catalogPromise;
    }

    async entries(): Promise<CatalogEntry[]> {
        return catalogEntries(await this.catalog());
    }

    /** r1.modelsFolder (~ expanded), else <global storage>/models. Throws a message naming the setting if it is relative. */
    modelsFolder(): string {
        const configured = this.config.modelsFolder;
        if (!configured) return defaultModelsDir(this.context.globalStorageUri.fsPath);
        const expanded = configured === "~" ? homedir() : configured.startsWith("~/") || configured.startsWith("~\\") ? join(homedir(), configured.slice(2)) : configured;
        if (!isAbsolute(expanded)) {
            throw new Error(`The r1.modelsFolder setting "${configured}" is not an absolute path. Set a full path (or clear it to use the extension's storage).`);
        }
        return expanded;
    }

    async store(): Promise<ModelStore> {
        return new ModelStore(this.modelsFolder(), await this.catalog());
    }

    proxy(): ProxyChoice {
        const http = this.config.httpProxy;
        return chooseDownloadProxy(this.config.downloadProxy, http.proxy, http.noProxy, process.env);
    }

    /** Authorization for gated repositories: the token saved with "R1: Set Hugging Face Token", else HF_TOKEN. */
    async authHeaders(): Promise<Record<string, string>> {
        const token = (await this.context.secrets.get(TOKEN_KEY)) ?? process.env.HF_TOKEN ?? "";
        return token.trim() ? { Authorization: `Bearer ${token.trim()}` } : {};
    }

    async hasToken(): Promise<boolean> {
        return Boolean(await this.context.secrets.get(TOKEN_KEY));
    }

    async setToken(token: string): Promise<void> {
        if (token.trim()) await this.context.secrets.store(TOKEN_KEY, token.trim());
        else await this.context.secrets.delete(TOKEN_KEY);
    }

    /** Downloads running now. */
    downloads(): RunningDownload[] {
        return [...this.running.values()];
    }

    download(entryId: string): RunningDownload | undefined {
        return this.running.get(entryId);
    }

    /** Records a running download until its promise settles. */
    track(download: RunningDownload): void {
        this.running.set(download.entry.id, download);
        const forget = () => {
            if (this.running.get(download.entry.id) === download) this.running.delete(download.entry.id);
        };
        download.promise.then(forget, forget);
    }

    dispose(): void {
        for (const d of this.running.values()) d.controller.abort();
    }
}
