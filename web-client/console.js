// The facilitator and operator console: groups with their next session, a group's details,
// schedule, room settings, invite links and co-facilitators, and (for operators) accounts.
// Views are built with h(), which only ever creates text nodes: no HTML is parsed from data.
import { api, h } from "./api.js";
import { strings, room as roomStrings } from "./console-strings.js";
import { openRoom } from "./console-room.js";
import { recordsSection } from "./console-records.js";

const main = document.getElementById("main");
const state = { me: null, room: null };

function page(title, ...content) {
  document.title = `${title} · Hearth`;
  const heading = h("h1", { tabindex: "-1" }, title);
  main.replaceChildren(heading, ...content);
  heading.focus();
}

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-route]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", () => route());

function link(path, text, attributes = {}) {
  return h("a", { href: path, "data-route": true, ...attributes }, text);
}

// A status line for one form: errors in red, progress and success in muted text.
function statusLine() {
  const line = h("p", { class: "status", role: "status" });
  return {
    element: line,
    working() {
      line.className = "status";
      line.textContent = strings.working;
    },
    ok(text = strings.saved) {
      line.className = "status";
      line.textContent = text;
    },
    fail(error) {
      line.className = "error";
      line.textContent = error.message;
    },
  };
}

function field(id, label, input, help) {
  input.id = id;
  const parts = [h("label", { for: id }, label), input];
  if (help) {
    input.setAttribute("aria-describedby", `${id}-help`);
    parts.push(h("p", { id: `${id}-help`, class: "help" }, help));
  }
  return parts;
}

function checkbox(id, label, checked) {
  const input = h("input", { type: "checkbox", id, checked: Boolean(checked) });
  return { input, element: h("label", { class: "check", for: id }, input, ` ${label}`) };
}

function formatWhen(iso, zone) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

function formatMillis(ms) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));
}

function nextSessionText(group) {
  if (!group.next_session) return strings.noSchedule;
  return strings.nextSession(formatWhen(group.next_session.start, group.time_zone), group.time_zone);
}

function timeZones() {
  const list = h("datalist", { id: "time-zones" });
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  for (const zone of zones) list.append(h("option", { value: zone }));
  return list;
}

// The schedule fields: time zone, one weekly rule (days, start, length), one-off sessions and
// skipped dates. `read()` returns the body of PUT /api/groups/{id}/schedule.
function scheduleFields(group) {
  const spec = group?.schedule ?? null;
  const rule = spec?.weekly?.[0];
  const zone = h("input", {
    list: "time-zones",
    value: group?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
    required: true,
    autocomplete: "off",
  });
  const days = strings.weekdays.map(([code, name]) => {
    const box = checkbox(`day-${code}`, name, rule?.days?.includes(code));
    box.code = code;
    return box;
  });
  const start = h("input", { type: "time", value: rule?.start ?? "19:00" });
  const minutes = h("input", { type: "number", min: "45", max: "180", step: "15", value: String(rule?.minutes ?? 90) });
  const oneOff = h("textarea", { rows: 2 });
  oneOff.value = (spec?.one_off ?? []).map((o) => `${o.date} ${o.start} ${o.minutes}`).join("\n");
  const skip = h("input", { value: (spec?.skip ?? []).join(", ") });
  const element = h(
    "div",
    { class: "sections" },
    timeZones(),
    ...field("schedule-zone", "Time zone", zone, "Where the group meets, e.g. Europe/Berlin. Times below are local to it."),
    h("fieldset", { class: "days" }, h("legend", {}, "Meets every week on"), ...days.map((d) => d.element)),
    h("div", { class: "row" }, ...field("schedule-start", "Starts at", start), ...field("schedule-minutes", "Minutes", minutes)),
    ...field("schedule-one-off", "Extra sessions", oneOff, "One per line: date, start, minutes, e.g. 2026-12-23 18:00 60."),
    ...field("schedule-skip", "Skipped dates", skip, "Dates without the weekly session, separated by commas, e.g. 2026-12-29."),
  );
  return {
    element,
    read() {
      const chosen = days.filter((d) => d.input.checked).map((d) => d.code);
      const weekly = chosen.length > 0 ? [{ days: chosen, start: start.value, minutes: Number(minutes.value) }] : [];
      const one_off = oneOff.value
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([date, at, length]) => ({ date, start: at ?? "", minutes: Number(length ?? 0) }));
      const skipped = skip.value
        .split(/[,\s]+/)
        .map((d) => d.trim())
        .filter(Boolean);
      const empty = weekly.length === 0 && one_off.length === 0;
      return {
        time_zone: zone.value.trim(),
        schedule: empty ? null : { weekly, one_off, skip: skipped },
      };
    },
  };
}

