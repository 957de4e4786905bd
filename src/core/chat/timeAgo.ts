// How long ago something happened, for lists of earlier chats: "just now", "5 min ago", "3 h ago", "yesterday",
// "4 days ago", else the date.

export function timeAgo(ms: number, now: number = Date.now()): string {
    const s = Math.max(0, Math.round((now - ms) / 1000));
    if (s < 60) return "just now";
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
    const days = Math.round(s / 86_400);
    if (days === 1) return "yesterday";
    if (days < 14) return `${days} days ago`;
    return new Date(ms).toISOString().slice(0, 10);
}
