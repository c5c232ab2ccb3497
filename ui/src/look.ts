// How statuses and sync marks look: a fixed colour, a fixed icon and the text, so
// no state is told by colour alone (UI.md "colour-blind safe"). Presentation only.
import { labels } from "./catalogue";
import { h, svg } from "./dom";

const ICONS: Record<string, string> = {
  // status
  new: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="5" fill="currentColor"/></svg>',
  under_review:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M8 2.5a5.5 5.5 0 0 1 0 11z" fill="currentColor"/></svg>',
  accepted:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  rejected:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>',
  withdrawn:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M6 3.5L2.5 7 6 10.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/><path d="M3 7h6.5a3.5 3.5 0 0 1 0 7H7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  // sync marks
  waiting:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="5.8" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M8 4.5V8l2.5 1.8" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>',
  refused:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1.8L15 14H1z" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round"/><path d="M8 6v3.6" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="11.8" r="1" fill="currentColor"/></svg>',
  provisional:
    '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-dasharray="2.6 2"/></svg>',
};

function badge(cls: string, iconKey: string, text: string, compact = false): HTMLElement {
  const icon = ICONS[iconKey];
  return h(
    "span",
    { class: `badge ${cls}${compact ? " compact" : ""}`, title: text, "data-key": iconKey },
    icon ? svg(icon) : null,
    h("span", { class: "badge-text" }, text),
  );
}

export function statusBadge(status: string): HTMLElement {
  return badge(`st-${status}`, status, labels.status(status));
}

/** A sync mark beside the status; nothing when the portal already has it. */
export function syncBadge(mark: string, compact = false): HTMLElement | null {
  if (mark === "none" || mark === "synced" || mark === "") return null;
  return badge(`sy-${mark}`, mark, labels.sync(mark), compact);
}

export function provisionalBadge(text: string): HTMLElement {
  return badge("sy-provisional", "provisional", text, true);
}

export function statusIcon(key: string): Element | null {
  const icon = ICONS[key];
  return icon ? svg(icon) : null;
}
