/**
 * One fake shared by a team, under load over real HTTP: 4 merchants x 50 concurrent clients x 50
 * batches. Every merchant holds the same product ids, so a request that reached the wrong
 * merchant would show. Each client owns one product and writes it 50 times in order, so a lost
 * or reordered write would show in the final catalog and in the merchant's journal.
 *
 * The clients speak node:http with a keep-alive agent rather than fetch: on this 2-core machine
 * fetch costs about three times the CPU per request, and the point here is the fake, not the client
 * (the client's own handling of the fake is tested in test/client/).
 */
import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";

const MERCHANTS = 4;
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const BATCHES = Number(process.env.LOAD_BATCHES ?? 50);
/** Every READ_EVERY-th batch, the client also reads its product back. */
const READ_EVERY = 25;

const publicId = (m: number) => `merchant-${m}`;
const apiKey = (m: number) => `key-of-merchant-${m}`;
const user = (m: number) => ({ sigField: `api-user-${m}`, hashKey: `hash-key-of-merchant-${m}` });
const value = (m: number, c: number, i: number) => `${publicId(m)}:client-${c}:write-${i}`;

describe("one fake, many merchants, under load", () => {
  it(
    `keeps ${MERCHANTS} merchants x ${CLIENTS} concurrent clients x ${BATCHES} batches apart, with no write lost or reordered`,
    { timeout: 180_000 },
    async ({ annotate }) => {
      const ids = Array.from({ length: CLIENTS }, (_, c) => `product-${c}`);
      const running: RunningMockServer = await startMockServer({
        port: 0,
        throttle: false,
        ipLimit: false, // every client here shares 127.0.0.1
        journalLimit: 10_000,
        merchants: Array.from({ length: MERCHANTS }, (_, m) => ({
          credentials: { publicId: publicId(m), apiUsers: [user(m)], apiKeys: [apiKey(m)] },
          products: [...ids, `only-at-${publicId(m)}`].map((id) => ({ product_id: id, name: "seed", price: "1.00" })),
        })),
      });
      const crossReads: string[] = [];
      const wrongItems: string[] = [];
      try {
        const agent = new Agent({ keepAlive: true, maxSockets: MERCHANTS * CLIENTS });
        const base = new URL(running.url);
        const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
          new Promise<{ status: number; body: unknown }>((resolve, reject) => {
            const req = request({ agent, host: base.hostname, port: base.port, method, path, headers }, (res) => {
              let text = "";
              res.setEncoding("utf8");
              res.on("data", (d: string) => (text += d));
              res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
            });
            req.on("error", reject);
            req.end(body);
          });
        const client = async (m: number, c: number) => {
          // Half the clients sign, half use an API key: both ways the front picks a merchant.
          const auth = (): Record<string, string> =>
            c % 2 === 0
              ? { ...signedHeaders({ publicId: publicId(m), ...user(m) }, unixSeconds(Date.now())) }
              : { "x-api-key": apiKey(m) };
          const other = publicId((m + 1) % MERCHANTS);
          for (let i = 0; i < BATCHES; i++) {
            const body = JSON.stringify([
              { product_id: ids[c]!, name: value(m, c, i), live: i % 2 === 1 },
              // Another merchant's product: must be unknown here.
              { product_id: `only-at-${other}`, live: false },
            ]);
            const answer = await send(
              "PATCH",
              "/products-batch/update/",
              { ...auth(), "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
              body,
            );
            const statuses = (answer.body as { results?: Array<{ status: number }> }).results?.map((r) => r.status);
            if (answer.status !== 207 || statuses?.[0] !== 200 || statuses[1] !== 404) {
              wrongItems.push(`${publicId(m)}/${c}/${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
            }
            if (i % READ_EVERY === READ_EVERY - 1) {
              const read = await send("GET", `/products/${ids[c]}/`, auth());
              const product = read.body as { merchant?: string; name?: string };
              if (product.merchant !== publicId(m) || product.name !== value(m, c, i)) {
                crossReads.push(`${publicId(m)}/${c}/${i}: read ${product.merchant} ${product.name}`);
              }
            }
          }
        };
        const started = performance.now();
        const cpu = process.cpuUsage();
        await Promise.all(
          Array.from({ length: MERCHANTS * CLIENTS }, (_, k) => client(Math.floor(k / CLIENTS), k % CLIENTS)),
        );
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const cpuSeconds = (used.user + used.system) / 1e6;
        const requests = MERCHANTS * CLIENTS * (BATCHES + BATCHES / READ_EVERY);
        // The throughput, kept with the test's result (JSON and JUnit reports), not printed.
        await annotate(
          `[merchants-load] ${requests} requests in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU, clients and fake together)`,
        );

        expect(wrongItems).toEqual([]);
        expect(crossReads).toEqual([]);
        for (let m = 0; m < MERCHANTS; m++) {
          const mock = running.merchants.merchant(publicId(m))!;
          // Final state: every product holds its client's last write; other merchants' products untouched.
          for (let c = 0; c < CLIENTS; c++) {
            expect(mock.catalog.get(ids[c]!)).toMatchObject({ name: value(m, c, BATCHES - 1), live: true });
          }
          expect(mock.catalog.get(`only-at-${publicId(m)}`)).toMatchObject({ name: "seed", live: true });
          // The journal is complete, every entry authenticated as this merchant, and each product's
          // writes arrive exactly once each, in the order its client sent them.
          const entries = mock.journal.entries();
          expect(mock.journal.total).toBe(CLIENTS * (BATCHES + BATCHES / READ_EVERY));
          expect(entries).toHaveLength(mock.journal.total);
          const strangers = entries.filter((e) =>
            e.principal?.scheme === "hmac" ? e.principal.publicId !== publicId(m) : e.principal?.scheme !== "api-key",
          );
          expect(strangers).toEqual([]);
          const writes = new Map<string, string[]>();
          for (const e of entries) {
            if (e.method !== "PATCH") continue;
            const [own] = e.body as Array<{ product_id: string; name: string }>;
            writes.set(own!.product_id, [...(writes.get(own!.product_id) ?? []), own!.name]);
          }
          for (let c = 0; c < CLIENTS; c++) {
            expect(writes.get(ids[c]!)).toEqual(Array.from({ length: BATCHES }, (_, i) => value(m, c, i)));
          }
        }
        agent.destroy();
      } finally {
        await running.close();
      }
    },
  );
});
