// Storyloom's web reader: plain DOM and fetch, speaking only to /v1 with the token the
// person pasted (kept in this browser's localStorage).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { token: localStorage.getItem("storyloom-token") || "", book: null, page: 1, pages: [], stream: null };

function say(text) { $("message").textContent = text || ""; }

async function api(path, options = {}) {
  const headers = Object.assign({ authorization: "Bearer " + state.token }, options.headers || {});
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    options.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return response;
}
const json = async (path, options) => (await api(path, options)).json();

function show(section) {
  for (const id of ["signin", "library", "book"]) $(id).hidden = id !== section;
}

async function signIn(token) {
  state.token = token.trim();
  try {
    await json("/v1/books");
  } catch (e) {
    say("That token was not accepted: " + e.message);
    show("signin");
    return;
  }
  localStorage.setItem("storyloom-token", state.token);
  say("");
  await library();
}

async function library() {
  show("library");
  stopStream();
  const [characters, books] = await Promise.all([json("/v1/characters"), json("/v1/books")]);
  $("characters").replaceChildren(...characters.items.map((c) => li(`${c.name}, ${c.kind}`)));
  $("b-cast").replaceChildren(...characters.items.map((c) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.value = c.id; box.name = "cast";
    label.append(box, " " + c.name);
    return label;
  }));
  $("books").replaceChildren(...books.items.map((b) => {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "#" + b.id;
    link.textContent = (b.title || "Untitled") + " — " + b.status;
    link.addEventListener("click", (event) => { event.preventDefault(); open(b.id); });
    item.append(link);
    return item;
  }));
}

function li(text) { const item = document.createElement("li"); item.textContent = text; return item; }

function stopStream() {
  if (state.stream) { state.stream.abort(); state.stream = null; }
}

// Live progress: the SSE stream read through fetch (EventSource cannot send the token).
async function watch(id) {
  stopStream();
  const controller = new AbortController();
  state.stream = controller;
  try {
    const response = await api(`/v1/books/${id}/events`, { signal: controller.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (block.includes("event: progress") && data) await progress(JSON.parse(data));
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") say("Live progress stopped: " + e.message);
  }
}

function eta(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return " · almost done";
  return ` · about ${Math.ceil(ms / 1000)} s left`;
}

async function progress(p) {
  $("bar").value = p.percent;
  if (p.title) $("book-title").textContent = p.title;
  const left = p.estimate && p.estimate.remaining_ms;
  let text = `${p.status} · ${p.percent}%` + (left ? eta(left) : "");
  if (p.paused_reason) text += " · paused: " + p.paused_reason;
  if (p.failure_reason) text += " · " + p.failure_reason;
  text += ` · cost $${p.cost.total_usd.toFixed(4)}`;
  $("status-text").textContent = text;
  $("book").dataset.status = p.status;
  if (["ready", "partial"].includes(p.status)) {
    $("downloads").hidden = false;
    await loadPages();
  }
}

async function open(id) {
  say("");
  const book = await json(`/v1/books/${id}`);
  state.book = book;
  state.page = 1;
  $("book-title").textContent = book.title || "A new book";
  $("book-dedication").textContent = book.dedication || "";
  $("book-dedication").hidden = !book.dedication;
  $("book").className = `ages-${book.age_band}`;
  $("downloads").hidden = true;
  $("reader").hidden = true;
  show("book");
  watch(id);
}

async function loadPages() {
  const listing = await json(`/v1/books/${state.book.id}/pages`);
  state.pages = listing.items;
  if (!state.pages.length) return;
  $("reader").hidden = false;
  await showPage(Math.min(state.page, state.pages.length));
}

async function showPage(n) {
  state.page = n;
  const page = state.pages[n - 1];
  $("page-label").textContent = `Page ${n} of ${state.pages.length}`;
  $("page-text").textContent = page.text;
  $("edit-text").value = page.text;
  $("picture-note").textContent = page.illustration === "pending" ? "A new picture is being drawn…" : (page.illustration_note || "");
  $("reader").dataset.page = String(n);
  $("reader").dataset.revision = String(page.revision);
  if (page.picture) {
    const blob = await (await api(page.picture)).blob();
    const old = $("picture").src;
    $("picture").src = URL.createObjectURL(blob);
    if (old.startsWith("blob:")) URL.revokeObjectURL(old);
    $("picture").alt = `Picture for page ${n}`;
  }
  await history();
}

async function history() {
  const h = await json(`/v1/books/${state.book.id}/pages/${state.page}/revisions`);
  $("revisions").replaceChildren(...h.items.map((r) => {
    const item = li(`Revision ${r.revision} (${r.change.kind}): ${r.text.slice(0, 60)} `);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Restore";
    button.addEventListener("click", () => act(async () => {
      await api(r.restore, { method: "POST" });
      say(`Revision ${r.revision} restored.`);
    }));
    item.append(button);
    return item;
  }));
}

async function act(change) {
  try {
    await change();
    await loadPages();
    watch(state.book.id);
  } catch (e) {
    say(e.status === 412 ? "The page changed meanwhile; it was reloaded, try again." : e.message);
    await loadPages();
  }
}

async function download(kind) {
  const blob = await (await api(`/v1/books/${state.book.id}/book.${kind}`)).blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `storyloom-${state.book.id}.${kind}`;
  document.body.append(link);
  link.click();
  link.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("token").value); });
  $("back").addEventListener("click", () => library());
  $("prev").addEventListener("click", () => state.page > 1 && showPage(state.page - 1));
  $("next").addEventListener("click", () => state.page < state.pages.length && showPage(state.page + 1));
  $("pdf").addEventListener("click", (e) => { e.preventDefault(); download("pdf"); });
  $("epub").addEventListener("click", (e) => { e.preventDefault(); download("epub"); });
  $("character-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await json("/v1/characters", { method: "POST", json: {
        name: $("c-name").value, kind: $("c-kind").value, visual_description: $("c-look").value,
        traits: $("c-traits").value.split(",").map((t) => t.trim()).filter(Boolean),
        voice: $("c-voice").value || "warm and simple",
      } });
      e.target.reset();
      await library();
    } catch (err) { say(err.message); }
  });
  $("book-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const cast = [...document.querySelectorAll("#b-cast input:checked")].map((b) => b.value);
    try {
      const book = await json("/v1/books", { method: "POST", json: {
        premise: $("b-premise").value, age_band: $("b-age").value,
        page_count: Number($("b-pages").value), art_style: $("b-style").value, cast,
        ...($("b-dedication").value.trim() ? { dedication: $("b-dedication").value.trim() } : {}),
      } });
      await open(book.id);
    } catch (err) { say(err.message); }
  });
  $("edit-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const page = state.pages[state.page - 1];
    act(async () => {
      await api(`/v1/books/${state.book.id}/pages/${state.page}`, {
        method: "PUT", json: { text: $("edit-text").value }, headers: { "if-match": page.etag },
      });
      say("Saved.");
    });
  });
  $("redraw-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const note = $("redraw-note").value.trim();
    act(async () => {
      await api(`/v1/books/${state.book.id}/pages/${state.page}/redraw`, {
        method: "POST", json: note ? { note } : {},
      });
      say("A new picture is on its way.");
    });
  });
  if (state.token) signIn(state.token); else show("signin");
});
