// Storyloom in the browser: plain ES modules, no build step. The router maps the hash to a
// screen; each screen module renders into <main> and returns an optional clean-up.

import * as api from "./api.js";
import * as auth from "./auth.js";
import * as live from "./live.js";
import { h, toast } from "./ui.js";
import { signInScreen } from "./screens/signin.js";
import { libraryScreen } from "./screens/library.js";
import { charactersScreen, characterFormScreen } from "./screens/characters.js";
import { newBookScreen } from "./screens/newbook.js";
import { bookScreen } from "./screens/book.js";
import { budgetScreen } from "./screens/budget.js";
import { accountScreen } from "./screens/account.js";

const app = { me: null, cleanup: null };

const routes = [
  [/^#\/signin$/, () => signInScreen(app, "signin")],
  [/^#\/signup$/, () => signInScreen(app, "signup")],
  [/^#\/?$/, () => libraryScreen(app)],
  [/^#\/characters$/, () => charactersScreen(app)],
  [/^#\/characters\/new$/, () => characterFormScreen(app, null)],
  [/^#\/characters\/([^/]+)$/, (m) => characterFormScreen(app, m[1])],
  [/^#\/new$/, () => newBookScreen(app)],
  [/^#\/books\/([^/]+)$/, (m) => bookScreen(app, m[1], null)],
  [/^#\/books\/([^/]+)\/read\/(\d+)$/, (m) => bookScreen(app, m[1], Number(m[2]))],
  [/^#\/budget$/, () => budgetScreen(app)],
  [/^#\/account$/, () => accountScreen(app)],
];

const PUBLIC = ["#/signin", "#/signup"];

/** Shows the screen the address names (signing in first where needed). */
async function route() {
  if (app.cleanup) { app.cleanup(); app.cleanup = null; }
  const hash = location.hash || "#/";
  if (!app.me && !PUBLIC.includes(hash)) {
    app.next = hash;
    location.replace("#/signin");
    return;
  }
  document.getElementById("nav").hidden = !app.me;
  const signout = document.getElementById("signout");
  if (signout) signout.hidden = !app.me;
  for (const link of document.querySelectorAll("#nav a")) {
    const here = link.getAttribute("href") === hash || (hash.startsWith("#/characters") && link.getAttribute("href") === "#/characters");
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  const main = document.getElementById("main");
  const match = routes.map(([re, screen]) => [hash.match(re), screen]).find(([m]) => m);
  main.replaceChildren();
  main.dataset.screen = "";
  try {
    app.cleanup = match ? (await match[1](match[0])) || null : notFound(main);
  } catch (e) {
    if (e.status === 401) { app.me = null; location.replace("#/signin"); return; }
    main.replaceChildren(h("h1", {}, "Something went wrong"), h("p.alert", { role: "alert" }, e.message),
      h("p", {}, h("a", { href: "#/" }, "Back to your library")));
  }
}

function notFound(main) {
  main.append(h("h1", {}, "Not here"), h("p", {}, "There is no such page. ", h("a", { href: "#/" }, "Go to your library.")));
  return null;
}

/** Called by the sign-in screen and the account screen. */
app.signedIn = (me) => {
  app.me = me;
  const next = app.next && !PUBLIC.includes(app.next) ? app.next : "#/";
  app.next = null;
  location.assign(next);
  if (location.hash === next) route();
};

app.signedOut = () => {
  app.me = null;
  location.assign("#/signin");
  toast("You are signed out.");
};

async function start() {
  const config = await fetch("config.json").then((r) => r.json()).catch(() => ({ auth: "local", live: "sse" }));
  api.configure({ base: config.api || "" });
  auth.configure(config);
  live.configure(config);
  const header = document.querySelector("header.top");
  header.append(h("button.link#signout", {
    type: "button", hidden: true,
    onclick: async () => { await auth.signOut(); app.signedOut(); },
  }, "Sign out"));
  try {
    app.me = await auth.current();
  } catch (e) {
    app.me = null;
  }
  window.addEventListener("hashchange", route);
  await route();
}

start();
