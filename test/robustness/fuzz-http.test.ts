/** A short fuzz run of the fake's HTTP surface, for `npm test`; fuzz-http.e2e.test.ts runs 10,000 cases. */
import { fuzzTheFake } from "./fuzz-http-suite.js";

fuzzTheFake(300, 100);
