// Every sentence the member client shows, in one place, so a translation can follow.
// Functions take the parts that vary; a name arrives as a <bdi> node, so these return arrays of
// text and nodes (never HTML).

const plural = (n, one, many) => (n === 1 ? one : many);

export const strings = {
  // Connection, in words.
  connecting: "Connecting…",
  connected: "Connected",
  retrying: "Connection lost. Reconnecting…",
  retryIn: (s) => `Next try in ${s} ${plural(s, "second", "seconds")}.`,
  retryNow: "Try now",
  offline: "You seem to be offline. We'll reconnect as soon as the network is back.",
  serverRestarting: "The server is restarting. We'll reconnect you in a moment.",
  stopped: "Not connected.",
  reconnected: "Reconnected.",

  // Invite.
  inviteHeading: "Join your group",
  inviteLead: "Open the invite link your facilitator gave you, or paste it here.",
  inviteLabel: "Invite link or code",
  continue: "Continue",
  back: "Back",
  checkingInvite: "Checking your invite…",
  inviteMissing: "Paste the invite link your facilitator gave you.",
  inviteNetwork: "Could not reach the server. Check your connection and try again.",

  // The join steps.
  step: (n, of) => `Step ${n} of ${of}`,
  welcomeTo: (group) => `Welcome to ${group}`,
  howHeading: "How this works",
  explain: [
    ["No account, no email.", " Choose a first name or nickname for this session. Nobody here learns who you are unless you tell them."],
    ["What's said stays here.", " Only the people in this session see your messages, and they are deleted when the session ends, from the server too."],
    ["Facilitators guide the group.", " You can write to them privately at any time."],
    ["You choose how much to share.", " You can listen, pass, or leave whenever you want."],
  ],
  nameHeading: "Choose a name for this session",
  nameLabel: "Your name in this group",
  nameHelp: "A first name or nickname is enough. Please don't use your full name, a phone number or a social media handle.",
  rulesHeading: "Ground rules",
  rulesLead: "These keep the group safe for everyone. Please read them before you join.",
  acceptRules: "I have read the ground rules and I accept them.",
  joinButton: "Join the group",
  earlyHeading: "The waiting room isn't open yet",
  waitingHeading: "You're in the waiting room",
  waitingLead: "A facilitator will let you in soon. You don't need to do anything.",
  turnGroup: "Your turn",
  hereHeading: "Here now",
  everyoneHeading: "Everyone",
  needSupportHeading: "If you need support",
  nameRequired: "Please choose a name: a first name or nickname is enough.",
  nameTooLong: "That name is too long: at most 32 characters.",
  rulesRequired: "Please tick the box to accept the ground rules.",
  joining: "Taking you to the group…",

  // When the session is.
  inTime: (ms) => {
    const minutes = Math.max(1, Math.round(ms / 60000));
    if (minutes < 60) return `in ${minutes} ${plural(minutes, "minute", "minutes")}`;
    const hours = Math.round(minutes / 60);
    if (hours < 48) return `in about ${hours} ${plural(hours, "hour", "hours")}`;
    const days = Math.round(hours / 24);
    return `in ${days} days`;
  },
  nextSessionIntro: (when) => `Next session: ${when} (your time).`,
  sessionOnNow: (end) => `A session is on now, until ${end}.`,

  // Too early.
  earlyRetry: (s) => `We'll try again in ${s} ${plural(s, "second", "seconds")}. You can keep this page open.`,
  earlyWhen: (start, opens, wait) => `The session starts on ${start} (your time). The waiting room opens at ${opens}, ${wait}.`,
  earlyKeepOpen: "You can keep this page open: it lets you in when the waiting room opens.",

  // Waiting room.
  startsAt: (time, minutes) =>
    minutes > 1
      ? `The session starts at ${time}, in ${minutes} minutes.`
      : minutes === 1
        ? `The session starts at ${time}, in about a minute.`
        : `The session is due to start now (${time}).`,
  waitingOpen: "The session has started. A facilitator will let you in shortly.",
  waitingNoTime: "A facilitator will open the session and let you in.",

  // Room.
  facilitator: "facilitator",
  youTag: "(you)",
  you: "you",
  away: "away",
  hereNow: (n) => `Here now (${n})`,
  handsHeading: "Raised hands",
  noHands: "No hands raised.",
  handPosition: (n) => `Your hand is raised: you're number ${n} in line.`,
  handRaise: "Raise hand",
  handLower: "Lower hand",
  handRaisedAnnounce: "Your hand is raised.",
  handLoweredAnnounce: "Your hand is lowered.",
  pass: "Pass",
  passHelp: "Pass if you'd rather listen for now. Everyone sees that you passed.",
  phaseLive: (end) => (end ? `The session is on until ${end}.` : "The session is on."),
  phaseNotStarted: "The session hasn't started yet.",
  phaseWaiting: "The session hasn't started yet. You can post once the facilitator opens it.",
  phaseClosing: (time) => `The session is closing: it ends at ${time}. A good moment for anything you'd still like to say.`,
  phaseClosingNoTime: "The session is closing soon. A good moment for anything you'd still like to say.",
  phaseLineClosing: (time) => `The session ends at ${time}.`,
  pausedByFacilitator: "The facilitator has paused the chat for a moment. You can post again when it resumes.",
  pausedNoFacilitator: "The chat is paused until a facilitator is back.",
  slowMode: (s) => `Slow mode is on: one message every ${s} ${plural(s, "second", "seconds")}, to give everyone room.`,
  slowWait: (s) => `You can post again in ${s} ${plural(s, "second", "seconds")}.`,
  locked: "The room is closed to new arrivals for now.",
  resumedNotice: "The chat is open again.",
  slowOff: "Slow mode is off.",
  openedNotice: "The session has started.",
  handNumber: (n) => `hand ${n}`,
  pinnedLabel: "Pinned announcement",
  pinnedBy: (who) => ["Pinned by ", who],
  mutedUntil: (time, minutes, reason) =>
    `A facilitator has paused your messages until ${time} (${minutes} ${plural(minutes, "minute", "minutes")})${reason ? `, because of: ${reason}` : ""}. You can still write privately to the facilitators.`,
  mutedNow: "A facilitator has paused your messages for now. You can still write privately to the facilitators.",
  unmutedNotice: "You can post again.",
  messageLabel: "Message to the group",
  composerHelp: "Enter sends; Shift+Enter starts a new line.",
  send: "Send",
  charsLeft: (n) => `${n} ${plural(n, "character", "characters")} left`,
  tooLong: (max) => `That message is too long: at most ${max} characters. Try splitting it in two.`,
  notSentOffline: "You're not connected right now. Your message is still in the box; send it once we're back.",
  connectionLostUnsent: "The connection dropped before this message was confirmed.",
  unsent: (reason) => `Not sent: ${reason}`,
  resend: "Put it back in the message box",
  newMessages: "New messages below",
  messagesLabel: "Messages",
  deletedNotice: "A facilitator removed a message.",
  announceMessage: (name, text) => `${name}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`,

  // Presence and turns.
  joined: (who) => [who, " joined."],
  left: (who) => [who, " left."],
  away_: (who) => [who, " lost their connection. Their seat is kept."],
  cameBack: (who) => [who, " is back."],
  called: (who) => ["A facilitator invited ", who, " to share."],
  calledYou: "A facilitator invited you to share. Take your time, or pass if you'd rather listen.",
  passed: (who) => [who, " passed."],
  admittedNotice: "You're in. Welcome.",

  // Reactions.
  reactions: { heart: "Heart", hug: "Hug", me_too: "Me too", thank_you: "Thank you", strength: "Strength" },
  reactionsGroup: "Reactions",
  reactionChip: (label, count, mine) =>
    `${label}: ${count} ${plural(count, "person", "people")}${mine ? ", including you. Press to take yours back" : ". Press to add yours"}`,
  messageActions: (name) => `React to or report the message from ${name}`,
  reactWith: (label) => label,
  report: "Report…",

  // Reports.
  reportHeading: "Report a message",
  reportIntro: "Only the facilitators see your report. The person who wrote the message is not told who reported it.",
  reportFrom: (who) => ["From ", who, ":"],
  reportReason: "What's wrong?",
  reportNote: "Anything the facilitators should know (optional)",
  reportSend: "Send report",
  cancel: "Cancel",
  reportThanks: "Thank you. The facilitators have your report.",
  reasons: {
    harassment: "Harassment or unwanted attention",
    disrespect: "Disrespectful or hurtful",
    safety: "I'm worried about someone's safety",
    contact_info: "Sharing or asking for contact details",
    off_topic: "Off topic or disruptive",
    spam: "Spam",
    other: "Something else",
  },

  // Private line.
  privateToggle: "Write privately to the facilitators",
  privateToggleUnread: (n) => `Write privately to the facilitators (${n} new)`,
  privateHeading: "Private line to the facilitators",
  privateIntro: "Only the facilitators see these messages; other members never do.",
  privateEmpty: "Nothing here yet. You can write at any time, even while you wait.",
  privateLabel: "Private message to the facilitators",
  privateSend: "Send privately",
  privateClose: "Close the private line",
  privateFromYou: "You",
  privateAnnounce: (name) => `New private message from ${name}.`,

  // Support and crisis resources.
  support: "I need support now",
  supportHelp: "Tells the facilitators privately and shows you support lines.",
  supportSent: "The facilitators know you need support. One of them will write to you privately.",
  supportTell: "Tell the facilitators I need support",
  helpButton: "Need help now?",
  crisisHeading: "If you need help now",
  crisisIntro: "This group is peer support, not a crisis service. If you might act on thoughts of harming yourself, please reach out now:",
  crisisFromWords:
    "Something you wrote sounded heavy. You don't have to carry it alone: these lines are free and confidential. The facilitators have been told privately.",
  crisisShow: "Show support lines",
  emergency: (region, number) => `In an emergency${region ? ` (${region})` : ""}, call ${number}.`,
  call: (n) => `Call ${n}`,
  text: (n, word) => (word ? `Text ${word} to ${n}` : `Text ${n}`),
  available: (when) => `Available: ${when}`,
  openSite: (name) => `Website of ${name}`,
  noResources: "If you are in danger right now, call your local emergency number.",
  close: "Close",

  // Leaving and the end.
  leave: "Leave",
  leftHeading: "You've left the group",
  leftBody: "Thank you for being here. Your messages are gone from this page.",
  joinAgain: "Join again",
  endedHeading: "Thank you for being here",
  endedBody: "The session has ended. Everything that was said is gone: from the server, and now from this page.",
  nextSession: (when) => `The next session is on ${when} (your time).`,
  noNextSession: "Your facilitator will let you know when the group meets next.",
  takeCare: "If you need support before then",
  closeTab: "You can close this page now.",

  removedHeading: "You were asked to leave this session",
  removedBody: "A facilitator removed you from this session, so you cannot rejoin it.",
  bannedHeading: "You can't rejoin this group",
  bannedBody: "A facilitator has asked that you not rejoin this group.",
  reasonWas: (reason) => `The reason given: ${reason}.`,
  otherTabHeading: "This chat is open somewhere else",
  otherTabBody: "You opened this conversation in another tab or window, so this one stopped. Only one can be connected at a time.",
  useThisTab: "Use this tab instead",
  cannotJoinHeading: "You can't join right now",
  tryAgain: "Try again",
  errorHeading: "Something went wrong",
};
