// package.json against package.nls.json: every %key% has its English string, every string is used, and no
// user-facing field of the manifest is left unlocalized.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../fixtures/repoPaths";

const manifestText = readFileSync(join(repoRoot(), "package.json"), "utf8");
const manifest = JSON.parse(manifestText) as Record<string, unknown>;
const nls = JSON.parse(readFileSync(join(repoRoot(), "package.nls.json"), "utf8")) as Record<string, string>;

test("every %key% of package.json is in package.nls.json, and every entry there is used", () => {
    const used = [...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.deepEqual(used.filter((k) => !(k in nls)), [], "keys without a string");
    assert.deepEqual(Object.keys(nls).filter((k) => !used.includes(k)), [], "strings no key uses");
});

test("user-facing fields are localized (%key%)", () => {
    const plain: string[] = [];
    const fields = new Set(["displayName", "description", "markdownDescription", "title", "name", "contextualTitle", "category"]);
    // A chat participant's name and its commands' names are what the user types (@r1, /fix): identifiers, not text.
    const walk = (v: unknown, path: string) => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) {
            if (k === "enumDescriptions") (x as string[]).forEach((s, i) => { if (!/^%.+%$/.test(s)) plain.push(`${path}.${k}[${i}]`); });
            else if (fields.has(k) && typeof x === "string" && !/^%.+%$/.test(x) && !(k === "name" && (path === "" || path.startsWith(".contributes.chatParticipants")))) plain.push(`${path}.${k}`);
            else walk(x, `${path}.${k}`);
        }
    };
    walk({ displayName: manifest.displayName, description: manifest.description, contributes: manifest.contributes }, "");
    assert.deepEqual(plain, []);
});

test("the marketplace fields are there", () => {
    for (const k of ["publisher", "icon", "galleryBanner", "repository", "bugs", "license", "homepage", "categories", "keywords", "capabilities", "extensionKind"]) assert.ok(manifest[k], k);
    assert.deepEqual(manifest.extensionKind, ["workspace"]);
    const caps = manifest.capabilities as { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] }; virtualWorkspaces: { supported: string } };
    assert.equal(caps.untrustedWorkspaces.supported, "limited");
    assert.ok(caps.untrustedWorkspaces.restrictedConfigurations.includes("r1.modelPath"));
    assert.equal((manifest.engines as { vscode: string }).vscode, "^1.139.0", "the oldest VS Code tested (code-server 4.139.1)");
});

// The untrusted-workspace promise of the manifest, as far as settings carry it: VS Code ignores a restricted setting's
// workspace value in an untrusted workspace, and never reads a machine-scoped one from a workspace at all. A setting
// that names a file, a folder, a proxy or a registry (whose bytes R1 loads or runs) must be one or the other.
test("a workspace cannot point R1 at a model file, folder, proxy, CA file or CUDA registry it chose", () => {
    const props = Object.assign({}, ...([] as { properties: Record<string, { scope?: string }> }[]).concat(
        (manifest.contributes as { configuration: never }).configuration).map((c) => c.properties)) as Record<string, { scope?: string }>;
    const restricted = (manifest.capabilities as { untrustedWorkspaces: { restrictedConfigurations: string[] } }).untrustedWorkspaces.restrictedConfigurations;
    assert.equal(props["r1.modelPath"].scope, "machine-overridable");
    assert.ok(restricted.includes("r1.modelPath"));
    for (const key of ["r1.modelsFolder", "r1.downloadProxy", "r1.remote.caFile", "r1.cuda.download", "r1.cuda.registry"]) {
        assert.ok(props[key], key);
        assert.ok(props[key].scope === "machine" || props[key].scope === "application" || restricted.includes(key), `${key} can be set by a workspace (scope ${props[key].scope ?? "window"})`);
    }
});

test("engines.vscode is the VS Code of the code-server the host tests run", (t) => {
    const hostVsCode = join(repoRoot(), ".host", "code-server", "node_modules", "code-server", "lib", "vscode", "package.json");
    if (!existsSync(hostVsCode)) { t.skip(".host/code-server is not installed"); return; }
    const [major, minor] = (JSON.parse(readFileSync(hostVsCode, "utf8")) as { version: string }).version.split(".");
    assert.equal((manifest.engines as { vscode: string }).vscode, `^${major}.${minor}.0`);
});
