// Journal, live: every request the fake received, newest first, as the journal stream sends it
// (secrets already masked by the fake, exactly as in GET /__admin/journal).
import { api } from "./api.js";
import { fill, h, statusClass } from "./dom.js";

const KEEP = 1000;

/** Per-item results from either documented answer form: {"results": [...]} or [{"results": [one]}, ...]. */
export function itemResults(body) {
  if (body && Array.isArray(body.results)) return body.results;
  if (Array.isArray(body)) return body.flatMap((x) => (x && Array.isArray(x.results) ? x.results : []));
  return [];
}

function statusOf(entry) {
  return "dropped" in entry.response ? "dropped" : entry.response.status;
}

/** Status filter: "207", "4xx", "403, 429", "dropped". */
function statusMatches(filter, status) {
  const wanted = filter
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (!wanted.length) return true;
  const s = String(status);
  return wanted.some((w) => w === s || (/^\dxx$/.test(w) && s.length === 3 && s[0] === w[0]));
}

function productIds(entry) {
  const ids = new Set();
  const match = /^\/products\/([^/?]+)/.exec(entry.path);
  if (match) ids.add(safeDecode(match[1]));
  if (Array.isArray(entry.body))
    for (const item of entry.body) if (item && typeof item.product_id === "string") ids.add(item.product_id);
  if (!("dropped" in entry.response))
    for (const r of itemResults(entry.response.body)) if (typeof r.product_id === "string") ids.add(r.product_id);
  return [...ids];
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function authCell(entry) {
  const p = entry.principal;
  if (p && p.scheme === "hmac")
    return h("span", { class: "auth-ok", title: `public_id ${p.publicId}` }, `HMAC · ${p.sigField}`);
  if (p && p.scheme === "api-key") return h("span", { class: "auth-ok" }, `x-api-key #${p.key + 1}`);
  if (p) return h("span", { class: "auth-ok" }, p.scheme);
  if (entry.authRefusal)
    return h("span", { class: "auth-refused", title: entry.authRefusal }, h("b", {}, "refused: "), entry.authRefusal);
  return h(
    "span",
    { class: "muted", title: "The request was answered before credentials were checked" },
    "not checked",
  );
}

export function createJournalView(root, { notify, feed }) {
  const entries = []; // newest first
  const statusFilter = h("input", {
    type: "search",
    id: "journal-status",
    placeholder: "Status: 207, 4xx, dropped",
    "aria-label": "Filter by status",
  });
  const productFilter = h("input", {
    type: "search",
    id: "journal-product",
    placeholder: "Product id",
    "aria-label": "Filter by product id",
  });
  const shown = h("span", { class: "muted", id: "journal-shown" });
  const clear = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        try {
          await api("DELETE", "journal");
        } catch (error) {
          notify(`Failed to clear the journal: ${error.message}`, "error");
        }
      },
    },
    "Clear journal",
  );
  const body = h("tbody");
  const badge = document.getElementById("journal-badge");
  let unseen = 0;

  root.append(
    h("div", { class: "toolbar" }, statusFilter, productFilter, shown, h("span", { class: "grow" }), clear),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { class: "grid journal", id: "journal-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "#"),
            h("th", {}, "Time"),
            h("th", {}, "Request"),
            h("th", {}, "Auth"),
            h("th", {}, "Status"),
            h("th", {}, "Items"),
            h("th", { class: "num" }, "ms"),
          ),
        ),
        body,
      ),
    ),
  );

  const matches = (entry) => {
    if (!statusMatches(statusFilter.value, statusOf(entry))) return false;
    const wanted = productFilter.value.trim().toLowerCase();
    return !wanted || productIds(entry).some((id) => id.toLowerCase().includes(wanted));
  };

  function row(entry) {
    const status = statusOf(entry);
    const results = "dropped" in entry.response ? [] : itemResults(entry.response.body);
    const detail =
      !("dropped" in entry.response) && entry.response.body && typeof entry.response.body.detail === "string"
        ? entry.response.body.detail
        : "";
    const tr = h(
      "tr",
      { class: "entry", "data-seq": entry.seq, tabindex: 0, title: "Show the request and the answer" },
      h("td", { class: "muted" }, entry.seq),
      h(
        "td",
        { class: "mono nowrap" },
        new Date(entry.at).toLocaleTimeString(undefined, { hour12: false }) + `.${entry.at.slice(20, 23)}`,
      ),
      h("td", { class: "mono" }, h("b", {}, entry.method), " ", entry.path),
      h("td", { class: "auth" }, authCell(entry)),
      h(
        "td",
        {},
        h("span", { class: `badge ${statusClass(status)}`, title: detail }, status),
        entry.fault ? h("small", { class: "fault" }, ` ${entry.fault}`) : null,
        // og-mock --upstream: who answered, and what the spec check and the shadow found.
        entry.source ? h("small", { class: "muted source" }, ` ${entry.source}`) : null,
        entry.violations
          ? h(
              "small",
              {
                class: "fault violations",
                title: entry.violations.map((v) => `${v.pointer || "/"}: ${v.message}`).join("\n"),
              },
              ` ${entry.violations.length} violation${entry.violations.length === 1 ? "" : "s"}`,
            )
          : null,
        entry.differences
          ? h(
              "small",
              { class: "fault differences", title: entry.differences.map((d) => d.message).join("\n") },
              ` ${entry.differences.length} difference${entry.differences.length === 1 ? "" : "s"} from the fake`,
            )
          : null,
      ),
      h(
        "td",
        { class: "items" },
        results.map((r) =>
          h(
            "span",
            {
              class: `chip ${r.status === 200 ? "i-ok" : r.status === 404 ? "i-missing" : "i-bad"}`,
              title: r.detail ?? "",
            },
            `${r.product_id ?? "?"} ${r.status}`,
          ),
        ),
        // The fake's explanation (x-og-mock-hint) where it has one: the body carries the service's words.
        entry.hint ? h("small", { class: "muted hint" }, entry.hint) : null,
        !results.length && detail && !entry.authRefusal && !entry.hint ? h("small", { class: "muted" }, detail) : null,
      ),
      h("td", { class: "num" }, entry.ms ?? ""),
    );
    const open = () => {
      const next = tr.nextElementSibling;
      if (next && next.classList.contains("details")) return next.remove();
      const view = { headers: entry.headers, body: entry.body, response: entry.response };
      if (entry.violations) view.violations = entry.violations;
      if (entry.differences) view.differences = entry.differences;
      tr.after(h("tr", { class: "details" }, h("td", { colspan: 7 }, h("pre", {}, JSON.stringify(view, null, 2)))));
    };
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (e) => e.key === "Enter" && open());
    return tr;
  }

  function render() {
    const visible = entries.filter(matches);
    fill(
      body,
      visible.length
        ? visible.map(row)
        : h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No requests yet. Send one to the fake.")),
    );
    shown.textContent = `${visible.length} of ${entries.length} requests`;
  }

  feed.subscribe((event) => {
    if (event.type === "cleared") {
      entries.length = 0;
      render();
      return;
    }
    if (event.type === "skipped") {
      notify(`${event.count} journal entries were not shown: the dashboard fell behind.`, "info");
      return;
    }
    entries.unshift(event.entry);
    if (entries.length > KEEP) entries.length = KEEP;
    if (view.visible) {
      if (matches(event.entry)) {
        body.querySelector("td[colspan]")?.parentElement.remove();
        body.prepend(row(event.entry));
        while (body.children.length > KEEP) body.lastElementChild.remove();
      }
      shown.textContent = `${body.querySelectorAll("tr.entry").length} of ${entries.length} requests`;
    } else {
      unseen++;
      badge.textContent = String(unseen);
      badge.hidden = false;
    }
  });
  statusFilter.addEventListener("input", render);
  productFilter.addEventListener("input", render);

  const view = {
    visible: false,
    show() {
      unseen = 0;
      badge.hidden = true;
      render();
    },
  };
  return view;
}
