// EvidenceCheck reviewer page: plain JS, no build step. Every rule lives on the server; this page shows what it says.
"use strict";

const API = "/review/api";
const SVG = "http://www.w3.org/2000/svg";
const state = { me: null, queue: [], selected: 0, filters: { level: "", category: "", campaign: "" } };

// ---------- small helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}
const $ = (sel) => document.querySelector(sel);
const fmtTime = (t) => t ? new Date(t).toISOString().slice(11, 16) + " UTC" : "unknown";
const fmtDateTime = (t) => t ? new Date(t).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "unknown";
function fmtAge(ms) {
  const m = Math.round(ms / 60000);
  if (m < 60) return m + " min";
  const hrs = m / 60;
  if (hrs < 48) return Math.round(hrs) + " h";
  const d = hrs / 24;
  return d < 365 ? Math.round(d) + " days" : (d / 365).toFixed(1) + " years";
}
function fmtSpan(a, b) { return fmtAge(Math.abs(new Date(b) - new Date(a))); }
function toast(text) { const t = $("#toast"); t.textContent = text; t.classList.add("show"); clearTimeout(toast.timer); toast.timer = setTimeout(() => t.classList.remove("show"), 3500); }
const badge = (level, text) => h("span", { class: "badge " + level }, text || level);

async function api(path, options = {}) {
  const init = { method: options.method || "GET", headers: { "Accept": "application/json" }, credentials: "same-origin" };
  if (init.method !== "GET") init.headers["X-EvidenceCheck"] = "1";
  if (options.body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(options.body); }
  const res = await fetch(API + path, init);
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401 && !options.allow401) { state.me = null; renderSignIn(); throw new Error("signed out"); }
  return { status: res.status, ok: res.ok, data };
}
const problem = (r) => (r.data && (r.data.detail || r.data.title)) || ("HTTP " + r.status);

// ---------- routing ----------
async function route() {
  if (!state.me) {
    const r = await api("/me", { allow401: true });
    if (r.status !== 200) return renderSignIn();
    state.me = r.data;
  }
  showChrome();
  const [, view, id] = (location.hash || "#/queue").split("/");
  document.querySelectorAll("[data-nav]").forEach(a => a.classList.toggle("active", a.dataset.nav === view));
  try {
    if (view === "report" && id) await renderReport(decodeURIComponent(id));
    else if (view === "campaign" && id) await renderCampaign(decodeURIComponent(id));
    else if (view === "audit") await renderAudit();
    else await renderQueue();
  } catch (e) { if (e.message !== "signed out") throw e; }
}
window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  $("#sign-out").addEventListener("click", async () => { await api("/session", { method: "DELETE" }); state.me = null; location.hash = "#/queue"; renderSignIn(); });
  document.addEventListener("keydown", onKey);
  route();
});

function showChrome() {
  $("#nav").hidden = false; $("#who").hidden = false;
  $("#who-name").textContent = state.me.name + " (" + state.me.role + ")";
  $("#nav-audit").hidden = state.me.role !== "lead";
}
function setMain(...children) { const m = $("#app"); m.replaceChildren(...children); return m; }

// ---------- sign in ----------
function renderSignIn() {
  $("#nav").hidden = true; $("#who").hidden = true;
  const err = h("p", { class: "error", role: "alert", id: "signin-error" });
  const form = h("form", { class: "card signin", id: "signin", onsubmit: async (e) => {
      e.preventDefault();
      const r = await api("/session", { method: "POST", body: { name: form.name.value, password: form.password.value }, allow401: true });
      if (!r.ok) { err.textContent = problem(r); return; }
      state.me = r.data; route();
    } },
    h("h1", {}, "Sign in"),
    h("p", { class: "muted" }, "Reviewers judge what the scorer flagged. Every report you open is logged."),
    h("label", { for: "name" }, "Name"), h("input", { id: "name", name: "name", autocomplete: "username", required: true }),
    h("label", { for: "password" }, "Password"), h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    err,
    h("button", { class: "primary", type: "submit" }, "Sign in"));
  setMain(form);
  form.name.focus();
}

