/*
 * api.js — the dashboard's only door to the amicus JSON API (docs/api.md).
 *
 * Every call goes to a relative URL (/api/...), so the dashboard works from
 * whatever host serves it. The bearer token, when the server needs one, is
 * kept in sessionStorage (gone when the tab closes). On a 401 the client asks
 * for the token once — concurrent requests share one prompt — stores it and
 * retries; a second 401 is reported as an error. Errors come back as
 * ApiError with the server's own message ({"error": ..., "status": N}) so
 * pages can show it.
 */
const TOKEN_KEY = 'amicus.token';

/** An error from the API (status 0 = the server could not be reached). */
export class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/* The function that asks the user for a token: () => Promise<string|null>; set by app.js. */
let promptForToken = null;
let pendingPrompt = null;

export function setTokenPrompt(fn) {
  promptForToken = fn;
}

/* One prompt at a time: every request that got a 401 meanwhile waits for the same answer. */
function askToken() {
  if (!pendingPrompt) {
    pendingPrompt = Promise.resolve(promptForToken ? promptForToken() : null)
      .finally(() => { pendingPrompt = null; });
  }
  return pendingPrompt;
}

/** "/api/x" + {a: 1, b: null} -> "/api/x?a=1" (empty values left out). */
export function url(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Send a request and return the response. Retries once with a new token
 * after a 401. Throws ApiError for network failures, never for HTTP errors
 * (the caller reads them: see json()).
 */
export async function send(method, path, { query, body, accept = 'application/json' } = {}) {
  const target = url(path, query);
  let retried = false;
  for (;;) {
    const token = getToken();
    const headers = { Accept: accept };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(target, {
        method, headers, cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, e.message, path);
    }
    if (res.status !== 401 || retried) return res;
    retried = true;
    // Someone may have entered a new token while this request was in flight.
    if (getToken() && getToken() !== token) continue;
    const fresh = await askToken();
    if (!fresh) return res;
    setToken(fresh);
  }
}

/* Read a JSON response; turn an HTTP error into ApiError with the server's message. */
async function json(res, path) {
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401) setToken(''); // the token was refused: ask again next time
    const msg = (data && typeof data.error === 'string') ? data.error : res.statusText;
    throw new ApiError(res.status, msg, path);
  }
  return data;
}

/** GET a JSON resource. */
export async function get(path, query) {
  return json(await send('GET', path, { query }), path);
}

/** POST a JSON body; returns the parsed answer. */
export async function post(path, body) {
  return json(await send('POST', path, { body }), path);
}

/** Download a file (e.g. a report) with the token; returns {blob, filename} or throws ApiError. */
export async function download(path, query) {
  const res = await send('GET', path, { query, accept: '*/*' });
  if (!res.ok) await json(res, path); // throws with the server's message
  const disp = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disp);
  return { blob: await res.blob(), filename: m ? decodeURIComponent(m[1]) : null };
}
