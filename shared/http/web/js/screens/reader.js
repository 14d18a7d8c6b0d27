// The reader: two-page spreads on wide screens and one page on phones; arrow keys and
// swipes turn pages; full screen; read aloud with the browser's speech synthesis, the
// sentence being read highlighted; text edited in place; a picture redrawn with a note;
// a page's history with restore; downloads; sharing.

import { call, download, objectUrl } from "../api.js";
import { follow } from "../live.js";
import { alertBox, dialog, field, h, titled, toast } from "../ui.js";

const WIDE = window.matchMedia("(min-width: 960px)");
const REDUCED = window.matchMedia("(prefers-reduced-motion: reduce)");

function sentences(text) {
  return text.match(/[^.!?]+[.!?]+["”’)]*\s*|[^.!?]+$/g) || [text];
}

export async function reader(main, book, access, start) {
  main.dataset.screen = "reader";
  main.dataset.status = book.status;
  const canEdit = access !== "viewer";
  const alert = alertBox();
  let pages = (await call(`/v1/books/${book.id}/pages`)).items;
  let at = Math.min(Math.max(1, start), pages.length);
  const pictureUrls = new Map();
  let stopFollowing = null;
  let speaking = false;

  const spread = h("div.spread", { "aria-live": "polite" });
  const label = h("span.page-label");
  const prev = h("button.turn", { type: "button", "aria-label": "Previous page", onclick: () => turn(-1) }, "‹");
  const next = h("button.turn", { type: "button", "aria-label": "Next page", onclick: () => turn(1) }, "›");
  const readAloud = h("button", { type: "button", "aria-pressed": "false", onclick: () => (speaking ? stopSpeaking() : speak()) }, "Read aloud");
  const stage = h("section.book-stage", { "aria-label": "Book", tabindex: "0" }, prev, spread, next);

  const perView = () => (WIDE.matches ? 2 : 1);
  const first = (n) => (perView() === 2 ? n - ((n - 1) % 2) : n);

  async function picture(page) {
    const key = `${page.number}:${page.revision}:${page.illustration}:${page.picture}`;
    if (!page.picture || page.illustration !== "ok") return null;
    if (!pictureUrls.has(key)) pictureUrls.set(key, objectUrl(page.picture).catch(() => null));
    return pictureUrls.get(key);
  }

  function pageView(page) {
    const img = h("img", { alt: `Picture for page ${page.number}` });
    picture(page).then((url) => { if (url) img.src = url; });
    const drawing = page.illustration === "pending" || page.illustration === "drawing";
    const text = h("p.page-text", {}, sentences(page.text).map((s) => h("span.sentence", {}, s)));
    const tools = canEdit ? h("div.page-tools", {},
      h("button", { type: "button", onclick: () => editInPlace(page, text, tools) }, "Edit text"),
      h("button", { type: "button", onclick: () => redraw(page) }, "Redraw picture"),
      h("button", { type: "button", onclick: () => historyOf(page) }, "History")) : null;
    return h("article.page", { dataset: { page: page.number, revision: page.revision }, "aria-label": `Page ${page.number}` },
      h("figure", {}, drawing ? h("div.picture-waiting", { role: "status" }, "A new picture is being drawn…") : img,
        page.illustration_note ? h("figcaption", {}, page.illustration_note) : null),
      text, tools);
  }

  let shownPerView = 0;
  function show() {
    shownPerView = perView();
    at = first(at);
    const visible = pages.slice(at - 1, at - 1 + perView());
    spread.replaceChildren(...visible.map(pageView));
    spread.dataset.count = String(visible.length);
    const last = at + visible.length - 1;
    label.textContent = visible.length > 1 ? `Pages ${at}–${last} of ${pages.length}` : `Page ${at} of ${pages.length}`;
    prev.disabled = at <= 1;
    next.disabled = last >= pages.length;
    main.dataset.page = String(at);
    history.replaceState(null, "", `#/books/${book.id}/read/${at}`);
  }

  function turn(delta) {
    const target = at + delta * perView();
    if (target < 1 || target > pages.length) return;
    stopSpeaking();
    at = target;
    show();
    if (!REDUCED.matches) spread.animate([{ opacity: 0.3 }, { opacity: 1 }], { duration: 180 });
  }

  async function reload() {
    pages = (await call(`/v1/books/${book.id}/pages`)).items;
    show();
  }

  function editInPlace(page, text, tools) {
    const area = h("textarea.edit-text", { "aria-label": `Text of page ${page.number}`, maxlength: 1200, rows: 5 });
    area.value = page.text;
    const save = h("button.primary", { type: "submit" }, "Save text");
    const form = h("form.edit", {}, area, h("div.actions", {}, save, h("button", { type: "button", onclick: show }, "Cancel")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        await call(`/v1/books/${book.id}/pages/${page.number}`, { method: "PUT", json: { text: area.value }, headers: { "if-match": page.etag } });
        toast(`Page ${page.number} saved as a new revision.`);
        await reload();
      } catch (problem) {
        alert.textContent = problem.status === 412 ? "Someone changed this page meanwhile; it was reloaded. Try again." : problem.message;
        if (problem.status === 412) await reload(); else save.disabled = false;
      }
    });
    text.replaceWith(form);
    tools.hidden = true;
    area.focus();
  }

  async function redraw(page) {
    const note = await dialog(`Redraw the picture of page ${page.number}`, (close) => {
      const input = h("input", { type: "text", maxlength: 200, placeholder: "make the sky stormy" });
      return h("form", { onsubmit: (e) => { e.preventDefault(); close(input.value.trim()); } },
        field("redraw-note", "A note for the illustrator (optional)", input),
        h("div.actions", {}, h("button.primary", { type: "submit" }, "Redraw"), h("button", { type: "button", onclick: () => close(null) }, "Cancel")));
    });
    if (note === null) return;
    try {
      await call(`/v1/books/${book.id}/pages/${page.number}/redraw`, { method: "POST", json: note ? { note } : {} });
      toast("A new picture is on its way.");
      await reload();
      watchUntilDrawn();
    } catch (problem) { alert.textContent = problem.message; }
  }

  function watchUntilDrawn() {
    if (stopFollowing) stopFollowing();
    stopFollowing = follow(book.id, async (p) => {
      if (["ready", "partial"].includes(p.status) && p.illustrations.in_progress === 0 && p.illustrations.pending === 0) {
        if (stopFollowing) { stopFollowing(); stopFollowing = null; }
        await reload();
        main.dataset.status = p.status;
        toast("The new picture is drawn.");
      } else {
        main.dataset.status = p.status;
      }
    });
  }

  function thumbnail(url, alt) {
    const img = h("img.thumb", { alt });
    objectUrl(url).then((src) => { img.src = src; }).catch(() => { img.replaceWith(h("div.thumb.none", {}, "picture gone")); });
    return img;
  }

  async function historyOf(page) {
    const story = await call(`/v1/books/${book.id}/pages/${page.number}/revisions`);
    const current = await picture(story.current);
    const restored = await dialog(`Page ${page.number}: history`, (close) => h("ol.history", {},
      h("li.revision.current", {},
        current ? h("img.thumb", { src: current, alt: "The current picture" }) : h("div.thumb.none", {}, "no picture"),
        h("div", {}, h("strong", {}, `Revision ${story.current.revision} (now)`), h("p", {}, story.current.text))),
      story.items.slice().reverse().map((r) => h("li.revision", {},
        r.picture ? thumbnail(r.picture, `The picture at revision ${r.revision}`) : h("div.thumb.none", {}, "no picture"),
        h("div", {},
          h("strong", {}, `Revision ${r.revision} · ${r.change.kind} · ${new Date(r.changed_at).toLocaleString()}`),
          h("p", {}, r.text),
          canEdit ? h("button", { type: "button", onclick: async () => {
            try { await call(r.restore, { method: "POST" }); close(r.revision); } catch (problem) { alert.textContent = problem.message; close(null); }
          } }, `Restore revision ${r.revision}`) : null)))));
    if (restored) {
      toast(`Revision ${restored} restored as a new revision.`);
      await reload();
    }
  }

  function speak() {
    if (!("speechSynthesis" in window)) { toast("This browser cannot read aloud."); return; }
    const spans = [...spread.querySelectorAll(".sentence")];
    if (!spans.length) return;
    speaking = true;
    readAloud.setAttribute("aria-pressed", "true");
    readAloud.textContent = "Stop reading";
    let i = 0;
    const sayNext = () => {
      spans.forEach((s) => s.classList.remove("speaking"));
      if (!speaking || i >= spans.length) { stopSpeaking(); return; }
      const span = spans[i++];
      span.classList.add("speaking");
      const u = new SpeechSynthesisUtterance(span.textContent);
      u.rate = book.age_band === "3-5" ? 0.85 : 0.95;
      u.onend = sayNext;
      u.onerror = sayNext;
      speechSynthesis.speak(u);
    };
    sayNext();
  }

  function stopSpeaking() {
    speaking = false;
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    readAloud.setAttribute("aria-pressed", "false");
    readAloud.textContent = "Read aloud";
    spread.querySelectorAll(".speaking").forEach((s) => s.classList.remove("speaking"));
  }

  async function share() {
    const list = h("ul.shares");
    const refresh = async () => {
      const { items } = await call(`/v1/books/${book.id}/shares`);
      list.replaceChildren(...(items.length ? items.map((s) => h("li", {},
        h("span", {}, `${s.user} · ${s.role}`),
        h("button", { type: "button", "aria-label": `Revoke ${s.user}`, onclick: async () => {
          await call(`/v1/books/${book.id}/shares/${encodeURIComponent(s.user)}`, { method: "DELETE" });
          toast(`${s.user} no longer has this book.`);
          refresh();
        } }, "Revoke"))) : [h("li.hint", {}, "Not shared with anyone yet.")]));
    };
    await refresh();
    await dialog("Share this book", (close) => {
      const user = h("input", { type: "text", required: true, autocomplete: "off", autocapitalize: "none", placeholder: "their login" });
      const role = h("select", {}, h("option", { value: "viewer" }, "Can read"), h("option", { value: "editor" }, "Can read and edit"));
      const problem = alertBox();
      return h("div", {},
        h("form", { onsubmit: async (e) => {
          e.preventDefault();
          try {
            await call(`/v1/books/${book.id}/shares/${encodeURIComponent(user.value.trim().toLowerCase())}`, { method: "PUT", json: { role: role.value } });
            toast(`Shared with ${user.value.trim()}.`);
            user.value = "";
            problem.textContent = "";
            refresh();
          } catch (err) { problem.textContent = err.message; }
        } },
        field("share-user", "Share with (their login)", user),
        field("share-role", "They can", role),
        problem,
        h("div.actions", {}, h("button.primary", { type: "submit" }, "Share"), h("button", { type: "button", onclick: () => close(null) }, "Done"))),
        h("h3", {}, "Shared with"), list);
    });
  }

  const toolbar = h("div.reader-bar", { role: "toolbar", "aria-label": "Reader" },
    h("a.button", { href: "#/" }, "← Library"),
    label,
    readAloud,
    h("button", { type: "button", onclick: () => (document.fullscreenElement ? document.exitFullscreen() : main.requestFullscreen?.()) }, "Full screen"),
    h("button", { type: "button", onclick: () => download(`/v1/books/${book.id}/book.pdf`, `${book.title}.pdf`).catch((e) => { alert.textContent = e.message; }) }, "PDF"),
    h("button", { type: "button", onclick: () => download(`/v1/books/${book.id}/book.epub`, `${book.title}.epub`).catch((e) => { alert.textContent = e.message; }) }, "EPUB"),
    access === "owner" ? h("button", { type: "button", onclick: share }, "Share") : null);

  const partial = book.status === "partial" && access === "owner" ? h("div.notice", { role: "note" },
    h("p", {}, "Some pictures could not be drawn. The book is readable; you can try them again."),
    h("button", { type: "button", onclick: async () => {
      try { await call(`/v1/books/${book.id}/retry`, { method: "POST" }); toast("The missing pictures are being drawn again."); watchUntilDrawn(); } catch (e) { alert.textContent = e.message; }
    } }, "Draw the missing pictures again")) : null;

  const onKey = (e) => {
    if (e.target.closest("input, textarea, select, dialog")) return;
    if (e.key === "ArrowRight") { turn(1); e.preventDefault(); }
    if (e.key === "ArrowLeft") { turn(-1); e.preventDefault(); }
  };
  let touchX = null;
  stage.addEventListener("pointerdown", (e) => { if (e.pointerType !== "mouse") touchX = e.clientX; });
  stage.addEventListener("pointerup", (e) => {
    if (touchX === null) return;
    const dx = e.clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 50) turn(dx < 0 ? 1 : -1);
  });
  // Re-lay only when a spread becomes a page or back, and never over an open edit.
  const onResize = () => { if (perView() !== shownPerView && !spread.querySelector("form.edit")) show(); };
  document.addEventListener("keydown", onKey);
  WIDE.addEventListener("change", onResize);

  main.append(...[
    h("h1.book-title", {}, book.title),
    book.dedication ? h("p.dedication", {}, book.dedication) : null,
    toolbar, alert, partial, stage,
    h("p.hint.keys", {}, "Turn pages with the arrow keys, or swipe."),
  ].filter(Boolean));
  main.classList.add(`ages-${book.age_band}`);
  show();
  titled(main, book.title);
  if (book.status !== "ready" && book.status !== "partial") watchUntilDrawn();
  return () => {
    stopSpeaking();
    if (stopFollowing) stopFollowing();
    document.removeEventListener("keydown", onKey);
    WIDE.removeEventListener("change", onResize);
    main.classList.remove("ages-3-5", "ages-6-8", "ages-9-12");
  };
}