// ---------- queue ----------
async function renderQueue() {
  const f = state.filters;
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
  const r = await api("/queue" + (q ? "?" + q : ""));
  if (!r.ok) return setMain(h("div", { class: "card error" }, problem(r)));
  state.queue = r.data.items;
  state.selected = Math.min(state.selected, Math.max(0, state.queue.length - 1));
  const now = new Date(r.data.now);
  const select = (name, options) => h("select", { name, onchange: (e) => { f[name] = e.target.value; state.selected = 0; renderQueue(); } },
    options.map(([v, t]) => h("option", { value: v, selected: f[name] === v }, t)));
  const filters = h("div", { class: "filters" },
    h("label", {}, "Level", select("level", [["", "any"], ["high", "high"], ["medium", "medium"], ["low", "low"]])),
    h("label", {}, "Category", select("category", [["", "any"], ...r.data.categories.map(c => [c, c.replace("_", " ")])])),
    h("label", {}, "Campaign", h("input", { name: "campaign", value: f.campaign, placeholder: "campaign id", size: 16,
      onchange: (e) => { f.campaign = e.target.value.trim(); renderQueue(); } })),
    h("span", { class: "keys" }, h("kbd", {}, "j"), " ", h("kbd", {}, "k"), " or ", h("kbd", {}, "↑"), h("kbd", {}, "↓"), " move · ", h("kbd", {}, "Enter"), " open · ", h("kbd", {}, "/"), " filter"));
  const rows = state.queue.map((it, i) => h("tr", { tabindex: "-1", "data-report": it.reportId, class: i === state.selected ? "selected" : "",
      onclick: () => { state.selected = i; location.hash = "#/report/" + encodeURIComponent(it.reportId); } },
    h("td", {}, h("span", { class: "scorebar" }, barFill(it.score, it.level)), it.score.toFixed(2)),
    h("td", {}, badge(it.level)),
    h("td", {}, h("a", { href: "#/report/" + encodeURIComponent(it.reportId) }, it.reportId), it.pendingBy ? [" ", badge("pending", "genuine? awaiting 2nd reviewer (" + it.pendingBy + ")")] : null),
    h("td", {}, (it.category || "—").replace("_", " ")),
    h("td", {}, it.campaignId ? h("a", { href: "#/campaign/" + encodeURIComponent(it.campaignId), onclick: (e) => e.stopPropagation() }, (it.campaignSize || "?") + " reports") : h("span", { class: "muted" }, "alone")),
    h("td", { title: fmtDateTime(it.receivedAt) }, fmtAge(now - new Date(it.receivedAt)) + " ago")));
  const table = h("table", { class: "queue", id: "queue" },
    h("thead", {}, h("tr", {}, ["Score", "Level", "Report", "Category", "Campaign", "Age"].map(t => h("th", {}, t)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "muted" }, "Nothing waiting: no flagged report without a decision matches."))));
  setMain(h("div", { class: "card" }, h("h1", {}, "Flagged reports"),
    h("p", { class: "muted" }, "Strongest first. A report leaves the queue once a decision counts."), filters, table, r.data.hasMore ? h("p", { class: "muted" }, "More below: narrow the filters.") : null));
}
function barFill(score, level) { const i = h("i", { class: level }); i.style.width = Math.round(score * 100) + "%"; return i; }

