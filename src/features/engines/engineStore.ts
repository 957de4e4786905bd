// Where the remote engines are kept: the saved endpoints (`r1.remote.endpoints`) and the active engine
// (`r1.activeEngine`: "local" or an endpoint id) in globalState, never in settings a workspace could set; each
// endpoint's API key only in SecretStorage (`r1.remote.apiKey.<id>`); and the origins the user allowed code to go
// to (`r1.remote.consent`), asked once per endpoint. Fires onDidChange when any of them changes.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { activeAfterRemoval, type ActiveEngine, parseEndpoints, type RemoteEndpoint, upsertEndpoint } from "../../core/engines/remoteEndpoint";

const ENDPOINTS_KEY = "r1.remote.endpoints";
const ACTIVE_KEY = "r1.activeEngine";
const CONSENT_KEY = "r1.remote.consent";
const apiKeyKey = (id: string) => `r1.remote.apiKey.${id}`;

export class EngineStore implements vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChange = this.changed.event;

    constructor(private readonly state: vscode.Memento, private readonly secrets: vscode.SecretStorage) {}

    endpoints(): RemoteEndpoint[] {
        return parseEndpoints(this.state.get(ENDPOINTS_KEY));
    }

    /** "local", or the id of a saved endpoint (an id that is no longer saved reads as "local"). */
    get activeEngine(): ActiveEngine {
        const id = this.state.get<string>(ACTIVE_KEY);
        return id && this.endpoints().some((e) => e.id === id) ? id : "local";
    }

    /** The active remote endpoint, or undefined when the local model is the engine. */
    active(): RemoteEndpoint | undefined {
        const id = this.activeEngine;
        return id === "local" ? undefined : this.endpoints().find((e) => e.id === id);
    }

    /**
     * Saves the endpoint (the same URL and model keep their id) with its API key (none: a stored key is deleted)
     * and makes it the active engine.
     */
    async save(endpoint: { baseUrl: string; model: string }, apiKey: string | undefined): Promise<RemoteEndpoint> {
        const { list, saved } = upsertEndpoint(this.endpoints(), endpoint, randomUUID());
        if (apiKey) await this.secrets.store(apiKeyKey(saved.id), apiKey);
        else await this.secrets.delete(apiKeyKey(saved.id));
        await this.state.update(ENDPOINTS_KEY, list);
        await this.state.update(ACTIVE_KEY, saved.id);
        this.changed.fire();
        return saved;
    }

    async setActive(engine: ActiveEngine): Promise<void> {
        if (engine === this.state.get<string>(ACTIVE_KEY)) return;
        await this.state.update(ACTIVE_KEY, engine);
        this.changed.fire();
    }

    /** Forgets the endpoint, its key, and the consent for its origin when no other endpoint uses it. */
    async remove(id: string): Promise<void> {
        const list = this.endpoints();
        const gone = list.find((e) => e.id === id);
        if (!gone) return;
        const rest = list.filter((e) => e.id !== id);
        await this.secrets.delete(apiKeyKey(id));
        await this.state.update(ENDPOINTS_KEY, rest);
        await this.state.update(ACTIVE_KEY, activeAfterRemoval(this.activeEngine, id));
        if (!rest.some((e) => e.baseUrl === gone.baseUrl)) await this.state.update(CONSENT_KEY, this.consented().filter((u) => u !== gone.baseUrl));
        this.changed.fire();
    }

    apiKey(id: string): Thenable<string | undefined> {
        return this.secrets.get(apiKeyKey(id));
    }

    /** Whether the user allowed code to go to this base URL. */
    hasConsent(baseUrl: string): boolean {
        return this.consented().includes(baseUrl);
    }

    async grantConsent(baseUrl: string): Promise<void> {
        if (this.hasConsent(baseUrl)) return;
        await this.state.update(CONSENT_KEY, [...this.consented(), baseUrl]);
    }

    private consented(): string[] {
        const v = this.state.get<unknown>(CONSENT_KEY);
        return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : [];
    }

    dispose(): void {
        this.changed.dispose();
    }
}