async function dashboard() {
  const { groups } = await api("GET", "/api/groups");
  const list = h("ul", { class: "group-list" });
  for (const group of groups) {
    const names = group.facilitators.map((f) => f.display_name).join(", ");
    list.append(
      h(
        "li",
        { class: "card" },
        h("h2", {}, link(`/console/groups/${group.id}`, group.name, { "aria-label": strings.manage(group.name) })),
        group.topic ? h("p", { class: "muted" }, group.topic) : null,
        h("p", {}, nextSessionText(group)),
        h("p", { class: "help" }, strings.capacity(group.capacity), " · ", strings.facilitatedBy(names)),
        h("p", {}, link(`/console/groups/${group.id}/room`, roomStrings.enterRoom, { class: "button-link", "aria-label": `${roomStrings.enterRoom}: ${group.name}` })),
      ),
    );
  }
  page(
    "Your groups",
    h("p", {}, link("/console/groups/new", "New group")),
    groups.length > 0 ? list : h("p", {}, strings.noGroups),
  );
}

function newGroupView() {
  const name = h("input", { required: true, maxlength: "80" });
  const topic = h("input", { maxlength: "60" });
  const description = h("textarea", { rows: 2, maxlength: "1000" });
  const capacity = h("input", { type: "number", min: "2", max: "15", value: "12" });
  const schedule = scheduleFields(null);
  const status = statusLine();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("group-name", "Name", name),
    ...field("group-topic", "Topic", topic, "What the group is about, e.g. grief, anxiety, recovery."),
    ...field("group-description", "Description", description),
    ...field("group-capacity", "Members at most", capacity),
    h("fieldset", {}, h("legend", {}, "Schedule"), schedule.element),
    h("button", { type: "submit" }, "Create group"),
    status.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    const when = schedule.read();
    try {
      const { group } = await api("POST", "/api/groups", {
        name: name.value,
        topic: topic.value,
        description: description.value,
        capacity: Number(capacity.value),
        time_zone: when.time_zone,
        schedule: when.schedule,
      });
      navigate(`/console/groups/${group.id}`);
    } catch (error) {
      status.fail(error);
    }
  });
  page("New group", form);
  name.focus();
}

function aboutSection(group) {
  const name = h("input", { required: true, maxlength: "80", value: group.name });
  const topic = h("input", { maxlength: "60", value: group.topic });
  const description = h("textarea", { rows: 2, maxlength: "1000" });
  description.value = group.description;
  const rules = h("textarea", { rows: 6, maxlength: "4000" });
  rules.value = group.rules;
  const capacity = h("input", { type: "number", min: "2", max: "15", value: String(group.capacity) });
  const status = statusLine();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("about-name", "Name", name),
    ...field("about-topic", "Topic", topic),
    ...field("about-description", "Description", description),
    ...field("about-rules", "Ground rules", rules, "Members read and accept these before they join."),
    ...field("about-capacity", "Members at most", capacity),
    h("button", { type: "submit" }, "Save details"),
    status.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    try {
      await api("PATCH", `/api/groups/${group.id}`, {
        name: name.value,
        topic: topic.value,
        description: description.value,
        rules: rules.value,
        capacity: Number(capacity.value),
      });
      status.ok();
    } catch (error) {
      status.fail(error);
    }
  });
  return h("section", { "aria-labelledby": "about-heading" }, h("h2", { id: "about-heading" }, "About the group"), form);
}

