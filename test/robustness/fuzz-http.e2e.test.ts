/** The full fuzz run of the fake's HTTP surface (CI: 10,000 cases); fuzz-http.test.ts is the short one. */
import { fuzzTheFake } from "./fuzz-http-suite.js";

fuzzTheFake(10_000);
