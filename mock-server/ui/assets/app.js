// The dashboard's entry: one live journal feed shared by the views, and a view per tab.
import { adminPath, api, merchant } from "./api.js";
import { createCatalogView } from "./catalog.js";
import { createFaultsView } from "./faults.js";
import { createJournalView } from "./journal.js";
import { createSignatureView } from "./signature.js";

const notice = document.getElementById("notice");
let noticeTimer;

/** Shows a message in the bar under the header (errors stay until replaced). */
function notify(message, kind = "info") {
  notice.textContent = message;
  notice.className = `notice-${kind}`;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== "error") noticeTimer = setTimeout(() => (notice.hidden = true), 4000);
}

/** The journal as server-sent events: every view can follow it. */
function createFeed() {
  const listeners = new Set();
  const state = document.getElementById("stream-state");
  const source = new EventSource(`/__admin/${adminPath("journal/stream")}`);
  const tell = (event) => listeners.forEach((l) => l(event));
  source.addEventListener("open", () => {
    state.textContent = "live";
    state.className = "stream stream-live";
  });
  source.addEventListener("error", () => {
    state.textContent = "reconnecting…";
    state.className = "stream stream-down";
  });
  source.addEventListener("entry", (e) => tell({ type: "entry", entry: JSON.parse(e.data) }));
  source.addEventListener("cleared", () => tell({ type: "cleared" }));
  source.addEventListener("skipped", (e) => tell({ type: "skipped", count: JSON.parse(e.data).count }));
  return { subscribe: (listener) => listeners.add(listener) };
}

const context = { notify, feed: createFeed() };
const views = {
  catalog: createCatalogView(document.getElementById("view-catalog"), context),
  journal: createJournalView(document.getElementById("view-journal"), context),
  faults: createFaultsView(document.getElementById("view-faults"), context),
  signature: createSignatureView(document.getElementById("view-signature"), context),
};

function show() {
  const name = location.hash.slice(1) in views ? location.hash.slice(1) : "catalog";
  for (const [key, view] of Object.entries(views)) {
    const active = key === name;
    document.getElementById(`view-${key}`).hidden = !active;
    document.querySelector(`nav a[data-view="${key}"]`).setAttribute("aria-current", active ? "page" : "false");
    view.visible = active;
    if (active) view.show();
  }
  document.title = `og-mock · ${document.querySelector(`nav a[data-view="${name}"]`).textContent.trim()}`;
}

/**
 * With several merchants, a picker in the header: each page shows one merchant (its address
 * says which, so a tab per merchant works); choosing another opens that merchant's page.
 */
async function merchantPicker() {
  const picker = document.getElementById("merchant");
  let list;
  try {
    list = (await api("GET", "merchants")).merchants;
  } catch (error) {
    notify(`Failed to list merchants: ${error.message}`, "error");
    return;
  }
  if (list.length < 2 && merchant === null) return;
  for (const m of list) {
    const option = document.createElement("option");
    option.value = m.publicId;
    option.textContent = m.publicId;
    picker.append(option);
  }
  picker.value = merchant ?? list[0].publicId;
  picker.hidden = false;
  picker.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("merchant", picker.value);
    location.assign(url.href);
  });
}

window.addEventListener("hashchange", show);
show();
merchantPicker();
