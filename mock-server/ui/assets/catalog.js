// Catalog: search, filter and page on the server (so 100k products stay quick), live flags at a
// glance, a toggle per product that reads the product back from the fake.
import { api } from "./api.js";
import { debounce, fill, h } from "./dom.js";

const PAGE = 50;

export function createCatalogView(root, { notify, feed }) {
  const search = h("input", {
    type: "search",
    placeholder: "Search id or name",
    "aria-label": "Search products by id or name",
    id: "catalog-search",
  });
  const liveFilter = h(
    "select",
    { "aria-label": "Filter by live", id: "catalog-live" },
    h("option", { value: "" }, "All products"),
    h("option", { value: "true" }, "Live only"),
    h("option", { value: "false" }, "Not live only"),
  );
  const counts = h("span", { class: "counts", id: "catalog-counts" });
  const prev = h("button", { type: "button", onclick: () => go(offset - PAGE) }, "‹ Prev");
  const next = h("button", { type: "button", onclick: () => go(offset + PAGE) }, "Next ›");
  const range = h("span", { class: "muted" });
  const body = h("tbody");
  let offset = 0;
  let asked = 0;

  root.append(
    h("div", { class: "toolbar" }, search, liveFilter, counts, h("span", { class: "grow" }), prev, range, next),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { class: "grid", id: "catalog-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Product id"),
            h("th", {}, "Live"),
            h("th", {}, "Name"),
            h("th", { class: "num" }, "Price"),
            h("th", { title: "(seed): the date the catalog was loaded with, not a change" }, "Last update"),
          ),
        ),
        body,
      ),
    ),
  );

  async function load() {
    const ask = ++asked;
    const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    if (search.value.trim()) query.set("q", search.value.trim());
    if (liveFilter.value) query.set("live", liveFilter.value);
    let page;
    try {
      page = await api("GET", `catalog?${query}`);
    } catch (error) {
      notify(`Failed to load the catalog: ${error.message}`, "error");
      return;
    }
    if (ask !== asked) return; // a later search has been sent meanwhile
    if (page.matched > 0 && offset >= page.matched)
      return go(Math.max(0, Math.floor((page.matched - 1) / PAGE) * PAGE));
    fill(
      counts,
      h("b", {}, page.total.toLocaleString()),
      " products · ",
      h("span", { class: "live-yes" }, `${page.live.toLocaleString()} live`),
      " · ",
      h("span", { class: "live-no" }, `${(page.total - page.live).toLocaleString()} not live`),
      search.value.trim() || liveFilter.value ? ` · ${page.matched.toLocaleString()} match` : "",
    );
    range.textContent = page.matched
      ? `${offset + 1}–${offset + page.products.length} of ${page.matched.toLocaleString()}`
      : "none";
    prev.disabled = offset === 0;
    next.disabled = offset + PAGE >= page.matched;
    fill(
      body,
      page.products.length
        ? page.products.map((p) => row(p, page.changed.includes(p.external_product_id)))
        : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No products match.")),
    );
  }

  function go(to) {
    offset = Math.max(0, to);
    load();
  }

  // `changed`: written since the seed. The others show the seed's date, said as such, so seed
  // dates are not read as updates that happened while the fake ran.
  function row(product, changed) {
    const tr = h("tr", { "data-id": product.external_product_id });
    const render = (p, written) =>
      fill(
        tr,
        h("td", { class: "mono" }, p.external_product_id),
        h(
          "td",
          { class: "nowrap" },
          h("span", { class: p.live ? "badge live-yes" : "badge live-no" }, p.live ? "live" : "not live"),
          " ",
          h(
            "button",
            {
              type: "button",
              class: "small toggle",
              "aria-label": `${p.live ? "Turn off" : "Turn on"} ${p.external_product_id}`,
              onclick: () => toggle(p, render),
            },
            p.live ? "Turn off" : "Turn on",
          ),
        ),
        h("td", {}, p.name),
        h("td", { class: "num" }, p.price),
        written
          ? h("td", { class: "nowrap last-update", title: "changed while the fake ran" }, p.last_update ?? "")
          : h(
              "td",
              {
                class: "muted nowrap last-update",
                title: "from the seed: unchanged since the fake started or was reset",
              },
              `${p.last_update ?? ""} (seed)`,
            ),
      );
    render(product, changed);
    return tr;
  }

  async function toggle(product, render) {
    try {
      const updated = await api("PATCH", `products/${encodeURIComponent(product.external_product_id)}`, {
        live: !product.live,
      });
      render(updated, true); // the fake's read-back, not our guess
      notify(`${updated.external_product_id} is now ${updated.live ? "live" : "not live"}.`);
      load();
    } catch (error) {
      notify(`Failed to change ${product.external_product_id}: ${error.message}`, "error");
    }
  }

  const reloadSoon = debounce(() => view.visible && load(), 300);
  search.addEventListener(
    "input",
    debounce(() => go(0), 200),
  );
  liveFilter.addEventListener("change", () => go(0));
  // Requests change the catalog: follow them while the view is open.
  feed.subscribe(reloadSoon);

  const view = { visible: false, show: load };
  return view;
}
