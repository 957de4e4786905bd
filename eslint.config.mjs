// Lint rules, mostly to enforce the layers of docs/architecture.md:
//   core, shared     pure TypeScript: no vscode, no node-llama-cpp, no DOM-only or Node-only modules; only
//                    shared/lspMessages.ts may create vscode-jsonrpc message types, and only the Node sides
//                    (client, server, platform) import it, so the webview bundle never carries vscode-jsonrpc
//   server           the only place that may import node-llama-cpp; never vscode
//   webview          browser code: never vscode, node-llama-cpp or Node built-ins
//   platform         Node-only helpers (files, network) without vscode or node-llama-cpp
import tseslint from "typescript-eslint";

const noVscode = { name: "vscode", message: "Only src/extension.ts, src/client and src/features may import vscode." };
const noLlama = { name: "node-llama-cpp", message: "Only src/server may import node-llama-cpp (it runs in the model process)." };
const nodeBuiltins = ["fs", "path", "os", "http", "https", "child_process", "net", "crypto", "stream", "url", "util", "worker_threads"]
    .flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);
const noJsonRpc = {
    group: ["vscode-jsonrpc", "vscode-jsonrpc/*", "**/lspMessages"],
    message: "The typed LSP messages (shared/lspMessages.ts, vscode-jsonrpc) are for src/client, src/server and src/platform only: core and the webview stay free of vscode-jsonrpc."
};

export default tseslint.config(
    { ignores: ["out/**", "dist/**", "media/dist/**", "node_modules/**", ".host/**", "test-results/**", "test/host/sampleWorkspace/**", "**/*.mjs", "**/*.js"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
            "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "No default exports." }],
            "no-restricted-imports": ["error", { paths: [noLlama] }]
        }
    },
    {
        files: ["src/core/**/*.ts", "src/shared/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { paths: [noVscode, noLlama], patterns: [{ group: nodeBuiltins, message: "core and shared are pure: no Node built-ins." }, noJsonRpc] }] }
    },
    {
        files: ["src/shared/lspMessages.ts"],
        rules: { "no-restricted-imports": ["error", { paths: [noVscode, noLlama], patterns: [{ group: nodeBuiltins, message: "core and shared are pure: no Node built-ins." }] }] }
    },
    {
        files: ["src/platform/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { paths: [noVscode, noLlama] }] }
    },
    {
        files: ["src/server/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { paths: [noVscode] }] }
    },
    {
        files: ["src/webview/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { paths: [noVscode, noLlama], patterns: [{ group: nodeBuiltins, message: "The webview runs in a browser." }, noJsonRpc] }] }
    },
    {
        files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
        rules: { "no-restricted-imports": "off" }
    }
);
