/** The slow tier (`npm run test:e2e`): the files vitest.config.ts leaves out, by their names. */
import { E2E_FILES, tier } from "./vitest.config.js";

export default tier("e2e", { include: E2E_FILES });
