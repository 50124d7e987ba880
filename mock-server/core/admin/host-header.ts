/**
 * A Host header read as HTTP defines it: `uri-host [":" port]`, where the host is a name, an IPv4
 * address or an IPv6 address in brackets (RFC 9110 §7.2, RFC 3986 §3.2.2).
 *
 * Why a parser: the admin API's DNS-rebinding check took whatever came before the last colon as
 * the name, and any name still holding a colon for an IPv6 address, so `Host: evil.test:80:80`
 * passed as an address and reached every admin route (issue 39). An IPv6 address is only ever
 * bracketed in a Host header; what does not parse is refused, not guessed at.
 */

export interface HostHeader {
  kind: "name" | "ipv4" | "ipv6";
  /** Lower case, without brackets or port. */
  name: string;
}

/** Labels of letters, digits, `-` and `_` (container and compose service names use `_`), dot-separated. */
const NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const PORT = /^:\d{0,5}$/;

/** The host of a Host header, or undefined when the header is not `host[:port]`. */
export function parseHost(value: string): HostHeader | undefined {
  const h = value.trim().toLowerCase();
  let host: HostHeader;
  let rest: string;
  if (h.startsWith("[")) {
    const close = h.indexOf("]");
    if (close < 0) return undefined;
    const address = h.slice(1, close);
    if (!isIpv6(address)) return undefined;
    host = { kind: "ipv6", name: address };
    rest = h.slice(close + 1);
  } else {
    const colon = h.indexOf(":");
    const name = colon < 0 ? h : h.slice(0, colon);
    const v4 = IPV4.exec(name);
    if (v4) {
      if (v4.slice(1).some((part) => Number(part) > 255)) return undefined;
      host = { kind: "ipv4", name };
    } else if (NAME.test(name)) host = { kind: "name", name };
    else return undefined;
    rest = colon < 0 ? "" : h.slice(colon);
  }
  if (rest !== "" && !(PORT.test(rest) && Number(rest.slice(1)) <= 65535)) return undefined;
  return host;
}

/** True for an IPv6 address as written between brackets in a URL (no zone). */
function isIpv6(address: string): boolean {
  if (!/^[0-9a-f:.]+$/.test(address) || !address.includes(":")) return false;
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}
