// A docs page's script in a production build, in place of Next's runtime (the page sets unstable_runtimeJS:
// false; pages/_document.tsx adds this module, and preloads the modules it imports and the one it loads next).
// Three tasks, so that none is long on a slow phone: evaluating React (imported here), then, after a yield,
// evaluating the page's code and starting hydration (./hydrate.tsx), which then goes on in slices.
import 'react';
import 'react-dom/client';

setTimeout(() => void import('./hydrate'), 0);
