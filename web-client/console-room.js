// The facilitator's live room: session controls, the waiting room, the people in the room with
// their raised hands, the chat with per-message actions, the alerts panel and the private threads.
// Everything a facilitator does during a session is at most two clicks or keystrokes away; single-
// key shortcuts (which can be switched off) never fire while typing.
//
// Built with h(): all user text goes through text nodes; names are in <bdi>.
import { h, nameNode, textOf, formatTime, formatDayTime, minutesUntil, Announcer, isTyping, timeNode } from "./dom.js";
import { Connection } from "./connection.js";
import { ChatLog, REACTIONS } from "./chatlog.js";
import { openPopover, closePopover, popoverWithin } from "./popover.js";
import { room as S } from "./console-strings.js";

const REASONS = Object.keys(S.reasons);

// Opens the live room of `group` inside `main`. Returns { dispose } for when the console routes
// elsewhere (the seat is given up with `leave`).
export function openRoom(group, { page, link, main }) {
  const resumeKey = `hearth.console.resume.${group.id}`;
  const state = {
    me: null,
    room: null,
    roster: [],
    waiting: [],
    alerts: [],
    unseen: 0,
    threads: new Map(),
    thread: null,
    pending: new Map(),
    nextId: 1,
    seated: false,
    finished: false,
    shortcuts: true,
    lastCloseCode: null,
    resume: null,
  };
  try {
    state.resume = sessionStorage.getItem(resumeKey);
  } catch {
    state.resume = null;
  }

  // ------------------------------------------------------------------------------------------
  // Layout

  const announcer = new Announcer(h("div", { class: "visually-hidden", "aria-live": "polite", id: "room-announcer" }));
  const statusText = h("p", { id: "room-connection", role: "status" });
  const statusCount = h("p", { class: "banner-count" });
  const retryButton = h("button", { type: "button", class: "link-button", hidden: true, onclick: () => conn.reconnectNow() }, S.retryNow);
  const banner = h("div", { class: "banner" }, statusText, statusCount, retryButton);
  const phaseLine = h("p", { class: "phase-line" });
  const countsLine = h("p", { class: "status" });
  const feedback = h("p", { class: "status feedback" });

  // Session controls.
  const openButton = h("button", { type: "button", onclick: () => act({ type: "open" }) }, S.open);
  const endButton = h("button", { type: "button", class: "danger", onclick: () => confirmEnd() }, S.end);
  const pauseButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: state.room?.paused_because === "facilitator" ? "resume" : "pause" }) }, S.pause);
  const lockButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: state.room?.locked ? "unlock" : "lock" }) }, S.lock);
  const slowSelect = h("select", { id: "slow-select" }, ...S.slowOptions.map(([value, label]) => h("option", { value: String(value) }, label)));
  slowSelect.addEventListener("change", () => act({ type: "slow", seconds: Number(slowSelect.value) }));
  const announceInput = h("input", { id: "announce-input", maxlength: "2000", autocomplete: "off" });
  const pinButton = h("button", { type: "submit", class: "secondary" }, S.pin);
  const unpinButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "announce" }) }, S.unpin);
  const pinnedLine = h("p", { class: "help pinned-line" });
  const announceForm = h(
    "form",
    { class: "announce-form", novalidate: true },
    h("label", { for: "announce-input" }, S.announceLabel),
    announceInput,
    pinButton,
    unpinButton,
    pinnedLine,
  );
  announceForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = announceInput.value.trim();
    if (text && act({ type: "announce", text })) announceInput.value = "";
  });
  const controls = h(
    "section",
    { class: "panel controls", "aria-labelledby": "controls-heading" },
    h("div", { class: "controls-head" }, h("h2", { id: "controls-heading" }, S.controlsHeading), phaseLine),
    h(
      "div",
      { class: "row" },
      openButton,
      endButton,
      pauseButton,
      lockButton,
      h("span", { class: "inline-field" }, h("label", { for: "slow-select" }, S.slow), slowSelect),
    ),
    announceForm,
    feedback,
  );

  // Waiting room.
  const waitingHeading = h("h2", { id: "waiting-heading", tabindex: "-1" }, S.waitingHeading(0));
  const admitAllButton = h("button", { type: "button", class: "secondary", "aria-keyshortcuts": "a", onclick: () => admitAll() }, S.admitAll, " ", h("kbd", { "aria-hidden": "true" }, "A"));
  const waitingList = h("ul", { class: "plain-list people-list", id: "waiting-list" });
  const waitingSection = h(
    "section",
    { class: "panel", id: "waiting", "aria-labelledby": "waiting-heading" },
    h("div", { class: "panel-head" }, waitingHeading, admitAllButton),
    waitingList,
  );

  // People.
  const peopleHeading = h("h2", { id: "people-heading", tabindex: "-1" }, S.peopleHeading(0));
  const callNextButton = h("button", { type: "button", class: "secondary", "aria-keyshortcuts": "n", onclick: () => act({ type: "call_on" }) }, S.callNext, " ", h("kbd", { "aria-hidden": "true" }, "N"));
  const handsList = h("ol", { class: "hands-list", id: "hands-list" });
  const noHands = h("p", { class: "help" }, S.noHands);
  const peopleList = h("ul", { class: "plain-list people-list", id: "people-list" });
  const peopleSection = h(
    "section",
    { class: "panel", id: "people", "aria-labelledby": "people-heading" },
    h("div", { class: "panel-head" }, peopleHeading),
    h("h3", { class: "small-heading" }, S.handsHeading),
    handsList,
    noHands,
    callNextButton,
    h("h3", { class: "small-heading" }, S.everyoneHeading),
    peopleList,
  );

  const peoplePanel = peopleSection;

  // Chat.
  const messages = h("ol", { class: "messages", id: "messages" });
  const scroller = h("div", { class: "log-scroller", tabindex: "0", "aria-label": S.messagesLabel }, messages);
  const jump = h("button", { type: "button", class: "jump", hidden: true }, S.newMessages);
  const composerInput = h("textarea", { id: "room-composer", rows: 2, "aria-describedby": "room-composer-help room-composer-error" });
  const composerError = h("p", { class: "error", id: "room-composer-error" });
  const composer = h(
    "form",
    { class: "composer", novalidate: true },
    h("label", { for: "room-composer" }, S.composerLabel, " ", h("kbd", { "aria-hidden": "true" }, "C")),
    h("div", { class: "composer-row" }, composerInput, h("button", { type: "submit" }, S.send)),
    h("p", { class: "help", id: "room-composer-help" }, S.composerHelp),
    composerError,
  );
  const chatSection = h(
    "section",
    { class: "panel chat", id: "chat", "aria-labelledby": "chat-heading" },
    h("h2", { id: "chat-heading", tabindex: "-1" }, S.chatHeading),
    h("div", { class: "log-wrap" }, scroller, jump),
    composer,
  );

  // Alerts.
  const alertsCount = h("span", { class: "count-badge", hidden: true });
  const alertsHeading = h("h2", { id: "alerts-heading", tabindex: "-1" }, h("span", { class: "icon icon-bell", "aria-hidden": "true" }), " ", S.alertsHeading, " ", alertsCount);
  const markSeen = h("button", { type: "button", class: "secondary small", onclick: () => markAllSeen() }, S.markSeen);
  const alertsList = h("ol", { class: "alerts", id: "alerts-list" });
  const alertsSection = h(
    "section",
    { class: "panel", id: "alerts", "aria-labelledby": "alerts-heading" },
    h("div", { class: "panel-head" }, alertsHeading, markSeen),
    alertsList,
  );

  // Private threads.
  const threadsHeading = h("h2", { id: "threads-heading", tabindex: "-1" }, S.threadsHeading);
  const threadsList = h("ul", { class: "thread-list", id: "thread-list" });
  const threadView = h("div", { class: "thread-view" });
  const threadsSection = h(
    "section",
    { class: "panel", id: "threads", "aria-labelledby": "threads-heading" },
    threadsHeading,
    threadsList,
    threadView,
  );

  // Jump links and shortcuts.
  const jumpAlertsLabel = h("span", {}, S.jump.alerts);
  const jumps = [
    ["waiting", S.jump.waiting, "W", waitingHeading],
    ["people", S.jump.people, "P", peopleHeading],
    ["chat", S.jump.chat, "C", null],
    ["alerts", jumpAlertsLabel, "L", alertsHeading],
    ["threads", S.jump.threads, "T", threadsHeading],
  ].map(([, label, key, target]) =>
    h(
      "button",
      { type: "button", class: "jump-link", "aria-keyshortcuts": key.toLowerCase(), onclick: () => (target ? focusSection(target) : composerInput.focus()) },
      label,
      " ",
      h("kbd", { "aria-hidden": "true" }, key),
    ),
  );
  const shortcutsToggle = h("input", { type: "checkbox", id: "shortcuts-toggle", checked: true });
  shortcutsToggle.addEventListener("change", () => {
    state.shortcuts = shortcutsToggle.checked;
  });
  const shortcutsHelp = h(
    "details",
    { class: "shortcuts" },
    h("summary", {}, S.shortcutsHeading),
    h("label", { class: "check", for: "shortcuts-toggle" }, shortcutsToggle, ` ${S.shortcutsToggle}`),
    h("dl", {}, ...S.shortcuts.flatMap(([key, what]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, what)])),
  );
  const leaveButton = h("button", { type: "button", class: "secondary", onclick: () => leave() }, S.leaveRoom);
  const jumpNav = h("nav", { class: "jump-nav", "aria-label": S.jumpLabel }, ...jumps);

  page(
    S.title(group.name),
    banner,
    h("div", { class: "room-top" }, h("p", {}, link(`/console/groups/${group.id}`, S.backToGroup)), countsLine, leaveButton, jumpNav),
    controls,
    h(
      "div",
      { class: "console-room" },
      h("div", { class: "col col-people" }, waitingSection, peopleSection),
      h("div", { class: "col col-chat" }, chatSection),
      h("div", { class: "col col-side" }, alertsSection, threadsSection, shortcutsHelp),
    ),
    announcer.element,
  );

  const log = new ChatLog({
    list: messages,
    scroller,
    jump,
    strings: S,
    announcer,
    me: () => state.me?.id,
    onReact: (message, reaction, on) => act({ type: "react", message, reaction, on }),
    onActions: (entry, button) => messageMenu(entry, button),
    onResend: (text) => {
      composerInput.value = text;
      composerInput.focus();
    },
  });

  // ------------------------------------------------------------------------------------------
  // Connection

  const conn = new Connection({
    join: () => {
      if (state.finished) return null;
      const msg = { type: "join", v: 1, group: group.id };
      if (state.resume) msg.resume = state.resume;
      return msg;
    },
    onMessage: handle,
    onClose,
    onStatus,
  });

  function onStatus(status) {
    let message = "";
    let counter = "";
    if (status.state === "connecting") message = S.connecting;
    if (status.state === "retrying") {
      message = state.lastCloseCode === 1001 ? S.serverRestarting : S.retrying;
      counter = S.retryIn(status.seconds);
    }
    if (statusText.textContent !== message) statusText.textContent = message;
    statusCount.textContent = counter;
    retryButton.hidden = status.state !== "retrying";
    banner.classList.toggle("show", Boolean(message));
  }

  function onClose(event) {
    state.seated = false;
    state.lastCloseCode = event.code;
    if (state.finished) return false;
    switch (event.code) {
      case 4004:
        finish(endedView(null));
        return false;
      case 4005:
        finish([h("h2", {}, S.signedOutHeading), h("p", {}, S.signedOutBody), h("p", {}, h("a", { href: "/login" }, S.signIn))]);
        return false;
      case 4006:
        finish([
          h("h2", {}, S.otherTabHeading),
          h("p", {}, S.otherTabBody),
          h("button", { type: "button", onclick: () => location.reload() }, S.useThisTab),
        ]);
        return false;
      default:
        return true;
    }
  }

  function act(msg) {
    if (conn.send(msg)) return true;
    say(S.notConnected);
    return false;
  }

  function say(text) {
    feedback.textContent = text;
    announcer.say(text);
  }

  // ------------------------------------------------------------------------------------------
  // Server messages

  function handle(msg) {
    switch (msg.type) {
      case "welcome":
        state.seated = true;
        state.me = msg.you;
        state.room = msg.room;
        state.roster = msg.roster;
        state.resume = msg.resume;
        try {
          sessionStorage.setItem(resumeKey, msg.resume);
        } catch {
          // Without storage a reload starts a new seat.
        }
        conn.seated();
        log.reset();
        renderAll();
        break;
      case "history":
        for (const m of msg.messages) log.addMessage(m);
        break;
      case "message":
        log.addMessage(msg, { live: true });
        break;
      case "ack":
        state.pending.delete(msg.client_id);
        break;
      case "rejected": {
        const pending = state.pending.get(msg.client_id);
        state.pending.delete(msg.client_id);
        if (pending?.kind === "reply") {
          const error = threadView.querySelector(".error");
          if (error) error.textContent = S.unsent(msg.reason);
        } else {
          composerError.textContent = S.unsent(msg.reason);
          if (pending) log.addUnsent(pending.text, msg.reason);
        }
        announcer.say(S.unsent(msg.reason));
        break;
      }
      case "presence": {
        const who = nameNode(msg.participant.name);
        const words = { joined: S.joined, left: S.left, away: S.awayNotice, back: S.back }[msg.event];
        if (words) log.addNotice(words(who), { kind: "presence", live: msg.event === "joined" || msg.event === "left" });
        break;
      }
      case "roster":
        state.roster = msg.participants;
        renderPeople();
        renderCounts();
        break;
      case "waiting_room":
        onWaiting(msg.participants);
        break;
      case "room_state":
        state.room = msg;
        renderControls();
        renderPeople();
        break;
      case "reaction":
        log.react(msg.message, msg.reaction, msg.by, msg.on);
        break;
      case "turn": {
        const who = nameNode(msg.participant.name);
        log.addNotice(msg.event === "called" ? S.calledBy(who) : S.passed(who), { kind: "turn", live: true });
        break;
      }
      case "deleted":
        log.remove(msg.message);
        break;
      case "private":
        onPrivate(msg);
        break;
      case "alert":
        onAlert(msg);
        break;
      case "facilitator_history":
        restore(msg.items ?? []);
        break;
      case "moderation":
        onModeration(msg);
        break;
      case "ended":
        finish(endedView(msg.next_session));
        break;
      case "error":
        if (!state.seated) {
          if (msg.code === "session_ended") {
            finish(endedView(null));
            return;
          }
          if (msg.code === "resume_invalid") {
            forgetResume();
            return;
          }
          finish([
            h("h2", {}, S.cannotEnterHeading),
            h("p", { class: "error", role: "alert" }, msg.message),
            h("button", { type: "button", onclick: () => location.reload() }, S.tryAgain),
          ]);
          return;
        }
        say(msg.message);
        break;
      default:
        break;
    }
  }

  function onWaiting(participants) {
    const before = new Set(state.waiting.map((p) => p.id));
    state.waiting = participants;
    renderWaiting();
    renderCounts();
    const arrived = participants.filter((p) => !before.has(p.id));
    if (arrived.length > 0) announcer.say(S.waitingHeading(participants.length));
  }

  function onModeration(msg) {
    const words = S.moderation[msg.action];
    if (!words || msg.action === "ended") return;
    const by = msg.by ? nameNode(msg.by.name) : null;
    const who = msg.participant ? nameNode(msg.participant.name) : null;
    const reason = msg.reason ? S.reasons[msg.reason]?.toLowerCase() : null;
    let parts;
    switch (msg.action) {
      case "muted":
        parts = words(by ?? S.schedule, who, Math.max(1, minutesUntil(msg.until ?? Date.now())), reason);
        break;
      case "unmuted":
        parts = words(by, who);
        break;
      case "removed":
      case "banned":
      case "deleted":
        parts = words(by ?? S.someone, who, reason);
        break;
      case "admitted":
        parts = words(by ?? S.schedule, who);
        break;
      default:
        parts = words(by ?? S.schedule);
    }
    log.addNotice(parts, { kind: "mod" });
    if (msg.by?.id === state.me?.id) feedback.textContent = textOf(parts);
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  function renderAll() {
    renderControls();
    renderWaiting();
    renderPeople();
    renderCounts();
    renderAlerts();
    renderThreads();
  }

  function renderCounts() {
    const present = state.roster.filter((p) => p.role === "member" && p.status === "present").length;
    countsLine.textContent = S.counts(present, state.waiting.length);
  }

  function renderControls() {
    const room = state.room;
    if (!room) return;
    const start = room.starts_at ? formatTime(room.starts_at) : null;
    const end = room.ends_at ? formatTime(room.ends_at) : null;
    let phase;
    if (room.phase === "scheduled") phase = S.phaseScheduled(room.starts_at ? formatDayTime(room.starts_at) : null);
    else if (room.phase === "waiting") phase = S.phaseWaiting(start, room.starts_at ? minutesUntil(room.starts_at) : 0);
    else if (room.phase === "live") phase = S.phaseLive(end);
    else phase = S.phaseClosing(end);
    const extra = [];
    if (room.paused_because === "no_facilitator") extra.push(S.pausedNoFacilitator);
    else if (room.paused) extra.push(S.pausedNow);
    if (room.locked) extra.push(S.lockedNow);
    phaseLine.textContent = [phase, ...extra].join(" ");
    phaseLine.dataset.phase = room.phase;
    const open = room.phase === "live" || room.phase === "closing";
    openButton.hidden = open;
    endButton.hidden = !open;
    pauseButton.textContent = room.paused_because === "facilitator" ? S.resume : S.pause;
    lockButton.textContent = room.locked ? S.unlock : S.lock;
    slowSelect.value = String(room.slow_seconds);
    if (slowSelect.value !== String(room.slow_seconds)) {
      slowSelect.append(h("option", { value: String(room.slow_seconds) }, `${room.slow_seconds} s`));
      slowSelect.value = String(room.slow_seconds);
    }
    unpinButton.hidden = !room.pinned;
    pinnedLine.textContent = room.pinned ? S.pinnedNow(room.pinned.text) : "";
  }

  function renderWaiting() {
    waitingHeading.textContent = S.waitingHeading(state.waiting.length);
    admitAllButton.hidden = state.waiting.length === 0;
    if (state.waiting.length === 0) {
      waitingList.replaceChildren(h("li", { class: "help" }, S.waitingEmpty));
      return;
    }
    waitingList.replaceChildren(
      ...state.waiting.map((p) =>
        h(
          "li",
          { class: "person" },
          h("span", { class: "who" }, nameNode(p.name), p.status === "away" ? [" ", h("span", { class: "tag" }, S.away)] : null),
          h("button", { type: "button", class: "secondary small", "aria-label": S.admitWho(p.name), onclick: () => act({ type: "admit", participant: p.id }) }, S.admit),
        ),
      ),
    );
  }

  function admitAll() {
    if (state.waiting.length > 0) act({ type: "admit" });
  }

  function renderPeople() {
    // Never pull a menu out from under the facilitator: redraw once it closes.
    if (popoverWithin(peoplePanel)) {
      state.peopleDirty = true;
      return;
    }
    state.peopleDirty = false;
    const hands = state.room?.hands ?? [];
    const byId = new Map(state.roster.map((p) => [p.id, p]));
    peopleHeading.textContent = S.peopleHeading(state.roster.filter((p) => p.role === "member").length);
    const raised = hands.map((id) => byId.get(id)).filter(Boolean);
    handsList.replaceChildren(
      ...raised.map((p, i) =>
        h(
          "li",
          { class: "person" },
          h("span", { class: "who" }, h("span", { class: "hand-number" }, `${i + 1}.`), " ", nameNode(p.name)),
          h("button", { type: "button", class: "secondary small", "aria-label": S.callOnWho(p.name), onclick: () => act({ type: "call_on", participant: p.id }) }, S.callOn),
        ),
      ),
    );
    handsList.hidden = raised.length === 0;
    noHands.hidden = raised.length > 0;
    callNextButton.hidden = raised.length === 0;
    const focusedId = peopleList.contains(document.activeElement) ? document.activeElement.dataset.person : null;
    peopleList.replaceChildren(
      ...state.roster.map((p) => {
        const hand = hands.indexOf(p.id);
        const muted = p.muted_until && p.muted_until > Date.now();
        const details = [
          p.id === state.me?.id ? [" ", h("span", { class: "you" }, S.youTag)] : null,
          p.role === "facilitator" ? [" ", h("span", { class: "badge" }, S.facilitator)] : null,
          p.status === "away" ? [" ", h("span", { class: "tag" }, S.away)] : null,
          muted ? [" ", h("span", { class: "tag muted-tag" }, S.mutedUntil(formatTime(p.muted_until)))] : null,
          hand >= 0 ? [" ", h("span", { class: "tag hand-tag" }, h("span", { class: "icon icon-hand", "aria-hidden": "true" }), S.handNumber(hand + 1))] : null,
        ];
        const item = h("li", { class: `person${p.status === "away" ? " away" : ""}` }, h("span", { class: "who" }, nameNode(p.name), details));
        if (p.role === "member") {
          const menu = h(
            "button",
            { type: "button", class: "more-inline", "aria-expanded": "false", "aria-label": S.actionsFor(p.name), "data-person": String(p.id) },
            h("span", { class: "icon icon-more", "aria-hidden": "true" }),
          );
          menu.addEventListener("click", () => memberMenu(p, menu));
          item.append(menu);
        }
        return item;
      }),
    );
    if (focusedId) peopleList.querySelector(`[data-person="${CSS.escape(focusedId)}"]`)?.focus();
  }

  // ------------------------------------------------------------------------------------------
  // Menus: everything about one member or one message in one place

  function reasonSelect(id) {
    return h("select", { id }, ...REASONS.map((code) => h("option", { value: code }, S.reasons[code])));
  }

  function memberMenu(p, button) {
    const reason = reasonSelect("menu-reason");
    const minutes = h("select", { id: "menu-minutes" }, ...S.muteMinutes.map((n) => h("option", { value: String(n), selected: n === 10 }, S.minutes(n))));
    const muted = p.muted_until && p.muted_until > Date.now();
    const items = [
      h("button", { type: "button", class: "menu-item", onclick: () => run({ type: "call_on", participant: p.id }) }, S.callOnWho(p.name)),
      h("button", { type: "button", class: "menu-item", onclick: () => { closePopover(); openThread(p, { focus: true }); } }, S.replyPrivately),
      h("div", { class: "menu-field" }, h("label", { for: "menu-reason" }, S.reasonLabel), reason),
      muted
        ? h("button", { type: "button", class: "menu-item", onclick: () => run({ type: "unmute", participant: p.id }) }, S.unmute)
        : h(
            "div",
            { class: "menu-field row" },
            h("label", { for: "menu-minutes" }, S.muteFor),
            minutes,
            h("button", { type: "button", class: "secondary small", onclick: () => run({ type: "mute", participant: p.id, minutes: Number(minutes.value), reason: reason.value }) }, S.mute),
          ),
      h("button", { type: "button", class: "menu-item danger", onclick: () => run({ type: "remove", participant: p.id, reason: reason.value }) }, S.remove),
      h(
        "button",
        {
          type: "button",
          class: "menu-item danger",
          onclick: async () => {
            const chosen = reason.value;
            closePopover();
            const ok = await confirmDialog({ title: S.banConfirmTitle(nameNode(p.name)), body: S.banConfirmBody, confirm: S.banConfirm });
            if (ok) act({ type: "ban", participant: p.id, reason: chosen });
            else button.focus();
          },
        },
        S.ban,
      ),
    ];
    openPopover(button, items, { label: S.actionsFor(p.name), onClose: () => state.peopleDirty && setTimeout(renderPeople) });
  }

  function run(msg) {
    closePopover({ refocus: true });
    act(msg);
  }

  function messageMenu(entry, button) {
    const m = entry.message;
    const items = REACTIONS.map((reaction) => {
      const pressed = log.mineReacted(m.id, reaction);
      return h(
        "button",
        {
          type: "button",
          class: "menu-item",
          "aria-pressed": pressed ? "true" : "false",
          onclick: () => run({ type: "react", message: m.id, reaction, on: !pressed }),
        },
        h("span", { class: `icon icon-${reaction}`, "aria-hidden": "true" }),
        " ",
        S.reactions[reaction],
      );
    });
    if (m.from.role === "member") {
      const member = state.roster.find((p) => p.id === m.from.id) ?? m.from;
      items.push(h("button", { type: "button", class: "menu-item", onclick: () => { closePopover(); openThread(member, { focus: true }); } }, S.replyPrivatelyTo(m.from.name)));
    }
    const reason = reasonSelect("message-reason");
    items.push(
      h("div", { class: "menu-field" }, h("label", { for: "message-reason" }, S.reasonLabel), reason),
      h("button", { type: "button", class: "menu-item danger", onclick: () => run({ type: "delete", message: m.id, reason: reason.value }) }, S.deleteMessage),
    );
    openPopover(button, items, { label: textOf(S.messageActions(m.from.name)) });
  }

  // A modal confirmation (for ending the session and banning). Focus starts on Cancel.
  function confirmDialog({ title, body, confirm }) {
    return new Promise((resolve) => {
      const opener = document.activeElement;
      const cancel = h("button", { type: "button", class: "secondary" }, S.cancel);
      const yes = h("button", { type: "button", class: "danger" }, confirm);
      const dialog = h(
        "dialog",
        { "aria-labelledby": "confirm-heading", "aria-describedby": "confirm-body" },
        h("h2", { id: "confirm-heading" }, title),
        h("p", { id: "confirm-body" }, body),
        h("div", { class: "actions" }, cancel, yes),
      );
      let answer = false;
      cancel.addEventListener("click", () => dialog.close());
      yes.addEventListener("click", () => {
        answer = true;
        dialog.close();
      });
      dialog.addEventListener("close", () => {
        dialog.remove();
        if (!answer && opener?.isConnected) opener.focus();
        resolve(answer);
      });
      document.body.append(dialog);
      dialog.showModal();
      cancel.focus();
    });
  }

  async function confirmEnd() {
    const ok = await confirmDialog({ title: S.endConfirmTitle, body: S.endConfirmBody, confirm: S.endConfirm });
    if (ok) act({ type: "end" });
  }

  // ------------------------------------------------------------------------------------------
  // Alerts: a count, a polite announcement, no sound and nothing flashing

  function onAlert(alert) {
    state.alerts.unshift({ ...alert, seen: false, key: alertKey(alert) });
    state.unseen += 1;
    renderAlerts();
    announcer.say(S.alertAnnounce(textOf(alertWords(alert))));
  }

  // An alert is the same alert if it is about the same thing at the same moment (alerts carry
  // no id of their own).
  function alertKey(alert) {
    return `${alert.kind}|${alert.participant?.id}|${alert.message ?? ""}|${alert.by?.id ?? ""}|${alert.ts}`;
  }

  // After a reload or a reconnect the server resends what went to the facilitators this session
  // (private lines and alerts). Adds what this page does not have yet, quietly: shown as new,
  // not announced one by one.
  function restore(items) {
    let added = 0;
    for (const item of items) {
      if (item.type === "private") {
        const thread = threadFor(item.member);
        if (thread.messages.some((m) => m.id === item.id)) continue;
        thread.messages.push(item);
        thread.messages.sort((a, b) => a.id - b.id);
        thread.last = Math.max(thread.last, item.ts);
        if (item.from.id !== state.me?.id && state.thread !== item.member.id) thread.unread += 1;
        added += 1;
      } else if (item.type === "alert") {
        const key = alertKey(item);
        if (state.alerts.some((a) => a.key === key)) continue;
        state.alerts.push({ ...item, seen: false, key });
        state.unseen += 1;
        added += 1;
      }
    }
    if (added === 0) return;
    state.alerts.sort((a, b) => b.ts - a.ts);
    renderThreads();
    renderAlerts();
    say(S.restored(added));
  }

  function kinds(list) {
    return (list ?? []).map((k) => S.kindWords[k] ?? k).join(", ");
  }

  function alertWords(alert) {
    const who = nameNode(alert.participant.name);
    switch (alert.kind) {
      case "contact":
        return S.alert.contact(who, alert.blocked, kinds(alert.kinds));
      case "report":
        return S.alert.report(who, alert.by ? nameNode(alert.by.name) : null, alert.reason ? S.reasons[alert.reason]?.toLowerCase() : null);
      case "crisis":
        return S.alert.crisis(who, kinds(alert.kinds));
      case "support":
        return S.alert.support(who);
      case "dropped":
        return S.alert.dropped(who);
      default:
        return [who];
    }
  }

  function renderAlerts() {
    alertsCount.textContent = S.alertsNew(state.unseen);
    alertsCount.hidden = state.unseen === 0;
    markSeen.hidden = state.unseen === 0;
    jumpAlertsLabel.textContent = state.unseen > 0 ? `${S.jump.alerts} (${state.unseen})` : S.jump.alerts;
    document.title = `${state.unseen > 0 ? `(${state.unseen}) ` : ""}${S.title(group.name)} · Hearth`;
    if (state.alerts.length === 0) {
      alertsList.replaceChildren(h("li", { class: "help" }, S.alertsEmpty));
      return;
    }
    alertsList.replaceChildren(
      ...state.alerts.map((alert) => {
        const actions = [];
        const member = state.roster.find((p) => p.id === alert.participant.id) ?? state.waiting.find((p) => p.id === alert.participant.id);
        if (member) {
          actions.push(h("button", { type: "button", class: "secondary small", onclick: () => { see(alert); openThread(member, { focus: true }); } }, S.replyPrivatelyTo(alert.participant.name)));
        }
        const reporter = alert.by && state.roster.find((p) => p.id === alert.by.id && p.role === "member");
        if (reporter) {
          actions.push(h("button", { type: "button", class: "secondary small", onclick: () => { see(alert); openThread(reporter, { focus: true }); } }, S.replyPrivatelyTo(alert.by.name)));
        }
        if (alert.message && log.has(alert.message)) {
          actions.push(h("button", { type: "button", class: "secondary small", onclick: () => { see(alert); log.focusMessage(alert.message); } }, S.showMessage));
        }
        return h(
          "li",
          { class: `alert alert-${alert.kind}${alert.seen ? "" : " unseen"}` },
          h("p", { class: "alert-head" }, alert.seen ? null : [h("span", { class: "new-tag" }, S.newTag), " "], timeNode(alert.ts)),
          h("p", { class: "alert-text" }, alertWords(alert)),
          alert.masked ? h("p", { class: "quote" }, h("span", { class: "help" }, S.maskedLabel, " "), alert.masked) : null,
          alert.note ? h("p", { class: "quote" }, h("span", { class: "help" }, S.noteLabel, " "), alert.note) : null,
          actions.length ? h("div", { class: "row" }, ...actions) : null,
        );
      }),
    );
  }

  function see(alert) {
    if (!alert.seen) {
      alert.seen = true;
      state.unseen = Math.max(0, state.unseen - 1);
      renderAlerts();
    }
  }

  function markAllSeen() {
    for (const alert of state.alerts) alert.seen = true;
    state.unseen = 0;
    renderAlerts();
    alertsHeading.focus();
  }

  // ------------------------------------------------------------------------------------------
  // Private threads, one per member

  function threadFor(member) {
    let thread = state.threads.get(member.id);
    if (!thread) {
      thread = { member, messages: [], unread: 0, last: 0 };
      state.threads.set(member.id, thread);
    }
    thread.member = member;
    return thread;
  }

  function onPrivate(msg) {
    const thread = threadFor(msg.member);
    thread.messages.push(msg);
    thread.last = msg.ts;
    const mine = msg.from.id === state.me?.id;
    const reading = state.thread === msg.member.id;
    if (!mine && !reading) thread.unread += 1;
    renderThreads();
    if (!mine && msg.from.role === "member") announcer.say(S.privateAnnounce(msg.from.name));
  }

  function openThread(member, { focus = false } = {}) {
    const thread = threadFor(member);
    thread.unread = 0;
    state.thread = member.id;
    renderThreads();
    if (focus) threadView.querySelector("textarea")?.focus();
    if (focus && !threadsSection.contains(document.activeElement)) threadsHeading.focus();
  }

  function renderThreads() {
    const threads = [...state.threads.values()].sort((a, b) => b.last - a.last);
    if (threads.length === 0 && state.thread === null) {
      threadsList.replaceChildren(h("li", { class: "help" }, S.threadsEmpty));
      threadView.replaceChildren();
      return;
    }
    threadsList.replaceChildren(
      ...threads.map((t) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "thread-button",
              "aria-pressed": state.thread === t.member.id ? "true" : "false",
              onclick: () => openThread(t.member, { focus: true }),
            },
            nameNode(t.member.name),
            t.unread > 0 ? [" ", h("span", { class: "count-badge" }, S.threadUnread(t.unread))] : null,
          ),
        ),
      ),
    );
    const current = state.thread !== null ? state.threads.get(state.thread) : null;
    if (!current) {
      threadView.replaceChildren();
      return;
    }
    const keep = threadView.querySelector("textarea");
    const draft = keep?.value ?? "";
    const hadFocus = keep && keep === document.activeElement;
    const input = h("textarea", { id: "reply-input", rows: 2, "aria-describedby": "reply-error" });
    input.value = draft;
    const error = h("p", { class: "error", id: "reply-error" });
    const form = h(
      "form",
      { class: "reply-form", novalidate: true },
      h("label", { for: "reply-input" }, S.replyLabel(current.member.name)),
      input,
      error,
      h("button", { type: "submit" }, S.replySend),
    );
    const submit = () => {
      const text = input.value.trim();
      if (!text) return;
      const clientId = `r${state.nextId++}`;
      if (!conn.send({ type: "reply", to: current.member.id, text, client_id: clientId })) {
        error.textContent = S.notConnected;
        return;
      }
      state.pending.set(clientId, { kind: "reply", text });
      input.value = "";
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    const list = h(
      "ol",
      { class: "thread" },
      ...current.messages.map((p) => {
        const mine = p.from.id === state.me?.id;
        return h(
          "li",
          { class: p.from.role === "member" ? "theirs" : "mine" },
          h("p", { class: "meta" }, mine ? h("span", { class: "name" }, S.fromYou) : nameNode(p.from.name), " ", timeNode(p.ts)),
          h("p", { class: "text" }, p.text),
        );
      }),
    );
    threadView.replaceChildren(list, form);
    list.lastElementChild?.scrollIntoView?.({ block: "nearest" });
    if (hadFocus) input.focus();
  }

  // ------------------------------------------------------------------------------------------
  // The chat composer

  function submitSay() {
    const text = composerInput.value.trim();
    if (!text) return;
    const clientId = `c${state.nextId++}`;
    if (!conn.send({ type: "say", text, client_id: clientId })) {
      composerError.textContent = S.notConnected;
      return;
    }
    state.pending.set(clientId, { kind: "say", text });
    composerInput.value = "";
    composerError.textContent = "";
  }
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    submitSay();
  });
  composerInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitSay();
    }
  });

  // ------------------------------------------------------------------------------------------
  // Shortcuts

  function focusSection(heading) {
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  }

  function onKey(event) {
    if (!state.shortcuts || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
    const key = event.key.toLowerCase();
    const actions = {
      a: () => admitAll(),
      n: () => act({ type: "call_on" }),
      c: () => composerInput.focus(),
      w: () => focusSection(waitingHeading),
      p: () => focusSection(peopleHeading),
      l: () => focusSection(alertsHeading),
      t: () => focusSection(threadsHeading),
    };
    if (actions[key]) {
      event.preventDefault();
      actions[key]();
    }
  }
  document.addEventListener("keydown", onKey);

  // ------------------------------------------------------------------------------------------
  // The end, and leaving

  function endedView(next) {
    return [h("h2", {}, S.endedHeading), h("p", {}, S.endedBody), next ? h("p", {}, S.endedNext(formatDayTime(next))) : null];
  }

  function forgetResume() {
    state.resume = null;
    try {
      sessionStorage.removeItem(resumeKey);
    } catch {
      // Nothing stored.
    }
  }

  function finish(content) {
    if (state.finished) return;
    state.finished = true;
    conn.stop();
    forgetResume();
    closePopover();
    log.reset();
    state.threads.clear();
    state.alerts = [];
    document.removeEventListener("keydown", onKey);
    clearInterval(ticker);
    document.title = `${S.title(group.name)} · Hearth`;
    const box = h("section", { class: "card room-over", "aria-live": "polite" }, content, h("p", {}, link(`/console/groups/${group.id}`, S.backToGroup)));
    main.replaceChildren(h("h1", { tabindex: "-1" }, S.title(group.name)), box);
    main.querySelector("h1").focus();
  }

  function leave() {
    conn.send({ type: "leave" });
    finish([h("h2", {}, S.leftHeading)]);
  }

  const ticker = setInterval(() => {
    if (state.room) {
      renderControls();
      renderPeople();
    }
  }, 30000);

  conn.start();

  return {
    dispose() {
      if (!state.finished) {
        conn.send({ type: "leave" });
        state.finished = true;
        conn.stop();
        forgetResume();
      }
      closePopover();
      document.removeEventListener("keydown", onKey);
      clearInterval(ticker);
    },
  };
}