function scheduleSection(group) {
  const schedule = scheduleFields(group);
  const next = h("p", {}, nextSessionText(group));
  const status = statusLine();
  const form = h("form", { class: "card", novalidate: true }, schedule.element, h("button", { type: "submit" }, "Save schedule"), status.element);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    try {
      const { group: saved } = await api("PUT", `/api/groups/${group.id}/schedule`, schedule.read());
      next.textContent = nextSessionText(saved);
      status.ok();
    } catch (error) {
      status.fail(error);
    }
  });
  return h("section", { "aria-labelledby": "schedule-heading" }, h("h2", { id: "schedule-heading" }, "Schedule"), next, form);
}

function settingsSection(group) {
  const s = group.settings;
  const policy = h(
    "select",
    {},
    h("option", { value: "block", selected: s.filter_policy === "block" }, "Block the message and tell the sender"),
    h("option", { value: "mask", selected: s.filter_policy === "mask" }, "Deliver it with the details masked"),
  );
  const exempt = checkbox("setting-exempt", "Facilitators may share contact details (a helpline, say)", s.exempt_facilitators);
  const autoOpen = checkbox("setting-auto-open", "Open the room by itself at the scheduled time", s.auto_open);
  const autoAdmit = checkbox("setting-auto-admit", "Let members straight in (no waiting room)", s.auto_admit);
  const alone = checkbox("setting-alone", "Members may talk while no facilitator is present", s.allow_without_facilitator);
  const locale = h("input", { value: s.crisis_locale, maxlength: "10" });
  const waiting = h("input", { type: "number", min: "0", max: "60", value: String(s.waiting_room_minutes) });
  const status = statusLine();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("setting-policy", "When a message holds contact details", policy),
    exempt.element,
    autoOpen.element,
    autoAdmit.element,
    alone.element,
    ...field("setting-locale", "Crisis resources for", locale, "A region code: us, uk, ie, ca, au, nz, de, fr, in or intl."),
    ...field("setting-waiting", "Waiting room opens (minutes before the start)", waiting),
    h("button", { type: "submit" }, "Save settings"),
    status.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    try {
      await api("PUT", `/api/groups/${group.id}/settings`, {
        filter_policy: policy.value,
        exempt_facilitators: exempt.input.checked,
        crisis_locale: locale.value.trim(),
        auto_open: autoOpen.input.checked,
        auto_admit: autoAdmit.input.checked,
        allow_without_facilitator: alone.input.checked,
        waiting_room_minutes: Number(waiting.value),
      });
      status.ok();
    } catch (error) {
      status.fail(error);
    }
  });
  return h("section", { "aria-labelledby": "settings-heading" }, h("h2", { id: "settings-heading" }, "Room settings"), h("p", { class: "help" }, "Changes apply from the next session."), form);
}

