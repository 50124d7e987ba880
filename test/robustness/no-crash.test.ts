/** No request can kill the fake, with a short fuzz run for `npm test`; no-crash.e2e.test.ts runs 1,000 per host. */
import { noRequestCrashesTheFake } from "./no-crash-suite.js";

noRequestCrashesTheFake(200);
