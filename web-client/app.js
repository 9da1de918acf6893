// The Hearth member client: one calm path from the invite link to the closing screen.
//
//   invite link → how this works → a name → the ground rules → waiting room → the session → closing
//
// All user text is set with textContent (through dom.js); this file never builds HTML from strings.
// Only the resume token is kept in sessionStorage; leaving or the end of the session empties it
// and clears the page.
import { strings as S } from "./strings.js";
import { $, h, nameNode, textOf, formatTime, formatDayTime, minutesUntil, Announcer, safeUrl, timeNode } from "./dom.js";
import { Connection } from "./connection.js";
import { ChatLog, REACTIONS } from "./chatlog.js";
import { openPopover, closePopover } from "./popover.js";

const RESUME_KEY = "hearth.resume";
const SCREENS = ["invite", "intro", "name", "rules", "joining", "early", "waiting", "room", "ended", "gone"];
const EARLY_RETRY_SECONDS = 30;

const state = {
  code: null,
  preview: null,
  resources: null,
  name: "",
  rulesAccepted: false,
  wantSeat: false,
  seated: false,
  me: null,
  group: null,
  room: null,
  roster: [],
  limits: { max_text_chars: 2000 },
  mutedUntil: null,
  muteReason: null,
  pending: new Map(),
  nextId: 1,
  lastPostAt: null,
  privateThread: [],
  privateUnread: 0,
  farewell: null,
  finished: false,
  screen: null,
  lastCloseCode: null,
  earlyTimer: null,
  slowTimer: null,
  reportTarget: null,
  crisisOpener: null,
  everPresent: false,
};

const announcer = new Announcer($("announcer"));
let conn = null;

const log = new ChatLog({
  list: $("messages"),
  scroller: $("log-scroller"),
  jump: $("jump-button"),
  strings: S,
  announcer,
  me: () => state.me?.id,
  onReact: (message, reaction, on) => send({ type: "react", message, reaction, on }),
  onActions: (entry, button) => messageMenu(entry, button),
  onResend: (text) => restoreComposer(text, { force: true }),
});

// ---------------------------------------------------------------------------------------------
// Screens and strings

function applyStrings() {
  for (const el of document.querySelectorAll("[data-s]")) el.textContent = S[el.dataset.s];
  for (const el of document.querySelectorAll("[data-s-label]")) el.setAttribute("aria-label", S[el.dataset.sLabel]);
  for (const el of document.querySelectorAll("[data-step]")) el.textContent = S.step(Number(el.dataset.step), 3);
  $("explain").replaceChildren(...S.explain.map(([lead, rest]) => h("li", {}, h("strong", {}, lead), rest)));
  $("report-reason").replaceChildren(...Object.entries(S.reasons).map(([code, label]) => h("option", { value: code }, label)));
  updatePrivateToggles();
}

function show(screen, { focus = "heading" } = {}) {
  closePopover();
  state.screen = screen;
  for (const name of SCREENS) $(`screen-${name}`).hidden = name !== screen;
  const inSession = ["joining", "early", "waiting", "room"].includes(screen);
  $("leave-button").hidden = !inSession;
  if (screen !== "waiting" && screen !== "room") hidePrivatePanel({ refocus: false });
  else placePrivatePanel();
  if (focus === "heading") $(`screen-${screen}`).querySelector("h1")?.focus();
  else if (focus) focus.focus();
}

function setTopGroup(name) {
  $("top-group").textContent = name ? `· ${name}` : "";
  document.title = name ? `${name} · Hearth` : "Hearth";
}

// ---------------------------------------------------------------------------------------------
// The connection, in words

function onStatus(status) {
  const text = $("connection-text");
  const count = $("connection-count");
  const retry = $("retry-button");
  const banner = $("connection-banner");
  const inRoom = state.screen === "waiting" || state.screen === "room";
  let message = "";
  let counter = "";
  switch (status.state) {
    case "connecting":
      message = inRoom ? S.connecting : "";
      $("joining-status").textContent = S.connecting;
      break;
    case "open":
      message = "";
      break;
    case "retrying":
      message = navigator.onLine === false ? S.offline : state.lastCloseCode === 1001 ? S.serverRestarting : S.retrying;
      // Offline, the browser says when the network is back; a countdown would only distract.
      counter = navigator.onLine === false ? "" : S.retryIn(status.seconds);
      $("joining-status").textContent = `${message} ${counter}`;
      break;
    default:
      message = "";
  }
  if (text.textContent !== message) text.textContent = message;
  count.textContent = counter;
  retry.hidden = status.state !== "retrying";
  banner.classList.toggle("show", Boolean(message));
  renderComposerState();
}

function send(msg) {
  return Boolean(conn && conn.send(msg));
}

function joinMessage() {
  if (!state.wantSeat) return null;
  const msg = { type: "join", v: 1, invite: state.code };
  if (state.resume) msg.resume = state.resume;
  if (state.name) {
    msg.pseudonym = state.name;
    msg.accept_rules = state.rulesAccepted;
  }
  return msg;
}

function connect() {
  state.wantSeat = true;
  if (conn && !conn.stopped) {
    if (conn.isOpen) conn.send(joinMessage());
    return;
  }
  conn = new Connection({ join: joinMessage, onMessage: handle, onClose, onStatus });
  conn.start();
}

