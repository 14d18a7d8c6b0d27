// One book: while it is being made, each stage with its progress and time left, pages as
// they are written and pictures as they are drawn; once made, the reader.

import { call, objectUrl } from "../api.js";
import { follow } from "../live.js";
import { alertBox, h, IN_FLIGHT, STATUS_WORDS, timeLeft, titled, toast, usd } from "../ui.js";
import { reader } from "./reader.js";

/** The caller's access to a book: "owner", "editor" or "viewer". */
async function accessTo(id) {
  const { items } = await call("/v1/shared-books");
  const shared = items.find((s) => s.book.id === id);
  return shared ? shared.access : "owner";
}

export async function bookScreen(app, id, pageNumber) {
  const main = document.getElementById("main");
  const [book, access] = await Promise.all([call(`/v1/books/${id}`), accessTo(id)]);
  if (["ready", "partial"].includes(book.status)) return reader(main, book, access, pageNumber || 1);
  return making(main, book, access);
}

const STAGES = [
  ["writing", "Writing the story"],
  ["reviewing", "Checking it reads well"],
  ["illustrating", "Drawing the pictures"],
  ["assembling", "Making the book"],
];

function stageState(stage, status) {
  const order = ["queued", ...STAGES.map(([s]) => s), "ready"];
  const at = order.indexOf(status);
  const mine = order.indexOf(stage);
  if (at < 0) return "waiting";
  return mine < at ? "done" : mine === at ? "current" : "waiting";
}

function stageDetail(stage, p) {
  switch (stage) {
    case "writing": return p.writing.pages_planned
      ? `${p.writing.pages_written} of ${p.writing.pages_planned} pages written${p.writing.rewrites ? `, ${p.writing.rewrites} rewritten after checking` : ""}`
      : "Planning the story";
    case "reviewing": return p.review.passed ? "Every check passed" : (p.review.findings.length ? `Rewriting: ${p.review.findings[0]}` : "Reading level, repetition, continuity, safety");
    case "illustrating": return `${p.illustrations.done} of ${p.illustrations.total} pictures drawn${p.illustrations.failed ? `, ${p.illustrations.failed} failed` : ""}`;
    default: return p.assembled ? "Typeset" : "Typesetting the PDF and e-book";
  }
}

