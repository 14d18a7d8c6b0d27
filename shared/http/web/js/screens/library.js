// The library: the person's books as covers (title, status, progress while being made),
// searchable over titles, premises and page text, and the books others shared.

import { call, objectUrl } from "../api.js";
import { h, IN_FLIGHT, STATUS_WORDS, titled } from "../ui.js";

/** A book's cover: its first drawn picture, or the title on colour until one exists. */
export function cover(book) {
  const frame = h("div.cover", { "aria-hidden": "true" }, h("span.cover-title", {}, book.title || "A new book"));
  if (["ready", "partial", "illustrating", "assembling", "paused"].includes(book.status)) {
    objectUrl(`/v1/books/${book.id}/pages/1/picture`).then((url) => {
      frame.replaceChildren(h("img", { src: url, alt: "" }), h("span.cover-title.on-picture", {}, book.title));
    }).catch(() => {});
  }
  return frame;
}

function bookCard(book, access) {
  const making = IN_FLIGHT.includes(book.status);
  return h("li.card.book", { dataset: { status: book.status } },
    h("a.book-link", { href: `#/books/${book.id}` },
      cover(book),
      h("div.card-body", {},
        h("h2", {}, book.title || "A new book"),
        h("p.status", { dataset: { status: book.status } }, STATUS_WORDS[book.status] || book.status),
        making ? h("progress", { max: 100, value: book.percent ?? 0, "aria-label": `${book.title || "Book"} progress` }) : null,
        h("p.meta", {}, `${book.page_count} pages · ages ${book.age_band} · ${book.art_style}`,
          access ? ` · shared with you (${access})` : ""))));
}

export async function libraryScreen(app) {
  const main = document.getElementById("main");
  main.dataset.screen = "library";
  const search = h("input#search", { type: "search", placeholder: "Titles, premises, words on a page", autocomplete: "off" });
  const list = h("ul.cards.books", { "aria-label": "Your books" });
  const count = h("p.hint", { "aria-live": "polite" });
  const shared = h("section", { "aria-labelledby": "shared-title" });
  let timer = null;
  let poll = null;

  async function load() {
    const q = search.value.trim();
    const { items } = await call(q ? `/v1/books?q=${encodeURIComponent(q)}` : "/v1/books");
    const progress = await Promise.all(items.map((b) => IN_FLIGHT.includes(b.status)
      ? call(`/v1/books/${b.id}/progress`).catch(() => null) : null));
    items.forEach((b, i) => { if (progress[i]) b.percent = progress[i].percent; });
    list.replaceChildren(...items.map((b) => bookCard(b)));
    count.textContent = q ? `${items.length} book${items.length === 1 ? "" : "s"} match “${q}”.` : "";
    if (!items.length && !q) {
      list.replaceChildren(h("li.empty", {}, "No books yet. ",
        h("a", { href: "#/characters/new" }, "Make a character"), " and then ", h("a", { href: "#/new" }, "order your first book"), "."));
    }
    clearTimeout(poll);
    if (items.some((b) => IN_FLIGHT.includes(b.status))) poll = setTimeout(load, 3000);
  }
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 250); });

  const form = h("form.search", { role: "search", onsubmit: (e) => { e.preventDefault(); load(); } },
    h("label", { for: "search" }, "Search your books"), search);
  main.append(
    h("div.screen-head", {}, h("h1", {}, "Your library"), h("a.button.primary", { href: "#/new" }, "New book")),
    form, count, list, shared);
  await load();
  const { items: others } = await call("/v1/shared-books");
  if (others.length) {
    shared.append(h("h2#shared-title", {}, "Shared with you"),
      h("ul.cards.books", {}, others.map((s) => bookCard(s.book, s.access))));
  }
  titled(main, "Your library");
  return () => { clearTimeout(poll); clearTimeout(timer); };
}
