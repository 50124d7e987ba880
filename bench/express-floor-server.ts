/**
 * Context for figure 1, not a target: an Express 5 app doing the ceiling's JSON work
 * (./json-work.ts) and nothing else, so docs/performance.md can say how much of the fake's distance to
 * the ceiling is Express itself.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { answerLikeABatch } from "./json-work.js";

const app = express();
app.disable("x-powered-by");
app.disable("etag");
app.use((req, res) => answerLikeABatch(req, res));
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`express floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