async function making(main, book, access) {
  main.dataset.screen = "making";
  const alert = alertBox();
  const title = h("h1", {}, book.title || "Your new book");
  const bar = h("progress#making-progress", { max: 100, value: 0 });
  const overall = h("p.overall", { "aria-live": "polite" });
  const stages = h("ol.stages", {});
  const explain = h("div.explain", {});
  const pagesList = h("ol.pages-preview", { "aria-label": "Pages so far" });
  const actions = h("div.actions", {});
  let seen = { written: -1, drawn: -1 };
  const pictures = new Map();

  async function refreshPages(p) {
    if (p.writing.pages_written === seen.written && p.illustrations.done === seen.drawn) return;
    seen = { written: p.writing.pages_written, drawn: p.illustrations.done };
    const { items } = await call(`/v1/books/${book.id}/pages`);
    const cards = await Promise.all(items.map(async (page) => {
      let img = pictures.get(page.number);
      if (!img && page.picture && page.illustration === "ok") {
        img = h("img", { alt: `Picture for page ${page.number}` });
        pictures.set(page.number, img);
        objectUrl(page.picture).then((url) => { img.src = url; }).catch(() => {});
      }
      return h("li.page-card", { dataset: { page: page.number } },
        img || h("div.picture-waiting", {}, page.illustration === "failed" ? "Picture failed" : "Picture to come"),
        h("p", {}, h("span.number", {}, `${page.number}. `), page.text));
    }));
    pagesList.replaceChildren(...cards);
  }

  function render(p) {
    title.textContent = p.title || "Your new book";
    bar.value = p.percent;
    bar.setAttribute("aria-valuetext", `${p.percent}%`);
    main.dataset.status = p.status;
    const left = IN_FLIGHT.includes(p.status) ? timeLeft(p.estimate.remaining_ms) : "";
    overall.textContent = `${STATUS_WORDS[p.status] || p.status} · ${p.percent}%${left ? ` · ${left}` : ""} · cost so far ${usd(p.cost.total_usd)}`;
    stages.replaceChildren(...STAGES.map(([stage, label]) => {
      const state = p.status === "paused" || p.status === "failed" || p.status === "cancelled"
        ? (stageState(stage, book.lastActive || "writing") === "done" ? "done" : "waiting")
        : stageState(stage, p.status);
      const est = p.estimate.stages.find((s) => s.stage === stage);
      return h("li.stage", { dataset: { state } },
        h("span.stage-mark", { "aria-hidden": "true" }, state === "done" ? "✓" : state === "current" ? "●" : "○"),
        h("span.stage-body", {},
          h("strong", {}, label),
          h("span.sr-only", {}, state === "done" ? " (done)" : state === "current" ? " (now)" : " (to come)"),
          h("span.stage-detail", {}, state === "waiting" ? "" : stageDetail(stage, p),
            state === "current" && est && est.remaining_ms ? ` · ${timeLeft(est.remaining_ms)}` : "")));
    }));
    if (IN_FLIGHT.includes(p.status)) book.lastActive = p.status;
    explain.replaceChildren(...explanation(p));
    actions.replaceChildren(...(IN_FLIGHT.includes(p.status) && access === "owner" ? [h("button.danger", {
      type: "button",
      onclick: async () => {
        try { render(await progressAfter(call(`/v1/books/${book.id}/cancel`, { method: "POST" }))); toast("The book was cancelled."); } catch (e) { alert.textContent = e.message; }
      },
    }, "Stop making this book")] : []));
    refreshPages(p).catch(() => {});
    if (["ready", "partial"].includes(p.status)) {
      toast(`“${p.title}” is ready.`);
      setTimeout(() => location.replace(`#/books/${book.id}/read/1`), 600);
    }
  }

  async function progressAfter(promise) {
    await promise;
    return call(`/v1/books/${book.id}/progress`);
  }

  function explanation(p) {
    if (p.status === "paused") {
      const capInput = h("input#cap", { type: "number", min: 0, step: "0.01", inputmode: "decimal", value: p.cost.cap_usd ?? "" });
      return [h("div.notice", { role: "note" },
        h("h2", {}, "Paused to stay within a budget"),
        h("p", {}, p.paused_reason || "Going on would cost more than you allowed."),
        h("p", {}, "Nothing made so far is lost. Raise this book's cap, or your monthly budget, and it picks up where it stopped."),
        access === "owner" ? h("form.inline", { onsubmit: async (e) => {
          e.preventDefault();
          try {
            await call(`/v1/books/${book.id}/cap`, { method: "PUT", json: { max_usd: capInput.value === "" ? null : Number(capInput.value) } });
            toast("The cap was raised; the book goes on.");
          } catch (err) { alert.textContent = err.message; }
        } }, h("label", { for: "cap" }, "This book's cap in dollars (empty: no cap)"), capInput, h("button.primary", { type: "submit" }, "Raise the cap and go on")) : null,
        h("p", {}, h("a", { href: "#/budget" }, "See your monthly budget")))];
    }
    if (p.status === "failed") {
      return [h("div.notice.bad", { role: "note" },
        h("h2", {}, "This book could not be made"),
        h("p", {}, p.failure_reason || "Something went wrong that trying again will not fix."),
        h("p", {}, "You can order it again, perhaps with a simpler idea. ", h("a", { href: "#/new" }, "Order a new book")))];
    }
    if (p.status === "cancelled") {
      return [h("div.notice", { role: "note" }, h("h2", {}, "Cancelled"), h("p", {}, "This book was stopped. What it cost so far is shown above."))];
    }
    return [];
  }

  main.append(
    h("p.crumbs", {}, h("a", { href: "#/" }, "← Library")),
    title,
    h("p.meta", {}, `${book.page_count} pages · ages ${book.age_band} · ${book.art_style}`),
    h("div.making", {},
      h("section.card", { "aria-labelledby": "progress-title" },
        h("h2#progress-title", {}, "Progress"),
        h("label.sr-only", { for: "making-progress" }, "Overall progress"), bar, overall, stages, actions, alert, explain),
      h("section", { "aria-labelledby": "pages-title" }, h("h2#pages-title", {}, "Pages so far"), pagesList)));
  titled(main, book.title || "Your new book");
  render(await call(`/v1/books/${book.id}/progress`));
  return follow(book.id, render, (e) => { alert.textContent = `Live progress stopped: ${e.message}. Reload to see the latest.`; });
}
