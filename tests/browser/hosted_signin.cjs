// The app configured for AWS (config.json saying "cognito"), in headless Chromium: it
// sends the person to the user pool's hosted page with a PKCE challenge, takes the code
// back, exchanges it (with the verifier) for tokens, and calls the API with the ID token
// as its bearer. The hosted pages are stood in for by routes; the API is the local stack,
// which accepts the token given (one it signed). axe runs on the sign-in screen.
// Usage: node hosted_signin.cjs BASE_URL TOKEN OUT_DIR   (exits non-zero on any failure)
"use strict";
const { chromium } = require("playwright-core");
const crypto = require("crypto");
const path = require("path");

const [base, token, out] = process.argv.slice(2);
const DOMAIN = "https://storyloom-test.auth.example.test";
const CLIENT = "5exampleclientid";

function check(ok, what) {
  if (!ok) throw new Error(what);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const errors = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/config.json", (route) => route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        auth: "cognito", live: "sse", api: "",
        cognito: { domain: DOMAIN, client_id: CLIENT, redirect_uri: `${base}/`, scopes: "openid email" },
      }),
    }));
    let authorize = null;
    let exchange = null;
    await page.route(`${DOMAIN}/**`, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.pathname === "/login") {
        authorize = url;
        // The hosted page signs the person in and sends them back with a code.
        return route.fulfill({ status: 302, headers: { location: `${base}/?code=the-code&state=${url.searchParams.get("state")}` } });
      }
      if (url.pathname === "/oauth2/token") {
        exchange = new URLSearchParams(request.postData());
        return route.fulfill({
          contentType: "application/json",
          headers: { "access-control-allow-origin": base },
          body: JSON.stringify({ id_token: token, access_token: token, expires_in: 3600, token_type: "Bearer" }),
        });
      }
      return route.fulfill({ status: 404, body: "" });
    });

    await page.goto(`${base}/`);
    await page.waitForSelector('main[data-screen="signin"]');
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => (await window.axe.run()).violations
      .filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => v.id));
    check(violations.length === 0, `axe: ${violations}`);
    await page.screenshot({ path: path.join(out, "hosted-signin-1280.png") });
    await page.click('button:has-text("Continue to sign in")');
    await page.waitForSelector('main[data-screen="library"]');

    check(authorize, "the hosted sign-in page was never opened");
    const q = authorize.searchParams;
    check(q.get("response_type") === "code", `response_type ${q.get("response_type")}`);
    check(q.get("client_id") === CLIENT, "client_id");
    check(q.get("redirect_uri") === `${base}/`, "redirect_uri");
    check(q.get("code_challenge_method") === "S256", "S256");
    check(exchange, "the code was never exchanged");
    check(exchange.get("grant_type") === "authorization_code" && exchange.get("code") === "the-code", "grant");
    const verifier = exchange.get("code_verifier");
    const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
    check(challenge === q.get("code_challenge"), "the verifier does not match the challenge");
    check(!(await page.url()).includes("code="), "the code stays in the address bar");

    // The API is called with the ID token: the library is the token owner's.
    const status = await page.evaluate(async () => {
      const api = await import("./js/api.js");
      return (await api.call("/v1/budget")).month ? 200 : 0;
    });
    check(status === 200, "the API refused the bearer");
  } finally {
    await browser.close();
  }
  if (errors.length) throw new Error(errors.join("\n"));
  console.log("hosted sign-in with PKCE works");
}

main().catch((e) => { console.error(e); process.exit(1); });
