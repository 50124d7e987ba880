/**
 * Peers measured in the same run as the fake, installed on demand from the npm registry into a
 * cache folder (never dependencies of the kit; scripts/prism.ts installs Prism): `npm run bench`
 * installs them once, later runs reuse the folder. When a peer cannot be installed (no registry,
 * no network), its figure is skipped with the reason printed and recorded.
 */
import { ensurePrism, type Prism, PRISM_MOCK_ARGS } from "../scripts/prism.js";
import { type ChildServer, startChild } from "./lib.js";

export type Peer = Prism;

/**
 * Prism for this run: installed only by a full run, on demand; a smoke run (CI) and BENCH_PEERS=off
 * report its figure as skipped.
 */
export async function prismForThisRun(smoke: boolean): Promise<Peer> {
  if (smoke) return { ok: false, reason: "smoke run (Prism is installed and measured only by a full `npm run bench`)" };
  if (process.env.BENCH_PEERS === "off") return { ok: false, reason: "BENCH_PEERS=off" };
  return ensurePrism();
}

/** Prism mocking our spec, started like the other servers (pinned, own process). */
export async function startPrism(peer: Extract<Peer, { ok: true }>): Promise<ChildServer> {
  return startChild(peer.entry, PRISM_MOCK_ARGS);
}
