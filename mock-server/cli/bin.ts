#!/usr/bin/env node
// The og-mock command: bundled into dist/mock-server/bin/og-mock.js (scripts/bundle-og-mock.mjs).
import { main } from "./og-mock.js";

await main();
