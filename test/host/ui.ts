// Drives the code-server workbench in headless Chromium with playwright-core: open it, run commands through the
// command palette, open the R1 Reasoner view, reach into its webview, read notifications, save screenshots.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from "playwright-core";
import { chromiumPath, testResultsDir } from "./hostPaths";

/** Chromium flags that work headless in a container without GPU or network (see FACTS.md). */
export const chromiumArgs: readonly string[] = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-breakpad", "--disable-dev-shm-usage"
];

export interface WorkbenchBrowser {
    readonly context: BrowserContext;
    readonly page: Page;
    /** Browser console lines ("type: text"), in order. */
    readonly console: readonly string[];
    /** Closes Chromium and removes its profile. Idempotent. */
    close(): Promise<void>;
}

export interface LaunchOptions {
    readonly viewport?: { readonly width: number; readonly height: number };
    /** Functions exposed on every page's window before any script runs (e.g. codeAutomationExit). */
    readonly expose?: Readonly<Record<string, (...args: never[]) => unknown>>;
    readonly onConsole?: (line: string) => void;
    /** Where Chromium's temp profile goes (default the OS temp dir). */
    readonly tempParent?: string;
}

/** Starts headless Chromium with a fresh profile (and its own HOME, so nothing lands in the user's). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<WorkbenchBrowser> {
    const profileRoot = mkdtempSync(join(options.tempParent ?? tmpdir(), "r1-chromium-"));
    const home = join(profileRoot, "home");
    mkdirSync(home);
    const context = await chromium.launchPersistentContext(join(profileRoot, "profile"), {
        executablePath: chromiumPath,
        args: [...chromiumArgs],
        viewport: options.viewport ?? { width: 1400, height: 900 },
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_CACHE_HOME: join(home, ".cache"), TMPDIR: profileRoot },
        timeout: 30_000
    });
    try {
        for (const [name, fn] of Object.entries(options.expose ?? {})) await context.exposeFunction(name, fn);
    } catch (err) {
        await context.close();
        rmSync(profileRoot, { recursive: true, force: true });
        throw err;
    }
    const page = context.pages()[0] ?? await context.newPage();
    const lines: string[] = [];
    page.on("console", (m) => {
        const line = `${m.type()}: ${m.text()}`;
        lines.push(line);
        options.onConsole?.(line);
    });
    let closed: Promise<void> | undefined;
    return {
        context, page, console: lines,
        close() {
            closed ??= context.close().catch(() => undefined).finally(() => rmSync(profileRoot, { recursive: true, force: true }));
            return closed;
        }
    };
}

/** Loads the workbench and waits until it is laid out and its extensions are known. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
    await page.goto(url, { timeout: timeoutMs });
    await page.locator(".monaco-workbench .part.activitybar").waitFor({ timeout: timeoutMs });
    // The status bar fills in once the workbench has restored its parts.
    await page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: timeoutMs });
}

/** Waits until the activity bar shows a view container (it appears once the extension has been scanned). */
export async function waitForActivity(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
    await activityItem(page, title).waitFor({ timeout: timeoutMs });
}

/**
 * R1 Reasoner's status bar item ("R1: …"). The extension creates it in activate(), and VS Code sends it to the
 * window only after activate() has returned: once it shows, the extension's commands and code actions are registered.
 */
export function r1StatusItem(page: Page): Locator {
    return page.locator(".part.statusbar .statusbar-item").filter({ hasText: /R1: / }).first();
}

function activityItem(page: Page, title: string) {
    return page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
}

/** Clicks a view container's icon in the activity bar (e.g. "R1 Reasoner") and waits for its side bar. */
export async function openActivity(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
    await waitForActivity(page, title, timeoutMs);
    const item = activityItem(page, title);
    const already = await item.evaluate((a) => a.closest(".action-item")?.classList.contains("checked") ?? false);
    if (!already) await item.click();
    await page.locator(".part.sidebar .composite.title").filter({ hasText: title.toUpperCase() }).or(
        page.locator(".part.sidebar .composite.title").filter({ hasText: title })
    ).first().waitFor({ timeout: timeoutMs });
}

