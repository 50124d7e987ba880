/** Reads stock levels from a CSV or JSON file: product_id, stock and optional per-row thresholds. */
import type { Thresholds } from "../sync/thresholds.js";
import { fileMessage, parseUserJson, readUserFileAsync } from "../../shared/validation/user-file.js";
import { UsageError } from "../../shared/flags/flags.js";

const KIND = "stock file";
const fail = (message: string) => new UsageError(message);

export interface StockRow {
  productId: string;
  stock: number;
  thresholds?: Partial<Thresholds>;
}

const COLUMNS: Record<string, keyof Thresholds> = {
  out_of_stock_at: "outOfStockAt",
  outofstockat: "outOfStockAt",
  low_stock_at: "lowStockAt",
  lowstockat: "lowStockAt",
  restock_at: "restockAt",
  restockat: "restockAt",
};

export async function readStockFile(path: string): Promise<StockRow[]> {
  const text = await readUserFileAsync(path, KIND, fail);
  return /\.json$/i.test(path) || /^\s*[[{]/.test(text) ? fromJson(text, path) : fromCsv(text, path);
}

function fromJson(text: string, path: string): StockRow[] {
  const value = parseUserJson(text, path, KIND, fail);
  if (!Array.isArray(value))
    throw fail(fileMessage(KIND, path, `expected a JSON list of {"product_id": ..., "stock": ...}, as a CSV's rows`));
  return value.map((row, i) => {
    if (row === null || typeof row !== "object")
      throw fail(fileMessage(KIND, path, `item ${i + 1}: not an object. Fix that item`));
    const r = row as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) fields[k.toLowerCase()] = v === null || v === undefined ? "" : String(v);
    return toRow(fields, path, `item ${i + 1}`, "item");
  });
}

function fromCsv(text: string, path: string): StockRow[] {
  // Numbered as an editor numbers them, blank lines included.
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== "");
  if (lines.length === 0) return [];
  const [first, ...rows] = lines;
  const header = splitCsv(first!.line).map((h) => h.trim().toLowerCase());
  if (!header.includes("product_id") || !header.includes("stock")) {
    throw fail(
      fileMessage(
        KIND,
        path,
        `line ${first!.n}: the CSV header must name product_id and stock columns; got "${first!.line}". Name them in the first line`,
      ),
    );
  }
  return rows.map(({ line, n }) => {
    const cells = splitCsv(line);
    const fields: Record<string, string> = {};
    header.forEach((h, j) => {
      fields[h] = (cells[j] ?? "").trim();
    });
    return toRow(fields, path, `line ${n}`, "row");
  });
}

/** Splits one CSV line, honouring double quotes. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cell);
      cell = "";
    } else cell += c;
  }
  out.push(cell);
  return out;
}

function toRow(fields: Record<string, string>, path: string, where: string, what: "row" | "item"): StockRow {
  const problem = (text: string) => fail(fileMessage(KIND, path, `${where}: ${text}. Fix that ${what}`));
  const productId = fields.product_id;
  if (!productId) throw problem("product_id is empty");
  const stock = Number(fields.stock);
  if (fields.stock === undefined || fields.stock === "" || !Number.isFinite(stock)) {
    throw problem(`stock must be a number; got "${fields.stock ?? ""}"`);
  }
  const thresholds: Partial<Thresholds> = {};
  for (const [column, key] of Object.entries(COLUMNS)) {
    const v = fields[column];
    if (v === undefined || v === "") continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw problem(`${column} must be a number; got "${v}"`);
    thresholds[key] = n;
  }
  return Object.keys(thresholds).length ? { productId, stock, thresholds } : { productId, stock };
}
