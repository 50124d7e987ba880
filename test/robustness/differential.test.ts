/** The differential suite's fast tier: a few hundred generated cases (the e2e tier runs more). */
import { differentialSuite } from "./differential-suite.js";

differentialSuite({ client: 60, reads: 30, sync: 40 });
