/**
 * Runs og-mock's bundle (a CommonJS file) through V8's code cache, kept in a per-user folder.
 * scripts/bundle-og-mock.mjs builds this module into dist/mock-server/bin/og-mock.js, the bin.
 *
 * Why: og-mock's cold start is measured against a bare node start (bench figure 4). Compiling
 * the bundle, and then each function the first request runs, was the largest part of what
 * og-mock added to node's own start (~10 ms, measured). Node 22 caches compiled code itself
 * (module.enableCompileCache); Node 20 does not, so this does what it does: the first run compiles
 * as usual and, once it has answered its first request, leaves V8's cache of every function it
 * ran; later runs of the same bundle on the same node read it (~2.5 ms with the bundle's text)
 * instead of compiling.
 *
 * Trade-offs, and why each is acceptable:
 * - A cache file (~0.2 MB) per bundle build and node version, written outside the package (the
 *   package may be read-only, and is shared by users): in <tmpdir>/og-mock-code-cache-<uid>,
 *   as Node 22 keeps its own in <tmpdir>/node-compile-cache. Writing one removes those not
 *   written for 30 days (a cache in use is never rewritten, so it is made again then, once).
 * - Code read from a shared temporary folder must not be planted by another user: the folder is
 *   made 0700 and used only if it is a real folder owned by this user that nobody else can write,
 *   and the cache file is checked again on the open file (this user's, not a link, not writable
 *   by others), so swapping the folder between the two checks gains nothing (on Windows, whose
 *   file modes do not say that, no cache is used).
 * - V8 rejects a cache made by another V8 version or with other flags, and checks the source by
 *   its length only: the file name carries a hash of the bundle (made by the build) and the node
 *   version, so no build reads another's cache, and builds and node versions used in turn do not
 *   evict each other. Any failure (no folder, unreadable, rejected, not writable) silently means
 *   compiling as without a cache: the cache can make a start faster, never break it.
 * - The cache is made once the first request has been answered (first-answer.ts): it then holds
 *   the whole cold start, and not the admin API or the dashboard a later request may run, which
 *   every start would read for nothing (~0.1 ms per 40 KB). Making it costs ~2 ms after that
 *   answer, in the first run of a build only: it is written again only when a run compiled
 *   noticeably more by then. A run that answers nothing (--help, a usage error) leaves one when it
 *   exits, if there was none, and the first run that answers a request replaces it.
 * - Stack traces still name the bundle file and its lines: the script is compiled under its name.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { FIRST_ANSWER_EVENT, V8_FLAGS_CHANGED_EVENT } from "./first-answer.js";

/** Written again only when a run's cache is this much larger than the one it started from. */
const GROWTH_TO_REWRITE = 1.05;
/** Files in the cache folder not written for this long are removed when a new one is written. */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Runs `file`, a CommonJS module wrapper written out (`(function (exports, require, module,
 * __filename, __dirname) {...})`, see scripts/bundle-og-mock.mjs), through the code cache named
 * by `key` (the build's hash of the file). `require` is the caller's: it lives in the same
 * folder, so it resolves what the file's own would (and needs no node:module to make one).
 */
export function runWithCodeCache(file: string, key: string, require: NodeJS.Require): void {
  const source = readFileSync(file, "utf8");
  const dir = cacheFolder();
  const cacheFile = dir && join(dir, `${key}-node${process.versions.node}-${process.arch}.bin`);
  const cachedData = cacheFile ? readOwnFile(cacheFile) : undefined;
  // No importModuleDynamically: on Node 20 it needs a flag, so the bundle has no import()
  // (scripts/bundle-og-mock.mjs refuses one).
  const script = new Script(source, { filename: file, cachedData });
  const used = cachedData && !script.cachedDataRejected ? cachedData.length : 0;
  if (dir && cacheFile) {
    let answered = false;
    let flagsChanged = false;
    process.once(V8_FLAGS_CHANGED_EVENT, () => {
      flagsChanged = true;
    });
    process.once(FIRST_ANSWER_EVENT, () => {
      answered = true;
      if (!flagsChanged) save(script, dir, cacheFile, used);
    });
    process.once("exit", () => {
      if (!answered && !flagsChanged && used === 0) save(script, dir, cacheFile, used);
    });
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
}

/** This user's cache folder, made if need be; undefined if it is not one only this user can write. */
function cacheFolder(): string | undefined {
  // Windows' file modes cannot show that nobody else may write the folder: no cache there.
  if (process.platform === "win32") return undefined;
  try {
    const uid = process.getuid?.();
    const dir = join(tmpdir(), `og-mock-code-cache-${uid ?? "user"}`);
    // Looked at before it is made: on every start but the first, it is there already.
    let stat = lstatSync(dir, { throwIfNoEntry: false });
    if (!stat) {
      mkdirSync(dir, { mode: 0o700 });
      stat = lstatSync(dir);
    }
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * The cache file, if it is one of this user's that nobody else can write: checked on the open file
 * itself (not followed if a link), so that swapping the folder for another user's between the
 * folder's check and this read finds that user's file, and refuses it.
 */
function readOwnFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function save(script: Script, dir: string, path: string, used: number): void {
  try {
    const data = script.createCachedData();
    if (data.length <= used * GROWTH_TO_REWRITE) return;
    // Several og-mocks may exit at once: each writes its own file and renames it into place.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, path);
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const other = join(dir, name);
      if (other !== path && now - lstatSync(other).mtimeMs > STALE_MS) unlinkSync(other);
    }
  } catch {
    // Not writable (full disk, read-only temporary folder): the next start compiles, as now.
  }
}
