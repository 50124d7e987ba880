// Signature debugger: paste an authorization header (or enter its fields) and see what the fake
// would answer, the two-hour window, expected versus received, and which usual slip explains a
// mismatch. The working is the fake's (POST /__admin/signature), the same as `og-stock sign --explain`.
import { api } from "./api.js";
import { field, fill, h } from "./dom.js";

export function createSignatureView(root, { notify }) {
  const header = h("textarea", {
    id: "sig-header",
    rows: 3,
    placeholder: '{"public_id": "…", "ts": 1700000000, "sig_field": "…", "sig": "…"}',
    spellcheck: "false",
  });
  const publicId = h("input", { type: "text", id: "sig-public-id", spellcheck: "false" });
  const sigField = h("input", { type: "text", id: "sig-sig-field", spellcheck: "false" });
  const ts = h("input", { type: "number", id: "sig-ts" });
  const sig = h("input", {
    type: "text",
    id: "sig-sig",
    spellcheck: "false",
    placeholder: "base64 signature received",
  });
  const trustLevel = h("input", { type: "text", id: "sig-trust-level", placeholder: "only with trust groups" });
  const hashKey = h("input", { type: "password", id: "sig-hash-key", autocomplete: "off", placeholder: "optional" });
  const output = h("div", { id: "sig-output", "aria-live": "polite" });
  const mistakes = h("ul", { class: "compact" });
  let help;

  const button = (label, onclick, id, cls) => h("button", { type: "button", onclick, id, class: cls }, label);
  root.append(
    h(
      "div",
      { class: "cards" },
      h(
        "form",
        { class: "card wide", onsubmit: (e) => (e.preventDefault(), explainIt()) },
        h("h2", {}, "Check a signature"),
        h(
          "p",
          { class: "muted" },
          "Paste the authorization header your service sent, or fill in the fields below. The header is checked as if sent with og-authorization: True.",
        ),
        field("authorization header", header, "Pasting a header uses it instead of the fields below."),
        h(
          "div",
          { class: "row" },
          field("public_id", publicId),
          field("sig_field", sigField),
          field("ts (unix seconds)", ts),
          field("trust_level", trustLevel),
        ),
        h(
          "div",
          { class: "row" },
          field("sig", sig),
          field("hash key", hashKey, "Empty: checked against the fake's own key, which is never shown."),
        ),
        h(
          "div",
          { class: "row" },
          h("button", { type: "submit", id: "sig-explain", class: "primary" }, "Explain"),
          button("ts = now", () => (ts.value = String(help?.now ?? Math.floor(Date.now() / 1000))), "sig-now"),
          button("Load Ordergroove's printed example", () => loadExample(), "sig-example"),
          button("Clear", () => clearAll(), "sig-clear"),
        ),
      ),
      h("div", { class: "card wide", id: "sig-result" }, h("h2", {}, "Result"), output),
      h(
        "div",
        { class: "card" },
        h("h2", {}, "The recipe"),
        h(
          "ol",
          { class: "compact" },
          h("li", {}, "message = sig_field|ts (sig_field|trust_level|ts with trust groups)"),
          h("li", {}, "digest = HMAC-SHA256(key = the API user's hash key, message), UTF-8"),
          h("li", {}, "sig = standard base64 of the digest, with padding"),
          h(
            "li",
            {},
            'header authorization: {"public_id", "ts", "sig_field", "sig"} as JSON, and og-authorization: True',
          ),
          h("li", {}, "ts in seconds, within the past 2 hours"),
        ),
      ),
      h("div", { class: "card" }, h("h2", {}, "Usual mistakes it recognises"), mistakes),
    ),
  );

  function clearAll() {
    for (const input of [header, publicId, sigField, ts, sig, trustLevel, hashKey]) input.value = "";
    fill(output);
  }

  function loadExample() {
    const ex = help.ordergrooveExample;
    header.value = "";
    publicId.value = help.merchant.publicId;
    sigField.value = ex.sigField;
    ts.value = String(ex.ts);
    sig.value = ex.printed;
    trustLevel.value = "";
    hashKey.value = ex.hashKey;
    explainIt();
  }

  async function explainIt() {
    let question;
    if (header.value.trim()) question = { authorization: header.value };
    else {
      question = {};
      if (publicId.value.trim()) question.publicId = publicId.value.trim();
      if (sigField.value.trim()) question.sigField = sigField.value.trim();
      if (ts.value.trim()) question.ts = Number(ts.value);
      if (sig.value.trim()) question.sig = sig.value.trim();
      if (trustLevel.value.trim()) question.trustLevel = trustLevel.value.trim();
      if (!question.sigField && question.ts === undefined && !question.sig)
        return notify("Paste a header, or enter at least sig_field and ts.", "error");
    }
    if (hashKey.value !== "") question.hashKey = hashKey.value;
    try {
      render(await api("POST", "signature", question), question);
    } catch (error) {
      notify(`Failed to explain: ${error.message}`, "error");
    }
  }

  /** The signature that was asked about (the fake does not echo it back). */
  function sentSig(question) {
    if (question.sig) return question.sig;
    const json = /\{[\s\S]*\}/.exec(question.authorization ?? "");
    try {
      return json ? JSON.parse(json[0]).sig : undefined;
    } catch {
      return undefined;
    }
  }

  function render(report, question) {
    const { verdict, window, signature, received, problems } = report;
    const rows = [];
    rows.push(
      h(
        "div",
        { class: `verdict ${verdict.accepted ? "verdict-ok" : "verdict-bad"}`, id: "sig-verdict" },
        h("b", {}, verdict.accepted ? "Accepted by the fake now" : `Refused by the fake now (${verdict.status})`),
        h("div", {}, verdict.detail),
      ),
    );
    if (problems.length)
      rows.push(
        h(
          "ul",
          { class: "problems" },
          problems.map((p) => h("li", {}, p)),
        ),
      );
    const table = h("table", { class: "kv" });
    const add = (k, v, cls) => table.append(h("tr", { class: cls }, h("th", {}, k), h("td", { class: "mono" }, v)));
    add("public_id", received.publicId ?? "—");
    add("sig_field", received.sigField ?? "—");
    if (window) {
      add("ts", `${window.ts} = ${window.tsIso ?? "not a date"}`);
      add("now (fake's clock)", `${window.now} = ${window.nowIso}`);
      add("2-hour window", `${window.ok ? "✓" : "✗"} ${window.note}`, window.ok ? "ok" : "bad");
    } else add("ts", received.ts ?? "—");
    if (signature) {
      add("signed message", JSON.stringify(signature.message));
      if (signature.expected) add("expected sig", signature.expected);
      else if (signature.keySource === "fake") add("expected sig", "(made with the fake's own key: not shown)");
      add("received sig", sentSig(question) ?? "—");
      if (signature.matches !== null)
        add(
          "match",
          signature.matches ? "✓ the signature is right" : "✗ the signature differs",
          signature.matches ? "ok" : "bad",
        );
      if (signature.slip) add("likely mistake", `It is what you get with ${signature.slip}.`, "bad");
    }
    rows.push(table);
    if (signature?.note) rows.push(h("p", { class: "note", id: "sig-note" }, signature.note));
    // The working, as `og-stock sign --explain` prints it.
    if (report.explanation) rows.push(h("pre", { class: "explanation" }, report.explanation.join("\n")));
    fill(output, rows);
  }

  const view = {
    visible: false,
    async show() {
      if (help) return;
      try {
        help = await api("GET", "signature");
        fill(
          mistakes,
          help.usualMistakes.map((m) => h("li", {}, m)),
        );
        if (!publicId.value) publicId.value = help.merchant.publicId;
        if (!sigField.value && help.merchant.sigFields[0]) sigField.value = help.merchant.sigFields[0];
      } catch (error) {
        notify(`Failed to load the signature debugger: ${error.message}`, "error");
      }
    },
  };
  return view;
}
