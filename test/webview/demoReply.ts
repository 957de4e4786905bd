// A realistic DeepSeek-R1 turn (request, chain of thought, markdown answer) for screenshots and tests.

export const demoRequest = "My debounced search box sometimes fires twice for one keystroke. Why, and how do I fix it?";

export const demoThought = `
Okay, so the user has a debounced search box that sometimes fires twice for a single keystroke. Let me think about what usually causes that.

The classic mistake is creating the debounced function inside the component body. In React, every render creates a brand-new debounced function with its own timer, so a keystroke that triggers a re-render can leave two timers pending: the old one from the previous render and the new one. Both expire, both call the search.

Wait, but they said "sometimes", not always. That fits: it only happens when a render lands between the keystroke and the end of the delay. If nothing re-renders in that window, there is only one pending timer.

Another possibility is React 18 StrictMode, which mounts effects twice in development. If the debounce lives in a useEffect without cleanup, the first timer is never cleared. That would double every call in development though, not "sometimes".

So the fix: keep one debounced function for the lifetime of the component (useMemo or useRef), cancel it on unmount, and make sure the effect cleans up. I should show a small hook, and maybe a table comparing the approaches. Let me also mention checking the network tab to confirm.
`;

export const demoAnswer = `The double call comes from **creating the debounced function during render**. Each render makes a new
debounced function with its own timer, so when a render happens between the keystroke and the end of the
delay, two timers are pending and both fire.

### Fix: one debounced function per component

\`\`\`ts
import { useEffect, useMemo } from "react";
import debounce from "lodash.debounce";

export function useDebouncedSearch(search: (q: string) => void, delayMs = 300) {
    // Created once: the same timer survives re-renders.
    const debounced = useMemo(() => debounce(search, delayMs), [search, delayMs]);
    useEffect(() => () => debounced.cancel(), [debounced]);
    return debounced;
}
\`\`\`

Then call it from the input's \`onChange\`:

1. Wrap \`search\` in \`useCallback\` so its identity is stable.
2. Call \`useDebouncedSearch(search)\` once, at the top of the component.
3. Check the **Network** tab: one request per pause in typing.

| Approach | Timers per keystroke | Survives re-render |
| --- | :---: | :---: |
| \`debounce()\` in the body | one per render | no |
| \`useMemo\` / \`useRef\` | one | yes |

> In development, React 18 \`StrictMode\` runs effects twice; the cleanup above makes that harmless.

See the [lodash docs](https://lodash.com/docs/#debounce) for the \`leading\`/\`trailing\` options.
`;
