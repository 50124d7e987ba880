/** No request can kill the fake, with the full fuzz run (1,000 per host); no-crash.test.ts is the short one. */
import { noRequestCrashesTheFake } from "./no-crash-suite.js";

noRequestCrashesTheFake(1_000);
