// Walks the web app in headless Chromium as two people would, with axe-core run on every
// screen (no serious or critical violation allowed) and screenshots at 1280 px and 375 px:
// sign up, create two characters, order a book, watch it being made, read it, edit a page,
// redraw a picture, restore a revision, share it with a second account who reads it, sign
// out; a stranger's calls get 404.
// Usage: node app.cjs BASE_URL OUT_DIR   (exits non-zero on any failure)
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const [base, out] = process.argv.slice(2);
const WAIT = 120000;
const AXE = require.resolve("axe-core/axe.min.js");
const PASSWORD = "a picture book a day";
const findings = [];

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

async function person(browser, width) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height: width > 600 ? 900 : 812 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on("pageerror", (e) => findings.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/40[134]|Failed to load resource/.test(m.text())) findings.push(`console: ${m.text()}`);
  });
  return page;
}

/** Runs axe on the screen; records serious and critical violations. */
async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  });
  for (const v of violations) findings.push(`axe on ${name} at ${page.viewportSize().width}px: ${v}`);
}

async function shot(page, name) {
  const width = page.viewportSize().width;
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(out, `${name}-${width}.png`), fullPage: true });
}

async function screen(page, name, selector) {
  await page.waitForSelector(`main[data-screen="${selector || name}"]`);
  await page.waitForLoadState("networkidle").catch(() => {});
  await audit(page, name);
  await shot(page, name);
}

async function signUp(page, login) {
  await page.goto(base + "/");
  await page.waitForSelector('main[data-screen="signin"]');
  await page.click("text=Create an account");
  await page.waitForSelector('main[data-screen="signup"]');
  await page.fill("#login", login);
  await page.fill("#password", PASSWORD);
  await page.click('button:has-text("Create account")');
  await page.waitForSelector('main[data-screen="library"]');
}

async function signIn(page, login) {
  await page.goto(base + "/#/signin");
  await page.waitForSelector('main[data-screen="signin"]');
  await page.fill("#login", login);
  await page.fill("#password", PASSWORD);
  await page.click('form button:has-text("Sign in")');
  await page.waitForSelector('main[data-screen="library"]');
}

async function character(page, name, kind, look, traits) {
  await page.goto(base + "/#/characters/new");
  await page.waitForSelector('main[data-screen="character-new"]');
  await page.fill("#name", name);
  await page.fill("#kind", kind);
  await page.fill("#visual_description", look);
  await page.fill("#traits", traits);
  await page.click('button:has-text("Save character")');
  await page.waitForSelector('main[data-screen="characters"]');
}

