// Small DOM helpers shared by the member client and the facilitator console.
// Nothing here parses HTML: elements are created one by one and every piece of text becomes a
// text node (or goes through textContent), so user text can never become markup.

// Builds an element: attributes are set as properties or attributes; `on…` attributes become
// event listeners (never inline handlers); children that are strings become text nodes.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

// Appends children (strings become text nodes; null, undefined and false are skipped).
export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return element;
}

export const $ = (id) => document.getElementById(id);

// A person's name: always in <bdi>, so a right-to-left name cannot reorder the line around it.
export function nameNode(name, className = "name") {
  const bdi = document.createElement("bdi");
  bdi.className = className;
  bdi.textContent = name;
  return bdi;
}

// The plain text of a list of parts (strings and nodes), for the screen-reader announcer.
export function textOf(parts) {
  return [parts]
    .flat(Infinity)
    .map((part) => (typeof part === "string" || typeof part === "number" ? String(part) : (part?.textContent ?? "")))
    .join("");
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "numeric",
  minute: "2-digit",
});

export function formatTime(ms) {
  return timeFormat.format(new Date(ms));
}

export function formatDayTime(ms) {
  return dayTimeFormat.format(new Date(ms));
}

// A <time> element for a server timestamp (Unix milliseconds).
export function timeNode(ms, format = formatTime) {
  const when = new Date(ms);
  const node = document.createElement("time");
  node.dateTime = when.toISOString();
  node.textContent = format(ms);
  return node;
}

// Whole minutes from now until `ms`, rounded up (0 when past).
export function minutesUntil(ms, now = Date.now()) {
  return Math.max(0, Math.ceil((ms - now) / 60000));
}

// A polite live region: each announcement is appended as its own paragraph, so assistive
// technology reads the new line only (never the whole log again). Old lines are pruned.
export class Announcer {
  constructor(element) {
    this.element = element;
  }

  say(parts) {
    const text = textOf(parts).trim();
    if (!text) return;
    const line = document.createElement("p");
    line.textContent = text;
    this.element.append(line);
    while (this.element.childElementCount > 5) this.element.firstElementChild.remove();
  }

  clear() {
    this.element.replaceChildren();
  }
}

// True when a key press belongs to a text field (shortcuts must never steal those).
export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.closest("input, textarea, select, [contenteditable]")) return true;
  return false;
}

// Only web addresses that are plainly https: become links.
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
