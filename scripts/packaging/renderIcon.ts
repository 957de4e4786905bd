// media/icon.png (the marketplace icon, 128×128) rendered from media/icon.svg in headless Chromium
// (playwright-core and /usr/bin/chromium, as the UI tests use). Only the SVG is in git.
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function renderIcon(root: string, chromiumPath = process.env.R1_CHROMIUM ?? "/usr/bin/chromium"): Promise<string> {
    const svg = join(root, "media", "icon.svg");
    const png = join(root, "media", "icon.png");
    if (existsSync(png) && statSync(png).mtimeMs >= statSync(svg).mtimeMs) return png;
    if (!existsSync(chromiumPath)) throw new Error(`Chromium is needed to render media/icon.png from media/icon.svg (not found at ${chromiumPath}; apt-get install -y chromium, or set R1_CHROMIUM)`);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
        const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
        const markup = await readFile(svg, "utf8");
        await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${markup.replace(/<\?xml[^>]*>/, "")}</body></html>`);
        await page.locator("svg").first().screenshot({ path: png, omitBackground: true });
    } finally {
        await browser.close();
    }
    return png;
}
