#!/usr/bin/env node
// The og-mock command, from source and as tsc compiles it (dist/mock-server/cli/bin.js). The
// installed bin is the bundle's dist/mock-server/bin/og-mock.js (scripts/bundle-og-mock.mjs),
// which calls the same main().
import { main } from "./og-mock.js";

await main();
