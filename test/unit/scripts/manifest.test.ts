// package.json against package.nls.json: every %key% has its English string, every string is used, and no
// user-facing field of the manifest is left unlocalized.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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
