/* okrsite's search worker: Material's search box, answered by Pagefind.
 *
 * Material's page script starts the worker its page configuration names (okrsite names
 * this file) and speaks Material's search-worker protocol to it: SETUP (0) with
 * Material's own index, which okrsite keeps empty, answered by READY (1); then QUERY
 * (2) with the text typed, answered by RESULT (3) with { items }: one list per page,
 * the page first, then its sections, each { location, title, text, score, terms },
 * where title and text are HTML that Material's page script inserts as it is. So every
 * text from the index is escaped here; only the <mark> around matched words is markup.
 *
 * Pagefind's runtime (pagefind/pagefind.js at the site's root, written by the build)
 * fetches only the index chunks and page fragments a query needs. */

"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// Fragments are fetched one per page shown: the first screenful and a little more.
const PAGES = 20;

// This file is assets/okrsite/search-worker.js in the site; Pagefind's bundle is at the root.
const BUNDLE = new URL("../../pagefind/pagefind.js", self.location.href).href;

let pagefind = null;
let latest = 0; // the last query asked: an answer to an older one is dropped

function loadPagefind() {
  if (pagefind === null) {
    pagefind = import(BUNDLE).then(async (module) => {
      await module.options({ excerptLength: 24 });
      await module.init();
      return module;
    });
  }
  return pagefind;
}

const ENTITIES = { "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'", "&amp;": "&" };

function decode(text) {
  return text.replace(/&(?:lt|gt|quot|amp|#39|#x27);/g, (entity) => ENTITIES[entity]);
}

function escape(text) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Pagefind's excerpt, as HTML that is escaped text and <mark> elements only: whatever
// Pagefind did or did not escape, the text between the marks is decoded and escaped again.
function markedText(excerpt) {
  return String(excerpt || "")
    .split(/<\/?mark>/)
    .map((part, i) => (i % 2 ? `<mark>${escape(decode(part))}</mark>` : escape(decode(part))))
    .join("");
}

function plainText(text) {
  return escape(decode(String(text || "").replace(/<\/?mark>/g, "")));
}

// Pagefind's URLs start at the site's root ("/goals/x/"); Material resolves a location
// against the site's base, wherever the site is served from.
function sitePath(url) {
  return String(url || "").replace(/^\/+/, "");
}

function terms(query) {
  const words = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
  return Object.fromEntries(words.map((word) => [word, true]));
}

// One page: the page first (score above its sections', so Material shows its excerpt),
// then each section with a heading that holds a match, best first.
function item(data, rank, matched) {
  const score = 1000 - rank;
  const page = {
    location: sitePath(data.url),
    title: plainText(data.meta && data.meta.title),
    text: markedText(data.excerpt),
    score,
    terms: matched,
  };
  const sections = (data.sub_results || [])
    .filter((sub) => sub.anchor && sub.anchor.element !== "h1" && String(sub.url).includes("#"))
    .map((sub) => ({
      location: sitePath(sub.url),
      title: plainText(sub.title),
      text: markedText(sub.excerpt),
      count: (sub.locations || []).length,
      terms: matched,
    }))
    .sort((a, b) => b.count - a.count)
    .map(({ count, ...section }) => ({ ...section, score: score - 1 + count / (count + 1) }));
  return [page, ...sections];
}

async function answer(query) {
  const text = String(query || "").trim();
  if (!text) return { items: [] };
  const module = await loadPagefind();
  const search = await module.search(text);
  if (!search || !search.results) return { items: [] };
  const shown = search.results.slice(0, PAGES);
  const pages = await Promise.all(shown.map((result) => result.data()));
  const matched = terms(text);
  return { items: pages.map((data, rank) => item(data, rank, matched)) };
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === SETUP) {
    // Started now, while the reader reaches for the box: the first query finds it ready.
    loadPagefind().catch((error) => console.warn("okrsite search: Pagefind did not load", error));
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const asked = ++latest;
    let data;
    try {
      data = await answer(message.data);
    } catch (error) {
      console.warn("okrsite search: no answer", error);
      data = { items: [] };
    }
    if (asked === latest) self.postMessage({ type: RESULT, data });
  }
});
