// Drives the web reader in headless Chromium: sign in, save a character, order a book,
// watch it reach Ready, open page 3, edit its text, redraw its picture, download the PDF.
// Usage: node reader.cjs BASE_URL TOKEN OUT_DIR   (exits non-zero on any failure)
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const [base, token, out] = process.argv.slice(2);
const WAIT = 120000;

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 1400 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => { throw e; });
    await page.goto(base + "/");
    await page.fill("#token", token);
    await page.click("#signin-form button");
    await page.waitForSelector("#library:not([hidden])");

    await page.fill("#c-name", "Hazel");
    await page.fill("#c-kind", "hedgehog");
    await page.fill("#c-look", "a small brown hedgehog with a red scarf");
    await page.fill("#c-traits", "brave, curious");
    await page.click("#character-form button");
    await page.waitForSelector("#b-cast input");

    await page.fill("#b-premise", "A brave hedgehog who is afraid of the dark");
    await page.selectOption("#b-age", "3-5");
    await page.fill("#b-pages", "4");
    await page.check("#b-cast input");
    await page.click("#book-form button");
    await page.waitForSelector("#book[data-status=ready]", { timeout: WAIT });
    await page.waitForSelector("#reader:not([hidden])");

    await page.click("#next");
    await page.click("#next");
    await page.waitForSelector("#reader[data-page='3']");
    const edited = "Hazel lit a tiny lantern and the dark felt friendly.";
    await page.fill("#edit-text", edited);
    await page.click("#edit-form button");
    await page.waitForFunction((t) => document.getElementById("page-text").textContent === t, edited, { timeout: WAIT });

    const before = await page.getAttribute("#picture", "src");
    await page.fill("#redraw-note", "make the sky stormy");
    await page.click("#redraw-form button");
    await page.waitForFunction((old) => {
      const book = document.getElementById("book");
      const img = document.getElementById("picture");
      const note = document.getElementById("picture-note").textContent;
      return book.dataset.status === "ready" && img.src !== old && !note.includes("being drawn")
        && document.getElementById("reader").dataset.page === "3";
    }, before, { timeout: WAIT });
    const text = await page.textContent("#page-text");
    if (text !== edited) throw new Error(`page 3 says ${JSON.stringify(text)} after the redraw`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#pdf")]);
    const pdf = path.join(out, "book.pdf");
    await download.saveAs(pdf);
    const head = fs.readFileSync(pdf).subarray(0, 5).toString();
    if (head !== "%PDF-") throw new Error("the download is not a PDF: " + head);

    await page.screenshot({ path: path.join(out, "reader.png"), fullPage: true });
    console.log("web reader: ok");
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