const picturesLoaded = () => [...document.querySelectorAll(".page img")].every((i) => i.complete && i.naturalWidth > 0);

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  try {
    // Ana: signs up (a first try with a short password shows the API's field error).
    const ana = await person(browser, 1280);
    await ana.goto(base + "/");
    await screen(ana, "signin");
    await ana.click("text=Create an account");
    await ana.fill("#login", "ana");
    await ana.fill("#password", "short");
    await ana.click('button:has-text("Create account")');
    await ana.waitForSelector("#password-error:not([hidden])");
    await screen(ana, "signup");
    await ana.fill("#password", PASSWORD);
    await ana.click('button:has-text("Create account")');
    await screen(ana, "library-empty", "library");

    // Makes two characters; the preview follows the form.
    await ana.goto(base + "/#/characters/new");
    await ana.waitForSelector('main[data-screen="character-new"]');
    await ana.fill("#name", "Hazel");
    await ana.fill("#kind", "hedgehog");
    await ana.fill("#visual_description", "a small brown hedgehog with a red scarf");
    await ana.waitForFunction(() => document.querySelector(".preview h2").textContent === "Hazel");
    await screen(ana, "character-form", "character-new");
    await ana.fill("#traits", "brave, curious");
    await ana.click('button:has-text("Save character")');
    await ana.waitForSelector('main[data-screen="characters"]');
    await character(ana, "Otto", "owl", "a grey owl with round blue glasses", "wise, patient");
    await ana.waitForFunction(() => {
      const all = [...document.querySelectorAll("img.portrait")];
      return all.length === 2 && all.every((i) => i.dataset.state === "ready" && i.naturalWidth > 0);
    }, null, { timeout: WAIT });
    await screen(ana, "characters");

    // Orders a book through the guided flow (an empty idea is refused on the spot).
    await ana.click('#nav a:has-text("New book")');
    await ana.waitForSelector('main[data-screen="new-book"]');
    await ana.click('button:has-text("Next")');
    await ana.waitForSelector("#premise-error:not([hidden])");
    await ana.fill("#premise", "A brave hedgehog who is afraid of the dark finds a lantern");
    await ana.click('button:has-text("Next")');
    await ana.check('input[name="cast"] >> nth=0');
    await ana.check('input[name="cast"] >> nth=1');
    await ana.click('button:has-text("Next")');
    await ana.check("#age-3-5");
    await ana.fill("#page_count", "4");
    await ana.click('button:has-text("Next")');
    await screen(ana, "new-book-style", "new-book");
    await ana.check("#style-crayon");
    await ana.click('button:has-text("Next")');
    await ana.fill("#dedication", "For Ada, who asks why");
    await screen(ana, "new-book", "new-book");
    await ana.click('button:has-text("Make the book")');

    // Watches it being made, then reads it.
    await ana.waitForSelector('main[data-screen="making"]');
    await audit(ana, "making");
    await shot(ana, "making");
    await ana.waitForSelector('main[data-screen="reader"]', { timeout: WAIT });
    await ana.waitForFunction(picturesLoaded);
    await screen(ana, "reader");
    const bookUrl = ana.url().replace(/\/read\/\d+$/, "");
    const characterIds = await ana.evaluate(async () => (await (await import("./js/api.js")).call("/v1/characters")).items.map((c) => c.id));
    const bookId = bookUrl.split("/").pop();
    await ana.keyboard.press("ArrowRight");
    await ana.waitForSelector('main[data-page="3"]');

    // Edits page 3 in place.
    const page3 = 'article[data-page="3"]';
    const original = (await ana.textContent(`${page3} .page-text`)).trim();
    await ana.click(`${page3} button:has-text("Edit text")`);
    const edited = "Hazel lit a tiny lantern, and the dark felt friendly.";
    await ana.fill(`${page3} textarea`, edited);
    await screen(ana, "reader-edit", "reader");
    await ana.click(`${page3} button:has-text("Save text")`);
    await ana.waitForFunction((t) => document.querySelector('article[data-page="3"] .page-text')?.textContent.trim() === t, edited);

    // Redraws its picture with a note.
    await ana.waitForFunction(picturesLoaded);
    const before = await ana.getAttribute(`${page3} img`, "src");
    await ana.click(`${page3} button:has-text("Redraw picture")`);
    await ana.fill("#redraw-note", "make the sky stormy");
    await audit(ana, "redraw-dialog");
    await shot(ana, "redraw-dialog");
    await ana.click('dialog button:has-text("Redraw")');
    await ana.waitForFunction((old) => {
      const img = document.querySelector('article[data-page="3"] img');
      return document.querySelector("main").dataset.status === "ready" && img && img.src && img.src !== old && img.naturalWidth > 0;
    }, before, { timeout: WAIT });

    // Restores the first revision from the page's history.
    await ana.click(`${page3} button:has-text("History")`);
    await ana.waitForSelector("dialog .history");
    await ana.waitForFunction(() => [...document.querySelectorAll("dialog img.thumb")].filter((i) => i.naturalWidth > 0).length >= 3);
    await audit(ana, "history");
    await shot(ana, "history");
    await ana.click('dialog button:has-text("Restore revision 1")');
    await ana.waitForFunction((t) => document.querySelector('article[data-page="3"] .page-text')?.textContent.trim() === t, original);

    // Shares it with Sam as a viewer.
    await ana.click('.reader-bar button:has-text("Share")');
    await ana.fill("#share-user", "sam");
    await ana.click('dialog button:has-text("Share")');
    await ana.waitForSelector('dialog .shares li:has-text("sam")');
    await audit(ana, "share");
    await shot(ana, "share");
    await ana.click('dialog button:has-text("Done")');

    // The library with its cover, a search, the budget and the account.
    await ana.click('#nav a:has-text("Library")');
    await ana.waitForFunction(() => document.querySelector(".cover img")?.naturalWidth > 0);
    await screen(ana, "library");
    await ana.fill("#search", "lantern");
    await ana.waitForFunction(() => /1 book match/.test(document.querySelector("main p.hint")?.textContent || ""));
    await ana.click('#nav a:has-text("Budget")');
    await screen(ana, "budget");
    await ana.click('#nav a:has-text("Account")');
    await screen(ana, "account");
    await ana.click("#signout");
    await ana.waitForSelector('main[data-screen="signin"]');

    // Sam signs up and reads the shared book, without edit tools.
    const sam = await person(browser, 1280);
    await signUp(sam, "sam");
    await sam.waitForSelector("#shared-title");
    await sam.click(`a[href="#/books/${bookId}"]`);
    await sam.waitForSelector('main[data-screen="reader"]');
    if (await sam.$(".page-tools")) throw new Error("a viewer was offered edit tools");
    await sam.waitForFunction(picturesLoaded);
    await screen(sam, "shared-reader", "reader");
    await sam.click("#signout");
    await sam.waitForSelector('main[data-screen="signin"]');

    // Eve, a stranger, gets 404 for Ana's book and characters through the app's own calls.
    const eve = await person(browser, 1280);
    await signUp(eve, "eve");
    const answers = await eve.evaluate(async ({ id, characters }) => {
      const api = await import("./js/api.js");
      const statuses = [];
      for (const p of [`/v1/books/${id}`, `/v1/books/${id}/pages`, `/v1/books/${id}/pages/1/picture`, `/v1/books/${id}/book.pdf`,
        ...characters.flatMap((c) => [`/v1/characters/${c}`, `/v1/characters/${c}/portrait`])]) {
        try { await api.call(p); statuses.push(200); } catch (e) { statuses.push(e.status); }
      }
      return statuses;
    }, { id: bookId, characters: characterIds });
    if (answers.length !== 8 || answers.some((s) => s !== 404)) throw new Error(`a stranger got ${answers} for Ana's book and characters`);

    // Every screen again on a 375 px phone.
    const phone = await person(browser, 375);
    await signIn(phone, "ana");
    await screen(phone, "library");
    await phone.goto(base + "/#/characters");
    await phone.waitForFunction(() => [...document.querySelectorAll("img.portrait")].every((i) => i.dataset.state === "ready"));
    await screen(phone, "characters");
    await phone.goto(base + "/#/characters/new");
    await screen(phone, "character-form", "character-new");
    await phone.goto(base + "/#/new");
    await screen(phone, "new-book");
    await phone.goto(`${bookUrl}/read/1`);
    await phone.waitForSelector('main[data-screen="reader"]');
    await phone.waitForFunction(picturesLoaded);
    await screen(phone, "reader");
    await phone.goto(base + "/#/budget");
    await screen(phone, "budget");
    await phone.goto(base + "/#/account");
    await screen(phone, "account");
    await phone.click("#signout");
    await phone.waitForSelector('main[data-screen="signin"]');
    await screen(phone, "signin");
  } finally {
    await browser.close();
  }
  if (findings.length) {
    console.error(findings.join("\n"));
    process.exit(1);
  }
  console.log(`walked the app; screenshots in ${out}`);
}

main().catch((e) => {
  console.error(e);
  if (findings.length) console.error(findings.join("\n"));
  process.exit(1);
});
