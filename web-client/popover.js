// A small disclosure popover for action menus (per message, per member). The trigger is a
// button with aria-expanded; the panel is inserted right after it, so the tab order stays natural.
// Escape closes it and returns focus to the trigger; so does a click outside or tabbing away.
// Arrow keys move between the panel's buttons.

let current = null;

export function closePopover({ refocus = false } = {}) {
  if (!current) return;
  const { trigger, panel, onClose } = current;
  current = null;
  panel.remove();
  trigger.setAttribute("aria-expanded", "false");
  if (refocus && trigger.isConnected) trigger.focus();
  onClose?.();
}

export function popoverOpenFor(trigger) {
  return current?.trigger === trigger;
}

// True while an open popover sits inside `element` (so a redraw would pull it away).
export function popoverWithin(element) {
  return Boolean(current && element.contains(current.panel));
}

let nextId = 1;

export function openPopover(trigger, content, { onClose, label } = {}) {
  if (current?.trigger === trigger) {
    closePopover({ refocus: true });
    return null;
  }
  closePopover();
  const panel = document.createElement("div");
  panel.className = "popover";
  panel.id = `popover-${nextId++}`;
  panel.setAttribute("role", "group");
  if (label) panel.setAttribute("aria-label", label);
  panel.append(...[content].flat());
  trigger.after(panel);
  trigger.setAttribute("aria-expanded", "true");
  trigger.setAttribute("aria-controls", panel.id);
  current = { trigger, panel, onClose };

  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closePopover({ refocus: true });
      return;
    }
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && event.target instanceof HTMLButtonElement) {
      const buttons = [...panel.querySelectorAll("button:not([disabled])")];
      const at = buttons.indexOf(event.target);
      if (at < 0) return;
      event.preventDefault();
      const next = (at + (event.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length;
      buttons[next].focus();
    }
  });
  panel.addEventListener("focusout", (event) => {
    const to = event.relatedTarget;
    if (!current || current.panel !== panel) return;
    if (to && (panel.contains(to) || to === trigger)) return;
    // Focus left for somewhere else on the page (not a click inside that blurred a control).
    if (to) closePopover();
  });
  const first = panel.querySelector("button:not([disabled]), select, input, textarea");
  first?.focus();
  return panel;
}

document.addEventListener("pointerdown", (event) => {
  if (!current) return;
  if (current.panel.contains(event.target) || current.trigger.contains(event.target)) return;
  closePopover();
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && current) {
    event.preventDefault();
    closePopover({ refocus: true });
  }
});