function onKey(e) {
  if (e.target.matches("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey || $("#reveal-dialog").open) return;
  const view = (location.hash || "#/queue").split("/")[1];
  if (view !== "queue" && e.key === "Escape") { history.length > 1 ? history.back() : (location.hash = "#/queue"); return; }
  // On a report or campaign: f / g / i choose fabricated / genuine / inconclusive and put the cursor in the note.
  const choice = { f: "fabricated", g: "genuine", i: "inconclusive" }[e.key];
  if (view !== "queue" && choice) {
    const radio = document.querySelector(`.decision-form input[value=${choice}]`);
    if (radio) { radio.checked = true; radio.closest("form").note.focus(); e.preventDefault(); }
    return;
  }
  if (view !== "queue" || !state.queue.length) return;
  if (e.key === "j" || e.key === "ArrowDown") { state.selected = Math.min(state.queue.length - 1, state.selected + 1); e.preventDefault(); }
  else if (e.key === "k" || e.key === "ArrowUp") { state.selected = Math.max(0, state.selected - 1); e.preventDefault(); }
  else if (e.key === "Enter") { location.hash = "#/report/" + encodeURIComponent(state.queue[state.selected].reportId); return; }
  else if (e.key === "/") { e.preventDefault(); document.querySelector(".filters select")?.focus(); return; }
  else return;
  document.querySelectorAll("#queue tbody tr").forEach((tr, i) => { tr.classList.toggle("selected", i === state.selected); if (i === state.selected) tr.scrollIntoView({ block: "nearest" }); });
}

// ---------- report ----------
let current = null;
async function renderReport(id) {
  const r = await api("/reports/" + encodeURIComponent(id));
  if (!r.ok) return setMain(h("div", { class: "card error" }, problem(r)));
  const d = current = r.data;
  const rep = d.report, score = d.score || { score: 0, level: "low", reasons: [] };
  const meeting = rep.subject && rep.subject.meeting;
  setMain(
    h("p", {}, h("a", { href: "#/queue" }, "← Queue"), " ", h("span", { class: "muted" }, "(Esc)")),
    h("div", { class: "card" },
      h("div", { class: "verdict" },
        h("div", { class: "score " + score.level }, score.score.toFixed(2)),
        h("div", {},
          h("h1", { id: "report-title" }, d.reportId, " ", badge(score.level, score.level + (score.flagged ? " · flagged" : ""))),
          h("div", { class: "muted" }, (d.category || "no category").replace("_", " "), " report against ", rep.subject?.kind || "?", " ",
            meeting ? h("strong", {}, meeting.title || meeting.meetingId) : (rep.subject?.accounts?.[0]?.accountId || ""),
            " · received ", fmtDateTime(d.receivedAt), " · channel ", rep.channel || "unknown")),
        d.campaignId ? h("a", { href: "#/campaign/" + encodeURIComponent(d.campaignId), class: "badge plain", id: "campaign-link" },
          "Campaign " + d.campaignId + (score.campaign ? " · " + score.campaign.reports + " reports, " + score.campaign.reporters + " reporters" : "")) : null),
      h("h2", { class: "section" }, "Why the scorer rated it so (strongest first; negative points to genuine)"),
      reasonsList(score.reasons)),
    h("div", { class: "grid2" }, claimCard(rep), recordCard(rep)),
    h("div", { class: "card timeline", id: "timeline" }, h("h2", {}, "Timeline"), timeline(rep, d.evidence || [], d.receivedAt), timelineLegend()),
    h("div", { class: "grid3" },
      h("div", {}, evidenceCard(rep, d.evidence || []), reporterCard(rep, d.reporterHistory || []), participantsCard(meeting)),
      h("div", {}, decisionCard(d), auditCard(d.audit || []))));
}

function reasonsList(reasons) {
  if (!reasons || !reasons.length) return h("p", { class: "muted" }, "No signal moved the score.");
  const max = Math.max(...reasons.map(x => Math.abs(x.contribution)), 0.01);
  return h("ol", { class: "reasons", id: "reasons" }, reasons.map(x => {
    const bar = h("span", { class: "bar" + (x.contribution < 0 ? " neg" : "") });
    bar.style.width = Math.max(4, Math.round(Math.abs(x.contribution) / max * 100)) + "%";
    return h("li", {},
      h("div", { class: "contrib", title: x.contribution < 0 ? "points towards genuine" : "points towards fabricated" },
        (x.contribution >= 0 ? "+" : "") + x.contribution.toFixed(2), bar),
      h("div", {}, h("div", {}, x.detail), h("div", { class: "signal" }, x.signal, x.value !== null && x.value !== undefined ? " = " + (+x.value).toFixed(2) + (x.unit ? " " + x.unit : "") : "")));
  }));
}

// A masked value with its reveal button; the path names it on the server.
function pii(value, path) {
  if (value === null || value === undefined) return h("span", { class: "muted" }, "unknown");
  const masked = current && current.masked.some(m => m.path === path);
  if (!masked) return h("span", {}, String(value));
  const span = h("span", { class: "pii", "data-path": path }, String(value));
  const btn = h("button", { class: "reveal", type: "button", title: "Reveal (asks for a reason, logged)", onclick: () => askReveal(path, span, btn) }, "Reveal");
  return h("span", {}, span, btn);
}

function askReveal(path, span, btn) {
  const dlg = $("#reveal-dialog"), reason = $("#reveal-reason"), err = $("#reveal-error");
  $("#reveal-what").textContent = path.replace(/^report\./, "");
  reason.value = ""; err.textContent = "";
  dlg.showModal();
  $("#reveal-cancel").onclick = () => dlg.close();
  $("#reveal-form").onsubmit = async (e) => {
    e.preventDefault();
    const r = await api("/reports/" + encodeURIComponent(current.reportId) + "/reveal", { method: "POST", body: { path, reason: reason.value } });
    if (!r.ok) { err.textContent = problem(r); return; }
    dlg.close();
    span.textContent = typeof r.data.value === "string" ? r.data.value : JSON.stringify(r.data.value);
    span.classList.add("revealed"); btn.remove();
    toast("Revealed and logged as audit entry #" + r.data.auditSeq);
    refreshAudit();
  };
}

function claimCard(rep) {
  const c = rep.claims || {};
  const speaker = c.speakerAccountId;
  return h("div", { class: "card", id: "claim" }, h("h2", {}, "What the reporter claims"),
    h("dl", { class: "facts" },
      h("dt", {}, "Category"), h("dd", {}, (rep.category || "—").replace("_", " ")),
      h("dt", {}, "When"), h("dd", {}, c.occurredAt ? fmtDateTime(c.occurredAt) : "not said"),
      h("dt", {}, "Who"), h("dd", {}, speaker ? nameOf(rep, speaker) : "not said"),
      h("dt", {}, "Said / shown"), h("dd", {}, c.quote ? h("div", { class: "claim-quote" }, "“" + c.quote + "”") : "not quoted"),
      h("dt", {}, "Report text"), h("dd", {}, rep.text || "—"),
      h("dt", {}, "Evidence"), h("dd", {}, (rep.evidence || []).length ? (rep.evidence.length + " item(s)") : "none attached")));
}

function nameOf(rep, id) {
  const p = rep.subject?.meeting?.participants?.find(x => x.accountId === id);
  const a = rep.subject?.accounts?.find(x => x.accountId === id);
  const n = (p && p.displayName) || (a && a.displayName);
  return n ? `${n} (${id})` : id;
}
function stretches(meeting, id) { return (meeting?.participants || []).filter(p => p.accountId === id && p.joinedAt); }

function recordCard(rep) {
  const m = rep.subject?.meeting, c = rep.claims || {};
  const checks = [];
  if (m) {
    checks.push(h("dt", {}, "Meeting"), h("dd", {}, m.startedAt ? `${fmtDateTime(m.startedAt)} – ${fmtTime(m.endedAt)}` : "times unknown", m.scheduledAt ? h("div", { class: "muted" }, "announced " + fmtDateTime(m.scheduledAt)) : null));
    if (c.occurredAt && m.startedAt && m.endedAt) {
      const t = new Date(c.occurredAt), inside = t >= new Date(m.startedAt) && t <= new Date(m.endedAt);
      checks.push(h("dt", {}, "Claimed time"), h("dd", { class: inside ? "check-ok" : "check-bad" }, inside ? "inside the meeting" : "outside the meeting (" + fmtSpan(t > new Date(m.endedAt) ? m.endedAt : m.startedAt, t) + (t > new Date(m.endedAt) ? " after it ended)" : " before it started)")));
    }
    if (c.speakerAccountId) {
      const st = stretches(m, c.speakerAccountId);
      let verdict, ok = false;
      if (!st.length) verdict = "never in the meeting";
      else if (c.occurredAt) {
        const t = new Date(c.occurredAt);
        ok = st.some(p => t >= new Date(p.joinedAt) && (!p.leftAt || t <= new Date(p.leftAt)));
        verdict = (ok ? "present at the claimed time" : "not present at the claimed time") + " (" + st.map(p => fmtTime(p.joinedAt) + "–" + fmtTime(p.leftAt)).join(", ") + ")";
      } else verdict = "present " + st.map(p => fmtTime(p.joinedAt) + "–" + fmtTime(p.leftAt)).join(", ");
      checks.push(h("dt", {}, "Claimed speaker"), h("dd", { class: ok ? "check-ok" : "check-bad" }, verdict));
    }
    const rs = stretches(m, rep.reporter?.accountId);
    checks.push(h("dt", {}, "Reporter"), h("dd", { class: rs.length ? "" : "check-bad" }, rs.length ? "present " + rs.map(p => fmtTime(p.joinedAt) + "–" + fmtTime(p.leftAt)).join(", ") : "not in the attendance record"));
    if (c.quote) {
      const words = c.quote.toLowerCase();
      const hit = (m.chat || []).find(x => x.text && x.text.toLowerCase().includes(words));
      checks.push(h("dt", {}, "Quote in chat"), h("dd", { class: hit ? "check-ok" : "check-bad" }, hit ? "yes, sent by " + nameOf(rep, hit.accountId) + " at " + fmtTime(hit.sentAt) : `not found in the chat log (${(m.chat || []).length} messages)`));
    }
  }
  for (const a of rep.subject?.accounts || [])
    checks.push(h("dt", {}, "Accused"), h("dd", {}, nameOf(rep, a.accountId), " · account ", a.createdAt ? fmtAge(new Date(rep.receivedAt) - new Date(a.createdAt)) + " old at the report" : "age unknown",
      a.meetingsAttended !== undefined ? " · " + a.meetingsAttended + " meetings" : ""));
  return h("div", { class: "card", id: "record" }, h("h2", {}, "The platform's record"), checks.length ? h("dl", { class: "facts" }, checks) : h("p", { class: "muted" }, "No meeting record for this report."));
}

function evidenceCard(rep, facts) {
  const items = rep.evidence || [];
  if (!items.length && !facts.length) return h("div", { class: "card", id: "evidence" }, h("h2", {}, "Evidence"), h("p", { class: "muted" }, "No evidence attached: the report rests on its words alone."));
  const skip = new Set(["index", "source", "readable", "notes", "capturedLocal", "capturedOffset"]);
  const label = (k) => k.replace(/([A-Z])/g, " $1").toLowerCase();
  return h("div", { class: "card", id: "evidence" }, h("h2", {}, "Evidence — what the files themselves say"),
    facts.map((f, i) => {
      const rows = [];
      for (const [k, v] of Object.entries(f)) {
        if (skip.has(k) || v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
        const iso = (x) => typeof x === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(x) ? fmtDateTime(x) : x;
        const shown = Array.isArray(v) ? v.map(iso).join(", ") : (typeof v === "object" ? JSON.stringify(v) : iso(v));
        rows.push(h("dt", {}, label(k)), h("dd", {}, pii(shown, `evidence[${i}].${k}`)));
      }
      return h("div", {}, h("h3", {}, (f.evidenceId || "item " + (i + 1)) + " · " + (f.kind || "?") + (f.source ? " · " + String(f.source).toLowerCase() : "")),
        h("dl", { class: "facts" }, rows), (f.notes || []).map(n => h("p", { class: "muted" }, "• " + n)));
    }));
}

function reporterCard(rep, history) {
  const a = rep.reporter || {}, sess = rep.reporterSession || {};
  return h("div", { class: "card", id: "reporter" }, h("h2", {}, "Reporter"),
    h("dl", { class: "facts" },
      h("dt", {}, "Account"), h("dd", {}, (a.displayName || "") + " (" + (a.accountId || "?") + ")"),
      h("dt", {}, "Created"), h("dd", {}, a.createdAt ? fmtDateTime(a.createdAt) + " — " + fmtAge(new Date(rep.receivedAt) - new Date(a.createdAt)) + " before the report" : "unknown"),
      h("dt", {}, "Email"), h("dd", {}, pii(a.email, "report.reporter.email"), a.emailVerified === false ? h("span", { class: "check-bad" }, " unverified") : ""),
      h("dt", {}, "Signup IP"), h("dd", {}, pii(a.signupIp, "report.reporter.signupIp")),
      h("dt", {}, "Filed from"), h("dd", {}, pii(sess.ip, "report.reporterSession.ip"), " · ", pii(sess.deviceId, "report.reporterSession.deviceId"), " · ", sess.country || "?", a.country && sess.country && a.country !== sess.country ? h("span", { class: "check-bad" }, ` (account country ${a.country})`) : ""),
      h("dt", {}, "Track record"), h("dd", {}, a.reportsFiled !== undefined ? `${a.reportsUpheld ?? "?"} of ${a.reportsFiled} earlier reports upheld` : "unknown", a.meetingsAttended !== undefined ? ` · ${a.meetingsAttended} meetings attended` : "")),
    h("h3", {}, "Other reports by this account here"),
    history.length ? h("table", {}, h("tbody", {}, history.map(x => h("tr", {},
      h("td", {}, h("a", { href: "#/report/" + encodeURIComponent(x.reportId) }, x.reportId)), h("td", {}, (x.category || "").replace("_", " ")),
      h("td", {}, x.level ? badge(x.level) : ""), h("td", {}, x.decision ? badge(x.decision) : h("span", { class: "muted" }, "undecided")), h("td", { class: "muted" }, fmtDateTime(x.receivedAt))))))
      : h("p", { class: "muted" }, "None stored."));
}

function participantsCard(meeting) {
  if (!meeting || !(meeting.participants || []).length) return null;
  return h("div", { class: "card", id: "participants" }, h("h2", {}, "Participants (platform record)"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Account", "Joined", "Left", "Country", "IP"].map(t => h("th", {}, t)))),
      h("tbody", {}, meeting.participants.map((p, i) => h("tr", {},
        h("td", {}, p.displayName || ""), h("td", { class: "mono" }, p.accountId), h("td", {}, fmtTime(p.joinedAt)), h("td", {}, fmtTime(p.leftAt)),
        h("td", {}, p.country || ""), h("td", {}, pii(p.ip, `report.subject.meeting.participants[${i}].ip`)))))));
}

function decisionCard(d) {
  const card = h("div", { class: "card decide", id: "decide" }, h("h2", {}, "Decision"));
  if (d.linkedToYou) card.append(h("div", { class: "notice warn" }, "You cannot decide this report: " + d.linkedToYou + "."));
  if (d.twoPersonRule) card.append(h("p", { class: "muted" }, "Rated high: upholding it (“genuine”) counts only when a second, different reviewer agrees."));
  if (d.pending) card.append(h("div", { class: "notice", id: "pending" }, `${d.pending.reviewer} proposed “${d.pending.decision}” — waiting for a second reviewer.`, d.pending.note ? h("div", { class: "muted" }, d.pending.note) : null));
  for (const x of d.decisions || []) card.append(h("div", { class: "notice ok" }, badge(x.decision), ` by ${x.reviewer}, ${fmtDateTime(x.decidedAt)}`, x.note ? h("div", { class: "muted" }, x.note) : null));
  card.append(decisionForm((body) => api("/reports/" + encodeURIComponent(d.reportId) + "/decisions", { method: "POST", body }), () => renderReport(d.reportId), "Record decision"));
  return card;
}

function decisionForm(send, after, label) {
  const msg = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "decision-form", onsubmit: async (e) => {
      e.preventDefault();
      const decision = form.querySelector("input[name=decision]:checked")?.value;
      if (!decision) { msg.textContent = "Choose fabricated, genuine or inconclusive."; return; }
      const r = await send({ decision, note: form.note.value });
      if (!r.ok) { msg.textContent = problem(r); return; }
      toast(r.data.message || `Done: ${r.data.counted} counted, ${r.data.pending} pending, ${r.data.skipped} left as they were.`);
      after();
    } },
    h("fieldset", {}, h("legend", { class: "muted" }, "This report is (keys ", h("kbd", {}, "f"), " ", h("kbd", {}, "g"), " ", h("kbd", {}, "i"), ")"),
      [["fabricated", "Fabricated"], ["genuine", "Genuine"], ["inconclusive", "Inconclusive"]].map(([v, t]) =>
        h("label", { class: "choice" }, h("input", { type: "radio", name: "decision", value: v }), t))),
    h("textarea", { name: "note", placeholder: "Note (what you checked)", maxlength: 4000 }),
    msg, h("button", { class: "primary", type: "submit" }, label));
  return form;
}

function auditCard(entries) {
  return h("div", { class: "card audit", id: "audit-trail" }, h("h2", {}, "Audit trail of this report"), auditTable(entries.slice().reverse()));
}
function auditTable(entries) {
  if (!entries.length) return h("p", { class: "muted" }, "No entries.");
  return h("table", {}, h("tbody", {}, entries.map(e => {
    let detail = {};
    try { detail = JSON.parse(e.detail); } catch { /* shown raw */ }
    const text = e.action === "reveal" ? `revealed ${detail.path} — “${detail.reason}”`
      : e.action.startsWith("decision") ? `${e.action.replace("decision-", "")} ${detail.decision || ""}${detail.reason ? " — " + detail.reason : ""}${detail.note ? " — " + detail.note : ""}`.replace(/^decision /, "decided ")
      : e.action;
    return h("tr", { "data-action": e.action }, h("td", { class: "mono" }, "#" + e.seq), h("td", {}, fmtDateTime(e.at)), h("td", {}, h("strong", {}, e.actor)),
      h("td", {}, text, e.reportId && !current ? h("div", {}, h("a", { href: "#/report/" + encodeURIComponent(e.reportId) }, e.reportId)) : null,
        h("div", { class: "hash", title: "SHA-256 of the previous hash and this entry" }, e.hash.slice(0, 16) + "…")));
  })));
}
async function refreshAudit() {
  if (!current) return;
  const r = await api("/audit?reportId=" + encodeURIComponent(current.reportId));
  if (r.ok) $("#audit-trail").replaceWith(auditCard(r.data));
}

// ---------- timeline (inline SVG) ----------
function timeline(rep, facts, receivedAt) {
  const m = rep.subject?.meeting || {}, c = rep.claims || {};
  const reporterId = rep.reporter?.accountId;
  const people = [];
  const add = (id, role) => { if (!id) return; const p = people.find(x => x.id === id); if (p) p.role += " · " + role; else people.push({ id, role }); };
  add(reporterId, "reporter");
  for (const a of rep.subject?.accounts || []) add(a.accountId, "accused");
  add(c.speakerAccountId, "claimed speaker");
  const account = (id) => id === reporterId ? rep.reporter : (rep.subject?.accounts || []).find(a => a.accountId === id);
  const evidenceTimes = [];
  facts.forEach((f, i) => {
    const name = f.evidenceId || "evidence " + (i + 1);
    if (f.capturedAt) evidenceTimes.push({ t: f.capturedAt, label: name + " file says", kind: "file" });
    if (f.claimedCapturedAt) evidenceTimes.push({ t: f.claimedCapturedAt, label: name + " claimed", kind: "claim" });
    if (f.emailDate) evidenceTimes.push({ t: f.emailDate, label: name + " email Date", kind: "file" });
  });
  (rep.evidence || []).forEach((e, i) => { if (e.claimedCapturedAt && !facts[i]) evidenceTimes.push({ t: e.claimedCapturedAt, label: (e.evidenceId || "evidence " + (i + 1)) + " claimed", kind: "claim" }); });

  const known = [m.startedAt, m.endedAt, c.occurredAt, receivedAt, ...evidenceTimes.map(x => x.t)].filter(Boolean).map(t => +new Date(t));
  for (const p of people) { stretches(m, p.id).forEach(s => known.push(+new Date(s.joinedAt), +new Date(s.leftAt || s.joinedAt))); }
  let t0 = Math.min(...known), t1 = Math.max(...known);
  // Creation times within a day of the window are drawn in place; older ones sit at the left edge with their date.
  for (const p of people) { const a = account(p.id); if (a?.createdAt) { const t = +new Date(a.createdAt); if (t >= t0 - 6 * 3600e3 && t < t0) t0 = t; } }
  const pad = Math.max((t1 - t0) * 0.04, 5 * 60e3); t0 -= pad; t1 += pad;
  const W = 1000, L = 190, R = 20, rowH = 34, top = 34;
  const rows = [{ label: "Meeting", kind: "meeting" }, ...people.map(p => ({ label: nameOf(rep, p.id), sub: p.role, id: p.id })), { label: "Evidence & report", kind: "events" }];
  const H = top + rows.length * rowH + 26;
  const x = (t) => L + (W - L - R) * ((+new Date(t)) - t0) / (t1 - t0);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Timeline of the meeting, presence, claimed time and evidence times", id: "timeline-svg" });
  // Grid and time axis.
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map(n => n * 60e3);
  const step = steps.find(st => (t1 - t0) / st <= 10) || steps[steps.length - 1];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    svg.append(s("line", { x1: x(t), x2: x(t), y1: top - 6, y2: H - 22, stroke: "#eef0f4" }),
      s("text", { x: x(t), y: top - 12, "text-anchor": "middle", "font-size": 11, fill: "#5d6677" }, new Date(t).toISOString().slice(11, 16)));
  }
  svg.append(s("text", { x: 8, y: top - 12, "font-size": 11, fill: "#5d6677" }, "UTC, " + new Date(t0 + pad).toISOString().slice(0, 10)));
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    svg.append(s("line", { x1: 0, x2: W, y1: y + rowH, y2: y + rowH, stroke: "#f1f3f7" }));
    svg.append(s("text", { x: 8, y: y + (row.sub ? 15 : 21), "font-size": 12.5, fill: "#1d2330", "font-weight": 600 }, row.label.length > 26 ? row.label.slice(0, 25) + "…" : row.label));
    if (row.sub) svg.append(s("text", { x: 8, y: y + 28, "font-size": 11, fill: "#5d6677" }, row.sub));
    if (row.kind === "meeting" && m.startedAt) {
      svg.append(s("rect", { x: x(m.startedAt), y: y + 8, width: Math.max(2, x(m.endedAt || t1) - x(m.startedAt)), height: 18, rx: 4, fill: "#cfd9ea" },
        s("title", {}, `Meeting ${fmtTime(m.startedAt)} – ${fmtTime(m.endedAt)}`)));
      svg.append(s("text", { x: x(m.startedAt) + 6, y: y + 21, "font-size": 11, fill: "#1d2330" }, (m.title || "meeting").slice(0, 60)));
    }
    if (row.id) {
      const st = stretches(m, row.id);
      const color = row.sub.includes("reporter") ? "#1f5fbf" : row.sub.includes("accused") ? "#7b3fb3" : "#0f766e";
      for (const p of st) svg.append(s("rect", { x: x(p.joinedAt), y: y + 10, width: Math.max(3, x(p.leftAt || t1) - x(p.joinedAt)), height: 14, rx: 3, fill: color, class: "presence" },
        s("title", {}, `present ${fmtTime(p.joinedAt)} – ${fmtTime(p.leftAt)}`)));
      if (!st.length) svg.append(s("text", { x: L + 6, y: y + 21, "font-size": 11.5, fill: m.participants ? "#c62828" : "#5d6677" },
        m.participants ? "not in the meeting's attendance record" : "no meeting record for this report"));
      const a = account(row.id);
      if (a?.createdAt) {
        const t = +new Date(a.createdAt);
        if (t >= t0) svg.append(s("path", { d: `M${x(t)},${y + 6} l6,10 l-12,0 z`, fill: "#d97706" }, s("title", {}, "account created " + fmtDateTime(a.createdAt))),
          s("text", { x: x(t) + 8, y: y + 14, "font-size": 10.5, fill: "#b45309", class: "halo" }, "account created " + fmtTime(a.createdAt)));
        else svg.append(s("text", { x: L + 2, y: y + 32, "font-size": 10.5, fill: "#5d6677" }, "◀ account created " + new Date(a.createdAt).toISOString().slice(0, 10)));
      }
    }
    if (row.kind === "events") {
      evidenceTimes.forEach((e, k) => {
        const ex = x(e.t);
        svg.append(s("path", { d: `M${ex},${y + 8} l7,8 l-7,8 l-7,-8 z`, fill: e.kind === "file" ? "#d97706" : "#fbbf24", class: "evidence-time" }, s("title", {}, `${e.label}: ${fmtDateTime(e.t)}`)),
          s("text", { x: ex + 9, y: y + 12 + (k % 2) * 12, "font-size": 10.5, fill: "#5d6677" }, e.label));
      });
      if (receivedAt) svg.append(s("path", { d: `M${x(receivedAt)},${y + 8} l6,16 l-12,0 z`, fill: "#475569" }, s("title", {}, "report filed " + fmtDateTime(receivedAt))));
    }
  });
  // Vertical markers across all rows: the claimed moment and the report.
  const claimedFirst = !receivedAt || !c.occurredAt || +new Date(c.occurredAt) <= +new Date(receivedAt);
  if (c.occurredAt) svg.append(s("line", { x1: x(c.occurredAt), x2: x(c.occurredAt), y1: top - 4, y2: H - 22, stroke: "#c62828", "stroke-width": 2, "stroke-dasharray": "5 4", id: "claimed-time" }),
    s("text", { x: x(c.occurredAt) + (claimedFirst ? -4 : 4), y: H - 8, "text-anchor": claimedFirst ? "end" : "start", "font-size": 11.5, fill: "#c62828", "font-weight": 600 }, "claimed " + fmtTime(c.occurredAt)));
  if (receivedAt) svg.append(s("line", { x1: x(receivedAt), x2: x(receivedAt), y1: top - 4, y2: H - 22, stroke: "#475569", "stroke-width": 1.2, "stroke-dasharray": "2 3" }),
    s("text", { x: x(receivedAt) + (claimedFirst ? 4 : -4), y: H - 8, "text-anchor": claimedFirst ? "start" : "end", "font-size": 11.5, fill: "#475569" }, "reported " + fmtTime(receivedAt)));
  return svg;
}
function timelineLegend() {
  const item = (color, text, cls) => { const i = h("i", { class: cls || "" }); if (!cls) i.style.background = color; return h("span", {}, i, text); };
  return h("div", { class: "legend" }, item("#cfd9ea", "meeting"), item("#1f5fbf", "reporter present"), item("#7b3fb3", "accused present"), item("#0f766e", "claimed speaker present"),
    item("#c62828", "claimed time"), item("#d97706", "account created / evidence time"), item("#475569", "report filed"));
}

