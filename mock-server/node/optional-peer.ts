/**
 * Optional peer dependencies: packages only one entry point needs (express for createApp(),
 * pino-pretty for og-mock's pretty log on a terminal), installed by the users who use that entry,
 * so that a test suite importing `ordergroove-stock-kit/msw` installs none of them. They are
 * loaded when first used, and a missing one is named with its install line instead of surfacing
 * as a bare MODULE_NOT_FOUND from deep inside.
 *
 * The caller passes its own `createRequire(import.meta.url)`: resolution starts from the kit's
 * installed files, so a peer installed beside the kit is found, and og-mock's bundle rewrites
 * that call into its own require (scripts/bundle-og-mock.mjs).
 */

export class MissingPeerError extends Error {
  override name = "MissingPeerError";
}

export interface Peer {
  /** The package, e.g. "express". */
  name: string;
  /** What needs it, as the end of "Failed to …", e.g. "create the Express app (createApp)". */
  neededTo: string;
  /** The install line, e.g. "npm install express@5". */
  install: string;
}

/** `require(peer.name)`, or a MissingPeerError naming the package and its install line. */
export function loadPeer<T>(require: NodeJS.Require, peer: Peer): T {
  try {
    return require(peer.name) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Only the peer itself missing: a package the peer needs that is missing is the peer's fault.
    if (code === "MODULE_NOT_FOUND" && message.startsWith(`Cannot find module '${peer.name}'`))
      throw new MissingPeerError(
        `Failed to ${peer.neededTo}: ${peer.name} is not installed (an optional peer dependency of ordergroove-stock-kit, installed only by those who need it). Install it beside the kit: ${peer.install}`,
        { cause: error },
      );
    throw error;
  }
}
