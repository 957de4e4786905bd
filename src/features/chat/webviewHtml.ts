// The HTML shell of a webview: a strict Content-Security-Policy with a nonce, only the extension's media/
// folder reachable, no inline script or style.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "media")] };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
    const nonce = randomBytes(16).toString("base64");
    const media = (...parts: string[]): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", ...parts));
    const csp = [
        "default-src 'none'",
        `style-src ${webview.cspSource}`,
        `font-src ${webview.cspSource}`,
        `img-src ${webview.cspSource}`,
        `script-src 'nonce-${nonce}'`
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media("dist", "codicon.css")}">
<link rel="stylesheet" href="${media("chat.css")}">
<link rel="stylesheet" href="${media("dist", "webview.css")}">
<title>${title}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${media("dist", "webview.js")}"></script>
</body>
</html>`;
}
