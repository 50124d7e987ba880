/** Raw HTTP over node:http, for requests fetch would refuse to send (odd header bytes, odd paths, HEAD). */
import { Agent, request } from "node:http";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Header values may carry any Unicode: they are sent as their UTF-8 bytes, as a careless client would. */
export function toHeaderValue(value: string): string {
  return Buffer.from(value, "utf8")
    .toString("latin1")
    .replace(/[\r\n\0]/g, " ");
}

export function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string | undefined>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) clean[k] = toHeaderValue(v);
    // node:http sends an OPTIONS body without a length, so the server read it as the next request.
    if (body !== undefined && !Object.keys(clean).some((k) => k.toLowerCase() === "content-length"))
      clean["content-length"] = String(Buffer.byteLength(body));
    const req = request({ hostname, port, method, path, headers: clean, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = text;
        }
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") out[k] = v;
        resolve({ status: res.statusCode ?? 0, headers: out, text, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The first `count` entries of a live journal stream (/__admin/journal/stream), as the text of their events. */
export async function journalStreamEvents(
  base: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<string> {
  const stream = await fetch(`${base}/__admin/journal/stream`, { headers });
  const reader = stream.body!.getReader();
  let events = "";
  while ((events.match(/event: entry/g) ?? []).length < count)
    events += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  return events;
}
