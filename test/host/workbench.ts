// A fresh real VS Code (code-server) with this working tree installed as an extension, opened in headless Chromium:
// what the UI tests (host.test.ts, hostileWebview.test.ts) run in.
import * as assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startCodeServer } from "./codeServer";
import { repoRoot, sampleWorkspaceDir } from "./hostPaths";
import { launchBrowser, openWorkbench, saveScreenshot } from "./ui";
import { type ScriptSpec, writeScriptedModel } from "../fixtures/scriptedModel";

export const notBuilt = existsSync(join(repoRoot, "dist", "extension.js")) ? undefined : "dist/extension.js is missing: run node scripts/build.mjs first";

export interface WorkbenchOptions {
    /** Names the temp folder and the failure screenshot (test-results/ui-NAME-failure.png). */
    name: string;
    /** A scripted model written as FILE in the run's folder and selected (r1.modelPath, one thread). */
    model?: { file: string; spec: ScriptSpec };
    settings?: Record<string, unknown>;
    /** Extra environment for code-server, hence for the extension host and the model process. */
    env?: Record<string, string>;
    /** Called with the workspace copy before code-server starts (e.g. to add files to it). */
    prepare?: (workspace: string) => void;
    /** Install this .vsix (code-server --install-extension) instead of registering the working tree. */
    vsix?: string;
}
/**
 * Runs `body` on a fresh code-server over a copy of the sample workspace, with this working tree as an installed
 * extension, in headless Chromium with the workbench open. Saves a screenshot when `body` fails; always stops
 * both and removes every temp file.
 */
export async function withWorkbench(options: WorkbenchOptions, body: (page: Page, workbenchMs: number) => Promise<void>): Promise<void> {
    assert.equal(notBuilt, undefined, notBuilt);
    const runDir = mkdtempSync(join(tmpdir(), `r1-ui-${options.name}-`));
    try {
        const workspace = join(runDir, "workspace");
        cpSync(sampleWorkspaceDir, workspace, { recursive: true });
        options.prepare?.(workspace);
        let settings = options.settings;
        if (options.model) {
            const modelPath = join(runDir, options.model.file);
            await writeScriptedModel(modelPath, options.model.spec);
            settings = { "r1.modelPath": modelPath, "r1.threads": 1, ...options.settings };
        }
        // Loaded as a user has it installed: the extensions dir points at this working tree (or the VSIX is installed).
        const installed = options.vsix ? { vsix: [options.vsix] } : { extensions: [repoRoot] };
        const server = await startCodeServer({ ...installed, folder: workspace, tempParent: runDir, alsoRemove: [runDir], ...(settings ? { settings } : {}), ...(options.env ? { env: options.env } : {}) });
        try {
            const browser = await launchBrowser({ tempParent: runDir });
            try {
                const t0 = Date.now();
                await openWorkbench(browser.page, server.workbenchUrl());
                await body(browser.page, Date.now() - t0);
            } catch (err) {
                await saveScreenshot(browser.page, `ui-${options.name}-failure`).catch(() => undefined);
                throw err;
            } finally {
                await browser.close();
            }
        } finally {
            await server.stop();
        }
    } finally {
        rmSync(runDir, { recursive: true, force: true });
    }
}
