/** How og-stock shows progress and results: a bar on a TTY, a table at the end, or JSON. */
import type { BatchReport } from "../client/report.js";

export interface Out {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

export function progressBar(out: Out): (done: number, total: number) => void {
  if (!out.isTTY) return () => {};
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    out.stderr(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} items`);
    if (done >= total) out.stderr("\n");
  };
}

export function summaryTable(report: BatchReport, skipped = 0): string {
  const rows: Array<[string, number]> = [
    ["updated", report.updated.length],
    ["not found (404)", report.notFound.length],
    ["invalid (400)", report.invalid.length],
    ["failed", report.failed.length],
  ];
  if (skipped) rows.push(["unchanged (between thresholds)", skipped]);
  rows.push(["requests", report.requests], ["retries", report.retries]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(6)}`);
  const problems = [...report.notFound, ...report.invalid, ...report.failed];
  if (problems.length) {
    lines.push("", "  Not applied:");
    for (const p of problems.slice(0, 20))
      lines.push(`    ${p.productId ?? "(no id)"}: ${p.outcome} (${p.reason ?? ""})`);
    if (problems.length > 20) lines.push(`    … and ${problems.length - 20} more (use --json for all)`);
  }
  return `${lines.join("\n")}\n`;
}

export function reportJson(report: BatchReport, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      ...extra,
      summary: {
        updated: report.updated.length,
        notFound: report.notFound.length,
        invalid: report.invalid.length,
        failed: report.failed.length,
        requests: report.requests,
        retries: report.retries,
      },
      items: report.items.map((i) => ({
        product_id: i.productId,
        outcome: i.outcome,
        // null when no answer came back (connection refused, timeout): a script can tell that from a 4xx/5xx.
        status: i.status,
        ...(i.reason ? { reason: i.reason } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

/** 0 all applied, 2 some items rejected by Ordergroove, 1 a request failed. */
export function exitCodeOf(report: BatchReport): number {
  if (report.failed.length) return 1;
  if (report.notFound.length || report.invalid.length) return 2;
  return 0;
}
