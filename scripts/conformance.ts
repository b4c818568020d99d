// `npm run conformance`: regenerate docs/conformance.md (see scripts/conformance/main.ts).
import { writeConformance } from './conformance/main.js';

const path = await writeConformance();
console.log(`wrote ${path}`);
