// Characters as cards with their portraits, and the form that creates or edits one, with a
// preview card that follows what is typed.

import { call, objectUrl } from "../api.js";
import { alertBox, dialog, field, h, showProblem, titled, toast } from "../ui.js";

/** An <img> that loads a portrait (drawn on first request, so it may take a moment). */
export function portrait(character, size = "wide") {
  const img = h(`img.portrait.${size}`, { alt: `Portrait of ${character.name}, ${character.visual_description}`, loading: "lazy" });
  img.dataset.state = "loading";
  objectUrl(`/v1/characters/${character.id}/portrait`).then((url) => {
    img.src = url;
    img.dataset.state = "ready";
  }).catch(() => { img.dataset.state = "missing"; img.alt = `No portrait of ${character.name} yet`; });
  return img;
}

export async function charactersScreen() {
  const main = document.getElementById("main");
  main.dataset.screen = "characters";
  const { items } = await call("/v1/characters");
  const grid = h("ul.cards", { "aria-label": "Your characters" },
    items.map((c) => h("li.card.character", {},
      portrait(c),
      h("div.card-body", {},
        h("h2", {}, c.name),
        h("p.kind", {}, c.kind, c.traits.length ? ` · ${c.traits.join(", ")}` : ""),
        h("p", {}, c.visual_description),
        c.voice ? h("p.voice", {}, `Speaks: ${c.voice}`) : null,
        h("p.actions", {}, h("a.button", { href: `#/characters/${c.id}`, "aria-label": `Edit ${c.name}` }, "Edit"))))));
  main.append(
    h("div.screen-head", {},
      h("h1", {}, "Characters"),
      h("a.button.primary", { href: "#/characters/new" }, "New character")),
    items.length ? grid : h("section.empty", {},
      h("p", {}, "No characters yet. Make the first one: a name, what they are, how they look."),
      h("a.button.primary", { href: "#/characters/new" }, "Create a character")));
  titled(main, "Characters");
  return null;
}

export async function characterFormScreen(app, id) {
  const main = document.getElementById("main");
  main.dataset.screen = id ? "character-edit" : "character-new";
  const existing = id ? await call(`/v1/characters/${id}`) : null;
  const alert = alertBox();
  const name = h("input", { type: "text", required: true, maxlength: 40, autocomplete: "off", value: existing?.name });
  const kind = h("input", { type: "text", required: true, maxlength: 30, autocomplete: "off", placeholder: "hedgehog, girl, robot, dragon…", value: existing?.kind });
  const look = h("textarea", { required: true, maxlength: 300, rows: 3, placeholder: "a small brown hedgehog with a red scarf" });
  look.value = existing?.visual_description || "";
  const traits = h("input", { type: "text", autocomplete: "off", placeholder: "brave, curious", value: existing?.traits.join(", ") });
  const voice = h("input", { type: "text", maxlength: 200, autocomplete: "off", placeholder: "asks lots of questions", value: existing?.voice });
  const preview = h("div.card.character.preview", { "aria-live": "polite" });
  let picture = existing ? portrait(existing, "large") : h("div.portrait.large.placeholder", { "aria-hidden": "true" }, h("span", {}, "Portrait"));
  const showPreview = () => {
    preview.replaceChildren(picture,
      h("div.card-body", {},
        h("h2", {}, name.value || "Your character"),
        h("p.kind", {}, kind.value || "what they are", traits.value ? ` · ${traits.value}` : ""),
        h("p", {}, look.value || "How they look goes here."),
        voice.value ? h("p.voice", {}, `Speaks: ${voice.value}`) : null,
        existing ? null : h("p.hint", {}, "The portrait is drawn when you save.")));
  };
  for (const input of [name, kind, look, traits, voice]) input.addEventListener("input", showPreview);
  showPreview();
  const save = h("button.primary", { type: "submit" }, existing ? "Save changes" : "Save character");
  const form = h("form", { novalidate: true },
    field("name", "Name", name),
    field("kind", "What they are", kind),
    field("visual_description", "How they look", look, "Colours and clothes help: every picture draws them this way."),
    field("traits", "Traits (optional)", traits, "Up to six, separated by commas."),
    field("voice", "How they speak (optional)", voice),
    alert,
    h("div.actions", {}, save, h("a.button", { href: "#/characters" }, "Cancel")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    save.disabled = true;
    const body = {
      name: name.value, kind: kind.value, visual_description: look.value,
      traits: traits.value.split(",").map((t) => t.trim()).filter(Boolean), voice: voice.value,
    };
    try {
      if (existing) await call(`/v1/characters/${id}`, { method: "PUT", json: body });
      else await call("/v1/characters", { method: "POST", json: body });
      toast(existing ? `${body.name} is saved; a new portrait is being drawn.` : `${body.name} is saved.`);
      location.assign("#/characters");
    } catch (problem) {
      showProblem(form, problem, alert);
    } finally {
      save.disabled = false;
    }
  });
  const extra = existing ? h("div.actions", {},
    h("button", { type: "button", onclick: async () => {
      const redrawn = await call(`/v1/characters/${id}/portrait`, { method: "POST" });
      picture = portrait(redrawn, "large");
      showPreview();
      toast("A new portrait is being drawn.");
    } }, "Redraw portrait"),
    h("button.danger", { type: "button", onclick: async () => {
      const ok = await dialog(`Delete ${existing.name}?`, (close) => h("div", {},
        h("p", {}, "Books already made keep their copy of this character."),
        h("div.actions", {}, h("button.danger", { type: "button", onclick: () => close(true) }, "Delete"),
          h("button", { type: "button", onclick: () => close(false) }, "Keep"))));
      if (!ok) return;
      await call(`/v1/characters/${id}`, { method: "DELETE" });
      toast(`${existing.name} was deleted.`);
      location.assign("#/characters");
    } }, "Delete character")) : null;
  const title = existing ? `Edit ${existing.name}` : "New character";
  main.append(
    h("h1", {}, title),
    h("div.split", {}, h("section", { "aria-label": "Form" }, form, extra), h("section", { "aria-label": "Preview" }, h("h2.small", {}, "Preview"), preview)));
  titled(main, title);
  return null;
}
