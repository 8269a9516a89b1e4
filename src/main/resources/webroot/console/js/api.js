// REST and WebSocket access with the API key. The key lives only in this module's memory: never in
// the page URL, localStorage or a cookie, so a reload asks for it again.
let apiKey = null;

/** Keeps the key for the requests of this page. */
export function setKey(key) {
  apiKey = key;
}

export function hasKey() {
  return apiKey !== null;
}

/** Encodes one path segment (device ids may hold ':' and '.'). */
export const seg = encodeURIComponent;

async function checked(response, path) {
  if (!response.ok) {
    let detail = response.status + ' ' + response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (e) { /* not problem+json */ }
    throw new Error(path.split('?')[0] + ': ' + detail);
  }
  return response;
}

/** GET a JSON document of the API. */
export async function getJson(path) {
  const response = await fetch(path, {headers: {Authorization: 'Bearer ' + apiKey}});
  return (await checked(response, path)).json();
}

/** POST; answers the Response (the caller picks json() or blob()). */
export async function post(path, body, accept = 'application/json') {
  const response = await fetch(path, {
    method: 'POST',
    headers: {Authorization: 'Bearer ' + apiKey, 'Content-Type': 'application/json', Accept: accept},
    body: body === undefined ? '' : JSON.stringify(body),
  });
  return checked(response, path);
}

/**
 * The live stream's WebSocket. Browsers cannot set an Authorization header on a WebSocket, so the
 * key is offered as a subprotocol beside the stream's own (the server selects 'flexconnect.v1'):
 * no URL, not even the socket's, ever holds it.
 */
export function openStream() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(proto + '//' + location.host + '/api/v1/stream', ['flexconnect.v1', 'bearer.' + apiKey]);
}

/** Saves a response body as a file of the user's downloads (the zip of provisioned credentials). */
export async function download(response, fallbackName) {
  const disposition = response.headers.get('content-disposition') || '';
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {href: url, download: name});
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
