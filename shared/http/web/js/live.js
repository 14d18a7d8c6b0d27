// Live progress of one book, behind one call: Server-Sent Events from the local stack,
// the WebSocket API (with a single-use ticket) on AWS. Either way `onProgress` gets the
// same progress view the API's GET /v1/books/{id}/progress returns.

import { call } from "./api.js";

let config = { live: "sse" };
export function configure(c) { config = c; }

/** Follows book `id`; returns a function that stops following. */
export function follow(id, onProgress, onError = () => {}) {
  const controller = new AbortController();
  const run = config.live && config.live.startsWith("ws") ? socket : events;
  run(id, onProgress, controller.signal).catch((e) => { if (e.name !== "AbortError") onError(e); });
  return () => controller.abort();
}

async function events(id, onProgress, signal) {
  const response = await call(`/v1/books/${id}/events`, { raw: true, signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      if (block.includes("event: progress") && data) onProgress(JSON.parse(data));
    }
  }
}

async function socket(id, onProgress, signal) {
  const { ticket } = await call("/v1/live/tickets", { method: "POST" });
  const ws = new WebSocket(`${config.live}?ticket=${encodeURIComponent(ticket)}`);
  signal.addEventListener("abort", () => ws.close());
  ws.addEventListener("open", () => ws.send(JSON.stringify({ action: "subscribe", book_id: id })));
  ws.addEventListener("message", (m) => {
    const event = JSON.parse(m.data);
    if (event.event === "progress" && event.book_id === id) onProgress(event.progress);
  });
  // The current state first: pushes only come when something changes.
  onProgress(await call(`/v1/books/${id}/progress`, { signal }));
}
