/**
 * Secrets a client puts in a query string, masked before anything keeps or repeats the path.
 *
 * Why: the dashboard's sign-in link is `/__admin/ui/?token=<admin token>`, and a token pasted onto
 * a products path (or a client that appends it to every URL) reached the request log, the journal
 * and the `next` link of a listing, which echoes the query. Admin paths lose their whole query
 * wherever they are logged (loggedPath); every other path keeps its query, with the value of a
 * parameter named like a secret replaced, so the journal still shows that one was sent.
 */

const MASK = "[redacted]";
/** Parameter names (decoded, lower case) whose values are masked: the admin token's and API keys'. */
const SECRET_NAMES = new Set(["token", "admin_token", "x-admin-token", "api_key", "apikey", "x-api-key"]);

/** The path with the values of secret query parameters masked; the same string when it has none. */
export function maskSecretQuery(path: string): string {
  const q = path.indexOf("?");
  if (q < 0) return path;
  const hash = path.indexOf("#", q);
  const end = hash < 0 ? path.length : hash;
  const parts = path.slice(q + 1, end).split("&");
  let masked = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    if (SECRET_NAMES.has(decodedName(name))) {
      parts[i] = `${name}=${MASK}`;
      masked = true;
    }
  }
  return masked ? `${path.slice(0, q + 1)}${parts.join("&")}${path.slice(end)}` : path;
}

/** A query parameter's name as URLSearchParams reads it (`+` is a space, %XX decoded), lower case. */
function decodedName(raw: string): string {
  const name = raw.replace(/\+/g, " ");
  try {
    return decodeURIComponent(name).trim().toLowerCase();
  } catch {
    return name.trim().toLowerCase();
  }
}
