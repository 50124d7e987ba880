// Faults and settings: everything the admin API can set at run time (answer status and form,
// throttle, the next N failures, item status by pattern, latency, dropped connections, reset).
import { api } from "./api.js";
import { debounce, field, fill, h } from "./dom.js";

/** Shows the fake's value unless someone is editing the field right now. */
function setIfIdle(input, value) {
  if (document.activeElement !== input) input.value = value;
}

export function createFaultsView(root, { notify, feed }) {
  let faults = { items: [], next: [], latencyMs: 0, dropNext: 0 };

  // Answer
  const batchStatus = h(
    "select",
    { id: "answer-status" },
    h("option", { value: "207" }, "207"),
    h("option", { value: "200" }, "200"),
  );
  const batchForm = h(
    "select",
    { id: "answer-form" },
    h("option", { value: "object" }, 'object: {"results": [...]}'),
    h("option", { value: "list" }, 'list: [{"results": [one]}, ...]'),
  );
  // Throttle
  const throttleOn = h("input", { type: "checkbox", id: "throttle-on" });
  const throttleLimit = h("input", { type: "number", min: 1, id: "throttle-limit" });
  const throttleWindow = h("input", { type: "number", min: 1, id: "throttle-window" });
  // Next failures
  const failStatus = h("input", { type: "number", min: 400, max: 599, value: "503", id: "fail-status" });
  const failCount = h("input", { type: "number", min: 1, value: "1", id: "fail-count" });
  const failRetry = h("input", { type: "number", min: 0, placeholder: "none", id: "fail-retry" });
  const nextList = h("ul", { class: "rules", id: "fail-list" });
  // Item status
  const itemMatch = h("input", { type: "text", placeholder: "og-coffee-* or an exact id", id: "item-match" });
  const itemStatus = h(
    "select",
    { id: "item-status" },
    h("option", { value: "404" }, "404"),
    h("option", { value: "400" }, "400"),
  );
  const itemList = h("ul", { class: "rules", id: "item-list" });
  // Latency and drops
  const latency = h("input", { type: "number", min: 0, max: 60000, id: "latency" });
  const drops = h("input", { type: "number", min: 0, id: "drop-next" });

  const card = (title, purpose, ...content) =>
    h("div", { class: "card" }, h("h2", {}, title), h("p", { class: "muted" }, purpose), ...content);
  const action = (label, onclick, extra = {}) => h("button", { type: "button", onclick, ...extra }, label);

  root.append(
    h(
      "div",
      { class: "cards" },
      card(
        "Answer",
        "How a processed batch is answered: both forms Ordergroove documents.",
        h("div", { class: "row" }, field("Status", batchStatus), field("Form", batchForm)),
        action(
          "Apply answer",
          () =>
            run("Answer set", () =>
              api("PATCH", "settings", {
                answer: { batchStatus: Number(batchStatus.value), batchForm: batchForm.value },
              }),
            ),
          { id: "apply-answer" },
        ),
      ),
      card(
        "Throttle",
        "Bulk requests per window (Ordergroove: 600 a minute); over it, 429 with Retry-After.",
        h(
          "div",
          { class: "row" },
          field("On", throttleOn),
          field("Requests", throttleLimit),
          field("Window (ms)", throttleWindow),
        ),
        action(
          "Apply throttle",
          () =>
            run("Throttle set", () =>
              api("PATCH", "settings", {
                throttle: throttleOn.checked
                  ? { limit: Number(throttleLimit.value), windowMs: Number(throttleWindow.value) }
                  : false,
              }),
            ),
          { id: "apply-throttle" },
        ),
      ),
      card(
        "Fail the next requests",
        "Whole-request failures for the next API requests, used up in order.",
        h(
          "div",
          { class: "row" },
          field("Status", failStatus),
          field("Count", failCount),
          field("Retry-After (s)", failRetry),
        ),
        action(
          "Add failure",
          () => {
            const fault = { status: Number(failStatus.value), count: Number(failCount.value) };
            if (failRetry.value !== "") fault.retryAfterSeconds = Number(failRetry.value);
            return change("Failure added", (f) => ({ ...f, next: [...f.next, fault] }));
          },
          { id: "add-failure" },
        ),
        nextList,
      ),
      card(
        "Item status by pattern",
        "Items whose product id matches answer this status and are not applied (* matches any run of characters).",
        h("div", { class: "row" }, field("Product id or pattern", itemMatch), field("Status", itemStatus)),
        action(
          "Add rule",
          () => {
            if (!itemMatch.value.trim()) return notify("Enter a product id or a pattern first.", "error");
            return change("Rule added", (f) => ({
              ...f,
              items: [...f.items, { match: itemMatch.value.trim(), status: Number(itemStatus.value) }],
            }));
          },
          { id: "add-item-rule" },
        ),
        itemList,
      ),
      card(
        "Latency and dropped connections",
        "Added to every API answer; the next N requests have their connection closed with no answer.",
        h("div", { class: "row" }, field("Latency (ms)", latency), field("Drop next", drops)),
        action(
          "Apply",
          () =>
            change("Latency and drops set", (f) => ({
              ...f,
              latencyMs: Number(latency.value),
              dropNext: Number(drops.value),
            })),
          { id: "apply-latency" },
        ),
      ),
      card(
        "Start over",
        "Clear faults only, or reset everything: catalog to its seed, journal emptied, faults cleared, settings and throttle back to start.",
        h(
          "div",
          { class: "row" },
          action("Clear faults", () => run("Faults cleared", () => api("DELETE", "faults")), { id: "clear-faults" }),
          action("Reset everything", () => run("The fake is reset", () => api("POST", "reset")), {
            id: "reset",
            class: "danger",
          }),
        ),
      ),
    ),
  );

  async function run(done, call) {
    try {
      await call();
      notify(done);
    } catch (error) {
      notify(`Failed: ${error.message}`, "error");
    }
    await load();
  }

  /** Read-modify-write of the fault settings, from what the fake holds now (counts get used up). */
  function change(done, edit) {
    return run(done, async () => api("PUT", "faults", edit(await api("GET", "faults"))));
  }

  function renderFaults() {
    fill(
      nextList,
      faults.next.length
        ? faults.next.map((f, i) =>
            h(
              "li",
              {},
              h("span", { class: "badge s-server" }, f.status),
              ` × ${f.count ?? 1} more${f.retryAfterSeconds !== undefined ? `, Retry-After ${f.retryAfterSeconds} s` : ""} `,
              action(
                "Remove",
                () => change("Failure removed", (cur) => ({ ...cur, next: cur.next.filter((_, j) => j !== i) })),
                { class: "small" },
              ),
            ),
          )
        : h("li", { class: "muted" }, "None pending."),
    );
    fill(
      itemList,
      faults.items.length
        ? faults.items.map((f, i) =>
            h(
              "li",
              {},
              h("code", {}, f.match),
              " → ",
              h("span", { class: `chip ${f.status === 404 ? "i-missing" : "i-bad"}` }, f.status),
              " ",
              action(
                "Remove",
                () => change("Rule removed", (cur) => ({ ...cur, items: cur.items.filter((_, j) => j !== i) })),
                { class: "small" },
              ),
            ),
          )
        : h("li", { class: "muted" }, "No rules."),
    );
    setIfIdle(latency, String(faults.latencyMs));
    setIfIdle(drops, String(faults.dropNext));
  }

  async function load() {
    try {
      const [f, settings] = await Promise.all([api("GET", "faults"), api("GET", "settings")]);
      faults = f;
      renderFaults();
      setIfIdle(batchStatus, String(settings.answer.batchStatus));
      setIfIdle(batchForm, settings.answer.batchForm);
      if (document.activeElement !== throttleOn) throttleOn.checked = settings.throttle !== false;
      setIfIdle(throttleLimit, settings.throttle ? String(settings.throttle.limit) : throttleLimit.value || "600");
      setIfIdle(
        throttleWindow,
        settings.throttle ? String(settings.throttle.windowMs) : throttleWindow.value || "60000",
      );
    } catch (error) {
      notify(`Failed to read faults and settings: ${error.message}`, "error");
    }
  }

  // Requests use up pending failures: follow them while the view is open.
  const reloadSoon = debounce(() => view.visible && load(), 300);
  feed.subscribe(reloadSoon);

  const view = { visible: false, show: load };
  return view;
}
