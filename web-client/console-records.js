// The group page's records: past sessions (counts only), the audit log (who did what to which
// seat, and why; never what was said) and bans (lift one). Built with h(): text nodes only.
import { api, h } from "./api.js";
import { records as strings } from "./console-strings.js";

const when = (ms) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));

function table(caption, columns, rows) {
  return h(
    "table",
    { class: "records" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows),
  );
}

function sessionsPart(group) {
  const body = h("div", {}, h("p", { class: "status" }, "…"));
  api("GET", `/api/groups/${group.id}/sessions?limit=20`)
    .then(({ sessions }) => {
      if (sessions.length === 0) {
        body.replaceChildren(h("p", {}, strings.noSessions));
        return;
      }
      const rows = sessions.map((s) =>
        h(
          "tr",
          {},
          h("td", {}, s.started_at ? when(s.started_at) : strings.neverOpened),
          h("td", {}, when(s.ended_at)),
          h("td", {}, String(s.members_joined)),
          h("td", {}, String(s.peak_present)),
          h("td", {}, String(s.messages_sent)),
        ),
      );
      body.replaceChildren(table(strings.sessionsHeading, strings.sessionColumns, rows));
    })
    .catch((error) => body.replaceChildren(h("p", { class: "error" }, error.message)));
  return [h("h3", { id: "sessions-heading" }, strings.sessionsHeading), body];
}

function auditPart(group) {
  const names = new Map(group.facilitators.map((f) => [f.id, f.display_name]));
  const who = (event) =>
    event.actor === null ? strings.server : (names.get(event.actor) ?? strings.operator(event.actor));
  const tbody = h("tbody");
  const status = h("p", { class: "status", role: "status" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, strings.more);
  let before = null;

  async function load() {
    const query = before === null ? "" : `&before=${before}`;
    try {
      const { events } = await api("GET", `/api/groups/${group.id}/audit?limit=50${query}`);
      if (events.length === 0 && before === null) status.textContent = strings.noAudit;
      for (const event of events) {
        tbody.append(
          h(
            "tr",
            {},
            h("td", {}, when(event.at)),
            h("td", {}, h("bdi", {}, who(event))),
            h("td", {}, strings.actions[event.action] ?? event.action),
            h("td", {}, event.participant === null ? "" : strings.seat(event.participant)),
            h("td", {}, event.reason ? (strings.reasons[event.reason] ?? event.reason) : ""),
          ),
        );
      }
      before = events.length > 0 ? events[events.length - 1].id : before;
      more.hidden = events.length < 50;
    } catch (error) {
      status.className = "error";
      status.textContent = error.message;
    }
  }
  more.addEventListener("click", load);
  load();
  return [
    h("h3", { id: "audit-heading" }, strings.auditHeading),
    h("p", { class: "help" }, strings.auditIntro),
    h(
      "table",
      { class: "records" },
      h("caption", { class: "visually-hidden" }, strings.auditHeading),
      h("thead", {}, h("tr", {}, ...strings.auditColumns.map((c) => h("th", { scope: "col" }, c)))),
      tbody,
    ),
    status,
    more,
  ];
}

function bansPart(group) {
  const list = h("ul", { class: "plain-list" });
  const status = h("p", { class: "status", role: "status" });
  async function render() {
    try {
      const { bans } = await api("GET", `/api/groups/${group.id}/bans`);
      const live = bans.filter((ban) => ban.lifted_at === null);
      if (live.length === 0) {
        list.replaceChildren(h("li", {}, strings.noBans));
        return;
      }
      list.replaceChildren(
        ...live.map((ban) =>
          h(
            "li",
            { class: "row" },
            h("span", {}, strings.banLine(when(ban.created_at), strings.reasons[ban.reason] ?? ban.reason)),
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                "aria-label": strings.liftLabel(when(ban.created_at)),
                onclick: async () => {
                  if (!confirm(strings.confirmLift)) return;
                  try {
                    await api("DELETE", `/api/groups/${group.id}/bans/${ban.id}`);
                    await render();
                  } catch (error) {
                    status.className = "error";
                    status.textContent = error.message;
                  }
                },
              },
              strings.lift,
            ),
          ),
        ),
      );
    } catch (error) {
      status.className = "error";
      status.textContent = error.message;
    }
  }
  render();
  return [h("h3", { id: "bans-heading" }, strings.bansHeading), h("p", { class: "help" }, strings.bansIntro), list, status];
}

export function recordsSection(group) {
  return h(
    "section",
    { "aria-labelledby": "records-heading", class: "records-section" },
    h("h2", { id: "records-heading" }, strings.heading),
    h("p", { class: "help" }, strings.intro),
    ...sessionsPart(group),
    ...auditPart(group),
    ...bansPart(group),
  );
}
