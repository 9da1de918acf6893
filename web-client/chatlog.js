// The message log of a room, shared by the member client and the facilitator console.
// Messages, reactions and notices are built from text nodes only; names are in <bdi>.
// New messages are announced through the page's polite announcer (one line each); the list
// itself is not a live region, so a history replay is never read out.

import { h, nameNode, timeNode, textOf } from "./dom.js";

export const REACTIONS = ["heart", "hug", "me_too", "thank_you", "strength"];

export class ChatLog {
  // strings: { facilitator, you, reactions: {key: label}, reactionChip(label, count, mine),
  //            reactionsGroup, messageActions(name), deletedNotice, newMessages,
  //            announceMessage(name, text), unsent(reason), resend }
  constructor({ list, scroller, jump, strings, announcer, me, onReact, onActions, onResend }) {
    this.list = list;
    this.scroller = scroller;
    this.jump = jump;
    this.strings = strings;
    this.announcer = announcer;
    this.me = me;
    this.onReact = onReact;
    this.onActions = onActions;
    this.onResend = onResend;
    this.messages = new Map();
    this.jump?.addEventListener("click", () => {
      this.scrollToEnd();
      this.jump.hidden = true;
    });
    this.scroller?.addEventListener("scroll", () => {
      if (this.nearEnd()) this.jump.hidden = true;
    });
  }

  reset() {
    this.messages.clear();
    this.list.replaceChildren();
    if (this.jump) this.jump.hidden = true;
  }

  has(id) {
    return this.messages.has(id);
  }

  nearEnd() {
    const s = this.scroller;
    if (!s) return true;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  // Adds an item, keeping the view at the end if the reader was there; otherwise offers a
  // "new messages" button instead of pulling the page away from what they are reading.
  place(item, { mine = false } = {}) {
    const stick = mine || this.nearEnd();
    this.list.append(item);
    if (stick) this.scrollToEnd();
    else if (this.jump) this.jump.hidden = false;
  }

  scrollToEnd() {
    if (this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  // A chat message. `live` messages (not history) are announced, except one's own.
  addMessage(m, { live = false } = {}) {
    if (this.messages.has(m.id)) return;
    const S = this.strings;
    const mine = m.from.id === this.me();
    const item = h("li", { class: "message", "data-id": String(m.id) });
    if (mine) item.classList.add("mine");
    if (m.from.role === "facilitator") item.classList.add("from-facilitator");
    const actions = h(
      "button",
      { type: "button", class: "more", "aria-expanded": "false", "aria-label": textOf(S.messageActions(m.from.name)) },
      h("span", { class: "icon icon-more", "aria-hidden": "true" }),
    );
    actions.addEventListener("click", () => this.onActions?.(this.messages.get(m.id), actions));
    const meta = h(
      "p",
      { class: "meta" },
      nameNode(m.from.name),
      m.from.role === "facilitator" ? [" ", h("span", { class: "badge" }, S.facilitator)] : null,
      mine ? [" ", h("span", { class: "you" }, S.youTag)] : null,
      " ",
      timeNode(m.ts),
    );
    const body = h("p", { class: "text" });
    body.textContent = m.text;
    const reactions = h("div", { class: "reactions", role: "group", "aria-label": S.reactionsGroup, hidden: true });
    item.append(h("div", { class: "message-head" }, meta, actions), body, reactions);
    const entry = { message: m, item, reactions: new Map(), reactionsEl: reactions, actions };
    for (const [reaction, by] of Object.entries(m.reactions ?? {})) {
      entry.reactions.set(reaction, new Set(by));
    }
    this.messages.set(m.id, entry);
    this.renderReactions(entry);
    this.place(item, { mine });
    if (live && !mine) this.announcer?.say(S.announceMessage(m.from.name, m.text));
  }

  react(messageId, reaction, by, on) {
    const entry = this.messages.get(messageId);
    if (!entry) return;
    const givers = entry.reactions.get(reaction) ?? new Set();
    if (on) givers.add(by);
    else givers.delete(by);
    if (givers.size > 0) entry.reactions.set(reaction, givers);
    else entry.reactions.delete(reaction);
    this.renderReactions(entry);
  }

  mineReacted(messageId, reaction) {
    return Boolean(this.messages.get(messageId)?.reactions.get(reaction)?.has(this.me()));
  }

  renderReactions(entry) {
    const S = this.strings;
    const me = this.me();
    const chips = REACTIONS.filter((r) => entry.reactions.get(r)?.size).map((reaction) => {
      const givers = entry.reactions.get(reaction);
      const mine = givers.has(me);
      const chip = h(
        "button",
        {
          type: "button",
          class: "chip",
          "aria-pressed": mine ? "true" : "false",
          "aria-label": S.reactionChip(S.reactions[reaction], givers.size, mine),
          title: S.reactions[reaction],
        },
        h("span", { class: `icon icon-${reaction}`, "aria-hidden": "true" }),
        h("span", { class: "count", "aria-hidden": "true" }, String(givers.size)),
      );
      chip.addEventListener("click", () => this.onReact?.(entry.message.id, reaction, !mine));
      return chip;
    });
    entry.reactionsEl.replaceChildren(...chips);
    entry.reactionsEl.hidden = chips.length === 0;
  }

  // A facilitator deleted the message: its text leaves the page; a short placeholder remains.
  remove(messageId) {
    const entry = this.messages.get(messageId);
    if (!entry) return;
    this.messages.delete(messageId);
    const placeholder = h("li", { class: "notice deleted" }, this.strings.deletedNotice);
    const hadFocus = entry.item.contains(document.activeElement);
    entry.item.replaceWith(placeholder);
    if (hadFocus) {
      placeholder.tabIndex = -1;
      placeholder.focus();
    }
  }

  addNotice(parts, { kind = "", live = false, actions = [] } = {}) {
    const item = h("li", { class: `notice ${kind}`.trim() }, h("span", {}, parts), actions.length ? [" ", ...actions] : null);
    this.place(item);
    if (live) this.announcer?.say(parts);
    return item;
  }

  // A message that was not delivered: says why, keeps the words, offers to send them again.
  addUnsent(text, reason) {
    const S = this.strings;
    const again = h("button", { type: "button", class: "link-button" }, S.resend);
    const item = h(
      "li",
      { class: "notice unsent" },
      h("p", { class: "unsent-why" }, S.unsent(reason)),
      h("p", { class: "text unsent-text" }, text),
      again,
    );
    again.addEventListener("click", () => {
      item.remove();
      this.onResend?.(text);
    });
    this.place(item, { mine: true });
    return item;
  }

  focusMessage(messageId) {
    const entry = this.messages.get(messageId);
    if (!entry) return false;
    entry.item.tabIndex = -1;
    entry.item.scrollIntoView({ block: "center" });
    entry.item.focus();
    entry.item.classList.add("highlight");
    setTimeout(() => entry.item.classList.remove("highlight"), 3000);
    return true;
  }

  // The messages one participant wrote (for matching a reconnect's history against unsent text).
  textsFrom(participantId) {
    return [...this.messages.values()].filter((e) => e.message.from.id === participantId).map((e) => e.message.text);
  }
}
