// The Hearth browser client: join with an invite, then chat.
// All user text is set with textContent; this file never builds HTML from strings.
import { strings } from "./strings.js";

const $ = (id) => document.getElementById(id);

const state = {
  socket: null,
  code: null,
  me: null,
  roster: new Map(),
  pending: new Map(),
  leaving: false,
  nextClientId: 1,
};

function show(screen) {
  for (const id of ["join-screen", "chat-screen", "left-screen"]) {
    $(id).hidden = id !== screen;
  }
}

function setStatus(text) {
  $("connection-state").textContent = text;
}

function codeFromLocation() {
  const hash = location.hash.replace(/^#/, "");
  return hash.length > 0 ? hash : null;
}

function codeFromInput(value) {
  const trimmed = value.trim();
  const hashAt = trimmed.lastIndexOf("#");
  return hashAt >= 0 ? trimmed.slice(hashAt + 1) : trimmed;
}

async function preview(code) {
  $("join-error").textContent = strings.checkingInvite;
  let response;
  try {
    response = await fetch("/api/invites/preview", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
  } catch {
    $("join-error").textContent = strings.inviteNetwork;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("join-error").textContent = body?.error?.message ?? strings.inviteNetwork;
    $("code-form").hidden = false;
    $("join-form").hidden = true;
    return;
  }
  state.code = code;
  $("join-error").textContent = "";
  $("code-form").hidden = true;
  $("group-name").textContent = body.group.name;
  $("group-description").textContent = body.group.description;
  $("group-rules").textContent = body.group.rules;
  $("join-form").hidden = false;
  $("accept-rules").focus();
}

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

function connectAndJoin(pseudonym) {
  const join = () =>
    send({ type: "join", v: 1, invite: state.code, pseudonym, accept_rules: true });
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    join();
    return;
  }
  const socket = new WebSocket(socketUrl());
  state.socket = socket;
  socket.addEventListener("open", join);
  socket.addEventListener("message", (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    handle(msg);
  });
  socket.addEventListener("close", (event) => onClose(event));
}

function send(msg) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify(msg));
    return true;
  }
  return false;
}

function onClose(event) {
  state.socket = null;
  if (state.leaving) return;
  const reasons = {
    4000: strings.closedTooSlow,
    4001: strings.closedIdle,
    1001: strings.closedShutdown,
  };
  const text = reasons[event.code] ?? (event.reason || strings.disconnected);
  if (state.me) {
    setStatus(text);
    $("send-button").disabled = true;
    $("message-input").disabled = true;
  } else {
    $("join-error").textContent = text;
  }
}

function handle(msg) {
  switch (msg.type) {
    case "welcome":
      state.me = msg.you;
      state.roster = new Map(msg.roster.map((p) => [p.id, p]));
      $("chat-heading").textContent = msg.group.name;
      $("messages").replaceChildren();
      renderRoster();
      show("chat-screen");
      setStatus(strings.connected);
      $("message-input").focus();
      break;
    case "history":
      for (const m of msg.messages) appendMessage(m);
      break;
    case "message":
      appendMessage(msg);
      break;
    case "ack":
      state.pending.delete(msg.client_id);
      $("composer-error").textContent = "";
      break;
    case "rejected": {
      const text = state.pending.get(msg.client_id);
      state.pending.delete(msg.client_id);
      $("composer-error").textContent = strings.notSent(msg.reason);
      if (text !== undefined && $("message-input").value.trim() === "") {
        $("message-input").value = text;
      }
      break;
    }
    case "roster":
      state.roster = new Map(msg.participants.map((p) => [p.id, p]));
      renderRoster();
      break;
    case "presence":
      if (msg.event === "joined") appendNotice(strings.joined(msg.participant.name));
      if (msg.event === "left") appendNotice(strings.left(msg.participant.name));
      break;
    case "error":
      if (state.me) {
        $("composer-error").textContent = msg.message;
      } else {
        $("join-error").textContent = msg.message;
        $("name-input").focus();
      }
      break;
    default:
      break;
  }
}

function nameNode(participant) {
  const bdi = document.createElement("bdi");
  bdi.className = "name";
  bdi.textContent = participant.name;
  return bdi;
}

function appendMessage(m) {
  const item = document.createElement("li");
  item.className = "message";
  if (state.me && m.from.id === state.me.id) item.classList.add("mine");
  if (m.from.role === "facilitator") item.classList.add("from-facilitator");
  item.dataset.id = String(m.id);
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.append(nameNode(m.from));
  if (m.from.role === "facilitator") {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = strings.facilitator;
    meta.append(" ", badge);
  }
  const time = document.createElement("time");
  const when = new Date(m.ts);
  time.dateTime = when.toISOString();
  time.textContent = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  meta.append(" ", time);
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = m.text;
  item.append(meta, body);
  $("messages").append(item);
  item.scrollIntoView({ block: "end" });
}

function appendNotice(text) {
  const item = document.createElement("li");
  item.className = "notice";
  item.textContent = text;
  $("messages").append(item);
}

function renderRoster() {
  const items = [...state.roster.values()].map((p) => {
    const li = document.createElement("li");
    li.append(nameNode(p));
    if (state.me && p.id === state.me.id) li.append(` (${strings.you})`);
    if (p.role === "facilitator") li.append(` · ${strings.facilitator}`);
    return li;
  });
  $("roster").replaceChildren(...items);
}

function setup() {
  $("crisis-link").addEventListener("click", (event) => {
    event.preventDefault();
    $("crisis-dialog").showModal();
  });

  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeFromInput($("code-input").value);
    if (code) {
      history.replaceState(null, "", `/join#${code}`);
      preview(code);
    }
  });

  $("join-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("join-error").textContent = "";
    connectAndJoin($("name-input").value);
  });

  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("message-input");
    const text = input.value.trim();
    if (!text) return;
    if ([...text].length > 2000) {
      $("composer-error").textContent = strings.tooLong;
      return;
    }
    const clientId = `c${state.nextClientId++}`;
    if (send({ type: "say", text, client_id: clientId })) {
      state.pending.set(clientId, text);
      input.value = "";
    } else {
      $("composer-error").textContent = strings.notSent(strings.disconnected);
    }
  });

  $("message-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });

  $("leave-button").addEventListener("click", () => {
    state.leaving = true;
    send({ type: "leave" });
    state.socket?.close(1000);
    $("messages").replaceChildren();
    $("roster").replaceChildren();
    state.roster.clear();
    sessionStorage.clear();
    show("left-screen");
  });

  const code = codeFromLocation();
  show("join-screen");
  if (code) {
    preview(code);
  } else {
    $("code-form").hidden = false;
    $("join-error").textContent = "";
  }
}

setup();
