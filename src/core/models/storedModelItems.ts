// How "R1: Manage Models" describes each model in the models folder, and what it offers for it: use it,
// resume or cancel its download, delete it (never the active model without unloading it first, never a
// download in progress). Pure: src/features/manageModels.ts shows it.
import { formatBytes } from "./byteSize";
import { entryLabel, type StoredModelInfo } from "./modelPicker";

export type StoredModelAction = "use" | "resume" | "cancel-download" | "delete";

export interface StoredModelItem {
    label: string;
    description: string;
    detail: string;
    /** What the user may do with it, in menu order. */
    actions: StoredModelAction[];
    /** Set when deleting needs something first (the model is active, or downloading). */
    deleteNeeds?: "unload" | "cancel-download";
    /** Bytes on disk (complete files and partial downloads). */
    diskBytes: number;
}

export function describeStoredModel(s: StoredModelInfo, state: { active: boolean; downloading: boolean }): StoredModelItem {
    const diskBytes = s.sizeBytes + s.partialBytes;
    const name = s.entry ? entryLabel(s.entry) : s.name;
    const parts: string[] = [];
    if (state.active) parts.push("active");
    if (state.downloading) parts.push("downloading");
    if (s.complete) {
        parts.push(formatBytes(s.sizeBytes));
    } else {
        const of = s.entry ? ` of ${formatBytes(s.entry.quantization.sizeBytes)}` : "";
        parts.push(`partial download: ${formatBytes(diskBytes)}${of}`);
        if (s.missingParts.length > 0 && s.entry && s.entry.quantization.files.length > 1) {
            parts.push(`part${s.missingParts.length > 1 ? "s" : ""} ${s.missingParts.join(", ")} of ${s.entry.quantization.files.length} missing`);
        }
        if (!s.entry) parts.push("not in the catalog: cannot be resumed");
    }
    const actions: StoredModelAction[] = [];
    if (s.complete && !state.active) actions.push("use");
    if (!s.complete && s.entry && !state.downloading) actions.push("resume");
    if (state.downloading) actions.push("cancel-download");
    actions.push("delete");
    return {
        label: `${s.complete ? "$(check)" : state.downloading ? "$(sync~spin)" : "$(cloud-download)"} ${name}`,
        description: parts.join(" · "),
        detail: s.path,
        actions,
        deleteNeeds: state.downloading ? "cancel-download" : state.active ? "unload" : undefined,
        diskBytes
    };
}