// ---------- campaign (inline SVG graph) ----------
const LINK_COLORS = { sharedNetwork: "#1f5fbf", sharedSignupNetwork: "#0891b2", sharedDevice: "#c62828", sharedFiles: "#d97706", nearDuplicateText: "#7b3fb3", signupCohort: "#8a93a3" };
const LINK_NAMES = { sharedNetwork: "same IP range", sharedSignupNetwork: "signed up from same range", sharedDevice: "same device", sharedFiles: "same file", nearDuplicateText: "near-identical wording", signupCohort: "accounts made within a day" };

async function renderCampaign(id) {
  current = null;
  const r = await api("/campaigns/" + encodeURIComponent(id));
  if (!r.ok) return setMain(h("div", { class: "card error" }, problem(r)));
  const c = r.data;
  const counts = {};
  for (const e of c.edges) counts[e.kind] = (counts[e.kind] || 0) + 1;
  setMain(
    h("p", {}, h("a", { href: "#/queue" }, "← Queue")),
    h("div", { class: "card" }, h("h1", { id: "campaign-title" }, "Campaign " + c.campaignId),
      h("p", { class: "muted" }, `${c.reports} reports from ${c.reporters} reporters, first seen ${fmtDateTime(c.createdAt)}. Lines show what links the reports.`),
      h("div", { class: "graph", id: "campaign-graph" }, graph(c)),
      h("div", { class: "legend" }, Object.keys(LINK_COLORS).filter(k => counts[k]).map(k => {
        const i = h("i", { class: k === "signupCohort" ? "dashed" : "" }); if (k !== "signupCohort") i.style.background = LINK_COLORS[k];
        return h("span", {}, i, `${LINK_NAMES[k]} (${counts[k]})`);
      }))),
    h("div", { class: "grid3" },
      h("div", { class: "card" }, h("h2", {}, "Members"), h("table", { id: "members" },
        h("thead", {}, h("tr", {}, ["Report", "Level", "Reporter", "Account made", "Filed from", "Category", "State"].map(t => h("th", {}, t)))),
        h("tbody", {}, c.members.map(mb => h("tr", {},
          h("td", {}, h("a", { href: "#/report/" + encodeURIComponent(mb.reportId) }, mb.reportId)),
          h("td", {}, mb.level ? badge(mb.level, mb.level + " " + (mb.score ?? 0).toFixed(2)) : ""),
          h("td", {}, (mb.reporterName || "") + " ", h("span", { class: "mono muted" }, mb.reporterId || "")),
          h("td", {}, mb.reporterCreatedAt ? fmtAge(new Date(mb.receivedAt) - new Date(mb.reporterCreatedAt)) + " before" : "?"),
          h("td", {}, h("span", { class: "pii" }, mb.ip || "?"), " ", h("span", { class: "pii" }, mb.deviceId || "")),
          h("td", {}, (mb.category || "").replace("_", " ")),
          h("td", {}, mb.decision ? badge(mb.decision) : mb.pendingBy ? badge("pending", "pending (" + mb.pendingBy + ")") : h("span", { class: "muted" }, "undecided"))))))),
      h("div", { class: "card decide", id: "campaign-decide" }, h("h2", {}, "Decide the whole campaign"),
        h("p", { class: "muted" }, "Applies to every member without a decision. “Genuine” on a high-rated member still waits for a second reviewer; a member linked to you refuses the lot."),
        decisionForm((body) => api("/campaigns/" + encodeURIComponent(c.campaignId) + "/decisions", { method: "POST", body }), () => renderCampaign(c.campaignId), "Decide all members"))));
}

