/* okrsite's search worker: Material's search box, answered by okrsite's static index.
 *
 * Material's page script starts the worker its page configuration names (okrsite names
 * this file) and speaks Material's search-worker protocol to it: SETUP (0) with
 * Material's own index, which okrsite keeps empty, answered by READY (1); then QUERY
 * (2) with the text typed, answered by RESULT (3) with { items }: one list per result,
 * each { location, title, text, score, terms }, where title and text are HTML that
 * Material's page script inserts as it is. So every text from the index is escaped
 * here; only the <mark> around matched words is markup.
 *
 * The index (search/okrsite/, written by okrsite.site.search_index): meta.json, and in
 * the folder it names (after a fingerprint of its files: a name always means the same
 * files) word shards w/<first two characters>.json and document blocks d/<n>.json. A
 * query fetches the shards of its words and the blocks of the results shown, each once
 * per visit (the browser may keep them). meta.json is asked of the server on the first
 * query and again when read more than RECHECK ms before, so an open page finds a newer
 * index; a query that fails (the index it knew is gone) is answered once more with
 * every file asked of the server.
 * Words are cut as okrsite.site.search_text cuts them: lower case, accents dropped,
 * letters and digits only, no one-character or stop words. Every word must match; each
 * matches the index's words it starts (typeahead), an exact match scoring a little more.
 *
 * The real number of matches goes to okrsite.js on BroadcastChannel("okrsite-search"),
 * which completes Material's count line ("50 of 9,477 matching documents"). */

"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

const SHOWN = 50; // results answered: Material's list shows them as the reader scrolls
const PAUSE = 100; // ms without a newer keystroke before a query is looked up
const PREFIX_WORDS = 500; // index words one typed word may stand for
const QUERY_WORDS = 12; // words of a query looked up (each must match: more find nothing)
const TITLE_HIT = 3;
const TEXT_HIT = 1;
const EXACT_HIT = 0.5;
const VERSION = 2; // okrsite.site.search_index.VERSION: the index this worker reads
const RECHECK = 10000; // ms: a meta.json read longer ago is asked for again

// This file is assets/okrsite/search-worker.js in the site; the index is search/okrsite/.
const BASE = new URL("../../search/okrsite/", self.location.href).href;

let meta = null; // Promise of meta.json, as read
let metaRead = 0; // when it was asked for
const files = new Map(); // path -> Promise of its JSON, fetched once per visit
let latest = 0; // the last query asked: an older one still waiting is dropped
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("okrsite-search") : null;

function fetchJson(path, options) {
  return fetch(BASE + path, options).then((response) => {
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  });
}

// An index file. `fresh`: asked of the server whatever the browser kept (a server may
// let it keep a 404 of a file uploaded since).
function load(path, fresh) {
  if (fresh || !files.has(path)) {
    const data = fetchJson(path, fresh ? { cache: "no-cache" } : undefined);
    data.catch(() => files.get(path) === data && files.delete(path)); // tried again
    files.set(path, data);
  }
  return files.get(path);
}

function loadMeta(fresh) {
  const now = Date.now();
  if (meta === null || fresh || now - metaRead > RECHECK) {
    metaRead = now;
    const asked = fetchJson("meta.json", { cache: "no-cache" }).then((m) => {
      if (m.version !== VERSION) throw new Error(`meta.json: index version ${m.version}`);
      return { ...m, stop: new Set(m.stop), shards: new Set(m.shards) };
    });
    asked.catch(() => meta === asked && (meta = null));
    meta = asked;
  }
  return meta;
}

// okrsite.site.search_text.FOLDED_LETTERS: letters NFKD leaves whole.
const LETTERS = { "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ı": "i", "ς": "σ" };

// As search_text.fold: lower case, NFKD without the marks, lower case again, the letters.
function fold(text) {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[øæœßđłþıς]/g, (c) => LETTERS[c]);
}

const WORD = /[\p{L}\p{N}]+/gu;

function shardKey(word) {
  const key = [...word].slice(0, 2).join("");
  if (/^[a-z0-9]{2}$/.test(key)) return key;
  return "_" + [...key].map((c) => c.codePointAt(0).toString(16)).join("-");
}

