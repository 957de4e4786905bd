// Chips of attached code: above the prompt box (each with a remove button, reachable with Tab; Delete or Backspace
// on a chip removes it too) and, without the button, under a request that was sent with them.
import type { ContextChip } from "../../shared/webviewProtocol";
import { icon } from "../dom";

/** A list of chips; `onRemove` makes them removable. */
export function renderChips(items: readonly ContextChip[], onRemove?: (chip: ContextChip, index: number) => void): HTMLElement {
    const list = document.createElement("ul");
    list.className = "r1-chips";
    list.setAttribute("aria-label", onRemove ? "Code attached to the next message" : "Attached code");
    items.forEach((chip, index) => {
        const item = document.createElement("li");
        item.className = "r1-chip";
        item.dataset.chipId = chip.id;
        item.title = chip.detail;
        const label = document.createElement("span");
        label.className = "r1-chip-label";
        label.textContent = chip.label;
        item.append(icon(chip.kind === "selection" ? "selection" : "file-code"), label);
        if (onRemove) {
            const remove = document.createElement("button");
            remove.type = "button";
            remove.className = "r1-chip-remove";
            remove.title = `Remove ${chip.label}`;
            remove.setAttribute("aria-label", `Remove ${chip.label} (${chip.detail})`);
            remove.append(icon("close"));
            remove.addEventListener("click", () => onRemove(chip, index));
            remove.addEventListener("keydown", (e) => {
                if (e.key === "Delete" || e.key === "Backspace") {
                    e.preventDefault();
                    onRemove(chip, index);
                }
            });
            item.append(remove);
        }
        list.append(item);
    });
    return list;
}