function invitesSection(group) {
  const list = h("ul", { class: "plain-list" });
  const fresh = h("div", { hidden: true, class: "card" });
  const status = statusLine();
  const expiry = h(
    "select",
    {},
    h("option", { value: "24" }, "1 day"),
    h("option", { value: "168", selected: true }, "7 days"),
    h("option", { value: "720" }, "30 days"),
    h("option", { value: "" }, "Never"),
  );
  const maxUses = h("input", { type: "number", min: "1", max: "10000", placeholder: "No limit" });

  async function refresh() {
    const { invites } = await api("GET", `/api/groups/${group.id}/invites`);
    list.replaceChildren(
      ...(invites.length === 0 ? [h("li", { class: "muted" }, strings.noInvites)] : []),
      ...invites.map((invite) => {
        const details = [
          invite.usable ? strings.inviteUsable : strings.inviteInactive,
          strings.inviteUses(invite.uses, invite.max_uses),
          invite.expires_at ? strings.inviteExpires(formatMillis(invite.expires_at)) : strings.inviteNeverExpires,
          strings.inviteCreated(formatMillis(invite.created_at)),
        ].join(" · ");
        const revoke = invite.usable
          ? h(
              "button",
              {
                type: "button",
                class: "danger",
                "aria-label": `${strings.revoke}: ${details}`,
                onclick: async () => {
                  if (!confirm(strings.confirmRevoke)) return;
                  try {
                    await api("DELETE", `/api/groups/${group.id}/invites/${invite.id}`);
                    await refresh();
                  } catch (error) {
                    status.fail(error);
                  }
                },
              },
              strings.revoke,
            )
          : null;
        return h("li", { class: "row" }, h("span", {}, details), revoke);
      }),
    );
  }

  function show(created) {
    const url = new URL(`/join#${created.code}`, location.origin).href;
    const output = h("output", { class: "invite-link", id: "new-invite-link" }, url);
    const copied = h("p", { class: "status", role: "status" });
    const copy = h(
      "button",
      {
        type: "button",
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(url);
            copied.textContent = strings.copied;
          } catch {
            copied.textContent = strings.copyFailed;
          }
        },
      },
      "Copy link",
    );
    fresh.replaceChildren(h("p", {}, strings.inviteShownOnce), h("label", { for: "new-invite-link" }, "New invite link"), output, h("div", { class: "row" }, copy), copied);
    fresh.hidden = false;
    copy.focus();
  }

  async function make(rotate) {
    if (rotate && !confirm(strings.confirmRotate)) return;
    status.working();
    try {
      const body = {};
      if (expiry.value) body.expires_in_hours = Number(expiry.value);
      if (maxUses.value) body.max_uses = Number(maxUses.value);
      const path = `/api/groups/${group.id}/invites${rotate ? "/rotate" : ""}`;
      show(await api("POST", path, body));
      status.ok("");
      await refresh();
    } catch (error) {
      status.fail(error);
    }
  }

  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("invite-expiry", "Link works for", expiry),
    ...field("invite-max", "Joins allowed", maxUses, "Leave empty for no limit."),
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit" }, "Create invite link"),
      h("button", { type: "button", class: "secondary", onclick: () => make(true) }, "Replace all links"),
    ),
    status.element,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    make(false);
  });
  refresh().catch((error) => status.fail(error));
  return h("section", { "aria-labelledby": "invites-heading" }, h("h2", { id: "invites-heading" }, "Invite links"), form, fresh, list);
}

function facilitatorsSection(group) {
  const list = h("ul", { class: "plain-list" });
  const username = h("input", { autocomplete: "off", required: true });
  const status = statusLine();

  function render(facilitators) {
    list.replaceChildren(
      ...facilitators.map((f) =>
        h(
          "li",
          { class: "row" },
          h("span", {}, `${f.display_name} (${f.username})`),
          facilitators.length > 1
            ? h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  "aria-label": `${strings.remove} ${f.display_name}`,
                  onclick: async () => {
                    try {
                      await api("DELETE", `/api/groups/${group.id}/facilitators/${f.id}`);
                      if (f.id === state.me.id && !state.me.is_admin) {
                        navigate("/console");
                        return;
                      }
                      render((await api("GET", `/api/groups/${group.id}/facilitators`)).facilitators);
                    } catch (error) {
                      status.fail(error);
                    }
                  },
                },
                strings.remove,
              )
            : null,
        ),
      ),
    );
  }

  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("co-username", "Add a co-facilitator by username", username, "A group has one or two facilitators."),
    h("button", { type: "submit" }, "Add co-facilitator"),
    status.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    try {
      const { facilitators } = await api("POST", `/api/groups/${group.id}/facilitators`, { username: username.value });
      render(facilitators);
      username.value = "";
      status.ok();
    } catch (error) {
      status.fail(error);
    }
  });
  render(group.facilitators);
  return h("section", { "aria-labelledby": "facilitators-heading" }, h("h2", { id: "facilitators-heading" }, "Facilitators"), list, form);
}

function archiveSection(group) {
  const status = statusLine();
  const button = h(
    "button",
    {
      type: "button",
      class: "danger",
      onclick: async () => {
        if (!confirm(strings.confirmArchive)) return;
        try {
          await api("POST", `/api/groups/${group.id}/archive`);
          navigate("/console");
        } catch (error) {
          status.fail(error);
        }
      },
    },
    "Archive group",
  );
  return h("section", { "aria-labelledby": "archive-heading" }, h("h2", { id: "archive-heading" }, "Archive"), button, status.element);
}

