/** The differential suite's full run: many more generated cases than the fast tier's. */
import { differentialSuite } from "./differential-suite.js";

differentialSuite({ client: 600, reads: 200, sync: 300 });