function graph(c) {
  const n = c.members.length;
  const R = n <= 1 ? 0 : Math.min(165, 60 + n * 18);
  const W = 1000, H = 2 * R + 110, cx = W / 2, cy = R + 45;
  const pos = {};
  c.members.slice().sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1)).forEach((mb, i) => {
    const a = -Math.PI / 2 + 2 * Math.PI * i / Math.max(1, n);
    pos[mb.reportId] = { x: cx + R * 1.6 * Math.cos(a), y: cy + R * Math.sin(a), m: mb };
  });
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Campaign members and the links between them" });
  const pairs = {};
  const seen = new Set();
  for (const e of c.edges) {
    const key = [e.from, e.to].sort().join("|");
    if (!pos[e.from] || !pos[e.to] || seen.has(key + e.kind)) continue;
    seen.add(key + e.kind);
    const k = pairs[key] = (pairs[key] || 0) + 1;
    const a = pos[e.from], b = pos[e.to];
    const off = (k % 2 ? 1 : -1) * Math.floor(k / 2) * 14;
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2, dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const qx = mx - dy / len * off, qy = my + dx / len * off;
    svg.append(s("path", { d: `M${a.x},${a.y} Q${qx},${qy} ${b.x},${b.y}`, fill: "none", stroke: LINK_COLORS[e.kind] || "#999", "stroke-width": e.kind === "signupCohort" ? 1.5 : 2.5,
      "stroke-dasharray": e.kind === "signupCohort" ? "5 4" : null, opacity: .85, class: "edge", "data-kind": e.kind }, s("title", {}, `${e.from} — ${e.to}: ${e.detail}`)));
  }
  const fill = { high: "#c62828", medium: "#d97706", low: "#2e7d32" };
  for (const p of Object.values(pos)) {
    const r = 16 + 12 * (p.m.score || 0);
    const g = s("a", { href: "#/report/" + encodeURIComponent(p.m.reportId), class: "node" },
      s("circle", { cx: p.x, cy: p.y, r, fill: fill[p.m.level] || "#8a93a3", stroke: "#fff", "stroke-width": 3 }),
      s("text", { x: p.x, y: p.y + 4, "text-anchor": "middle", "font-size": 11, fill: "#fff", "font-weight": 700 }, (p.m.score ?? 0).toFixed(2)),
      s("text", { x: p.x, y: p.y + r + 15, "text-anchor": "middle", "font-size": 12, fill: "#1d2330", "font-weight": 600, class: "halo" }, p.m.reportId),
      s("text", { x: p.x, y: p.y + r + 29, "text-anchor": "middle", "font-size": 11, fill: "#5d6677", class: "halo" }, (p.m.reporterId || "") + " · " + (p.m.category || "").replace("_", " ")),
      s("title", {}, `${p.m.reportId}: ${p.m.level} ${(p.m.score ?? 0).toFixed(2)}, reporter ${p.m.reporterId}`));
    svg.append(g);
  }
  return svg;
}

// ---------- audit (leads) ----------
async function renderAudit() {
  current = null;
  const r = await api("/audit");
  if (!r.ok) return setMain(h("div", { class: "card error" }, problem(r)));
  const status = h("span", { id: "verify-status", class: "muted" });
  setMain(h("div", { class: "card audit" }, h("h1", {}, "Audit log"),
    h("p", { class: "muted" }, "Append-only: every view, reveal and decision, each entry hash-chained to the one before."),
    h("div", { class: "row" }, h("button", { id: "verify", onclick: async () => {
      const v = await api("/audit/verify");
      status.textContent = v.ok ? (v.data.intact ? `Chain intact: ${v.data.entries} entries.` : `BROKEN at entry #${v.data.firstBroken}: ${v.data.problem}`) : problem(v);
      status.className = v.ok && v.data.intact ? "check-ok" : "check-bad";
    } }, "Verify chain"), status),
    h("div", { id: "audit-log" }, auditTable(r.data.slice().reverse()))));
}