async function groupView(id) {
  const { group } = await api("GET", `/api/groups/${id}`);
  page(
    group.name,
    h("p", {}, link("/console", "Back to your groups")),
    h(
      "div",
      { class: "card enter-room" },
      h("p", {}, roomStrings.enterRoomHelp),
      h("p", {}, link(`/console/groups/${group.id}/room`, roomStrings.enterRoom, { class: "button-link" })),
    ),
    h(
      "div",
      { class: "sections" },
      invitesSection(group),
      scheduleSection(group),
      aboutSection(group),
      settingsSection(group),
      facilitatorsSection(group),
      archiveSection(group),
    ),
    recordsSection(group),
  );
}

async function accountsView() {
  if (!state.me.is_admin) {
    navigate("/console");
    return;
  }
  const table = h("tbody");
  const status = statusLine();

  async function refresh() {
    const { accounts } = await api("GET", "/api/accounts");
    table.replaceChildren(
      ...accounts.map((account) => {
        const toggle =
          account.id === state.me.id
            ? null
            : h(
                "button",
                {
                  type: "button",
                  class: account.disabled ? "secondary" : "danger",
                  onclick: async () => {
                    try {
                      await api("POST", `/api/accounts/${account.id}/${account.disabled ? "enable" : "disable"}`);
                      await refresh();
                    } catch (error) {
                      status.fail(error);
                    }
                  },
                },
                account.disabled ? strings.enable(account.username) : strings.disable(account.username),
              );
        return h(
          "tr",
          {},
          h("td", {}, account.username),
          h("td", {}, account.display_name),
          h("td", {}, account.is_admin ? strings.operator : ""),
          h("td", {}, account.disabled ? strings.accountDisabled : strings.accountActive),
          h("td", {}, toggle),
        );
      }),
    );
  }

  const username = h("input", { required: true, autocomplete: "off" });
  const displayName = h("input", { required: true, maxlength: "32" });
  const password = h("input", { type: "password", required: true, minlength: "12", autocomplete: "new-password" });
  const admin = checkbox("account-admin", "Operator (manages accounts, sees every group)", false);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    ...field("account-username", "Username", username),
    ...field("account-display", "Name in rooms", displayName),
    ...field("account-password", "First password", password, "At least 12 characters. Share it privately; they can ask an operator to change it."),
    admin.element,
    h("button", { type: "submit" }, "Add account"),
    status.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.working();
    try {
      await api("POST", "/api/accounts", {
        username: username.value,
        display_name: displayName.value,
        password: password.value,
        is_admin: admin.input.checked,
      });
      form.reset();
      status.ok();
      await refresh();
    } catch (error) {
      status.fail(error);
    }
  });
  page(
    "Accounts",
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, "Accounts"),
      h("thead", {}, h("tr", {}, ...["Username", "Name", "Role", "Status", "Action"].map((t) => h("th", { scope: "col" }, t)))),
      table,
    ),
    h("h2", {}, "Add an account"),
    form,
  );
  await refresh();
}

async function roomView(id) {
  const { group } = await api("GET", `/api/groups/${id}`);
  state.room = openRoom(group, { page, link, main });
}

async function route() {
  const path = location.pathname.replace(/\/+$/, "");
  state.room?.dispose();
  state.room = null;
  try {
    const group = path.match(/^\/console\/groups\/(\d+)$/);
    const room = path.match(/^\/console\/groups\/(\d+)\/room$/);
    if (room) await roomView(room[1]);
    else if (path === "/console/accounts") await accountsView();
    else if (path === "/console/groups/new") newGroupView();
    else if (group) await groupView(group[1]);
    else await dashboard();
  } catch (error) {
    if (error.status === 401) {
      location.assign("/login");
      return;
    }
    page("Something went wrong", h("p", { class: "error", role: "alert" }, error.message), h("p", {}, link("/console", "Back to your groups")));
  }
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await api("POST", "/api/logout").catch(() => null);
  location.assign("/login");
});

async function boot() {
  try {
    state.me = (await api("GET", "/api/me")).account;
  } catch (error) {
    if (error.status === 401) location.assign("/login");
    else main.replaceChildren(h("p", { class: "error", role: "alert" }, error.message));
    return;
  }
  document.getElementById("who").textContent = state.me.display_name;
  document.getElementById("nav-accounts").hidden = !state.me.is_admin;
  await route();
}

boot();