/**
 * Opens a quick input with `key`, types `text` and clicks the first entry that shows `entry`. A list the
 * workbench computed before it knew that entry (right after loading: contributed commands, the file index)
 * answers "No matching …": then the quick input is opened again, until the entry is listed or `timeoutMs` ends.
 */
async function pickInQuickInput(page: Page, key: string, text: string, entry: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const widget = page.locator(".quick-input-widget");
    const input = widget.locator(".quick-input-box input");
    const row = widget.locator(".quick-input-list .monaco-list-row").filter({ hasText: entry }).first();
    for (;;) {
        await page.keyboard.press(key);
        await input.waitFor({ state: "visible", timeout: left() });
        await input.fill(text);
        // The list may say "No matching …" for a moment while it filters, or for good when it was opened before the
        // entry existed: give it a few seconds, then close it (and wait until it is closed) and open it again.
        const listed = await row.waitFor({ state: "visible", timeout: Math.min(5000, left()) }).then(() => true, () => false);
        if (listed) {
            await row.click();
            await widget.waitFor({ state: "hidden", timeout: left() }).catch(() => undefined);
            return true;
        }
        await page.keyboard.press("Escape");
        await widget.waitFor({ state: "hidden", timeout: left() }).catch(() => undefined);
        if (Date.now() >= deadline) return false;
    }
}

/**
 * Runs a command by its palette label ("R1: Show Logs"): F1, type, wait for a matching entry, Enter.
 * Throws when no entry matches within `timeoutMs`.
 */
export async function runCommand(page: Page, label: string, timeoutMs = 15_000): Promise<void> {
    if (!(await pickInQuickInput(page, "F1", `>${label}`, label, timeoutMs))) throw new Error(`no command "${label}" in the command palette`);
}

/** Opens a workspace file by name through Quick Open (Ctrl+P) and waits for its editor tab. */
export async function openFile(page: Page, fileName: string, timeoutMs = 60_000): Promise<void> {
    if (!(await pickInQuickInput(page, "Control+P", fileName, fileName, timeoutMs))) throw new Error(`Quick Open does not list ${fileName}`);
    await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).first().waitFor({ timeout: timeoutMs });
}

/** Moves the mouse off the chrome and waits for hover tooltips to go (so screenshots show no stray tooltip). */
export async function dismissHovers(page: Page): Promise<void> {
    const size = page.viewportSize() ?? { width: 1400, height: 900 };
    await page.mouse.move(size.width / 2, size.height / 2);
    await page.keyboard.press("Escape");
    await page.locator(".monaco-hover:visible, .workbench-hover:visible").first().waitFor({ state: "hidden", timeout: 3000 }).catch(() => undefined);
}

/** The content of the webview shown in the side bar (two nested iframes: the host frame and #active-frame). */
export function webviewFrame(page: Page): FrameLocator {
    return page.frameLocator("iframe.webview.ready").frameLocator("#active-frame");
}

/** The content of the one webview on screen (e.g. the chat's editor tab while the side bar is closed). */
export function visibleWebviewFrame(page: Page): FrameLocator {
    return page.frameLocator("iframe.webview.ready >> visible=true").frameLocator("#active-frame");
}

/** Opens the notification center and returns each notification's message text (newest first). */
export async function readNotifications(page: Page, timeoutMs = 10_000): Promise<string[]> {
    await runCommand(page, "Notifications: Show Notifications", timeoutMs);
    const center = page.locator(".notifications-center");
    await center.waitFor({ state: "visible", timeout: timeoutMs });
    return center.locator(".notification-list-item-message").allInnerTexts();
}

/** Saves a full-window screenshot as test-results/NAME.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
    mkdirSync(testResultsDir, { recursive: true });
    const path = join(testResultsDir, `${name}.png`);
    await page.screenshot({ path });
    return path;
}
