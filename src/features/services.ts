// What every feature gets from activate(): the few long-lived objects of the extension.
import type * as vscode from "vscode";
import type { Config } from "../client/config";
import type { Log } from "../client/log";
import type { ModelLibrary } from "../client/modelLibrary";
import type { ModelProcess } from "../client/modelProcess";
import type { EngineStore } from "./engines/engineStore";
import type { ProposalReview } from "./review/proposalReview";
import type { ReasoningDisplay } from "./reasoning/reasoningDisplay";

export interface Services {
    readonly context: vscode.ExtensionContext;
    readonly log: Log;
    readonly config: Config;
    readonly modelProcess: ModelProcess;
    /** The catalog, the models folder and the downloads running now. */
    readonly models: ModelLibrary;
    /** The saved remote engines, the active engine, their keys (SecretStorage) and the consent given. */
    readonly engines: EngineStore;
    /** The reasoning view, for requests started outside the chat (quick fixes, Explain Code). */
    readonly display: ReasoningDisplay;
    /** Proposed edits shown as a diff to apply or discard (quick fixes and chat Apply share it). */
    readonly proposals: ProposalReview;
}