// The words of a query, as the index cuts them: the first QUERY_WORDS.
function queryWords(text, m) {
  const found = new Set();
  for (const word of fold(text).match(WORD) || []) {
    if ([...word].length >= m.min && !m.stop.has(word)) found.add(word);
    if (found.size === QUERY_WORDS) break;
  }
  return [...found];
}

function ungap(gaps) {
  let id = 0;
  return gaps.map((gap) => (id += gap));
}

// doc id -> score of one typed word: the best of the index words it starts.
async function matches(word, m, fresh) {
  const key = shardKey(word);
  const scores = new Map();
  if (!m.shards.has(key)) return scores;
  const shard = await load(`${m.index}/w/${key}.json`, fresh);
  let taken = 0;
  for (const [indexed, [title, text]] of Object.entries(shard)) {
    if (!indexed.startsWith(word)) continue;
    // Bounded work for a short prefix; the exact word always counts.
    if (++taken > PREFIX_WORDS && indexed !== word) continue;
    const bonus = indexed === word ? EXACT_HIT : 0;
    // Title and text add up for one index word; the best index word counts.
    const one = new Map();
    for (const id of ungap(title)) one.set(id, TITLE_HIT + bonus);
    for (const id of ungap(text)) one.set(id, (one.get(id) || bonus) + TEXT_HIT);
    for (const [id, score] of one) if (score > (scores.get(id) || 0)) scores.set(id, score);
  }
  return scores;
}

// Ids and scores of the documents every word matches, best first, ties by id.
function intersect(perWord) {
  perWord.sort((a, b) => a.size - b.size);
  const [fewest, ...others] = perWord;
  const found = [];
  for (const [id, score] of fewest) {
    let total = score;
    for (const other of others) {
      const more = other.get(id);
      if (more === undefined) {
        total = -1;
        break;
      }
      total += more;
    }
    if (total >= 0) found.push([id, total]);
  }
  return found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

function escape(text) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Escaped text with <mark> around each word that starts with a typed word.
function marked(text, typed) {
  let html = "";
  let last = 0;
  for (const match of String(text).matchAll(WORD)) {
    const word = fold(match[0]);
    if (typed.some((t) => word.startsWith(t))) {
      html += escape(text.slice(last, match.index)) + `<mark>${escape(match[0])}</mark>`;
      last = match.index + match[0].length;
    }
  }
  return html + escape(text.slice(last));
}

async function answer(query, fresh) {
  const m = await loadMeta(fresh);
  const typed = queryWords(String(query || ""), m);
  if (!typed.length) return { items: [], total: 0 };
  const found = intersect(await Promise.all(typed.map((word) => matches(word, m, fresh))));
  const shown = found.slice(0, SHOWN);
  const blocks = await Promise.all(
    [...new Set(shown.map(([id]) => Math.floor(id / m.block)))].map((n) =>
      load(`${m.index}/d/${n}.json`, fresh).then((docs) => [n, docs]),
    ),
  );
  const byBlock = new Map(blocks);
  const terms = Object.fromEntries(typed.map((word) => [word, true]));
  const items = shown.map(([id, score]) => {
    const [location, title, summary] = byBlock.get(Math.floor(id / m.block))[id % m.block];
    return [{ location, title: marked(title, typed), text: marked(summary, typed), score, terms }];
  });
  return { items, total: found.length };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === SETUP) {
    // Fetched now, while the reader reaches for the box: the first query finds it here.
    loadMeta().catch((error) => console.warn("okrsite search: no index", error));
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const asked = ++latest;
    const query = String(message.data || "");
    if (query.trim()) await pause(PAUSE); // typing on: only the last query is looked up
    if (asked !== latest) return;
    let result;
    try {
      result = await answer(query, false);
    } catch {
      if (asked !== latest) return;
      try {
        result = await answer(query, true);
      } catch (error) {
        console.warn("okrsite search: no answer", error);
        result = { items: [], total: 0 };
      }
    }
    if (asked !== latest) return;
    self.postMessage({ type: RESULT, data: { items: result.items } });
    if (channel) channel.postMessage({ query, shown: result.items.length, total: result.total });
  }
});