function onClose(event) {
  state.seated = false;
  state.lastCloseCode = event.code;
  if (state.finished) return false;
  switch (event.code) {
    case 4002:
    case 4003:
      showFarewell(event.code === 4003 ? "banned" : "removed");
      return false;
    case 4004:
      if (!state.finished) showEnded(null);
      return false;
    case 4006:
      showOtherTab();
      return false;
    case 1000:
      return state.wantSeat;
    default:
      // 1001 (server restart), 4000, 4001, a network drop: come back with the resume token.
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Server messages

function handle(msg) {
  switch (msg.type) {
    case "welcome":
      return onWelcome(msg);
    case "history":
      for (const m of msg.messages) log.addMessage(m);
      return undefined;
    case "message":
      log.addMessage(msg, { live: true });
      return undefined;
    case "ack":
      return onAck(msg);
    case "rejected":
      return onRejected(msg);
    case "presence":
      return onPresence(msg);
    case "roster":
      state.roster = msg.participants;
      renderRoster();
      return undefined;
    case "room_state":
      return onRoomState(msg);
    case "reaction":
      log.react(msg.message, msg.reaction, msg.by, msg.on);
      return undefined;
    case "turn":
      return onTurn(msg);
    case "deleted":
      log.remove(msg.message);
      announcer.say(S.deletedNotice);
      return undefined;
    case "private":
      return onPrivate(msg);
    case "reported":
      log.addNotice(S.reportThanks, { kind: "private-notice", live: true });
      return undefined;
    case "resources":
      return onResources(msg);
    case "moderation":
      return onModeration(msg);
    case "ended":
      return showEnded(msg);
    case "error":
      return onError(msg);
    default:
      return undefined;
  }
}

function onWelcome(msg) {
  const wasPresent = state.me?.status === "present";
  const reconnecting = state.seated === false && state.me !== null;
  state.seated = true;
  state.me = msg.you;
  state.group = msg.group;
  state.room = msg.room;
  state.roster = msg.roster;
  state.limits = msg.limits ?? state.limits;
  state.resources = msg.resources ?? state.resources;
  state.resume = msg.resume;
  state.mutedUntil = msg.you.muted_until ?? null;
  if (!state.mutedUntil) state.muteReason = null;
  try {
    sessionStorage.setItem(RESUME_KEY, msg.resume);
  } catch {
    // Storage may be unavailable (private mode); resuming then needs the name again.
  }
  conn?.seated();
  setTopGroup(msg.group.name);
  clearTimeout(state.earlyTimer);

  // Everything is drawn afresh: the server resends the history.
  log.reset();
  $("room-heading").textContent = msg.group.name;
  $("waiting-rules").textContent = msg.group.rules;
  if (msg.you.status === "waiting") {
    const first = state.screen !== "waiting";
    show("waiting", { focus: first ? "heading" : null });
    renderCountdown();
  } else {
    const first = !wasPresent;
    const typingPrivately = $("private-panel").contains(document.activeElement);
    renderRoom();
    show("room", { focus: first && !typingPrivately ? $("message-input") : null });
    if (first) {
      state.everPresent = true;
      log.addNotice(S.admittedNotice, { kind: "private-notice", live: true });
    }
    if (!first && (document.activeElement === document.body || !document.activeElement)) $("message-input").focus();
  }
  if (reconnecting) announcer.say(S.reconnected);
  if (state.pending.size > 0) setTimeout(reconcilePending, 1500);
}

// After a reconnect, messages sent just before the drop may or may not have arrived. Those that
// are in the resent history were delivered; the others are offered back, with the reason.
function reconcilePending() {
  if (!state.me) return;
  const delivered = log.textsFrom(state.me.id);
  const privateDelivered = state.privateThread.filter((p) => p.from.id === state.me.id).map((p) => p.text);
  for (const [id, pending] of state.pending) {
    state.pending.delete(id);
    if (pending.kind === "say") {
      if (delivered.includes(pending.text)) continue;
      log.addUnsent(pending.text, S.connectionLostUnsent);
      restoreComposer(pending.text);
    } else if (!privateDelivered.includes(pending.text)) {
      $("private-error").textContent = S.unsent(S.connectionLostUnsent);
      if (!$("private-input").value.trim()) $("private-input").value = pending.text;
    }
  }
}

function onAck(msg) {
  const pending = state.pending.get(msg.client_id);
  state.pending.delete(msg.client_id);
  if (pending?.kind === "say") {
    state.lastPostAt = Date.now();
    $("composer-error").textContent = "";
    renderComposerState();
  } else if (pending?.kind === "private") {
    $("private-error").textContent = "";
  }
}

function onRejected(msg) {
  const pending = state.pending.get(msg.client_id);
  state.pending.delete(msg.client_id);
  if (msg.code === "muted" && !state.mutedUntil) {
    state.mutedUntil = Date.now() + 60000;
    renderNotices();
  }
  if (pending?.kind === "private") {
    $("private-error").textContent = S.unsent(msg.reason);
    if (!$("private-input").value.trim()) $("private-input").value = pending.text;
    announcer.say(S.unsent(msg.reason));
    return;
  }
  $("composer-error").textContent = S.unsent(msg.reason);
  if (pending) {
    log.addUnsent(pending.text, msg.reason);
    restoreComposer(pending.text);
  }
  announcer.say(S.unsent(msg.reason));
}

function onPresence(msg) {
  const who = nameNode(msg.participant.name);
  const words = { joined: S.joined, left: S.left, away: S.away_, back: S.cameBack }[msg.event];
  if (words) log.addNotice(words(who), { kind: "presence", live: msg.event !== "away" && msg.event !== "back" });
}

function onTurn(msg) {
  if (msg.participant.id === state.me?.id) {
    if (msg.event === "called") {
      const pass = h("button", { type: "button", class: "link-button" }, S.pass);
      pass.addEventListener("click", () => doPass());
      log.addNotice(S.calledYou, { kind: "turn mine", live: true, actions: [pass] });
    } else {
      log.addNotice(S.passed(nameNode(msg.participant.name)), { kind: "turn" });
    }
    return;
  }
  const who = nameNode(msg.participant.name);
  log.addNotice(msg.event === "called" ? S.called(who) : S.passed(who), { kind: "turn", live: msg.event === "called" });
}

function onRoomState(room) {
  const before = state.room;
  state.room = room;
  if (state.screen === "waiting") renderCountdown();
  if (state.screen !== "room") return;
  renderRoom();
  if (!before) return;
  if (room.paused && !before.paused) announcer.say(room.paused_because === "no_facilitator" ? S.pausedNoFacilitator : S.pausedByFacilitator);
  if (!room.paused && before.paused) announcer.say(S.resumedNotice);
  if (room.slow_seconds !== before.slow_seconds) announcer.say(room.slow_seconds > 0 ? S.slowMode(room.slow_seconds) : S.slowOff);
  if (room.pinned?.text && room.pinned?.text !== before.pinned?.text) announcer.say([S.pinnedLabel, ": ", room.pinned.text]);
  if (room.phase === "closing" && before.phase !== "closing") announcer.say(closingText());
  if (room.phase === "live" && before.phase !== "live" && before.phase !== "closing") announcer.say(S.openedNotice);
}

function onPrivate(msg) {
  state.privateThread.push(msg);
  renderPrivateThread();
  const panel = $("private-panel");
  const reading = !panel.hidden && panel.contains(document.activeElement);
  if (msg.from.id !== state.me?.id) {
    if (!reading || panel.hidden) {
      state.privateUnread += panel.hidden ? 1 : 0;
      updatePrivateToggles();
    }
    announcer.say(S.privateAnnounce(msg.from.name));
  }
}

function onResources(msg) {
  state.resources = msg.resources ?? state.resources;
  if (msg.cause === "requested") {
    openCrisis({ note: S.supportSent });
    return;
  }
  // Their words sounded like they may be in danger: a gentle private note, not a pop-up.
  const showLines = h("button", { type: "button", class: "link-button" }, S.crisisShow);
  showLines.addEventListener("click", () => openCrisis({ note: S.crisisFromWords }));
  log.addNotice(S.crisisFromWords, { kind: "private-notice care", live: true, actions: [showLines] });
}

function onModeration(msg) {
  if (msg.participant && msg.participant.id !== state.me?.id) return;
  switch (msg.action) {
    case "muted":
      state.mutedUntil = msg.until ?? Date.now() + 60000;
      state.muteReason = msg.reason ?? null;
      renderNotices();
      renderComposerState();
      announcer.say(mutedText());
      break;
    case "unmuted":
      state.mutedUntil = null;
      state.muteReason = null;
      renderNotices();
      renderComposerState();
      log.addNotice(S.unmutedNotice, { kind: "private-notice", live: true });
      break;
    case "removed":
    case "banned":
      state.farewell = { action: msg.action, reason: msg.reason ?? null };
      break;
    default:
      break;
  }
}

function onError(msg) {
  if (!state.seated) {
    joinRefused(msg);
    return;
  }
  $("composer-error").textContent = msg.message;
  announcer.say(msg.message);
}

function joinRefused({ code, message }) {
  switch (code) {
    case "resume_invalid":
      forgetResume();
      if (state.name) {
        connect();
      } else {
        state.wantSeat = false;
        startJourney();
      }
      return;
    case "pseudonym_invalid":
    case "pseudonym_taken":
      state.wantSeat = false;
      showNameError(message);
      return;
    case "rules_not_accepted":
      state.wantSeat = false;
      state.rulesAccepted = false;
      show("rules");
      $("rules-error").textContent = message;
      return;
    case "session_not_open":
      showEarly(message);
      return;
    case "session_ended":
      showEnded(null);
      return;
    case "banned":
      state.farewell = { action: "banned", reason: null, message };
      showFarewell("banned");
      return;
    case "invite_invalid":
      state.wantSeat = false;
      conn?.stop();
      forgetResume();
      show("invite");
      $("invite-error").textContent = message;
      return;
    default:
      showGone({
        heading: S.cannotJoinHeading,
        body: [message],
        actions: [[S.tryAgain, () => retryJoin()]],
      });
  }
}

function retryJoin() {
  show("joining");
  connect();
}

// ---------------------------------------------------------------------------------------------
// The journey before the room

async function preview(code) {
  show("invite", { focus: null });
  $("code-form").hidden = true;
  $("invite-error").textContent = S.checkingInvite;
  let response;
  try {
    response = await fetch("/api/invites/preview", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
  } catch {
    $("code-form").hidden = false;
    $("invite-error").textContent = S.inviteNetwork;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.group) {
    $("code-form").hidden = false;
    $("invite-error").textContent = body?.error?.message ?? S.inviteNetwork;
    $("code-input").focus();
    return;
  }
  state.code = code;
  state.preview = body;
  state.resources = state.resources ?? body.resources ?? null;
  $("invite-error").textContent = "";
  startJourney();
}

function startJourney() {
  const group = state.preview?.group;
  if (!group) {
    preview(state.code);
    return;
  }
  setTopGroup(group.name);
  $("intro-heading").textContent = S.welcomeTo(group.name);
  $("intro-description").textContent = group.description ?? "";
  $("intro-description").hidden = !group.description;
  const next = state.preview?.next_session;
  let when = "";
  if (next && next.starts_at <= Date.now() && next.ends_at > Date.now()) when = S.sessionOnNow(formatTime(next.ends_at));
  else if (next && next.starts_at > Date.now()) when = S.nextSessionIntro(formatDayTime(next.starts_at));
  $("intro-when").textContent = when;
  $("rules-text").textContent = group.rules;
  show("intro");
}

function showNameError(message) {
  show("name", { focus: null });
  const input = $("name-input");
  input.value = state.name;
  input.setAttribute("aria-invalid", "true");
  $("name-error").textContent = message;
  input.focus();
  input.select();
}

function checkName() {
  const value = $("name-input").value.trim().replace(/\s+/g, " ");
  if (!value) return S.nameRequired;
  if ([...value].length > 32) return S.nameTooLong;
  return null;
}

function submitName() {
  const problem = checkName();
  const input = $("name-input");
  if (problem) {
    input.setAttribute("aria-invalid", "true");
    $("name-error").textContent = problem;
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  $("name-error").textContent = "";
  state.name = input.value.trim();
  if (state.rulesAccepted) {
    // The rules were accepted already; the name was refused. Try again on the same connection.
    show("joining");
    connect();
  } else {
    show("rules");
  }
}

function submitRules() {
  if (!$("accept-rules").checked) {
    $("rules-error").textContent = S.rulesRequired;
    $("accept-rules").setAttribute("aria-invalid", "true");
    $("accept-rules").focus();
    return;
  }
  $("accept-rules").removeAttribute("aria-invalid");
  $("rules-error").textContent = "";
  state.rulesAccepted = true;
  show("joining");
  connect();
}

// Too early: say when the waiting room opens (from the preview), and try again then. Without a
// known time, try every 30 seconds.
function showEarly(message) {
  show("early", { focus: state.screen === "early" ? null : "heading" });
  clearTimeout(state.earlyTimer);
  const next = state.preview?.next_session;
  const tryAgain = () => {
    if (state.screen !== "early") return;
    if (conn?.isOpen) conn.send(joinMessage());
    else conn?.reconnectNow();
  };
  if (next && next.waiting_opens_at > Date.now()) {
    $("early-message").textContent = S.earlyWhen(formatDayTime(next.starts_at), formatTime(next.waiting_opens_at), S.inTime(next.waiting_opens_at - Date.now()));
    $("early-retry").textContent = S.earlyKeepOpen;
    // Check back at the opening time (at most ten minutes apart, so a changed schedule is seen).
    const wait = Math.min(Math.max(next.waiting_opens_at - Date.now() + 1000, 5000), 10 * 60000);
    state.earlyTimer = setTimeout(tryAgain, wait);
    return;
  }
  $("early-message").textContent = message;
  let seconds = EARLY_RETRY_SECONDS;
  const tick = () => {
    if (state.screen !== "early") return;
    if (seconds <= 0) {
      tryAgain();
      return;
    }
    $("early-retry").textContent = S.earlyRetry(seconds);
    seconds -= 5;
    state.earlyTimer = setTimeout(tick, 5000);
  };
  tick();
}

// ---------------------------------------------------------------------------------------------
// Waiting room

function renderCountdown() {
  const room = state.room;
  const line = $("countdown");
  if (!room) return;
  if (room.phase === "live" || room.phase === "closing") line.textContent = S.waitingOpen;
  else if (room.starts_at) line.replaceChildren(S.startsAt(formatTime(room.starts_at), minutesUntil(room.starts_at)));
  else line.textContent = S.waitingNoTime;
}

// ---------------------------------------------------------------------------------------------
// The room

function renderRoom() {
  renderPhase();
  renderNotices();
  renderRoster();
  renderComposerState();
}

function closingText() {
  return state.room?.ends_at ? S.phaseClosing(formatTime(state.room.ends_at)) : S.phaseClosingNoTime;
}

function renderPhase() {
  const room = state.room;
  const line = $("phase-line");
  if (!room) return;
  if (room.phase === "live") line.textContent = S.phaseLive(room.ends_at ? formatTime(room.ends_at) : null);
  else if (room.phase === "closing") line.textContent = room.ends_at ? S.phaseLineClosing(formatTime(room.ends_at)) : "";
  else line.textContent = S.phaseNotStarted;
}

function mutedText() {
  if (!state.mutedUntil) return S.mutedNow;
  const reason = state.muteReason ? S.reasons[state.muteReason]?.toLowerCase() : null;
  return S.mutedUntil(formatTime(state.mutedUntil), Math.max(1, minutesUntil(state.mutedUntil)), reason);
}

function renderNotices() {
  const room = state.room;
  const box = $("notices");
  if (!room) return;
  const items = [];
  if (room.pinned?.text) {
    items.push(
      h(
        "aside",
        { class: "pinned", "aria-label": S.pinnedLabel },
        h("span", { class: "icon icon-pin", "aria-hidden": "true" }),
        h("div", {}, h("p", { class: "pinned-text" }, room.pinned.text), h("p", { class: "help" }, S.pinnedBy(nameNode(room.pinned.by.name)))),
      ),
    );
  }
  if (isMuted()) items.push(h("p", { class: "notice-box warn", id: "muted-notice" }, mutedText()));
  if (room.phase === "closing") items.push(h("p", { class: "notice-box" }, closingText()));
  if (room.phase === "waiting" || room.phase === "scheduled") items.push(h("p", { class: "notice-box" }, S.phaseWaiting));
  if (room.paused) items.push(h("p", { class: "notice-box" }, room.paused_because === "no_facilitator" ? S.pausedNoFacilitator : S.pausedByFacilitator));
  if (room.slow_seconds > 0) items.push(h("p", { class: "notice-box quiet" }, S.slowMode(room.slow_seconds)));
  if (room.locked) items.push(h("p", { class: "notice-box quiet" }, S.locked));
  box.replaceChildren(...items);
}

function isMuted() {
  return Boolean(state.mutedUntil && state.mutedUntil > Date.now());
}

function myHandPosition() {
  const hands = state.room?.hands ?? [];
  const at = hands.indexOf(state.me?.id);
  return at < 0 ? 0 : at + 1;
}

function renderRoster() {
  const people = state.roster ?? [];
  const hands = state.room?.hands ?? [];
  const byId = new Map(people.map((p) => [p.id, p]));
  $("roster-heading").textContent = S.hereNow(people.filter((p) => p.status !== "away").length);
  $("roster").replaceChildren(
    ...people.map((p) => {
      const hand = hands.indexOf(p.id);
      return h(
        "li",
        { class: p.status === "away" ? "away" : "" },
        nameNode(p.name),
        p.id === state.me?.id ? [" ", h("span", { class: "you" }, S.youTag)] : null,
        p.role === "facilitator" ? [" ", h("span", { class: "badge" }, S.facilitator)] : null,
        p.status === "away" ? [" ", h("span", { class: "tag" }, S.away)] : null,
        hand >= 0 ? [" ", h("span", { class: "tag hand-tag" }, h("span", { class: "icon icon-hand", "aria-hidden": "true" }), S.handNumber(hand + 1))] : null,
      );
    }),
  );
  const handItems = hands.map((id) => byId.get(id)).filter(Boolean);
  $("hands").replaceChildren(...handItems.map((p) => h("li", {}, nameNode(p.name), p.id === state.me?.id ? [" ", h("span", { class: "you" }, S.youTag)] : null)));
  $("hands").hidden = handItems.length === 0;
  let none = $("no-hands");
  if (!none) {
    none = h("p", { id: "no-hands", class: "help" }, S.noHands);
    $("hands").after(none);
  }
  none.hidden = handItems.length > 0;

  const position = myHandPosition();
  $("hand-button").setAttribute("aria-pressed", position > 0 ? "true" : "false");
  $("hand-status").textContent = position > 0 ? S.handPosition(position) : "";
}

// Why the member cannot post right now, in words; null when they can.
function postBlock() {
  const room = state.room;
  if (!conn?.isOpen || !state.seated) return S.notSentOffline;
  if (isMuted()) return mutedText();
  if (room && (room.phase === "waiting" || room.phase === "scheduled")) return S.phaseWaiting;
  if (room?.paused) return room.paused_because === "no_facilitator" ? S.pausedNoFacilitator : S.pausedByFacilitator;
  const wait = slowWait();
  if (wait > 0) return S.slowWait(wait);
  return null;
}

function slowWait() {
  const seconds = state.room?.slow_seconds ?? 0;
  if (!seconds || !state.lastPostAt) return 0;
  return Math.max(0, Math.ceil((state.lastPostAt + seconds * 1000 - Date.now()) / 1000));
}

function renderComposerState() {
  if (!state.me || state.me.status !== "present") return;
  const block = postBlock();
  const sendButton = $("send-button");
  if (block) sendButton.setAttribute("aria-disabled", "true");
  else sendButton.removeAttribute("aria-disabled");
  const wait = slowWait();
  $("composer-state").textContent = wait > 0 ? S.slowWait(wait) : "";
  clearTimeout(state.slowTimer);
  if (wait > 0) state.slowTimer = setTimeout(renderComposerState, 1000);
  updateCounter();
}

function updateCounter() {
  const max = state.limits?.max_text_chars ?? 2000;
  const length = [...$("message-input").value].length;
  const left = max - length;
  const help = $("composer-help");
  help.textContent = left < 200 ? `${S.composerHelp} ${S.charsLeft(left)}` : S.composerHelp;
}

function restoreComposer(text, { force = false } = {}) {
  const input = $("message-input");
  if (force || !input.value.trim()) {
    input.value = text;
    updateCounter();
  }
  if (force) input.focus();
}

function submitSay() {
  const input = $("message-input");
  const text = input.value.trim();
  if (!text) return;
  const block = postBlock();
  if (block) {
    $("composer-error").textContent = S.unsent(block);
    announcer.say(S.unsent(block));
    return;
  }
  const max = state.limits?.max_text_chars ?? 2000;
  if ([...text].length > max) {
    $("composer-error").textContent = S.tooLong(max);
    return;
  }
  const clientId = `c${state.nextId++}`;
  if (!send({ type: "say", text, client_id: clientId })) {
    $("composer-error").textContent = S.notSentOffline;
    return;
  }
  state.pending.set(clientId, { text, kind: "say" });
  input.value = "";
  $("composer-error").textContent = "";
  updateCounter();
}

function toggleHand() {
  const up = myHandPosition() === 0;
  if (send({ type: "hand", up })) announcer.say(up ? S.handRaisedAnnounce : S.handLoweredAnnounce);
}

function doPass() {
  send({ type: "pass" });
}

function messageMenu(entry, button) {
  const mine = entry.message.from.id === state.me?.id;
  const items = REACTIONS.map((reaction) => {
    const pressed = log.mineReacted(entry.message.id, reaction);
    const item = h(
      "button",
      { type: "button", class: "menu-item", "aria-pressed": pressed ? "true" : "false" },
      h("span", { class: `icon icon-${reaction}`, "aria-hidden": "true" }),
      " ",
      S.reactions[reaction],
    );
    item.addEventListener("click", () => {
      send({ type: "react", message: entry.message.id, reaction, on: !pressed });
      closePopover({ refocus: true });
    });
    return item;
  });
  if (!mine && entry.message.from.role !== "facilitator") {
    const report = h("button", { type: "button", class: "menu-item" }, h("span", { class: "icon icon-flag", "aria-hidden": "true" }), " ", S.report);
    report.addEventListener("click", () => {
      closePopover();
      openReport(entry.message, button);
    });
    items.push(report);
  }
  openPopover(button, items, { label: textOf(S.messageActions(entry.message.from.name)) });
}

// ---------------------------------------------------------------------------------------------
// Report

function openReport(message, opener) {
  state.reportTarget = { message, opener };
  $("report-quote").replaceChildren(h("p", { class: "help" }, S.reportFrom(nameNode(message.from.name))), h("p", { class: "text" }, message.text));
  $("report-reason").value = "harassment";
  $("report-note").value = "";
  $("report-dialog").showModal();
  $("report-reason").focus();
}

function submitReport() {
  const target = state.reportTarget;
  if (!target) return;
  const note = $("report-note").value.trim();
  const msg = { type: "report", message: target.message.id, reason: $("report-reason").value };
  if (note) msg.note = note;
  send(msg);
  $("report-dialog").close();
}

// ---------------------------------------------------------------------------------------------
// Private line to the facilitators

function placePrivatePanel() {
  const screen = $(`screen-${state.screen}`);
  const slot = screen?.querySelector(".private-slot");
  const panel = $("private-panel");
  if (!slot || panel.parentElement === slot) return;
  // Moving a node drops its focus: someone typing privately keeps their place.
  const focused = panel.contains(document.activeElement) ? document.activeElement : null;
  slot.append(panel);
  focused?.focus();
}

function showPrivatePanel() {
  placePrivatePanel();
  const panel = $("private-panel");
  panel.hidden = false;
  state.privateUnread = 0;
  updatePrivateToggles();
  renderPrivateThread();
  $("private-input").focus();
}

function hidePrivatePanel({ refocus = true } = {}) {
  const panel = $("private-panel");
  if (panel.hidden) return;
  panel.hidden = true;
  updatePrivateToggles();
  if (refocus) $(`screen-${state.screen}`)?.querySelector("[data-private-toggle]")?.focus();
}

function updatePrivateToggles() {
  const open = !$("private-panel").hidden;
  for (const toggle of document.querySelectorAll("[data-private-toggle]")) {
    toggle.textContent = state.privateUnread > 0 ? S.privateToggleUnread(state.privateUnread) : S.privateToggle;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.setAttribute("aria-controls", "private-panel");
    toggle.classList.toggle("has-unread", state.privateUnread > 0);
  }
}

function renderPrivateThread() {
  const list = $("private-thread");
  if (state.privateThread.length === 0) {
    list.replaceChildren(h("li", { class: "help" }, S.privateEmpty));
    return;
  }
  list.replaceChildren(
    ...state.privateThread.map((p) => {
      const mine = p.from.id === state.me?.id;
      return h(
        "li",
        { class: mine ? "mine" : "theirs" },
        h(
          "p",
          { class: "meta" },
          mine ? h("span", { class: "name" }, S.privateFromYou) : nameNode(p.from.name),
          !mine && p.from.role === "facilitator" ? [" ", h("span", { class: "badge" }, S.facilitator)] : null,
          " ",
          timeNode(p.ts),
        ),
        h("p", { class: "text" }, p.text),
      );
    }),
  );
  list.lastElementChild?.scrollIntoView?.({ block: "nearest" });
}

function submitPrivate() {
  const input = $("private-input");
  const text = input.value.trim();
  if (!text) return;
  const clientId = `p${state.nextId++}`;
  if (!send({ type: "to_facilitators", text, client_id: clientId })) {
    $("private-error").textContent = S.notSentOffline;
    return;
  }
  state.pending.set(clientId, { text, kind: "private" });
  input.value = "";
  $("private-error").textContent = "";
}

// ---------------------------------------------------------------------------------------------
// Crisis resources: one click away on every screen

function renderResources(container, resources) {
  if (!resources || !resources.lines) {
    container.replaceChildren(h("p", {}, S.noResources));
    return;
  }
  const parts = [];
  if (resources.emergency) {
    parts.push(h("p", { class: "emergency" }, reachBy("tel", resources.emergency, "", S.emergency(resources.region, resources.emergency))));
  }
  parts.push(
    h(
      "ul",
      { class: "resources" },
      ...resources.lines.map((line) => {
        const ways = [];
        // On a phone, one tap dials or opens a text to the line.
        if (line.call) ways.push(reachBy("tel", line.call, "", S.call(line.call), "way"));
        if (line.text) {
          const body = line.text_word ? `?body=${encodeURIComponent(line.text_word)}` : "";
          ways.push(reachBy("sms", line.text, body, S.text(line.text, line.text_word), "way"));
        }
        const url = line.url ? safeUrl(line.url) : null;
        return h(
          "li",
          {},
          h("h3", {}, line.name),
          line.description ? h("p", {}, line.description) : null,
          ways.length ? h("p", { class: "ways" }, ...ways) : null,
          line.available ? h("p", { class: "help" }, S.available(line.available)) : null,
          url ? h("p", {}, h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, new URL(url).host)) : null,
        );
      }),
    ),
  );
  container.replaceChildren(...parts);
}

// The first number in a line's contact as a dialler takes it: digits and a leading +
// ("116 123" → "116123"; "112 or 999" → "112"; "0800 111 0 111, 0800 111 0 222" → the first).
function dialable(contact) {
  const first = String(contact).match(/\+?\d[\d\s.-]*\d|\d/)?.[0] ?? "";
  return (first.startsWith("+") ? "+" : "") + first.replace(/\D/g, "");
}

// A tel: or sms: link to the contact's first number; plain text when it holds no number.
function reachBy(scheme, contact, suffix, label, className) {
  const number = dialable(contact);
  const attrs = className ? { class: className } : {};
  return number ? h("a", { ...attrs, href: `${scheme}:${number}${suffix}` }, label) : h("span", attrs, label);
}

async function loadDefaultResources() {
  if (state.resources) return;
  try {
    const response = await fetch("/api/resources");
    if (response.ok && !state.resources) state.resources = await response.json();
  } catch {
    // The dialog falls back to a plain sentence.
  }
}

async function openCrisis({ note = null } = {}) {
  const dialog = $("crisis-dialog");
  if (!state.resources) await loadDefaultResources();
  renderResources($("crisis-resources"), state.resources);
  $("crisis-note").textContent = note ?? "";
  $("crisis-note").hidden = !note;
  const canTell = state.seated && state.me?.role === "member" && note !== S.supportSent;
  $("crisis-support").hidden = !canTell;
  if (!dialog.open) {
    state.crisisOpener = document.activeElement;
    dialog.showModal();
  }
  $("crisis-heading").focus();
}

function askForSupport() {
  if (!send({ type: "support" })) openCrisis({ note: S.notSentOffline });
}

// ---------------------------------------------------------------------------------------------
// Leaving and the end: nothing of the conversation stays on the page or in storage

function forgetResume() {
  state.resume = null;
  try {
    sessionStorage.removeItem(RESUME_KEY);
  } catch {
    // Nothing stored.
  }
}

function wipe() {
  closePopover();
  log.reset();
  state.roster = [];
  state.privateThread = [];
  state.privateUnread = 0;
  state.pending.clear();
  state.me = null;
  state.seated = false;
  state.wantSeat = false;
  state.mutedUntil = null;
  state.muteReason = null;
  state.lastPostAt = null;
  state.room = null;
  state.resume = null;
  clearTimeout(state.earlyTimer);
  clearTimeout(state.slowTimer);
  $("roster").replaceChildren();
  $("hands").replaceChildren();
  $("notices").replaceChildren();
  $("private-thread").replaceChildren();
  $("message-input").value = "";
  $("private-input").value = "";
  $("composer-error").textContent = "";
  $("private-error").textContent = "";
  $("report-quote").replaceChildren();
  hidePrivatePanel({ refocus: false });
  if ($("report-dialog").open) $("report-dialog").close();
  announcer.clear();
  try {
    sessionStorage.clear();
  } catch {
    // Nothing stored.
  }
  updatePrivateToggles();
}

function leave() {
  send({ type: "leave" });
  state.finished = true;
  conn?.stop();
  wipe();
  showGone({
    heading: S.leftHeading,
    body: [S.leftBody],
    actions: [[S.joinAgain, () => joinAgain()]],
  });
}

function joinAgain() {
  state.finished = false;
  state.name = "";
  state.rulesAccepted = false;
  $("name-input").value = "";
  $("accept-rules").checked = false;
  conn = null;
  startJourney();
}

function showEnded(msg) {
  state.finished = true;
  state.resources = msg?.resources ?? state.resources;
  conn?.stop();
  wipe();
  $("next-session").textContent = msg?.next_session ? S.nextSession(formatDayTime(msg.next_session)) : S.noNextSession;
  renderResources($("ended-resources"), state.resources);
  show("ended");
}

function showFarewell(kind) {
  state.finished = true;
  const farewell = state.farewell;
  conn?.stop();
  wipe();
  const body = [kind === "banned" ? (farewell?.message ?? S.bannedBody) : S.removedBody];
  if (farewell?.reason && S.reasons[farewell.reason]) body.push(S.reasonWas(S.reasons[farewell.reason].toLowerCase()));
  showGone({ heading: kind === "banned" ? S.bannedHeading : S.removedHeading, body, actions: [] });
}

function showOtherTab() {
  // The seat lives on in the other tab: keep the token so this tab can take it back.
  showGone({
    heading: S.otherTabHeading,
    body: [S.otherTabBody],
    actions: [[S.useThisTab, () => retryJoin()]],
    keepLeave: true,
  });
}

function showGone({ heading, body, actions }) {
  $("gone-heading").textContent = heading;
  $("gone-body").replaceChildren(...body.map((line) => h("p", { class: "lead" }, line)));
  $("gone-actions").replaceChildren(
    ...actions.map(([label, action]) => {
      const button = h("button", { type: "button" }, label);
      button.addEventListener("click", action);
      return button;
    }),
  );
  renderResources($("gone-resources"), state.resources);
  show("gone");
}

// ---------------------------------------------------------------------------------------------
// Wiring

function everyFifteenSeconds() {
  if (state.screen === "waiting") renderCountdown();
  if (state.screen === "room") {
    if (state.mutedUntil && state.mutedUntil <= Date.now()) {
      state.mutedUntil = null;
      state.muteReason = null;
    }
    renderPhase();
    renderNotices();
    renderComposerState();
  }
}

function codeFromInput(value) {
  const trimmed = value.trim();
  const hashAt = trimmed.lastIndexOf("#");
  return hashAt >= 0 ? trimmed.slice(hashAt + 1) : trimmed;
}

function setup() {
  applyStrings();
  $("help-button").addEventListener("click", () => openCrisis());
  $("crisis-close").addEventListener("click", () => $("crisis-dialog").close());
  $("crisis-support").addEventListener("click", () => {
    $("crisis-support").hidden = true;
    askForSupport();
  });
  $("crisis-dialog").addEventListener("close", () => {
    const opener = state.crisisOpener;
    state.crisisOpener = null;
    if (opener?.isConnected && opener !== document.body) opener.focus();
  });
  $("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitReport();
  });
  $("report-cancel").addEventListener("click", () => $("report-dialog").close());
  $("report-dialog").addEventListener("close", () => {
    const opener = state.reportTarget?.opener;
    state.reportTarget = null;
    if (opener?.isConnected) opener.focus();
    else $("message-input").focus();
  });

  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeFromInput($("code-input").value);
    if (!code) {
      $("invite-error").textContent = S.inviteMissing;
      return;
    }
    history.replaceState(null, "", `/join#${code}`);
    preview(code);
  });
  $("intro-next").addEventListener("click", () => {
    show("name");
    $("name-input").value = state.name;
    $("name-input").focus();
  });
  $("name-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitName();
  });
  $("name-back").addEventListener("click", () => show("intro"));
  $("rules-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitRules();
  });
  $("rules-back").addEventListener("click", () => {
    show("name");
    $("name-input").focus();
  });
  $("early-now").addEventListener("click", () => {
    if (conn?.isOpen) conn.send(joinMessage());
    else connect();
  });
  $("retry-button").addEventListener("click", () => conn?.reconnectNow());

  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    submitSay();
  });
  $("message-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitSay();
    }
  });
  $("message-input").addEventListener("input", updateCounter);
  $("hand-button").addEventListener("click", toggleHand);
  $("pass-button").addEventListener("click", doPass);

  for (const toggle of document.querySelectorAll("[data-private-toggle]")) {
    toggle.addEventListener("click", () => ($("private-panel").hidden ? showPrivatePanel() : hidePrivatePanel()));
  }
  $("private-close").addEventListener("click", () => hidePrivatePanel());
  $("private-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitPrivate();
  });
  $("private-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitPrivate();
    }
    if (event.key === "Escape") hidePrivatePanel();
  });
  for (const button of document.querySelectorAll("[data-support]")) button.addEventListener("click", askForSupport);
  $("leave-button").addEventListener("click", leave);
  setInterval(everyFifteenSeconds, 15000);

  try {
    state.resume = sessionStorage.getItem(RESUME_KEY);
  } catch {
    state.resume = null;
  }
  const code = location.hash.replace(/^#/, "");
  if (!code) {
    show("invite");
    $("code-form").hidden = false;
    loadDefaultResources();
    return;
  }
  state.code = code;
  if (state.resume) {
    // A reload during the session: take the same seat back.
    show("joining");
    connect();
    return;
  }
  preview(code);
}

setup();
