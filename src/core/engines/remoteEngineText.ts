// What the user reads about the active remote engine: the status bar's text and tooltip, the chat header's
// state, the consent question asked before code first goes to an endpoint, and why remote engines are off in an
// untrusted workspace. Pure: src/client/statusBar.ts and src/features/engines/* show these.
import { endpointHost, endpointOrigin, isLoopbackHost, type RemoteEndpoint } from "./remoteEndpoint";

export interface RemoteEngineState {
    endpoint: RemoteEndpoint;
    /** vscode.workspace.isTrusted. */
    trusted: boolean;
    /** An API key is stored for this endpoint (never its value). */
    hasKey: boolean;
    /** A request runs now. */
    busy?: boolean;
}

/** The status bar: "$(cloud) R1 · deepseek-reasoner @ api.deepseek.com". */
export function remoteStatusText(state: RemoteEngineState): string {
    const label = `R1 · ${state.endpoint.model} @ ${endpointHost(state.endpoint.baseUrl)}`;
    if (!state.trusted) return `$(workspace-untrusted) ${label} (off: untrusted workspace)`;
    return state.busy ? `$(loading~spin) ${label}` : `$(cloud) ${label}`;
}

/** The status bar's tooltip, one paragraph per line. */
export function remoteTooltipLines(state: RemoteEngineState): string[] {
    const { endpoint } = state;
    const lines = [
        `Engine: remote (OpenAI-compatible) at ${endpoint.baseUrl}`,
        `Model: ${endpoint.model}`,
        `API key: ${state.hasKey ? "stored in VS Code's secret storage" : "none"}`
    ];
    if (!isLoopbackHost(hostName(endpoint.baseUrl))) lines.push(`Your prompts and code go to ${endpointOrigin(endpoint.baseUrl)}.`);
    if (!state.trusted) lines.push(untrustedMessage());
    return lines;
}

/** The chat header: the served model's name, and where it runs as its state (short: the side bar is narrow). */
export function remoteChatStatus(state: Pick<RemoteEngineState, "endpoint" | "trusted">): { model: string; text: string } {
    const model = state.endpoint.model;
    return { model, text: state.trusted ? endpointHost(state.endpoint.baseUrl) : "Off: untrusted workspace" };
}

/** The modal asked once per endpoint before the first request. */
export function consentQuestion(endpoint: RemoteEndpoint): { message: string; detail: string; accept: string } {
    const origin = endpointOrigin(endpoint.baseUrl);
    return {
        message: `This sends your code to ${origin}.`,
        detail: `R1 Reasoner will send your prompts, the attached files and the code of fixes and explanations to ${endpoint.model} at ${endpoint.baseUrl}. ` +
            "You are asked once for this endpoint.",
        accept: "Send"
    };
}

/** What a request says when the user did not agree to send code. */
export function consentDeclinedMessage(endpoint: RemoteEndpoint): string {
    return `Nothing was sent: sending code to ${endpointOrigin(endpoint.baseUrl)} was not allowed. Choose a local model with "R1: Select Model", or ask again to allow it.`;
}

export function untrustedMessage(): string {
    return "Remote engines are disabled in an untrusted workspace (code would leave this machine): trust the workspace, or choose a local model with \"R1: Select Model\".";
}

/** Why a request cannot go to a remote engine now, or undefined when it can. */
export function remoteBlockedReason(trusted: boolean): string | undefined {
    return trusted ? undefined : untrustedMessage();
}

function hostName(baseUrl: string): string {
    try {
        return new URL(baseUrl).hostname;
    } catch {
        return "";
    }
}
